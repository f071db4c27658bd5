// Keyboard shortcuts for the queue: j/k move, Enter opens, c claims, n takes the next item,
// Escape returns to the list; in a note, Ctrl+Enter closes the item with it.
// The queue's rows refresh themselves; the current row is remembered across refreshes.
(function () {
  "use strict";
  var currentCode = null;
  function rows() { return Array.from(document.querySelectorAll("[data-queue-row]")); }
  function current() { return document.querySelector("[data-queue-row].is-current"); }
  function select(row, focus) {
    rows().forEach(function (r) { r.classList.remove("is-current"); r.removeAttribute("aria-current"); });
    if (!row) { return; }
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    currentCode = row.getAttribute("data-code");
    if (focus !== false) { row.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape" && current()) { current().focus(); return; }
    if (event.key === "n") {
      // Take next: the one after a resolve in the panel, else the queue's.
      var next = document.querySelector("#item-panel form.take-next button") || document.querySelector("form.take-next button");
      if (next) { next.click(); event.preventDefault(); }
      return;
    }
    var all = rows(); if (!all.length) { return; }
    if (tag === "button" || tag === "a") {
      // Enter on a focused button or link keeps its own meaning.
      if (event.key === "Enter") { return; }
    }
    var index = all.indexOf(current());
    if (event.key === "j") { select(all[Math.min(index + 1, all.length - 1)]); event.preventDefault(); }
    else if (event.key === "k") { select(all[Math.max(index - 1, 0)]); event.preventDefault(); }
    else if (event.key === "Enter" && current()) { var open = current().querySelector("[data-open]"); if (open) { open.click(); event.preventDefault(); } }
    else if (event.key === "c" && current()) { var claim = current().querySelector("[data-claim]"); if (claim) { claim.click(); event.preventDefault(); } }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !event.target.closest) { return; }
    var form = event.target.closest("form.note-form");
    var close = form ? form.querySelector("[data-close-with-note]") : null;
    if (close) { close.click(); event.preventDefault(); }
  });
  // The notes widget loads after the panel; the field it marks takes the focus only if the
  // person is not already typing somewhere (focus still on a button, a link or nothing).
  document.addEventListener("htmx:afterSwap", function (event) {
    var field = event.detail.target.querySelector ? event.detail.target.querySelector("[data-focus-after-load]") : null;
    if (!field) { return; }
    var active = document.activeElement;
    var tag = active ? (active.tagName || "").toLowerCase() : "";
    if (!active || active === document.body || tag === "button" || tag === "a") { field.focus(); }
  });
  // A click on a row makes it the current one.
  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("[data-queue-row]") : null;
    if (row) { select(row, false); }
  });
  // After the rows are swapped by a poll, put the marker back on the same item, without
  // stealing focus from wherever the assistant is typing.
  document.addEventListener("htmx:afterSwap", function () {
    if (!currentCode) { return; }
    var again = document.querySelector('[data-queue-row][data-code="' + currentCode + '"]');
    if (again) { select(again, document.activeElement === document.body); }
  });
})();
