/* Progressive enhancement of the server-rendered SVG charts (core/charts.py).
   Without this script every chart still has its <title>/<desc>, native tooltips and a data table.
   With it: the chart is one tab stop; arrow keys (or hover) move through the data points and a
   tooltip plus a polite live region announce "series, date: value". No dependencies. */
(function () {
  "use strict";
  function enhance(svg) {
    var points = Array.prototype.slice.call(svg.querySelectorAll(".pt"));
    if (!points.length || svg.getAttribute("data-enhanced")) { return; }
    svg.setAttribute("data-enhanced", "1");
    var box = svg.parentNode;
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true");
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    box.appendChild(tip);
    box.appendChild(live);
    var index = -1;
    var active = null;
    function show(i, announce) {
      index = Math.max(0, Math.min(points.length - 1, i));
      var p = points[index];
      var r = p.getBoundingClientRect();
      var b = box.getBoundingClientRect();
      var title = p.querySelector("title");
      tip.textContent = p.getAttribute("data-label") || (title ? title.textContent : "");
      tip.style.left = (r.left - b.left + r.width / 2) + "px";
      tip.style.top = (r.top - b.top) + "px";
      tip.hidden = false;
      if (active) { active.classList.remove("is-active"); }
      active = p;
      p.classList.add("is-active");
      if (announce) { live.textContent = tip.textContent; }
    }
    function hide() { tip.hidden = true; }
    if (!svg.closest("a")) {
      svg.setAttribute("tabindex", "0");
      svg.addEventListener("keydown", function (e) {
        var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
        if (e.key === "Home") { step = -points.length; }
        if (e.key === "End") { step = points.length; }
        if (e.key === "Escape") { hide(); return; }
        if (step === undefined) { return; }
        e.preventDefault();
        show(index < 0 ? 0 : index + step, true);
      });
      svg.addEventListener("blur", hide);
    }
    // One listener per chart (a map may have 11,000 areas), not one per point.
    svg.addEventListener("mouseover", function (e) {
      var p = e.target.closest ? e.target.closest(".pt") : null;
      if (p) { show(points.indexOf(p), false); }
    });
    svg.addEventListener("mouseleave", hide);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("svg.ow-chart"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
