// Progress of a background run without reloading the page (the page also refreshes itself
// every 3 s through <meta http-equiv="refresh">, so it works without JavaScript).
(function () {
  "use strict";
  var bar = document.getElementById("run-progress");
  var status = document.getElementById("run-status");
  if (!bar || !window.fetch) { return; }
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  if (meta) { meta.parentNode.removeChild(meta); }
  function poll() {
    fetch(bar.getAttribute("data-url"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        bar.value = d.progress;
        status.textContent = status.textContent.replace(/\d+ %$/, d.progress + " %");
        if (d.status === "done" || d.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(function () { window.location.reload(); }, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
