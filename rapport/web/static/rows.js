// The contact form's lists of phones, emails and addresses: "Add another" and "Remove".
// The form works without this file: a spare blank row adds one, clearing a row removes it.
(function () {
  "use strict";

  function setUp(list) {
    var rows = list.querySelector("[data-row-list]");
    var template = list.querySelector("template[data-row-template]");
    var add = list.querySelector("[data-add-row]");
    if (!rows || !template || !add) return;

    function nextIndex() {
      var max = -1;
      rows.querySelectorAll("[data-row]").forEach(function (row) {
        var n = parseInt(row.id.split("-").pop(), 10);
        if (n > max) max = n;
      });
      return max + 1;
    }

    function wire(row) {
      var remove = row.querySelector("[data-remove-row]");
      if (!remove) return;
      remove.hidden = false;
      remove.addEventListener("click", function () {
        var neighbour = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        var focus = neighbour && neighbour.querySelector("input, textarea, select");
        (focus || add).focus();
      });
    }

    rows.querySelectorAll("[data-row]").forEach(wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var i = nextIndex();
      // Field names and ids carry the row's index; labels its number for screen readers.
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.split("__i__").join(String(i))
        .split("__n__").join(String(i + 1));
      var row = holder.firstElementChild;
      rows.appendChild(row);
      wire(row);
      var first = row.querySelector("input, textarea, select");
      if (first) first.focus();
    });
  }

  document.querySelectorAll("[data-rows]").forEach(setUp);
})();
