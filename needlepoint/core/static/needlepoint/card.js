// The card step of online booking. Stripe's own card field (Stripe.js) saves the card typed
// with the page's SetupIntent, or lets the client's bank check a deposit payment; then the
// form posts and the server asks Stripe how it went. The card number never reaches us.
(function () {
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.stripeKey);
  var errors = document.getElementById("card-errors");
  var button = form.querySelector("button[type=submit]");
  var label = button.textContent;
  var card = null;

  function show(message) {
    errors.textContent = message || "";
    errors.hidden = !message;
  }
  function busy(on) {
    button.disabled = on;
    button.textContent = on ? form.dataset.working : label;
  }

  if (form.dataset.setupSecret) {
    card = stripe.elements().create("card");
    card.mount("#card-element");
    card.on("change", function (event) {
      show(event && event.error ? event.error.message : "");
    });
  }

  form.addEventListener("submit", function (event) {
    var checking = form.dataset.paymentSecret;
    if (!checking && !form.dataset.setupSecret) return; // nothing for Stripe.js to do
    event.preventDefault();
    busy(true);
    show("");
    var asked = checking
      ? stripe.confirmCardPayment(checking)
      : stripe.confirmCardSetup(form.dataset.setupSecret, { payment_method: { card: card } });
    asked.then(function (result) {
      if (result.error && !checking) {
        show(result.error.message); // a declined card, in Stripe's words; nothing is booked
        busy(false);
        return;
      }
      form.submit(); // the server asks Stripe itself, whatever the answer here
    });
  });
})();
