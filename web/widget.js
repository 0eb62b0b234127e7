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
 * found; the count shows above the results, with a spelling correction
 * ("Showing results for ...", the words as typed one press away). A search
 * that cannot be made (no network, refused, rate-limited) says so, visibly.
 * data-loomsearch="" (or "/") means the search answers on the page's origin.
 * The query is kept in the page's URL (?q=) so back and share work.
 * The server escapes titles and snippets and adds only <mark>, so they are
 * inserted as HTML; everything else is set as text. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 150, PER_PAGE = 6, MIN_CHARS = 2;
  var MAX_RETRIES = 3; // a refused search tried again at most this many times
  var count = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function plural(n) { return n === 1 ? "1 result" : n + " results"; }

  function setup(root) {
    // Empty (or "/"): the search answers on the page's own origin.
    var attr = root.getAttribute("data-loomsearch");
    var input = root.querySelector("input[name=q]") || root.querySelector("input");
    if (attr === null || !input) return;
    var server = attr.replace(/\/+$/, "");
    var id = "loomsearch-" + (++count);
    var panel = el("div", { "class": "loomsearch-panel", hidden: "" });
    var head = el("div", { "class": "loomsearch-head" });
    var list = el("ul", { id: id + "-list", role: "listbox", "aria-label": "Search results", "class": "loomsearch-list" });
    // Counts are announced politely; a search that cannot be made is said
    // where it can be seen, and at once.
    var status = el("div", { role: "status", "aria-live": "polite", "class": "loomsearch-status" });
    var message = el("div", { "aria-live": "assertive", "class": "loomsearch-message", hidden: "" });
    var wrap = el("div", { "class": "loomsearch" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    panel.appendChild(head);
    panel.appendChild(list);
    wrap.appendChild(panel);
    wrap.appendChild(message);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null, retry = null, pending = null, active = -1;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function say(text) {
      message.textContent = text;
      message.hidden = !text;
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

    function fullPage(q, literal) {
      // The same search the list showed, so "see all N" finds N.
      return server + "/search?format=html&partial=1" + (literal ? "&correct=0" : "") + "&q=" + encodeURIComponent(q);
    }

    function keepInUrl(q) {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }

    // A button in the panel: pressing it keeps the focus (and the panel) where it is.
    function action(text, run) {
      var b = el("button", { type: "button", "class": "loomsearch-action" }, text);
      b.addEventListener("mousedown", function (e) { e.preventDefault(); });
      b.addEventListener("click", function () { run(); input.focus(); });
      return b;
    }

    // The count, and a correction: shown in place of the query ("Showing
    // results for ..."), with the query as typed one press away, or offered.
    function showHead(data, q, total) {
      head.textContent = "";
      var line = el("p", { "class": "loomsearch-count" }, total ? plural(total) : "No results");
      head.appendChild(line);
      if (!data.corrected_query) return;
      var note = el("p", { "class": "loomsearch-correction" });
      if (data.showing_corrected) {
        note.appendChild(document.createTextNode("Showing results for "));
        note.appendChild(el("strong", {}, data.corrected_query));
        note.appendChild(document.createTextNode(". Search instead for "));
        note.appendChild(action(q, function () { search(q, true); }));
      } else {
        note.appendChild(document.createTextNode("Did you mean "));
        note.appendChild(action(data.corrected_query, function () {
          input.value = data.corrected_query; keepInUrl(input.value); search(input.value, false);
        }));
        note.appendChild(document.createTextNode("?"));
      }
      head.appendChild(note);
    }

    function hitOption(hit, i) {
      // Options hold text, not links: a listbox option must not nest a control.
      var li = el("li", { id: id + "-opt-" + i, role: "option", "aria-selected": "false", "class": "loomsearch-hit", "data-href": hit.url });
      var a = el("span", { "class": "loomsearch-link" });
      var title = el("span", { "class": "loomsearch-title" });
      title.innerHTML = hit.title_html;
      // An undated post has date null: no date, and no separator before the authors.
      var meta = el("span", { "class": "loomsearch-meta" }, [hit.date || ""].concat(hit.author.length ? [hit.author.join(", ")] : []).filter(Boolean).join(" · "));
      var snippet = el("span", { "class": "loomsearch-snippet" });
      snippet.innerHTML = hit.snippet_html;
      a.appendChild(title); a.appendChild(meta);
      if (hit.matched_in) a.appendChild(el("span", { "class": "loomsearch-why" }, "Matched in: " + hit.matched_in.join(", ")));
      a.appendChild(snippet);
      li.appendChild(a);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = hit.url; });
      return li;
    }

    function show(data, q, literal) {
      list.textContent = "";
      say("");
      var total = data.total_exact !== undefined ? data.total_exact : data.total_estimate;
      showHead(data, q, total);
      (data.results || []).forEach(function (hit, i) { list.appendChild(hitOption(hit, i)); });
      var all = fullPage(data.showing_corrected ? data.corrected_query : q, literal);
      var more = el("li", { id: id + "-opt-all", role: "option", "aria-selected": "false", "class": "loomsearch-all", "data-href": all });
      more.appendChild(el("span", { "class": "loomsearch-link" },
        total ? "See all " + plural(total) : "No results: search the full archive"));
      more.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = all; });
      list.appendChild(more);
      var msg = plural(total);
      if (data.corrected_query && data.showing_corrected) msg += " for " + data.corrected_query;
      status.textContent = msg;
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    // Why no answer came, said to the visitor; a 429 or 503 is tried again
    // when the server's Retry-After says (unless a newer keystroke came first),
    // a few times, not for as long as the tab stays open.
    function failed(r, q, literal, tries) {
      close();
      status.textContent = "";
      if (!r) { say("The search cannot be reached just now. Check your connection, or try again later."); return; }
      var wait = parseInt(r.headers.get("Retry-After"), 10);
      if ((r.status === 429 || r.status === 503) && tries >= MAX_RETRIES) {
        say("The search is still busy. Try again in a while, or press Enter for the full results page.");
      } else if (r.status === 429 || r.status === 503) {
        wait = wait > 0 ? Math.min(wait, 120) : 5;
        say((r.status === 429 ? "Too many searches at once" : "The search is busy") +
            ": trying again in " + wait + " second" + (wait === 1 ? "" : "s") + ".");
        retry = setTimeout(function () { search(q, literal, tries + 1); }, wait * 1000);
      } else {
        say("The search is not working just now (error " + r.status + "). Press Enter for the full results page.");
      }
    }

    function search(q, literal, tries) {
      tries = tries || 0;
      if (pending) pending.abort();
      clearTimeout(retry);
      if (q.trim().length < MIN_CHARS) { close(); say(""); status.textContent = ""; return; }
      pending = new AbortController();
      var url = server + "/search?format=json&partial=1&facets=0&per_page=" + PER_PAGE +
        (literal ? "&correct=0" : "") + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) { failed(r, q, literal, tries); return; }
          return r.json().then(function (data) { show(data, q, literal); });
        })
        .catch(function (e) { if (e.name !== "AbortError") failed(null, q, literal, tries); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value;
      keepInUrl(q);
      timer = setTimeout(function () { search(q, false); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (panel.hidden) search(input.value, false); else highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Escape") { if (!panel.hidden) { e.preventDefault(); close(); } }
      else if (e.key === "Enter") {
        var opts = options();
        if (active >= 0 && opts[active] && !panel.hidden) {
          e.preventDefault();
          window.location.href = opts[active].getAttribute("data-href");
        } else if (input.value.trim()) {
          e.preventDefault();
          window.location.href = fullPage(input.value, false);
        }
      }
    });

    // Close when the focus leaves the box and its panel (a button in the panel keeps it open).
    wrap.addEventListener("focusout", function () {
      setTimeout(function () { if (!wrap.contains(document.activeElement)) close(); }, 150);
    });

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
