// Redraws the spread layout preview while an editor types coordinates in the positions table.
// The server renders the same drawing, so the page is complete without this script.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const PADDING = 0.3;
  const TOLERANCE = 1e-6;

  function rows(group) {
    return Array.from(group.querySelectorAll("tr.form-row:not(.empty-form)"))
      .map(function (row) {
        const field = function (name) {
          return row.querySelector("[name$='-" + name + "']");
        };
        const removed = field("DELETE");
        const x = parseFloat(field("x") && field("x").value);
        const y = parseFloat(field("y") && field("y").value);
        if (Number.isNaN(x) || Number.isNaN(y) || (removed && removed.checked)) {
          return null;
        }
        const nameInput = row.querySelector("[name$='-name_" + document.documentElement.lang + "']") ||
          row.querySelector("[name*='-name_']");
        const rotated = Boolean(field("rotated") && field("rotated").checked);
        return {
          order: field("order") ? field("order").value : "",
          name: nameInput ? nameInput.value : "",
          x: x,
          y: y,
          rotated: rotated,
          width: rotated ? 1.6 : 1,
          height: rotated ? 1 : 1.6,
        };
      })
      .filter(Boolean);
  }

  function overlapping(cards) {
    const marked = new Set();
    cards.forEach(function (a, i) {
      cards.slice(i + 1).forEach(function (b, offset) {
        const overlaps =
          Math.abs(a.x - b.x) < (a.width + b.width) / 2 - TOLERANCE &&
          Math.abs(a.y - b.y) < (a.height + b.height) / 2 - TOLERANCE;
        const crossing =
          a.rotated !== b.rotated &&
          Math.abs(a.x - b.x) < TOLERANCE &&
          Math.abs(a.y - b.y) < TOLERANCE;
        if (overlaps && !crossing) {
          marked.add(i);
          marked.add(i + 1 + offset);
        }
      });
    });
    return marked;
  }

  function draw(preview, cards) {
    const old = preview.querySelector("svg.spread-layout");
    if (!cards.length) {
      if (old) old.remove();
      return;
    }
    const marked = overlapping(cards);
    const crossed = new Set(
      cards.filter(function (c) { return c.rotated; }).map(function (c) { return c.x + "," + c.y; })
    );
    const left = Math.min.apply(null, cards.map(function (c) { return c.x - c.width / 2; })) - PADDING;
    const top = Math.min.apply(null, cards.map(function (c) { return c.y - c.height / 2; })) - PADDING;
    const right = Math.max.apply(null, cards.map(function (c) { return c.x + c.width / 2; })) + PADDING;
    const bottom = Math.max.apply(null, cards.map(function (c) { return c.y + c.height / 2; })) + PADDING;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "spread-layout");
    svg.setAttribute("viewBox", [left, top, right - left, bottom - top].join(" "));
    svg.setAttribute("width", Math.round((right - left) * 60));
    svg.setAttribute("height", Math.round((bottom - top) * 60));
    const order = cards.map(function (card, index) { return index; });
    order.sort(function (a, b) { return cards[a].rotated - cards[b].rotated; });
    order.forEach(function (index) {
      const card = cards[index];
      const group = document.createElementNS(SVG, "g");
      group.setAttribute(
        "class",
        "layout-card" + (card.rotated ? " layout-card-rotated" : "") +
          (marked.has(index) ? " layout-card-overlapping" : "")
      );
      const title = document.createElementNS(SVG, "title");
      title.textContent = card.order + ". " + card.name;
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", card.x - card.width / 2);
      rect.setAttribute("y", card.y - card.height / 2);
      rect.setAttribute("width", card.width);
      rect.setAttribute("height", card.height);
      rect.setAttribute("rx", 0.08);
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", card.x);
      const isCrossed = !card.rotated && crossed.has(card.x + "," + card.y);
      label.setAttribute("y", isCrossed ? card.y - card.height / 2 + 0.29 : card.y + 0.16);
      label.textContent = card.order;
      group.append(title, rect, label);
      svg.append(group);
    });
    if (old) {
      old.replaceWith(svg);
    } else {
      preview.prepend(svg);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    const preview = document.querySelector(".spread-layout-preview");
    const group = document.getElementById("positions-group");
    if (!preview || !group) return;
    const redraw = function () { draw(preview, rows(group)); };
    group.addEventListener("input", redraw);
    group.addEventListener("change", redraw);
    document.addEventListener("formset:added", redraw);
    document.addEventListener("formset:removed", redraw);
    // After a refused save the inputs hold the editor's values, not the stored ones.
    redraw();
  });
})();
