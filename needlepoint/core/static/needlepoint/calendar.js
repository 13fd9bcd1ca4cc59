// The calendars' grids (day and week). The Content Security Policy blocks style=""
// attributes, so the page gives each cell its column, row, span and lane in data
// attributes and this places them; styles set from a script are allowed. It runs again
// whenever htmx swaps in another day or week.
//
// A booking that can be moved carries data-move, its move address. Drag it (pointer
// events) or press Alt with an arrow key: the time under its top edge (and, by day, the
// practitioner's column; by room, its own column only) is POSTed there, to the same move as the booking page's. The
// answer says whether it moved; a refusal is read out and the booking goes back.
(function () {
  function place() {
    document.querySelectorAll(".calendar[data-columns]").forEach(function (grid) {
      grid.style.setProperty("--columns", grid.dataset.columns);
    });
    document.querySelectorAll(".calendar [data-column]").forEach(function (cell) {
      var across = cell.dataset.columnSpan;
      cell.style.gridColumn = across ? cell.dataset.column + " / span " + across : cell.dataset.column;
    });
    document.querySelectorAll(".calendar [data-row]").forEach(function (cell) {
      var span = cell.dataset.span;
      cell.style.gridRow = span ? cell.dataset.row + " / span " + span : cell.dataset.row;
      if (cell.dataset.lanes) {
        cell.style.setProperty("--lane", cell.dataset.lane);
        cell.style.setProperty("--lanes", cell.dataset.lanes);
      }
      if (cell.dataset.offset) cell.style.setProperty("--offset", cell.dataset.offset);
    });
  }

  function say(text, refused) {
    var said = document.getElementById("calendar-said");
    var alert = document.getElementById("calendar-refused");
    if (!said || !alert) return;
    said.textContent = refused ? "" : text;
    alert.textContent = refused ? text : "";
  }

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function snapBack(booking) {
    booking.style.transform = "";
    booking.classList.remove("dragging", "saving");
  }

  function refresh(href) {
    var box = document.querySelector("#calendar-day, #calendar-week");
    if (!box || !window.htmx) return window.location.reload();
    var id = "#" + box.id;
    window.htmx
      .ajax("GET", window.location.href, { source: box, target: id, select: id, swap: "outerHTML" })
      .then(function () {
        var moved = document.querySelector('.calendar .booking[href="' + href + '"]');
        if (moved) moved.focus();
      });
  }

  function move(booking, cell) {
    var grid = booking.closest(".calendar");
    var body = new FormData();
    body.append("starts_at", cell.dataset.starts);
    if (cell.dataset.practitioner) body.append("practitioner", cell.dataset.practitioner);
    booking.classList.add("saving");
    say(grid.dataset.moving, false);
    fetch(booking.dataset.move, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        say(answer.message, !answer.moved);
        if (answer.moved) refresh(booking.getAttribute("href"));
        else snapBack(booking);
      })
      .catch(function () {
        say(grid.dataset.failed, true);
        snapBack(booking);
      });
  }

  // By room, a move changes only the time (the move doesn't choose a room), so a booking
  // goes up or down its own column, never across.
  function staysInColumn(grid) {
    return grid.dataset.by === "room";
  }

  // The cell under the booking's top edge, were it where the pointer holds it: where the
  // visit would start. From the pointer, so scrolling while dragging changes nothing.
  function cellUnder(drag, x, y) {
    var box = drag.booking.getBoundingClientRect();
    var left = x - drag.grabX + Math.min(box.width / 2, 16);
    var top = y - drag.grabY + 4;
    var grid = drag.booking.closest(".calendar");
    var found = document.elementsFromPoint(left, top).filter(function (element) {
      return (
        element.classList.contains("slot") &&
        element.closest(".calendar") === grid &&
        (!staysInColumn(grid) || element.dataset.column === drag.booking.dataset.column)
      );
    });
    return found[0] || null;
  }

  // Follow the pointer: the booking's untransformed place, less where the pointer holds it.
  function follow(drag, x, y) {
    var box = drag.booking.getBoundingClientRect();
    drag.dx = x - drag.grabX - (box.left - drag.dx);
    drag.dy = y - drag.grabY - (box.top - drag.dy);
    drag.booking.style.transform = "translate(" + drag.dx + "px, " + drag.dy + "px)";
  }

  function mark(cell) {
    document.querySelectorAll(".calendar .slot.target").forEach(function (old) {
      old.classList.remove("target");
    });
    if (cell) cell.classList.add("target");
  }

  place();
  if (window.needlepointCalendar) return; // loaded once per page, however often htmx swaps
  window.needlepointCalendar = true;

  var drag = null;
  document.addEventListener("pointerdown", function (event) {
    var booking = event.target.closest && event.target.closest(".calendar .booking[data-move]");
    if (!booking || event.button !== 0 || booking.classList.contains("saving")) return;
    event.preventDefault(); // no text selection or native drag of the link; a click still opens it
    var box = booking.getBoundingClientRect();
    drag = {
      booking: booking,
      x: event.clientX,
      y: event.clientY,
      grabX: event.clientX - box.left,
      grabY: event.clientY - box.top,
      dx: 0,
      dy: 0,
      moved: false,
    };
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 6) return;
    drag.moved = true;
    drag.booking.classList.add("dragging");
    follow(drag, event.clientX, event.clientY);
    mark(cellUnder(drag, event.clientX, event.clientY));
    event.preventDefault();
  });
  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var done = drag;
    drag = null;
    if (!done.moved) return;
    done.booking.dataset.dragged = "yes"; // the click that ends a drag opens nothing
    var cell = cellUnder(done, event.clientX, event.clientY);
    mark(null);
    if (cell) move(done.booking, cell);
    else snapBack(done.booking);
  });
  document.addEventListener("pointercancel", function () {
    if (drag) snapBack(drag.booking);
    mark(null);
    drag = null;
  });
  document.addEventListener(
    "click",
    function (event) {
      var booking = event.target.closest && event.target.closest(".calendar .booking");
      if (booking && booking.dataset.dragged) {
        delete booking.dataset.dragged;
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
  document.addEventListener("dragstart", function (event) {
    var node = event.target.nodeType === 1 ? event.target : event.target.parentElement;
    if (node && node.closest(".calendar .booking")) event.preventDefault();
  });

  // Alt + arrow: a row earlier or later, or the next column (practitioner or day; by room,
  // up and down only).
  var steps = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  document.addEventListener("keydown", function (event) {
    var booking = event.target.closest && event.target.closest(".calendar .booking[data-move]");
    var step = steps[event.key];
    if (!booking || !step || !event.altKey || booking.classList.contains("saving")) return;
    event.preventDefault(); // Alt + ← is the browser's Back: not while on a booking
    if (step[0] && staysInColumn(booking.closest(".calendar"))) return;
    var column = Number(booking.dataset.column) + step[0];
    var row = Number(booking.dataset.row) + step[1];
    var cell = booking
      .closest(".calendar")
      .querySelector('.slot[data-column="' + column + '"][data-row="' + row + '"]');
    if (cell) move(booking, cell);
  });

  document.addEventListener("htmx:load", place);
})();
