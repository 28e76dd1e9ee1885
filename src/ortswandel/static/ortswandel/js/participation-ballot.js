// Participatory-budgeting ballot: shows what is left of the budget (knapsack) or of the votes
// (approval) after every change, and refuses a choice that would go beyond it with a message in
// a role="alert" element (screen readers announce it). The server checks the same rules, so the
// form works without JavaScript as well. Messages come translated from data attributes.
(function () {
  "use strict";
  var form = document.querySelector("form.ballot");
  if (!form) { return; }
  var status = document.getElementById("ballot-status");
  var refusal = document.getElementById("ballot-refusal");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=ideas]"));
  var knapsack = form.getAttribute("data-method") === "knapsack";
  var budget = parseFloat(form.getAttribute("data-budget") || "0");
  var limit = parseInt(form.getAttribute("data-limit") || "0", 10);
  var euro = new Intl.NumberFormat(document.documentElement.lang || "de", {maximumFractionDigits: 2});

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }
  function cost(box) { return parseFloat(box.getAttribute("data-cost") || "0"); }
  function chosen() { return boxes.filter(function (b) { return b.checked; }); }
  function spent() { return chosen().reduce(function (sum, b) { return sum + cost(b); }, 0); }

  function update() {
    if (knapsack) {
      status.textContent = fill(form.getAttribute("data-msg-remaining"), {
        remaining: euro.format(budget - spent()), budget: euro.format(budget)
      });
    } else {
      status.textContent = fill(form.getAttribute("data-msg-left"), {
        left: String(limit - chosen().length), limit: String(limit)
      });
    }
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      refusal.textContent = "";
      if (box.checked) {
        var over = knapsack ? spent() > budget + 1e-9 : chosen().length > limit;
        if (over) {
          box.checked = false;
          refusal.textContent = fill(form.getAttribute(knapsack ? "data-msg-over" : "data-msg-limit"), {
            title: box.getAttribute("data-title") || "",
            cost: euro.format(cost(box)),
            remaining: euro.format(budget - spent()),
            limit: String(limit)
          });
        }
      }
      update();
    });
  });
  status.hidden = false;
  update();
})();
