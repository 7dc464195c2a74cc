// Print buttons (a file, not an inline handler: the production CSP runs no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
