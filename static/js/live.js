// The page's one poll (#live-poll in base.html, queue_app/views/live.py). Every 10 s it sends
// what each live part of the page shows, as the part declares it in data-live: the queue's
// rows, the open item's conversation and who else is in it, the alert banner. The server
// answers 204 when none changed, or names the parts that did ("queue-stale", ...), and only
// those fetch themselves (their hx-trigger).
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.hasAttribute || !elt.hasAttribute("data-live-poll")) { return; }
    // In document order: a part's inner element (the presence line's mark) overrides it.
    document.querySelectorAll("[data-live]").forEach(function (part) {
      var marks = JSON.parse(part.getAttribute("data-live"));
      Object.keys(marks).forEach(function (name) { event.detail.parameters[name] = marks[name]; });
    });
  });
})();
