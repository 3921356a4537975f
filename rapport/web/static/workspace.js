// Workspace: the queue and the transcript follow server-sent events; no polling.
// On an event the server renders the fragment again and we swap it in, so the HTML has one
// source. Without JavaScript the page still works: reload to see the queue.
(function () {
  "use strict";

  var OFFER_EVENTS = ["offer.created", "offer.accepted", "offer.rejected", "offer.lapsed",
    "offer.withdrawn", "agent.away", "agent.availability"];
  var QUEUE_EVENTS = ["interaction.queued", "interaction.accepted", "interaction.completed",
    "interaction.abandoned", "interaction.offered", "queue.reordered"];

  function onReady(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // One event stream per page and address, shared by the parts that follow it: a browser
  // keeps only a few connections per host, and every open tab holds its streams.
  var streams = {};
  function stream(url) {
    if (!streams[url]) streams[url] = new EventSource(url);
    return streams[url];
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

  // Every event counts: while a read is in flight, later events are coalesced into one more
  // read after it, so the last read always starts after the last event (none is dropped).
  function liveQueue(target) {
    var status = document.getElementById(target.getAttribute("data-announce"));
    var source = stream(target.getAttribute("data-events"));
    var inFlight = false, again = false, lastSaid = null;
    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true; again = false;
      var before = ids(target);
      fetchInto(target, target.getAttribute("data-fragment")).then(function (swapped) {
        if (swapped) announce(before, ids(target));
      }, function () {}).then(function () {
        inFlight = false;
        tick();
        if (again) refresh();
      });
    }
    // The screen reader hears what changed: new items, or how many wait now (also "none").
    function announce(before, now) {
      var added = now.filter(function (id) { return before.indexOf(id) < 0; }).length;
      var text = now.length ? now.length + " waiting." : "Nothing is waiting.";
      if (added) text = added + " new workitem" + (added > 1 ? "s" : "") + " in the queue; " + text;
      if (status && text !== lastSaid) { status.textContent = text; lastSaid = text; }
      target.setAttribute("data-count", String(now.length));
    }
    QUEUE_EVENTS.forEach(function (type) { source.addEventListener(type, refresh); });
    target.setAttribute("data-connected", "");
    source.addEventListener("ready", function () { target.setAttribute("data-ready", ""); });
  }

  // An optional beep when work is offered: a setting of this browser (localStorage), a short
  // WebAudio tone, no sound file. The context is made on the checkbox click, a user gesture,
  // so the browser lets it play later.
  var SOUND_KEY = "rapport.offer-sound";
  var audio = null;
  function soundOn() {
    try { return window.localStorage.getItem(SOUND_KEY) === "on"; } catch (e) { return false; }
  }
  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    return audio;
  }
  function beep() {
    var context = soundOn() ? audioContext() : null;
    if (!context) return;
    if (context.state === "suspended") context.resume();
    var tone = context.createOscillator(), gain = context.createGain(), now = context.currentTime;
    tone.type = "sine"; tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.25);
    tone.connect(gain); gain.connect(context.destination);
    tone.start(now); tone.stop(now + 0.3);
    document.documentElement.setAttribute("data-offer-beeps",
      String(Number(document.documentElement.getAttribute("data-offer-beeps") || 0) + 1));
  }
  function soundSetting(box) {
    box.checked = soundOn();
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(SOUND_KEY, box.checked ? "on" : "off"); } catch (e) { /* private mode */ }
      if (box.checked) audioContext();
    });
  }

  // The agent's offer: re-read on offer events (coalesced like the queue), a countdown from the
  // seconds the server said were left, focus on Accept so Enter takes it; Escape rejects.
  function liveOffer(target) {
    var source = stream(target.getAttribute("data-events"));
    var inFlight = false, again = false, shownId = null, timer = null;
    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true; again = false;
      fetchInto(target, target.getAttribute("data-fragment")).then(function () {}, function () {})
        .then(function () { inFlight = false; start(); if (again) refresh(); });
    }
    function start() {
      var card = target.querySelector("[data-offer-id]");
      var id = card ? card.getAttribute("data-offer-id") : null;
      if (id === shownId) return;
      shownId = id;
      clearInterval(timer);
      if (!card) return;
      var counter = card.querySelector("[data-countdown]");
      var deadline = Date.now() + 1000 * Number(counter.getAttribute("data-countdown"));
      timer = setInterval(function () {
        var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
        if (counter.textContent !== String(left)) counter.textContent = String(left);
        if (!left) { clearInterval(timer); }
      }, 250);
      beep();
      var accept = card.querySelector("[data-offer-accept]");
      var active = document.activeElement;
      if (accept && !(active && typing(active))) accept.focus();
      tick();
    }
    document.addEventListener("keydown", function (event) {
      var card = target.querySelector("[data-offer-id]");
      if (!card || typing(event.target)) return;
      var button = null;
      if (event.key === "Escape") button = card.querySelector("[data-offer-reject]");
      if (event.key === "Enter" && event.target === document.body) button = card.querySelector("[data-offer-accept]");
      if (button) { event.preventDefault(); button.click(); }
    });
    OFFER_EVENTS.forEach(function (type) { source.addEventListener(type, refresh); });
    source.addEventListener("ready", function () { target.setAttribute("data-ready", ""); refresh(); });
    start();
  }

  function liveTranscript(target) {
    var interactionId = target.getAttribute("data-live-transcript");
    var source = stream(target.getAttribute("data-events"));
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

  // Keyboard: W (outside a text field) jumps to the wrap-up form; Ctrl+Enter submits it.
  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("form[data-submit-on-ctrl-enter]");
    if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault(); form.requestSubmit(); return;
    }
    if ((event.key === "w" || event.key === "W") && !event.ctrlKey && !event.metaKey &&
        !event.altKey && !typing(event.target)) {
      var first = document.querySelector("form[data-wrap-up] input:not([type=hidden]), form[data-wrap-up] textarea");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });

  onReady(function () {
    document.querySelectorAll("[data-live-queue]").forEach(liveQueue);
    document.querySelectorAll("[data-live-offer]").forEach(liveOffer);
    document.querySelectorAll("[data-live-transcript]").forEach(liveTranscript);
    document.querySelectorAll("[data-offer-sound]").forEach(soundSetting);
    // The availability select saves as soon as it changes; the button stays for no-JS use.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      var button = form.querySelector("[data-autosubmit-button]");
      if (button) button.hidden = true;
      form.querySelector("select").addEventListener("change", function () { form.submit(); });
    });
    // Always tick: a queue that opened empty gets its timers from events later.
    tick(); setInterval(tick, 1000);
  });
})();
