#!/usr/bin/env bash
# test_formats.sh — one /search in every format, the negotiation rule, the
# server's own pages and files, feeds and OpenSearch as XML, CORS, and no
# unescaped user input anywhere. Real server, index of corpus/.
# usage: test_formats.sh SERVE_BINARY INDEX_ROOT
set -u
SERVE=$1 ROOT=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start_server "$SERVE" --db "$ROOT" --allow-origin https://blog.example.org \
    --public-url https://search.example.org --permalink 'https://blog.example.org/{yyyy}/{slug}/'

# --- negotiation: format= wins, then Accept, else text ---
while IFS='|' read -r name args accept want; do
    get "/search?q=penguin$args" -H "Accept: $accept"
    check_eq "$name" "$(header Content-Type)" "$want"
done <<EOF2
format=json|&format=json|text/html|application/json; charset=utf-8
format=html|&format=html|application/json|text/html; charset=utf-8
format=fragment|&format=fragment||text/html; charset=utf-8
format=atom|&format=atom||application/atom+xml; charset=utf-8
format=text|&format=text|application/json|text/plain; charset=utf-8
Accept: application/json||application/json|application/json; charset=utf-8
Accept: text/html (a browser)||text/html,application/xhtml+xml,*/*;q=0.8|text/html; charset=utf-8
Accept: application/atom+xml||application/atom+xml|application/atom+xml; charset=utf-8
Accept: */* (curl)||*/*|text/plain; charset=utf-8
no Accept at all|||text/plain; charset=utf-8
EOF2
get "/search?q=penguin&format=json"
check_contains "search answers say they vary by Accept" "$(header Vary)" Accept

# --- HTML: a whole, accessible page ---
get "/search?q=air+quality&format=html"
check_contains "the page has a doctype" "$BODY" "<!doctype html>"
check_contains "a language" "$BODY" '<html lang="en">'
check_contains "a viewport for phones" "$BODY" 'name="viewport"'
check_contains "the query in the form" "$BODY" 'value="air quality"'
check_contains "the count" "$BODY" "6 results for “air quality”"
check_contains "highlighted snippets (words typed together, marked together)" "$BODY" "<mark>air quality</mark>"
check_contains "a sort toggle" "$BODY" 'aria-label="Sort"'
check_contains "facet links" "$BODY" '&amp;tag=air-quality&amp;format=html'
check_contains "the OpenSearch link" "$BODY" '<link rel="search" type="application/opensearchdescription+xml" title="Search the archive" href="https://search.example.org/opensearch.xml">'
check_contains "a Content-Security-Policy" "$(header Content-Security-Policy)" "default-src 'none'"
get "/search?q=data&format=html"
check_contains "pagination" "$BODY" 'rel="next"'
check_contains "pages keep the query" "$BODY" 'href="/search?q=data&amp;page=2&amp;format=html"'
get "/search?q=metrolnk&format=html"
check_contains "a correction link" "$BODY" 'href="/search?q=metrolink&amp;format=html"'
get "/search?q=&format=html"
check_eq "an empty form is asked again, not refused" "$STATUS" 200
check_contains "with the form" "$BODY" '<form class="loom-form"'

# --- fragment: the list alone ---
get "/search?q=penguin&format=fragment"
check_contains "a fragment is the list" "$BODY" '<ol class="loom-results" start="1">'
check_lacks "and nothing around it" "$BODY" "<html"

# --- Atom: valid XML, newest first, absolute links ---
get "/search?q=air+quality&format=atom"
printf '%s' "$BODY" >"$work/feed.xml"
check_eq "the feed is well-formed XML" "$(xmllint --noout "$work/feed.xml" 2>&1; echo $?)" 0
check_eq "entries newest first" "$(xmllint --xpath '//*[local-name()="entry"][1]/*[local-name()="updated"]/text()' "$work/feed.xml")" "2023-03-07T00:00:00Z"
check_contains "entry links are absolute, on the blog" "$BODY" 'href="https://blog.example.org/2023/open-data-day-2023-stockport-school-streets/'
check_contains "the feed names itself" "$BODY" '<link rel="self" type="application/atom+xml" href="https://search.example.org/search?q=air%20quality&amp;format=atom"/>'

# --- OpenSearch, home page, built-in files ---
get /opensearch.xml
printf '%s' "$BODY" >"$work/os.xml"
check_eq "OpenSearch is well-formed XML" "$(xmllint --noout "$work/os.xml" 2>&1; echo $?)" 0
check_contains "with the public address" "$BODY" 'template="https://search.example.org/search?q={searchTerms}&amp;format=html"'
check_eq "OpenSearch's type" "$(header Content-Type)" "application/opensearchdescription+xml; charset=utf-8"
get /
check_contains "/ is a page with the search form" "$BODY" 'action="/search"'
check_contains "a form that works without JavaScript" "$BODY" 'name="format" value="html"'
get /widget.js
check_eq "widget.js" "$STATUS $(header Content-Type)" "200 text/javascript; charset=utf-8"
check_contains "is the search box" "$BODY" "data-loomsearch"
get /widget.css
check_eq "widget.css" "$STATUS $(header Content-Type)" "200 text/css; charset=utf-8"
get /page.css
check_eq "page.css" "$STATUS" 200

# --- CORS: the allow-list, and preflight ---
get "/search?q=penguin&format=json" -H "Origin: https://blog.example.org"
check_eq "an allowed origin is named back" "$(header Access-Control-Allow-Origin)" https://blog.example.org
check_contains "and the answer varies by Origin" "$(header Vary)" Origin
get "/search?q=penguin&format=json" -H "Origin: https://evil.example.com"
check_eq "another origin gets no CORS header" "$(header Access-Control-Allow-Origin)" ""
get /search -X OPTIONS -H "Origin: https://blog.example.org" -H "Access-Control-Request-Method: GET"
check_eq "a preflight gets 204" "$STATUS" 204
check_eq "with the methods" "$(header Access-Control-Allow-Methods)" "GET, HEAD, OPTIONS"
check_eq "and a max age" "$(header Access-Control-Max-Age)" 86400
stop_server

# --- no user input reaches a page unescaped ---
start_server "$SERVE" --db "$ROOT"
xss='%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E'
# (text/plain is no markup: there only terminal escapes matter, checked below.)
for format in html fragment atom json; do
    get "/search?q=$xss+penguin&format=$format"
    check_lacks "$format: no <script from the query" "$BODY" "<script"
    check_lacks "$format: no <img from the query" "$BODY" "<img"
done
get "/search?q=$xss+penguin&format=html"
check_contains "html: the query comes back escaped, quotes too" "$BODY" 'value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt; penguin"'
get "/search?q=$xss+penguin&format=atom"
printf '%s' "$BODY" >"$work/xss.xml"
check_eq "atom: still well-formed" "$(xmllint --noout "$work/xss.xml" 2>&1; echo $?)" 0
get "/search?q=%1B%5B31mred+penguin"
check_lacks "text: no terminal escape from the query" "$BODY" $'\e'
stop_server
finish
