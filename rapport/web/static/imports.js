// An import in progress: poll its status every second until it ends, then reload the page
// for the full report. Wired by [data-polling][data-import-status] on the job page.
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-polling][data-import-status]");
    if (!box) return;
    var bar = document.getElementById("import-progress");
    function tick() {
      fetch(box.getAttribute("data-import-status"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) return;
          if (status.finished) { window.location.reload(); return; }
          box.querySelectorAll("[data-field]").forEach(function (el) {
            var value = status[el.getAttribute("data-field")];
            if (value === null || value === undefined) return;
            el.textContent = typeof value === "number" ? Math.round(value) : String(value).replace("_", " ");
          });
          if (status.progress !== null && bar) bar.value = status.progress;
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 1000); });
    }
    setTimeout(tick, 1000);
  }

  if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
})();
