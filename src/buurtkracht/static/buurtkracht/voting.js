// Voting pages: keep the running total of a ballot up to date while the voter chooses
// ("€ 3.200 van € 10.000 gekozen"). Only a convenience: the server checks and shows the
// same totals, so the ballot works without JavaScript. Texts come from the page itself.
(function () {
  "use strict";
  var form = document.querySelector("[data-bk-ballot]");
  if (!form) { return; }
  var total = form.querySelector("[data-bk-total]");
  if (!total) { return; }
  var type = form.getAttribute("data-bk-type");
  var budget = parseInt(form.getAttribute("data-bk-budget"), 10);
  var tokens = parseInt(form.getAttribute("data-bk-tokens-max"), 10);
  // Written as the server writes money (core.numbers): "€ 3.200" in Dutch, "€3,200" in English.
  var english = (document.documentElement.lang || "nl").indexOf("en") === 0;
  var money = new Intl.NumberFormat(english ? "en-GB" : "nl-NL");
  var template = total.textContent.trim();

  function update() {
    if (type === "knapsack") {
      var sum = 0;
      form.querySelectorAll("input[data-bk-cost]:checked").forEach(function (box) {
        sum += parseInt(box.getAttribute("data-bk-cost"), 10);
      });
      // The template reads "€ X van € Y gekozen": replace the first amount only.
      total.textContent = template.replace(/€\s?[\d.,]+/, (english ? "€" : "€ ") + money.format(sum));
      total.classList.toggle("bk-ballot__total--over", sum > budget);
    } else if (type === "tokens") {
      var spent = 0;
      form.querySelectorAll("input[data-bk-tokens]").forEach(function (input) {
        var n = parseInt(input.value, 10);
        if (n > 0) { spent += n; }
      });
      total.textContent = template.replace(/^\d+/, String(spent));
      total.classList.toggle("bk-ballot__total--over", spent > tokens);
    }
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
