// A little plain JavaScript: pages work without it; with it, a pending request updates by itself.
(function () {
  "use strict";

  function poll(section) {
    var url = section.getAttribute("data-poll");
    var initial = section.getAttribute("data-status");
    var started = Date.now();
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.status !== initial) { window.location.reload(); return; }
          if (Date.now() - started < 5 * 60 * 1000) { window.setTimeout(tick, 1500); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pending = document.querySelector("[data-poll]");
    if (pending) { poll(pending); }
    var summary = document.querySelector(".error-summary, #upload-error");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  });
})();
