// Presence in an open item: the panel's "I am here" (queue_app/partials/_presence.html) and
// the page's one poll (live.js) say whether this person typed in the panel in the last few
// seconds. Nothing typed is read or stored here: only the time of the last keystroke.
(function () {
  "use strict";
  var TYPING_MS = 8000;
  function panelOf(element) { return element.closest ? element.closest("[data-item]") : null; }
  document.addEventListener("input", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag !== "textarea" && tag !== "input") { return; }
    var panel = panelOf(event.target);
    if (!panel) { return; }
    var before = Number(panel.dataset.typedAt || 0);
    panel.dataset.typedAt = String(Date.now());
    // Starting to type tells the others at once, not at the next heartbeat.
    if (Date.now() - before > TYPING_MS) {
      var beat = panel.querySelector("[data-presence]");
      if (beat && window.htmx) { window.htmx.trigger(beat, "presence-typing"); }
    }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.hasAttribute) { return; }
    if (elt.hasAttribute("data-live-poll")) { elt = document.querySelector("[data-presence]"); }
    if (!elt || !elt.hasAttribute("data-presence")) { return; }
    var panel = panelOf(elt);
    var typed = panel ? Number(panel.dataset.typedAt || 0) : 0;
    event.detail.parameters.typing = Date.now() - typed < TYPING_MS ? "1" : "0";
  });
})();
