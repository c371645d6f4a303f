// The case library's filter: each select keeps the cards whose data-<facet> matches. Loaded only
// on the case library page; without it the form stays hidden and every case shows.
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form.case-filter");
    if (!form) return;
    var cards = Array.prototype.slice.call(document.querySelectorAll(".case-library .case"));
    var index = document.querySelectorAll(".case-index li");
    var count = form.querySelector(".case-filter-count");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

    function matches(card) {
      return selects.every(function (select) {
        return !select.value || card.getAttribute("data-" + select.name) === select.value;
      });
    }

    function apply() {
      var shown = 0;
      cards.forEach(function (card, i) {
        var keep = matches(card);
        card.hidden = !keep;
        if (index[i]) index[i].hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = count
        .getAttribute("data-template")
        .replace("{shown}", shown)
        .replace("{total}", cards.length);
    }

    form.addEventListener("change", apply);
    // `reset` fires before the selects change back.
    form.addEventListener("reset", function () {
      setTimeout(apply, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
