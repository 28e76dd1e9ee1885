// Placement on the municipality map: click a square or move with the arrow keys; the choice is
// written to the "Planquadrat" select (which works without JavaScript as well).
(function () {
  "use strict";
  var svg = document.getElementById("pmap-place");
  var select = document.getElementById("id_cell");
  var marker = document.getElementById("pmap-marker");
  if (!svg || !select || !marker) { return; }
  var COLUMNS = "ABCDEFGHIJ", N = 10;
  var W = parseFloat(svg.getAttribute("data-width")), H = parseFloat(svg.getAttribute("data-height"));
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
    c = Math.max(0, Math.min(N - 1, c)); r = Math.max(0, Math.min(N - 1, r));
    select.value = COLUMNS[c] + (r + 1);
    show();
  }
  svg.setAttribute("aria-describedby", "id_cell-help");
  svg.addEventListener("click", function (event) {
    var pt = svg.createSVGPoint(); pt.x = event.clientX; pt.y = event.clientY;
    var local = pt.matrixTransform(svg.getScreenCTM().inverse());
    if (local.x < 0 || local.x > W || local.y < 0 || local.y > H) { return; }
    set(Math.floor(local.x / (W / N)), Math.floor(local.y / (H / N)));
  });
  svg.addEventListener("keydown", function (event) {
    var p = current() || { c: 4, r: 4 };
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    var m = moves[event.key];
    if (!m) { return; }
    event.preventDefault();
    set(p.c + m[0], p.r + m[1]);
  });
  select.addEventListener("change", show);
  show();
})();
