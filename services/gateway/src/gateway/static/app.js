// A little plain JavaScript: every page works without it. With it, a pending request updates by
// itself, a chosen scan is sent at once (with its progress), and leaving a step with unsaved
// typing asks first.
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

  // The answer to a form sent in the background replaces the page's main content.
  function showAnswer(xhr, postedTo) {
    var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var fresh = answer.querySelector("main");
    if (!fresh) { window.location.reload(); return; }
    document.querySelector("main").replaceWith(fresh);
    document.title = answer.title;
    // After a redirect the address is the new page's; a page answered in place keeps its own.
    var moved = xhr.responseURL && xhr.responseURL.split("#")[0] !== postedTo;
    if (moved && xhr.status < 400) { window.history.replaceState(null, "", xhr.responseURL); }
    enhance();
  }

  function uploadOnChoose(form) {
    var input = form.querySelector("input[type=file]");
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector("[data-upload-button]");
    if (!input || !bar) { return; }
    if (button) { button.hidden = true; }
    input.addEventListener("change", function () {
      if (!input.files.length) { return; }
      var data = new FormData(form);
      data.set("intent", "upload");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) { return; }
        var percent = Math.round(100 * event.loaded / event.total);
        bar.value = percent;
        status.textContent = status.getAttribute("data-sending") + " " + percent + " %";
      });
      xhr.addEventListener("load", function () { form.removeAttribute("data-dirty"); showAnswer(xhr, form.action); });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        status.textContent = status.getAttribute("data-failed");
        if (button) { button.hidden = false; }
      });
      bar.hidden = false;
      bar.value = 0;
      xhr.send(data);
    });
  }

  // Typing that has not been saved is worth a question before the page is left.
  function warnBeforeLeaving(form) {
    form.addEventListener("input", function () { form.setAttribute("data-dirty", "1"); });
    form.addEventListener("submit", function () { form.removeAttribute("data-dirty"); });
  }

  // The scan viewer: one page at a time, with page buttons and zoom (all pages show without JS).
  function viewer(box) {
    var pages = Array.prototype.slice.call(box.querySelectorAll(".viewer-page"));
    var tools = box.querySelector(".viewer-tools");
    var label = box.querySelector("[data-page-label]");
    var current = 0, zoom = 1;
    if (!pages.length || !tools) { return; }
    tools.hidden = false;
    function show() {
      pages.forEach(function (page, i) { page.hidden = i !== current; });
      var image = pages[current].querySelector("img");
      if (image) { image.style.width = (zoom * 100) + "%"; }
      label.textContent = pages[current].querySelector("figcaption").textContent;
      box.querySelector("[data-prev]").disabled = current === 0;
      box.querySelector("[data-next]").disabled = current === pages.length - 1;
    }
    box.querySelector("[data-prev]").addEventListener("click", function () { current = Math.max(0, current - 1); show(); });
    box.querySelector("[data-next]").addEventListener("click", function () { current = Math.min(pages.length - 1, current + 1); show(); });
    box.querySelector("[data-zoom-in]").addEventListener("click", function () { zoom = Math.min(4, zoom * 1.5); show(); });
    box.querySelector("[data-zoom-out]").addEventListener("click", function () { zoom = Math.max(1, zoom / 1.5); show(); });
    show();
  }

  function enhance() {
    var scans = document.querySelector("[data-viewer]");
    if (scans) { viewer(scans); }
    var pending = document.querySelector("[data-poll]");
    if (pending) { poll(pending); }
    var upload = document.querySelector("form[data-upload]");
    if (upload) { uploadOnChoose(upload); }
    var step = document.getElementById("step-form");
    if (step) { warnBeforeLeaving(step); }
    var summary = document.querySelector(".error-summary, #upload-error");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-dirty]")) { event.preventDefault(); event.returnValue = ""; }
  });
  document.addEventListener("DOMContentLoaded", enhance);
})();
