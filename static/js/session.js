// Signing in again in place. When the session ends under an open page, the server answers
// an htmx request with a sign-in form (401) aimed at the page's dialog; whatever the request
// was saving is already kept on the server. After signing in, the open item is drawn again,
// and its forms show the kept text.
(function () {
  "use strict";
  function dialog() { return document.getElementById("signin-dialog"); }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status !== 401 || !xhr.getResponseHeader("HX-Retarget")) { return; }
    var box = dialog();
    if (!box) { window.location.reload(); return; }
    // A poll that arrives while the person is typing their password must not wipe it. But a
    // later answer may carry the token of text kept on the server (a note saved after a poll
    // had opened the dialog): the open form takes that token, so signing in brings it back.
    if (box.open) {
      var answer = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var kept = answer.querySelector("#signin-again input[name=resume]");
      var resume = box.querySelector("input[name=resume]");
      if (kept && kept.value && resume && !resume.value) {
        resume.value = kept.value;
        var said = answer.querySelector("#signin-again p");
        var saying = box.querySelector("#signin-again p");
        if (said && saying) { saying.textContent = said.textContent; }
      }
    }
    event.detail.shouldSwap = !box.open;
    event.detail.isError = false;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = dialog();
    if (box && event.detail.target === box && !box.open && box.querySelector("form")) {
      box.showModal();
    }
  });
  document.addEventListener("signed-in-again", function (event) {
    var token = event.detail.csrf;
    // The sign-in rotated the CSRF token: give every form and the htmx headers the new one.
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
    document.body.setAttribute("hx-headers", JSON.stringify({"x-csrftoken": token}));
    var box = dialog();
    if (box) { box.close(); box.innerHTML = ""; }
    var panel = document.querySelector("#item-panel [data-item-url]");
    if (panel) {
      htmx.ajax("GET", panel.getAttribute("data-item-url"), {target: "#item-panel", swap: "innerHTML"});
      htmx.trigger(document.body, "queue-changed");
    } else if (document.querySelector("form.note-form")) {
      window.location.reload();
    } else {
      htmx.trigger(document.body, "queue-changed");
    }
  });
})();
