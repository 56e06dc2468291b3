// 科技局工作平台: small progressive enhancements; the pages work without them.
(function () {
  "use strict";
  // Mark the current section in the sidebar.
  var here = window.location.pathname;
  document.querySelectorAll("[data-menu-link]").forEach(function (a) {
    if (here.indexOf(a.getAttribute("href")) === 0) { a.classList.add("active"); }
  });
  // "Select all" checkbox of a record table.
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-select-all]")) {
      var table = e.target.closest("table");
      table.querySelectorAll("tbody input[type=checkbox]").forEach(function (cb) { cb.checked = e.target.checked; });
    }
  });
  // Autocomplete pickers: <select data-autocomplete-url="..."> becomes a Tom Select searching the server.
  function initPickers(root) {
    root.querySelectorAll("select[data-autocomplete-url]:not(.tomselected)").forEach(function (el) {
      new TomSelect(el, {
        // "initials" (pinyin, sent by the enterprise picker) so the results the server matched
        // by initials are not filtered out again on the client.
        valueField: "id", labelField: "text", searchField: ["text", "initials"], maxOptions: 30,
        loadThrottle: 250, preload: false,
        load: function (query, callback) {
          fetch(el.dataset.autocompleteUrl + "?q=" + encodeURIComponent(query), {headers: {"Accept": "application/json"}})
            .then(function (r) { return r.json(); }).then(function (j) { callback(j.results); })
            .catch(function () { callback(); });
        },
        render: { no_results: function () { return '<div class="no-results">没有找到匹配的记录</div>'; },
                  loading: function () { return '<div class="spinner-border spinner-border-sm m-2"></div>'; } }
      });
    });
    root.querySelectorAll("select[data-enhance]:not(.tomselected)").forEach(function (el) { new TomSelect(el, {plugins: el.multiple ? ["remove_button"] : []}); });
  }
  // A <select data-autosubmit> submits its form when changed (the dashboard's year).
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) { e.target.form.submit(); }
  });
  // A button with data-confirm="…" asks first.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) { e.preventDefault(); }
  });
  // 导出所选: the list's export with the ticked rows (?export=xlsx&pk=1&pk=2).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-export-selected]");
    if (!btn) { return; }
    var params = new URLSearchParams({export: "xlsx"});
    document.querySelectorAll("input[form=bulk-form][name=pk]:checked").forEach(function (cb) { params.append("pk", cb.value); });
    if (!params.has("pk")) { window.alert("请先勾选要导出的项目。"); return; }
    window.location.href = btn.dataset.exportSelected + "?" + params.toString();
  });
  // 打印: a button with data-print prints the page (the print stylesheet drops menus and buttons).
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { window.print(); }
  });
  initPickers(document);
  document.body.addEventListener("htmx:afterSwap", function (e) { initPickers(e.target); });
})();
