/* Autosave of an application draft: a few seconds after the last change the form is posted
   in the background (header X-Autosave: 1; the server answers JSON). Without JavaScript the
   "Entwurf speichern" button does the same. The messages come translated from the form's
   data-saved / data-failed / data-offline attributes (German fallbacks). */
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!status) { return; }
        status.textContent = response.ok ? form.getAttribute("data-saved") || "Entwurf automatisch gespeichert."
          : (body.message || form.getAttribute("data-failed") || "Automatisches Speichern nicht möglich.");
      });
    }).catch(function () {
      if (status) {
        status.textContent = form.getAttribute("data-offline") || "Automatisches Speichern nicht möglich (offline?).";
      }
    });
  }
  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 3000);
  });
}());
