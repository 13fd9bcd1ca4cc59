// The drawn signature on the consent form: a canvas whose picture goes into a hidden field.
(function () {
  var form = document.getElementById("sign-form");
  if (!form) return;
  var canvas = document.getElementById("signature-pad");
  var field = form.querySelector("input[name=drawing]");
  var area = form.querySelector(".drawing");
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;

  function showWhenDrawing() {
    var chosen = form.querySelector("input[name=kind]:checked");
    area.hidden = !chosen || chosen.value !== "drawn";
  }
  form.querySelectorAll("input[name=kind]").forEach(function (radio) {
    radio.addEventListener("change", showWhenDrawing);
  });
  showWhenDrawing();

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return [
      (event.clientX - box.left) * (canvas.width / box.width),
      (event.clientY - box.top) * (canvas.height / box.height),
    ];
  }
  context.lineWidth = 3;
  context.lineCap = "round";
  context.strokeStyle = "#1d2433";
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    var at = point(event);
    context.beginPath();
    context.moveTo(at[0], at[1]);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    var at = point(event);
    context.lineTo(at[0], at[1]);
    context.stroke();
    drawn = true;
  });
  canvas.addEventListener("pointerup", function () { drawing = false; });
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
})();
