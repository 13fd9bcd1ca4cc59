// The day calendar's grid. The Content Security Policy blocks style="" attributes, so the
// page gives each cell its column, row and span in data attributes and this places them;
// styles set from a script are allowed. It runs again whenever htmx swaps in another day.
(function () {
  function place() {
    document.querySelectorAll(".calendar[data-columns]").forEach(function (grid) {
      grid.style.setProperty("--columns", grid.dataset.columns);
    });
    document.querySelectorAll(".calendar [data-column]").forEach(function (cell) {
      cell.style.gridColumn = cell.dataset.column;
    });
    document.querySelectorAll(".calendar [data-row]").forEach(function (cell) {
      var span = cell.dataset.span;
      cell.style.gridRow = span ? cell.dataset.row + " / span " + span : cell.dataset.row;
    });
  }
  place();
  document.addEventListener("htmx:load", place);
})();
