// The header search box: "/" focuses it (unless typing in a field), Escape or a click elsewhere
// closes the suggestions; the suggestions themselves come from htmx (hx-get on the input).
(function () {
  "use strict";
  var input = document.querySelector("[data-global-search]");
  if (!input) { return; }
  var box = document.getElementById("search-suggest");
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(document.activeElement)) {
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === "Escape" && (document.activeElement === input || box.contains(document.activeElement))) {
      box.innerHTML = "";
      input.blur();
    }
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest("[data-global-search-form]")) { box.innerHTML = ""; }
  });
  // A search cleared to empty leaves no stale suggestions.
  input.addEventListener("input", function () {
    if (input.value.trim().length < 2) { box.innerHTML = ""; }
  });
})();
