// A little plain JavaScript: every page works without it. With it, a pending request updates by
// itself, a chosen scan is sent at once (with its progress), and leaving a step with unsaved
// typing asks first.
(function () {
  "use strict";

  // A long poll: the server answers as soon as the status differs from the one shown (or after
  // 25 s, then we ask again); the page's main content is then replaced by the fresh page's.
  function poll(section) {
    var url = section.getAttribute("data-poll");
    var initial = section.getAttribute("data-status");
    var started = Date.now();
    var failures = 0;
    function ask() {
      var query = "?wait=25&status=" + encodeURIComponent(initial);
      fetch(url + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.status !== initial) { show(section, state); refresh(); return; }
          failures = state ? 0 : failures + 1;
          again();
        })
        .catch(function () { failures += 1; again(); });
    }
    function again() {
      if (Date.now() - started > 30 * 60 * 1000) { return; }
      // At once after an answer; after a failure, less and less often (up to 30 s).
      window.setTimeout(ask, failures ? Math.min(30000, 1000 * Math.pow(2, failures - 1)) : 0);
    }
    ask();
  }

  // What the answer says, at once (the number above all); the whole page follows.
  function show(section, state) {
    var label = section.querySelector("[data-status-label]");
    if (label) { label.textContent = state.label; }
    if (state.ssin && !section.querySelector("[data-ssin]")) {
      var number = document.createElement("p");
      var strong = document.createElement("strong");
      number.className = "number";
      number.appendChild(document.createTextNode(state.number_label + " "));
      strong.setAttribute("data-ssin", "");
      strong.textContent = state.ssin;
      number.appendChild(strong);
      section.querySelector("h2").insertAdjacentElement("afterend", number);
    }
    var said = section.querySelector("[data-explanation]");
    if (said) { said.textContent = state.explanation; }
  }

  function refresh() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (!fresh) { window.location.reload(); return; }
        document.querySelector("main").replaceWith(fresh);
        document.title = fresh.ownerDocument.title;
        enhance();
      })
      .catch(function () { window.location.reload(); });
  }

  // A batch of requests: its counts once a second, then the whole page once every row is checked.
  function batchPoll(section) {
    var url = section.getAttribute("data-batch-poll");
    var bar = section.querySelector("[data-batch-bar]");
    var done = section.querySelector("[data-batch-done]");
    var template = done ? done.getAttribute("data-template") : null;
    var failures = 0;
    var started = Date.now();
    function ask() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { failures += 1; return again(); }
          failures = 0;
          bar.max = state.total || 1;
          bar.value = state.total ? state.processed : 1;
          bar.textContent = state.percent + " %";
          ["accepted", "refused", "pending"].forEach(function (name) {
            var count = section.querySelector("[data-count=" + name + "]");
            if (count) { count.textContent = state[name]; }
          });
          if (done && template) {
            done.textContent = template.replace("{done}", state.processed).replace("{total}", state.total);
          }
          var label = section.querySelector("[data-batch-status]");
          if (label) { label.textContent = state.status_label; }
          if (state.done) { refresh(); return; }
          again();
        })
        .catch(function () { failures += 1; again(); });
    }
    function again() {
      if (Date.now() - started > 60 * 60 * 1000) { return; }
      window.setTimeout(ask, failures ? Math.min(30000, 1000 * Math.pow(2, failures)) : 1000);
    }
    again();
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

  // A file picker in the page's language: the chosen file's name beside the button.
  function filePicker(box) {
    var input = box.querySelector("input[type=file]");
    var chosen = box.querySelector("[data-file-chosen]");
    if (!input || !chosen) { return; }
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      if (names.length) { chosen.textContent = chosen.getAttribute("data-chosen").replace("{name}", names.join(", ")); }
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
    // A PDF page without a scanned picture says so, beside its link to the PDF.
    pages.forEach(function (page) {
      var image = page.querySelector("img[data-missing]");
      if (!image) { return; }
      function missing() {
        var note = document.createElement("p");
        note.className = "viewer-missing";
        note.textContent = image.getAttribute("data-missing");
        image.replaceWith(note);
      }
      if (image.complete && image.naturalWidth === 0) { missing(); } else { image.addEventListener("error", missing); }
    });
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

  // A thumbnail that cannot be drawn (a PDF page without a picture) leaves its link's words alone.
  function hideBroken(image) {
    function hide() { image.hidden = true; }
    if (image.complete && image.naturalWidth === 0) { hide(); } else { image.addEventListener("error", hide); }
  }

  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("img[data-hide-broken]"), hideBroken);
    var scans = document.querySelector("[data-viewer]");
    if (scans) { viewer(scans); }
    var pending = document.querySelector("[data-poll]");
    if (pending) { poll(pending); }
    var batch = document.querySelector("[data-batch-poll]:not([data-done])");
    if (batch) { batchPoll(batch); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-file-pick]"), filePicker);
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
