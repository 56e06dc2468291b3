// The idle timeout's warning: shown SESSION_IDLE_WARNING_SECONDS before the server signs the session
// out; 继续使用 tells the server the user is still there. Any page load or htmx request restarts it.
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  if (!box) { return; }
  var timeout = Number(box.dataset.timeout), warning = Number(box.dataset.warning);
  var countdown = box.querySelector("[data-idle-countdown]");
  var deadline, tick;

  function restart() {
    deadline = Date.now() + timeout * 1000;
    box.classList.add("d-none");
  }
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function check() {
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      window.clearInterval(tick);
      window.location.reload();  // the server signs the idle session out and shows the login page
      return;
    }
    if (left <= warning) {
      countdown.textContent = String(left);
      box.classList.remove("d-none");
    }
  }
  box.querySelector("[data-idle-continue]").addEventListener("click", function () {
    fetch(box.dataset.keepaliveUrl, {method: "POST", headers: {"X-CSRFToken": csrfToken()}, credentials: "same-origin"})
      .then(function (r) { if (r.ok) { restart(); } else { window.location.reload(); } });
  });
  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
  tick = window.setInterval(check, 1000);
})();
