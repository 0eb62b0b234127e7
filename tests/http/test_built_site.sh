#!/usr/bin/env bash
# test_built_site.sh — a site already built (--html), through the real indexer
# and server: a hit's link goes to a section only where the page has the id
# to go to. A built page's headings are as served: one without an id has no
# anchor a link could name, so its hits link to the page. The pages are
# written here.
# usage: test_built_site.sh SERVE_BINARY INDEX_BINARY
set -u
SERVE=$1 INDEX=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
site=$work/public
mkdir -p "$site/posts/kiln"
cat >"$site/posts/kiln/index.html" <<'PAGE'
<html><head><title>Firing the kiln</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-05-06"></head>
<body><main><article><h1>Firing the kiln</h1>
<p>Stacking the shelves takes an afternoon.</p>
<h2 id="glazes">Glazes</h2><p>Celadon runs thin on vertical walls.</p>
<h2>Cooling</h2><p>Leave the bungs in until it drops below a hundred degrees.</p>
</article></main></body></html>
PAGE
"$INDEX" --quiet --html "$site" --base-url https://pots.example/ --db "$work/root" >"$work/out" 2>&1
check_eq "the built site is indexed" "$?" 0

start_server "$SERVE" --db "$work/root" --threads 2
get "/search?q=celadon&format=json"
check_eq "a section whose heading has an id: the link names it" \
    "$(jq -r '.results[0] | .url + "|" + .section.anchor' <<<"$BODY")" "https://pots.example/posts/kiln/#glazes|glazes"
get "/search?q=bungs&format=json"
check_eq "a section whose heading has none: the link is the page's, the anchor empty" \
    "$(jq -r '.results[0] | .url + "|" + .section.heading + "|" + .section.anchor' <<<"$BODY")" \
    "https://pots.example/posts/kiln/|Cooling|"
get "/search?q=bungs"
check_lacks "  nor does the HTML page link to an anchor" "$BODY" 'href="https://pots.example/posts/kiln/#'
stop_server
check_eq "the server stops cleanly" "$?" 0
finish
