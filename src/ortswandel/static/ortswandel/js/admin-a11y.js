/* Accessible names for the admin's JavaScript widgets (WCAG 4.1.2), added once they appear:
 * - the rich-text editor (django-prose-editor): its editable area is named by the field's label;
 * - autocomplete selects (select2): named by the field's label, or in a tabular inline by the
 *   column heading.
 * No inline script (CSP): a static file, loaded through the ModelAdmin's Media. */
(function () {
  "use strict";

  function labelText(field) {
    if (!field || !field.id) return "";
    var label = document.querySelector('label[for="' + field.id + '"]');
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    // the parts of a split date/time field (Django labels the field, not its two inputs)
    var split = field.id.match(/^(.*)_([01])$/);
    if (split) {
      var base = document.querySelector('label[for="' + split[1] + '_0"], label[for="' + split[1] + '"]');
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      var row = field.closest(".form-row, .fieldBox");
      var rowLabel = row && row.querySelector("label");
      var name = (base || rowLabel || legend);
      if (name) {
        return name.textContent.replace(/:\s*$/, "").trim() + (split[2] === "0" ? " – Datum" : " – Uhrzeit");
      }
    }
    var cell = field.closest("td");
    var table = field.closest("table");
    if (cell && table) {
      var index = Array.prototype.indexOf.call(cell.parentElement.children, cell);
      var heading = table.querySelectorAll("thead th")[index];
      if (heading) return heading.textContent.trim();
    }
    return "";
  }

  function nameEditors() {
    document.querySelectorAll(".prose-editor").forEach(function (wrapper) {
      var area = wrapper.querySelector("[contenteditable='true']");
      var textarea = wrapper.querySelector("textarea");
      if (area && textarea && !area.hasAttribute("aria-label")) {
        var text = labelText(textarea);
        if (text) area.setAttribute("aria-label", text);
        area.setAttribute("aria-multiline", "true");
      }
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var text = labelText(select);
      if (!text) return;
      container.querySelectorAll(".select2-selection").forEach(function (selection) {
        selection.setAttribute("aria-label", text);
        selection.removeAttribute("aria-labelledby");
      });
      container.querySelectorAll(".select2-selection__rendered").forEach(function (rendered) {
        rendered.setAttribute("aria-label", text);
      });
    });
    // fields without a <label> (tabular inlines, the time part of date/time fields)
    document.querySelectorAll("#content-main form input, #content-main form select, #content-main form textarea").forEach(function (field) {
      if (field.type === "hidden" || field.hasAttribute("aria-label") || field.hasAttribute("aria-labelledby")) return;
      if (field.id && document.querySelector('label[for="' + field.id + '"]')) return;
      if (field.closest("label")) return;
      var text = labelText(field);
      if (text) field.setAttribute("aria-label", text);
    });
  }

  function start() {
    nameEditors();
    new MutationObserver(nameEditors).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
