// Keyboard shortcuts for the queue: j/k move, Enter opens, c claims.
(function () {
  "use strict";
  function rows() { return Array.from(document.querySelectorAll("[data-queue-row]")); }
  function current() { return document.querySelector("[data-queue-row].is-current"); }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("is-current"); r.removeAttribute("aria-current"); });
    if (row) { row.classList.add("is-current"); row.setAttribute("aria-current", "true"); row.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var all = rows(); if (!all.length) { return; }
    var index = all.indexOf(current());
    if (event.key === "j") { select(all[Math.min(index + 1, all.length - 1)]); event.preventDefault(); }
    else if (event.key === "k") { select(all[Math.max(index - 1, 0)]); event.preventDefault(); }
    else if (event.key === "Enter" && current()) { var open = current().querySelector("[data-open]"); if (open) { open.click(); event.preventDefault(); } }
    else if (event.key === "c" && current()) { var claim = current().querySelector("[data-claim]"); if (claim) { claim.click(); event.preventDefault(); } }
  });
})();
