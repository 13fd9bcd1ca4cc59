// The comparison slider: the range input reveals the later photo over the earlier one.
document.addEventListener("input", (event) => {
  const control = event.target.closest("[data-photo-slider-control]");
  if (!control) return;
  const slider = control.closest(".card").querySelector("[data-photo-slider]");
  slider.style.setProperty("--reveal", `${100 - control.value}%`);
});
