/* Jiangcheng's few behaviours, bound by data attributes so that no page needs inline
   script (the production CSP allows none):
   - select[data-autocomplete="URL"]: Tom Select searching URL?q=… (JSON {results: [{value, text}]}),
     also inside fragments htmx swaps in;
   - [data-print]: prints the page;
   - input[data-select-all="NAME"]: checks or unchecks every input[name=NAME]. */
(function () {
  "use strict";

  function autocomplete(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-autocomplete]").forEach(function (select) {
      if (select.tomselect) { return; }
      var url = select.dataset.autocomplete;
      new window.TomSelect(select, {
        valueField: "value", labelField: "text", searchField: ["text"],
        loadThrottle: 250, maxOptions: 20, preload: "focus",
        load: function (query, callback) {
          fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
            .then(function (response) { return response.json(); })
            .then(function (json) { callback(json.results); })
            .catch(function () { callback(); });
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { autocomplete(document); });
  document.addEventListener("htmx:afterSettle", function (event) { autocomplete(event.target); });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("change", function (event) {
    var name = event.target.dataset && event.target.dataset.selectAll;
    if (!name) { return; }
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
