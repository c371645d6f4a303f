// Case library filter: a card shows if its data-<facet> matches each chosen value.
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form.case-filter");
    if (!form) return;
    var cards = [].slice.call(document.querySelectorAll(".case-library .case"));
    var entries = document.querySelectorAll(".case-index li");
    var count = form.querySelector(".case-filter-count");
    var selects = [].slice.call(form.querySelectorAll("select"));

    function matches(card) {
      return selects.every(function (s) {
        return !s.value || card.getAttribute("data-" + s.name) === s.value;
      });
    }

    function apply() {
      var shown = 0;
      cards.forEach(function (card, i) {
        var keep = matches(card);
        card.hidden = !keep;
        if (entries[i]) entries[i].hidden = !keep;
        if (keep) shown++;
      });
      count.textContent = count.getAttribute("data-template")
        .replace("{shown}", shown).replace("{total}", cards.length);
    }

    form.addEventListener("change", apply);
    // `reset` fires before the selects change back.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  start(); // deferred: the page is parsed

})();
