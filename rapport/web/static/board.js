// The supervisors' board: re-read on routing events (coalesced: one read in flight, one more
// after it if events came meanwhile) and every few seconds; waits tick every second.
(function () {
  "use strict";
  var EVENTS = ["interaction.queued", "interaction.accepted", "interaction.completed",
    "interaction.transferred", "interaction.abandoned", "interaction.offered", "queue.reordered",
    "offer.created", "offer.accepted", "offer.rejected", "offer.lapsed", "offer.withdrawn",
    "agent.away", "agent.availability"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-waiting-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor((now - Date.parse(el.getAttribute("data-waiting-since"))) / 1000));
      var text = Math.floor(seconds / 60) + ":" + pad(seconds % 60);
      if (el.textContent !== text) el.textContent = text;
    });
  }

  function liveBoard(target) {
    var inFlight = false, again = false;
    function refresh() {
      if (inFlight) { again = true; return; }
      inFlight = true; again = false;
      fetch(target.getAttribute("data-fragment"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { target.innerHTML = html; tick(); } }, function () {})
        .then(function () { inFlight = false; if (again) refresh(); });
    }
    var source = new EventSource(target.getAttribute("data-events"));
    EVENTS.forEach(function (type) { source.addEventListener(type, refresh); });
    source.addEventListener("ready", function () { target.setAttribute("data-ready", ""); refresh(); });
    setInterval(refresh, 1000 * Number(target.getAttribute("data-every") || 5));
  }

  function ready() {
    document.querySelectorAll("[data-live-board]").forEach(liveBoard);
    tick(); setInterval(tick, 1000);
  }
  if (document.readyState !== "loading") ready(); else document.addEventListener("DOMContentLoaded", ready);
})();
