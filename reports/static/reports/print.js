// Print buttons (a file, not an inline handler: the production CSP runs no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// A link to a page with "#print" (the conduct file's "Print the whole file") opens the
// print dialog once the page has loaded.
if (window.location.hash === "#print") {
  window.addEventListener("load", function () {
    window.print();
  });
}
