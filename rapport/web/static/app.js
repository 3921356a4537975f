// Rapport workspace: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // "/" jumps to the global search, as in most web tools.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var search = document.getElementById("global-q");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
  });

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    // Move focus to the error summary so screen readers announce it and Tab reaches the fields.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();

    document.querySelectorAll("form[data-live]").forEach(liveSearch);
    document.querySelectorAll("select[data-country]").forEach(followCountry);
    document.querySelectorAll("[data-channels]").forEach(orderChannels);
    document.querySelectorAll("[data-copy]").forEach(copyButton);
    document.querySelectorAll("button[data-preview]").forEach(previewButton);
  });

  // Markdown preview: the server renders and sanitises exactly as it will on save.
  function previewButton(button) {
    var source = document.getElementById(button.getAttribute("data-source"));
    var target = document.getElementById(button.getAttribute("data-source") + "-preview");
    var token = document.querySelector("input[name=csrf_token]");
    if (!source || !target || !token) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var body = new URLSearchParams({ body: source.value });
      fetch(button.getAttribute("data-preview"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": token.value }
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          target.innerHTML = html || "<p><em>Nothing to preview.</em></p>";
          target.hidden = false;
        });
    });
  }

  // Search as you type: the server renders the results; we swap them in.
  function liveSearch(form) {
    var target = document.getElementById(form.getAttribute("data-live"));
    var status = document.getElementById(form.getAttribute("data-live") + "-status");
    var timer = null, inflight = null;
    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.forEach(function (value, key) { if (value === "") params.delete(key); });
      var url = form.action + (params.toString() ? "?" + params.toString() : "");
      if (inflight) inflight.abort();
      inflight = new AbortController();
      fetch(url, { headers: { "X-Fragment": "results" }, signal: inflight.signal, credentials: "same-origin" })
        .then(function (response) {
          if (response.redirected || response.status === 401) { window.location = url; return null; }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          target.innerHTML = html;
          history.replaceState(null, "", url);
          if (status) {
            var count = target.querySelector("[data-count]");
            status.textContent = count ? count.getAttribute("data-count") : "";
          }
        })
        .catch(function (error) { if (error.name !== "AbortError") form.submit(); });
    }
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search" && event.target.type !== "text") return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName.toLowerCase() === "select") refresh();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); refresh(); });
  }

  // State/province follows the country: a select of its subdivisions, or free text.
  function followCountry(country) {
    var select = document.getElementById("f-state");
    var text = document.getElementById("f-state-text");
    if (!select || !text) return;
    country.addEventListener("change", function () {
      var code = country.value;
      if (!code) { useText(); return; }
      fetch("/contacts/subdivisions?country=" + encodeURIComponent(code), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.subdivisions.length) { useText(); return; }
          select.innerHTML = "";
          var blank = document.createElement("option");
          blank.value = ""; blank.textContent = "—";
          select.appendChild(blank);
          data.subdivisions.forEach(function (pair) {
            var option = document.createElement("option");
            option.value = pair[0]; option.textContent = pair[1];
            select.appendChild(option);
          });
          select.disabled = false; select.hidden = false;
          text.disabled = true; text.hidden = true;
          document.querySelector("label[for=f-state]").setAttribute("for", "f-state");
        });
    });
    function useText() {
      select.disabled = true; select.hidden = true;
      text.disabled = false; text.hidden = false; text.value = "";
    }
  }

  // Preferred channels: the order of the list is the order saved; buttons move a channel.
  function orderChannels(list) {
    var live = document.getElementById(list.getAttribute("data-channels"));
    function renumber() {
      list.querySelectorAll("li").forEach(function (item, index) {
        item.querySelector(".rank").textContent = (index + 1) + ".";
      });
    }
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) return;
      event.preventDefault();
      var item = button.closest("li");
      var up = button.getAttribute("data-move") === "up";
      var other = up ? item.previousElementSibling : item.nextElementSibling;
      if (!other) return;
      if (up) list.insertBefore(item, other); else list.insertBefore(other, item);
      renumber();
      button.focus();
      if (live) {
        var name = item.querySelector("input").getAttribute("data-label");
        var position = Array.prototype.indexOf.call(list.children, item) + 1;
        live.textContent = name + " moved to position " + position;
      }
    });
  }

  function copyButton(button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var text = source.textContent.trim();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done);
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges(); selection.addRange(range);
        document.execCommand("copy");
        done();
      }
    });
  }
})();
