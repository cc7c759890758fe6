// Progressive enhancement only: every page works fully without this script.
(function () {
  "use strict";

  // Cards of a just-drawn reading start face down and turn over one by one. Without
  // JavaScript, or when the visitor prefers reduced motion, they are simply shown face up.
  function revealDrawnCards() {
    var container = document.querySelector("[data-reveal]");
    if (!container || !/[?&]drawn=1\b/.test(window.location.search)) return;
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    var cards = container.querySelectorAll(".tarot-card");
    cards.forEach(function (card) { card.classList.add("is-face-down"); });
    // Force a layout so the face-down state is painted before the flip starts.
    void container.offsetHeight;
    cards.forEach(function (card, index) {
      window.setTimeout(function () {
        card.classList.remove("is-face-down");
        card.classList.add("is-revealed");
      }, 350 + index * 300);
    });
  }

  function selectShareUrlOnFocus() {
    document.querySelectorAll(".share-url").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    revealDrawnCards();
    selectShareUrlOnFocus();
  });
})();
