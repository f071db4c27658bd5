// Ages and deadlines in the queue's rows, kept current by the browser. Each row prints them as
// the server saw them (readable without script) beside the times they count from; here they
// are printed again every 10 s and whenever htmx brings new rows, so an idle queue is never
// redrawn by the server for the clock. The rows carry the server's time (data-now): a PC
// whose clock is a few minutes off still shows the same ages as its neighbours.
(function () {
  "use strict";
  var skew = 0;  // the server's clock minus this browser's, when the rows were drawn
  // As queue_app/views/queue.py short_age prints it.
  function age(minutes) {
    if (minutes < 60) { return minutes + "m"; }
    if (minutes < 24 * 60) { return Math.floor(minutes / 60) + "h " + String(minutes % 60).padStart(2, "0") + "m"; }
    return Math.floor(minutes / (24 * 60)) + "d " + (Math.floor(minutes / 60) % 24) + "h";
  }
  function refresh() {
    var now = Date.now() + skew;
    document.querySelectorAll("time[data-age]").forEach(function (time) {
      var minutes = Math.floor((now - Date.parse(time.getAttribute("datetime"))) / 60000);
      time.textContent = age(Math.max(0, minutes));
    });
    // A deadline that passes turns the cell into what the server draws for an overdue item.
    document.querySelectorAll("[data-overdue-from]").forEach(function (due) {
      if (now < Date.parse(due.getAttribute("data-overdue-from"))) { return; }
      due.removeAttribute("data-overdue-from");
      due.classList.add("overdue");
      due.prepend("Overdue", document.createElement("br"));
    });
  }
  function drawn() {
    var stamped = document.querySelector("[data-now]");
    if (stamped) { skew = Date.parse(stamped.getAttribute("data-now")) - Date.now(); }
    refresh();
  }
  document.addEventListener("DOMContentLoaded", drawn);
  document.addEventListener("htmx:afterSettle", drawn);
  setInterval(refresh, 10000);
})();
