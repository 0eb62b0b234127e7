/* loomsearch search box. No dependencies, no build step.
 *
 * In the host page:
 *   <form data-loomsearch="https://search.example.org" action="https://search.example.org/search">
 *     <input type="search" name="q" aria-label="Search the archive">
 *     <input type="hidden" name="format" value="html">
 *     <button>Search</button>
 *   </form>
 *   <script src="https://search.example.org/widget.js" defer></script>
 *
 * Without JavaScript the form submits to the server's results page. With it,
 * results appear as the visitor types (debounced; a newer keystroke cancels
 * the older request), as an ARIA combobox: arrow keys move, Enter opens,
 * Escape closes, "/" focuses the box, and a live region says how many were
 * found. The query is kept in the page's URL (?q=) so back and share work.
 * The server escapes titles and snippets and adds only <mark>, so they are
 * inserted as HTML; everything else is set as text. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 150, PER_PAGE = 6, MIN_CHARS = 2;
  var count = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function setup(root) {
    var server = (root.getAttribute("data-loomsearch") || "").replace(/\/+$/, "");
    var input = root.querySelector("input[name=q]") || root.querySelector("input");
    if (!server || !input) return;
    var id = "loomsearch-" + (++count);
    var list = el("ul", { id: id + "-list", role: "listbox", "class": "loomsearch-list", hidden: "" });
    var status = el("div", { role: "status", "aria-live": "polite", "class": "loomsearch-status" });
    var wrap = el("div", { "class": "loomsearch" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null, pending = null, active = -1;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      Array.prototype.forEach.call(opts, function (o, j) {
        o.setAttribute("aria-selected", j === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    function fullPage(q) {
      // The same search the list showed, so "see all N" finds N.
      return server + "/search?format=html&partial=1&q=" + encodeURIComponent(q);
    }

    function keepInUrl(q) {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }

    function show(data, q) {
      list.textContent = "";
      var total = data.total_exact !== undefined ? data.total_exact : data.total_estimate;
      (data.results || []).forEach(function (hit, i) {
        // Options hold text, not links: a listbox option must not nest a control.
        var li = el("li", { id: id + "-opt-" + i, role: "option", "aria-selected": "false", "class": "loomsearch-hit", "data-href": hit.url });
        var a = el("span", { "class": "loomsearch-link" });
        var title = el("span", { "class": "loomsearch-title" });
        title.innerHTML = hit.title_html;
        // An undated post has date null: no date, and no separator before the authors.
        var meta = el("span", { "class": "loomsearch-meta" }, [hit.date || ""].concat(hit.author.length ? [hit.author.join(", ")] : []).filter(Boolean).join(" · "));
        var snippet = el("span", { "class": "loomsearch-snippet" });
        snippet.innerHTML = hit.snippet_html;
        a.appendChild(title); a.appendChild(meta); a.appendChild(snippet);
        li.appendChild(a);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = hit.url; });
        list.appendChild(li);
      });
      var more = el("li", { id: id + "-opt-all", role: "option", "aria-selected": "false", "class": "loomsearch-all", "data-href": fullPage(q) });
      more.appendChild(el("span", { "class": "loomsearch-link" },
        total ? "See all " + total + " result" + (total === 1 ? "" : "s") : "No results: search the full archive"));
      more.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = fullPage(q); });
      list.appendChild(more);
      var msg = total === 1 ? "1 result" : total + " results";
      if (data.corrected_query) msg += data.showing_corrected ? ", for " + data.corrected_query : "";
      status.textContent = msg;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search(q) {
      if (pending) pending.abort();
      if (q.trim().length < MIN_CHARS) { close(); status.textContent = ""; return; }
      pending = new AbortController();
      var url = server + "/search?format=json&partial=1&facets=0&per_page=" + PER_PAGE + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { show(data, q); })
        .catch(function (e) { if (e.name !== "AbortError") { close(); status.textContent = "Search is not available just now."; } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value;
      keepInUrl(q);
      timer = setTimeout(function () { search(q); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) search(input.value); else highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape") { if (!list.hidden) { e.preventDefault(); close(); } }
      else if (e.key === "Enter") {
        var opts = options();
        if (active >= 0 && opts[active]) {
          e.preventDefault();
          window.location.href = opts[active].getAttribute("data-href");
        } else if (input.value.trim()) {
          e.preventDefault();
          window.location.href = fullPage(input.value);
        }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });

    var initial = new URL(window.location.href).searchParams.get("q");
    if (initial && !input.value) { input.value = initial; }
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing) {
      var box = document.querySelector(".loomsearch input");
      if (box) { e.preventDefault(); box.focus(); }
    }
  });

  function start() { Array.prototype.forEach.call(document.querySelectorAll("[data-loomsearch]"), setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
