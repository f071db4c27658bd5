// Scorecard: a print button (the page prints without it too: Ctrl/Cmd+P), and definitions
// opened for print so the paper copy carries them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.definition").forEach(function (d) { d.setAttribute("open", ""); });
  });
})();
