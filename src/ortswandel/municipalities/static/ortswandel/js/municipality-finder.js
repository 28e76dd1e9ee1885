/* "Meine Kommune": name suggestions while typing (progressive enhancement).
   Without JavaScript the form works the same; this only fills the native <datalist>
   from /api/municipalities. No inline script, no third-party host (CSP: script-src 'self'). */
(function () {
  "use strict";
  var input = document.getElementById("id_q");
  var list = document.getElementById("municipality-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var endpoint = input.getAttribute("data-suggest-url");
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function fill(results) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.name;
      option.label = [item.kreis_name, item.land_name].filter(Boolean).join(", ");
      list.appendChild(option);
    });
  }

  function suggest() {
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery) { return; }
    lastQuery = query;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var url = endpoint + "?page_size=10&q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { fill(data.results || []); })
      .catch(function () { /* suggestions are optional */ });
  }

  input.setAttribute("list", "municipality-suggestions");
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
})();
