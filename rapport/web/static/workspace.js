// Workspace: the queue and the transcript follow server-sent events; no polling.
// On an event the server renders the fragment again and we swap it in, so the HTML has one
// source. Without JavaScript the page still works: reload to see the queue.
(function () {
  "use strict";

  var QUEUE_EVENTS = ["interaction.queued", "interaction.accepted", "interaction.completed",
    "interaction.abandoned", "interaction.offered", "queue.reordered"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function fetchInto(target, url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Fragment": "1" } })
      .then(function (response) {
        if (response.redirected || !response.ok) return null;  // signed out: leave it as is
        return response.text();
      })
      .then(function (html) { if (html !== null) target.innerHTML = html; return html !== null; });
  }

  function ids(target) {
    return Array.prototype.map.call(target.querySelectorAll("tr[data-id]"), function (row) {
      return row.getAttribute("data-id");
    });
  }

  function liveQueue(target) {
    var status = document.getElementById(target.getAttribute("data-announce"));
    var source = new EventSource(target.getAttribute("data-events"));
    var pending = false;
    function refresh(event) {
      if (pending) return;  // a burst of events needs one re-read, not one each
      pending = true;
      var before = ids(target);
      fetchInto(target, target.getAttribute("data-fragment")).then(function (swapped) {
        pending = false;
        tick();
        if (!swapped || !status || event.type !== "interaction.queued") return;
        var added = ids(target).filter(function (id) { return before.indexOf(id) < 0; }).length;
        if (added) status.textContent = added + " new workitem" + (added > 1 ? "s" : "") +
          " in the queue; " + ids(target).length + " waiting.";
      });
    }
    QUEUE_EVENTS.forEach(function (type) { source.addEventListener(type, refresh); });
    target.setAttribute("data-connected", "");
    source.addEventListener("ready", function () { target.setAttribute("data-ready", ""); });
  }

  function liveTranscript(target) {
    var interactionId = target.getAttribute("data-live-transcript");
    var source = new EventSource(target.getAttribute("data-events"));
    source.addEventListener("ready", function () { target.setAttribute("data-ready", ""); });
    source.addEventListener("message.appended", function (event) {
      var data = JSON.parse(event.data || "{}");
      if (data.interaction_id === interactionId) fetchInto(target, target.getAttribute("data-fragment"));
    });
  }

  // Wait times tick in the browser from the queued-at time the server rendered.
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-waiting-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("data-waiting-since"))) / 1000));
      var hours = Math.floor(seconds / 3600), minutes = Math.floor(seconds % 3600 / 60), rest = seconds % 60;
      var text = (hours ? hours + ":" + String(minutes).padStart(2, "0") : String(minutes)) +
        ":" + String(rest).padStart(2, "0");
      if (el.textContent !== text) el.textContent = text;
    });
  }

  onReady(function () {
    document.querySelectorAll("[data-live-queue]").forEach(liveQueue);
    document.querySelectorAll("[data-live-transcript]").forEach(liveTranscript);
    // The availability select saves as soon as it changes; the button stays for no-JS use.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      var button = form.querySelector("[data-autosubmit-button]");
      if (button) button.hidden = true;
      form.querySelector("select").addEventListener("change", function () { form.submit(); });
    });
    if (document.querySelector("[data-waiting-since]")) { tick(); setInterval(tick, 1000); }
  });
})();
