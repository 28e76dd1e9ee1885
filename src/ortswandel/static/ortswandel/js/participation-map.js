// Placement on the municipality map: click a square or move with the arrow keys; the choice is
// written to the "Planquadrat" select (which works without JavaScript as well). Only the squares
// the select offers (those inside the municipality) can be chosen: a click outside does nothing,
// the arrow keys jump over outside squares to the next inside one in that direction.
(function () {
  "use strict";
  var svg = document.getElementById("pmap-place");
  var select = document.getElementById("id_cell");
  var marker = document.getElementById("pmap-marker");
  if (!svg || !select || !marker) { return; }
  var COLUMNS = "ABCDEFGHIJ", N = 10;
  var W = parseFloat(svg.getAttribute("data-width")), H = parseFloat(svg.getAttribute("data-height"));
  var offered = {};
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value) { offered[select.options[i].value] = true; }
  }
  function name(c, r) { return COLUMNS[c] + (r + 1); }
  function current() {
    var v = select.value || "";
    if (!v) { return null; }
    return { c: COLUMNS.indexOf(v[0]), r: parseInt(v.slice(1), 10) - 1 };
  }
  function show() {
    var p = current();
    if (!p) { marker.setAttribute("cx", -9999); marker.setAttribute("cy", -9999); return; }
    marker.setAttribute("cx", (p.c + 0.5) * W / N);
    marker.setAttribute("cy", (p.r + 0.5) * H / N);
  }
  function set(c, r) {
    if (c < 0 || c >= N || r < 0 || r >= N || !offered[name(c, r)]) { return false; }
    select.value = name(c, r);
    show();
    return true;
  }
  svg.setAttribute("aria-describedby", "id_cell-help");
  svg.addEventListener("click", function (event) {
    var pt = svg.createSVGPoint(); pt.x = event.clientX; pt.y = event.clientY;
    var local = pt.matrixTransform(svg.getScreenCTM().inverse());
    if (local.x < 0 || local.x > W || local.y < 0 || local.y > H) { return; }
    set(Math.min(N - 1, Math.floor(local.x / (W / N))), Math.min(N - 1, Math.floor(local.y / (H / N))));
  });
  svg.addEventListener("keydown", function (event) {
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    var m = moves[event.key];
    if (!m) { return; }
    event.preventDefault();
    var p = current() || { c: 4, r: 4 };
    // Straight on, over outside squares, to the next inside one; none that way: stay put.
    for (var step = 1; step < N; step++) {
      var c = p.c + m[0] * step, r = p.r + m[1] * step;
      if (c < 0 || c >= N || r < 0 || r >= N) { break; }
      if (set(c, r)) { return; }
    }
    if (!current()) { set(p.c, p.r); }
  });
  select.addEventListener("change", show);
  show();
})();
