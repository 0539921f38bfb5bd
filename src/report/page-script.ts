/**
 * The script of report.html and diff.html (rows-table.ts writes the table it
 * drives): filters, search with marks, sort, the URL fragment, expanding rows
 * and the export. Rows come from the table's JSON data block when it has one
 * (a long table): then only a window of the shown rows (WINDOW at a time, more
 * as the reader scrolls) is in the document, and filtering, sorting and
 * searching 10,000 rows touch data, not 10,000 elements. A short table's rows
 * are all in the document, those not shown hidden. Plain ES5 in one function,
 * no eval, no inline handlers (the CSP allows only this script, by hash).
 */
export const SCRIPT = String.raw`
(function () {
  var table = document.querySelector("table.rows"); if (!table) return;
  var tbody = table.tBodies[0], WINDOW = 200;
  var columns = table.tHead.rows[0].cells.length;
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.querySelector("input[data-search]");
  var count = document.getElementById("f-count");
  var heads = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
  var domRows = Array.prototype.slice.call(tbody.querySelectorAll("tr.row"));
  var block = document.getElementById(table.id + "-data");
  var data = block ? JSON.parse(block.textContent) : null;
  function recordOf(tr, entry, i) {
    var record = { key: entry ? entry.key : tr.getAttribute("data-key"), anchor: entry ? entry.anchor : tr.id || null, data: entry, tr: null, detail: null, index: i, open: false, match: true, marked: "", hits: [] };
    if (tr) adopt(record, tr);
    return record;
  }
  function adopt(record, tr) { record.tr = tr; record.detail = tr.nextElementSibling; tr._record = record; }
  /* Every row in the page's order; a data block's first rows are the ones already in the document. */
  var records = data
    ? data.rows.map(function (entry, i) { var tr = domRows[i]; return recordOf(tr && tr.getAttribute("data-key") === entry.key ? tr : null, entry, i); })
    : domRows.map(function (tr, i) { return recordOf(tr, null, i); });
  var byAnchor = {};
  records.forEach(function (record) { if (record.anchor) byAnchor[record.anchor] = record; });
  var order = records.slice(), shown = records.slice(), from = 0, to = 0, query = "", sortKey = "", sortDown = false, ready = false;

  /* Rows of the data block not yet made: their markup parsed in one go. */
  function build(list) {
    var missing = list.filter(function (record) { return !record.tr; });
    if (missing.length === 0) return;
    var template = document.createElement("template");
    template.innerHTML = missing.map(function (record) { return record.data.markup; }).join("");
    var made = template.content.querySelectorAll("tr.row");
    missing.forEach(function (record, i) { adopt(record, made[i]); });
  }
  /* The row's details, opened or still waiting in their template. */
  function detailRoot(record) {
    var td = record.detail.firstElementChild, template = td.querySelector("template");
    return template ? template.content : td;
  }
  function fill(record) {
    var td = record.detail.firstElementChild, template = td.querySelector("template");
    if (template) { td.appendChild(template.content.cloneNode(true)); td.removeChild(template); if (record.marked) mark(td, record.marked, record.hits); }
  }
  function tokensOf(record, key) { return record.data ? record.data.filters[key] || " " : " " + (record.tr.getAttribute("data-" + key) || "") + " "; }
  function text(record) {
    if (record.data) return record.data.text;
    if (record._text === undefined) record._text = (record.tr.textContent + " " + detailRoot(record).textContent).toLowerCase();
    return record._text;
  }

  /* Search hits: each match of the query in a prompt, output or expected text is wrapped in mark.hit (kept per row, so a row out of the document keeps its own). */
  function unmark(record) {
    var parents = [];
    record.hits.forEach(function (hit) { var parent = hit.parentNode; if (!parent) return; parent.replaceChild(document.createTextNode(hit.textContent), hit); parents.push(parent); });
    parents.forEach(function (parent) { parent.normalize(); });
    record.hits = []; record.marked = "";
  }
  function mark(root, q, hits) {
    var targets = root.querySelectorAll(".searchable");
    for (var i = 0; i < targets.length; i++) {
      var walker = document.createTreeWalker(targets[i], NodeFilter.SHOW_TEXT), nodes = [], node;
      while ((node = walker.nextNode())) nodes.push(node);
      nodes.forEach(function (node) {
        var lower = node.data.toLowerCase(); if (lower.length !== node.data.length) return;
        var at = lower.lastIndexOf(q);
        while (at >= 0) {
          var tail = node.splitText(at); tail.splitText(q.length);
          var hit = document.createElement("mark"); hit.className = "hit";
          tail.parentNode.replaceChild(hit, tail); hit.appendChild(tail); hits.push(hit);
          at = at === 0 ? -1 : lower.lastIndexOf(q, at - 1);
        }
      });
    }
  }
  /* A row about to be in the document: its opened state and the current search's marks. */
  function prepare(record) {
    var open = record.open;
    if (open) fill(record);
    /* Only what changed is written: a short table's rows are all prepared on every filter. */
    if (record.tr.classList.contains("open") !== open) {
      record.tr.classList.toggle("open", open);
      var button = record.tr.querySelector("button.expand");
      button.textContent = open ? "\u2212" : "+"; button.setAttribute("aria-expanded", String(open));
    }
    record.tr.classList.toggle("hidden", !record.match);
    record.detail.classList.toggle("hidden", !open || !record.match);
    var wanted = record.match ? query : "";
    if (record.marked !== wanted) {
      unmark(record);
      if (wanted) { mark(record.tr, wanted, record.hits); mark(record.detail, wanted, record.hits); record.marked = wanted; }
    }
  }

  /* The window: shown[from..to) in the document, a row above and below to bring in the rows before and after it. */
  function edge(kind) {
    var tr = document.createElement("tr"), td = document.createElement("td"), button = document.createElement("button");
    tr.className = "window " + kind; td.colSpan = columns; button.type = "button"; button.className = "window-" + kind;
    button.addEventListener("click", function () { if (kind === "before") showBefore(); else showAfter(); });
    td.appendChild(button); tr.appendChild(td); return tr;
  }
  var before = edge("before"), after = edge("after");
  function label() {
    before.firstChild.firstChild.textContent = "show the " + Math.min(WINDOW, from) + " rows before (" + from + " above)";
    after.firstChild.firstChild.textContent = "show " + Math.min(WINDOW, shown.length - to) + " more rows (" + (shown.length - to) + " below)";
    if (from === 0) { if (before.parentNode) tbody.removeChild(before); } else if (!before.parentNode) tbody.insertBefore(before, tbody.firstChild);
    if (to >= shown.length) { if (after.parentNode) tbody.removeChild(after); } else if (!after.parentNode) tbody.appendChild(after);
  }
  function rowsOf(list) {
    build(list);
    var fragment = document.createDocumentFragment();
    list.forEach(function (record) { prepare(record); fragment.appendChild(record.tr); fragment.appendChild(record.detail); });
    return fragment;
  }
  /* A table without a data block is short: all its rows stay in the document, those not shown hidden. */
  function render(start) {
    from = data ? Math.max(0, Math.min(start, shown.length - 1)) : 0; to = data ? Math.min(shown.length, from + WINDOW) : shown.length;
    var list = data ? shown.slice(from, to) : order, present = Array.prototype.slice.call(tbody.querySelectorAll("tr.row"));
    /* The rows already there, in this order (the page as written): left in place, not laid out again. */
    if (present.length === list.length && list.every(function (record, i) { return record.tr === present[i]; })) list.forEach(prepare);
    else { tbody.textContent = ""; tbody.appendChild(rowsOf(list)); }
    label();
  }
  function showAfter() { var end = Math.min(shown.length, to + WINDOW); tbody.insertBefore(rowsOf(shown.slice(to, end)), after); to = end; label(); }
  function showBefore() { var start = Math.max(0, from - WINDOW); tbody.insertBefore(rowsOf(shown.slice(start, from)), before.nextSibling); from = start; label(); }
  if (window.IntersectionObserver) {
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting && entry.target.parentNode) (entry.target === after ? showAfter : showBefore)(); });
    }, { rootMargin: "600px 0px" });
    near.observe(after); near.observe(before);
  }
  /* Puts a shown row in the window (the window moves to it when it is outside). */
  function bringIn(record) {
    var at = shown.indexOf(record);
    if (at < 0) return false;
    if (at < from || at >= to) render(at - Math.min(at, 10));
    return true;
  }

  function setOpen(record, open) {
    record.open = open;
    if (record.tr && record.tr.parentNode) prepare(record);
  }
  function apply() {
    var wanted = selects.map(function (s) { return [s.getAttribute("data-filter"), " " + s.value + " "]; }).filter(function (f) { return f[1] !== "  "; });
    var q = search ? search.value.trim().toLowerCase() : "";
    records.forEach(function (record) {
      var ok = true;
      for (var j = 0; ok && j < wanted.length; j++) ok = tokensOf(record, wanted[j][0]).indexOf(wanted[j][1]) >= 0;
      record.match = ok && (!q || text(record).indexOf(q) >= 0);
    });
    query = q; ready = true;
    shown = order.filter(function (record) { return record.match; });
    render(0);
    if (count) count.textContent = shown.length + " / " + records.length + " shown";
  }
  /* Sorting: by a column's values (a data block's precomputed keys, else the cell's data-sort or text), numbers as numbers; ties keep the page's order. */
  function sortValue(record, head) {
    var value;
    if (record.data) value = record.data.sort[head.getAttribute("data-sort")];
    else { var cell = record.tr.cells[head.cellIndex]; value = !cell ? "" : cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent; }
    if (head.classList.contains("num")) return value === "" || value === null || value === undefined || isNaN(Number(value)) ? -Infinity : Number(value);
    return String(value === null || value === undefined ? "" : value).toLowerCase();
  }
  function sortRows() {
    var head = heads.filter(function (th) { return th.getAttribute("data-sort") === sortKey; })[0];
    heads.forEach(function (th) { th.setAttribute("aria-sort", th === head ? (sortDown ? "descending" : "ascending") : "none"); });
    if (!head) { order = records.slice(); return; }
    var keyed = records.map(function (record) { return [record, sortValue(record, head)]; });
    keyed.sort(function (a, b) { var c = a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; return (sortDown ? -c : c) || a[0].index - b[0].index; });
    order = keyed.map(function (entry) { return entry[0]; });
  }
  heads.forEach(function (th) {
    var button = document.createElement("button"); button.type = "button"; button.className = "sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      if (sortKey === key) sortDown = !sortDown; else { sortKey = key; sortDown = false; }
      sortRows(); shown = order.filter(function (record) { return record.match; }); render(0); save();
    });
  });

  /* The view in the URL fragment: filters, search, sort and opened probes, so a link or a reload opens the same view. */
  function save() {
    var params = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) params.set(s.getAttribute("data-filter"), s.value); });
    if (search && search.value.trim()) params.set("q", search.value.trim());
    if (sortKey) params.set("sort", (sortDown ? "-" : "") + sortKey);
    var opened = records.filter(function (record) { return record.open; });
    if (opened.length <= 50) opened.forEach(function (record) { params.append("open", record.key); });
    var hash = params.toString();
    if (("#" + hash) !== location.hash && !(hash === "" && location.hash === "")) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function restore() {
    var hash = location.hash.slice(1);
    if (/^probe-/.test(hash)) {
      var target = byAnchor[hash];
      if (target && !target.match) { selects.forEach(function (s) { s.value = ""; }); if (search) search.value = ""; }
      if (!ready || (target && !target.match)) apply();
      if (target) { bringIn(target); setOpen(target, true); target.tr.scrollIntoView(); }
      return;
    }
    var params = new URLSearchParams(hash);
    selects.forEach(function (s) {
      var value = params.get(s.getAttribute("data-filter")) || "";
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === value; }) ? value : "";
    });
    if (search) search.value = params.get("q") || "";
    var sort = params.get("sort") || "";
    sortDown = sort.charAt(0) === "-"; sortKey = sort.replace(/^-/, "");
    sortRows();
    var keys = params.getAll("open");
    records.forEach(function (record) { record.open = keys.indexOf(record.key) >= 0; });
    apply();
    var first = shown.filter(function (record) { return record.open; })[0];
    if (first && (shown.indexOf(first) >= to)) { bringIn(first); first.tr.scrollIntoView(); }
  }

  /* Export of the shown rows: the fields named by the table's data-fields ("name" or "name[]" for a list), from the data block, else from elements marked data-field. */
  var fields = (table.getAttribute("data-fields") || "").split(" ").filter(Boolean);
  function exported(record) {
    if (record.data) return record.data.fields;
    var out = {}, roots = [record.tr, detailRoot(record)];
    fields.forEach(function (spec) {
      var list = /\[\]$/.test(spec), name = spec.replace(/\[\]$/, ""), values = [];
      roots.forEach(function (root) { Array.prototype.forEach.call(root.querySelectorAll('[data-field="' + name + '"]'), function (el) { values.push(el.hasAttribute("data-value") ? el.getAttribute("data-value") : el.textContent); }); });
      out[name] = list ? values : values.length > 0 ? values[0] : null;
    });
    return out;
  }
  function csvCell(value) {
    var text = value === null || value === undefined ? "" : Array.isArray(value) ? value.join("\n") : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; /* a spreadsheet would run a cell that starts like a formula */
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function download(name, type, content) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([content], { type: type }));
    link.download = name; document.body.appendChild(link); link.click(); document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }
  var base = (table.getAttribute("data-export-name") || "rows");
  function exportRows(kind) {
    var names = fields.map(function (spec) { return spec.replace(/\[\]$/, ""); });
    var rows = shown.map(function (record) { var values = exported(record), out = {}; names.forEach(function (name) { out[name] = values[name] === undefined ? null : values[name]; }); return out; });
    if (kind === "csv") download(base + ".csv", "text/csv;charset=utf-8", "\ufeff" + [names.join(",")].concat(rows.map(function (r) { return names.map(function (n) { return csvCell(r[n]); }).join(","); })).join("\r\n") + "\r\n");
    else download(base + ".jsonl", "application/x-ndjson;charset=utf-8", rows.map(function (r) { return JSON.stringify(r) + "\n"; }).join(""));
  }
  var exportCsv = document.getElementById("export-csv"), exportJsonl = document.getElementById("export-jsonl");
  if (exportCsv) exportCsv.addEventListener("click", function () { exportRows("csv"); });
  if (exportJsonl) exportJsonl.addEventListener("click", function () { exportRows("jsonl"); });

  var timer = null;
  selects.forEach(function (s) { s.addEventListener("change", function () { apply(); save(); }); });
  if (search) search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { apply(); save(); }, 150); });
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button.expand"); if (!button) return;
    var record = button.closest("tr.row")._record; setOpen(record, !record.open); save();
  });
  var expandAll = document.getElementById("expand-all"), collapseAll = document.getElementById("collapse-all");
  if (expandAll) expandAll.addEventListener("click", function () { shown.forEach(function (record) { setOpen(record, true); }); save(); });
  if (collapseAll) collapseAll.addEventListener("click", function () { records.forEach(function (record) { if (record.open) setOpen(record, false); }); save(); });
  window.addEventListener("hashchange", restore);
  restore();
})();
`;
