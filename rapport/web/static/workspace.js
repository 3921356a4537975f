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
    function refresh(event, attempt) {
      if (pending && !attempt) return;  // a burst of events needs one re-read, not one each
      pending = true;
      var before = attempt ? refresh.before : ids(target);
      refresh.before = before;
      var data = JSON.parse(event.data || "{}");
      fetchInto(target, target.getAttribute("data-fragment")).then(function (swapped) {
        var now = ids(target);
        // The event can outrun the commit becoming visible to the next read (SQLite): a new
        // item missing from the fragment is read again, a few times at most.
        if (swapped && event.type === "interaction.queued" && now.indexOf(data.interaction_id) < 0 &&
            (attempt || 0) < 5) {
          setTimeout(function () { refresh(event, (attempt || 0) + 1); }, 200);
          return;
        }
        pending = false;
        tick();
        if (!swapped || !status || event.type !== "interaction.queued") return;
        var added = now.filter(function (id) { return before.indexOf(id) < 0; }).length;
        if (added) status.textContent = added + " new workitem" + (added > 1 ? "s" : "") +
          " in the queue; " + now.length + " waiting.";
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
