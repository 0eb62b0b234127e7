#!/usr/bin/env bash
# test_pages.sh — what a visitor reads: a built site served beside the search
# (--site-root, and the paths it must refuse), errors in the format asked for,
# the page that found nothing, "matched in" where nothing is marked, the text
# for curl (wrapped under its item, the query as typed, filters named), and
# correct=0. Real server, index of corpus/, the demo's blog (scripts/demo-site).
# usage: test_pages.sh SERVE_BINARY INDEX_ROOT SOURCE_ROOT
set -u
SERVE=$1 ROOT=$2 SRC=$3
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$SRC/scripts/demo-site" "$SRC/corpus" "$work/site" >/dev/null || { echo "demo-site failed"; exit 1; }
echo "secret" >"$work/outside.txt"
echo "hidden" >"$work/site/.env"
ln -s "$work/outside.txt" "$work/site/leak.txt"
ln -s "$work" "$work/site/up"
mkdir "$work/site/trap" && ln -s "$work/outside.txt" "$work/site/trap/index.html"
start_server "$SERVE" --db "$ROOT" --site-root "$work/site" --allow-origin https://blog.example.org

# --- the site beside the search ---
get "/"
check_eq "the site's home page at /" "$STATUS $(header Content-Type)" "200 text/html; charset=utf-8"
check_contains "it embeds the search box from the same origin" "$BODY" 'data-loomsearch="/"'
check_eq "the site's pages run their own scripts: not under the search's policy" "$(header Content-Security-Policy)" ""
get "/2025/08/what-is-this-thing-called-ai-workshops/"
check_eq "a post at the URL the search gives it" "$STATUS" 200
check_contains "with the ids its section links point at" "$BODY" 'id="about-the-series"'
get "/2025/08/what-is-this-thing-called-ai-workshops"
check_eq "a folder named without its slash is redirected" "$STATUS $(header Location)" \
    "301 /2025/08/what-is-this-thing-called-ai-workshops/"
get "/site.css"
check_eq "a stylesheet with its type" "$(header Content-Type)" "text/css; charset=utf-8"
head -c 3000000 /dev/urandom >"$work/site/talk.mp4"
curl -s -H 'Accept-Encoding: gzip' -o "$work/got.mp4" "$BASE/talk.mp4"
check_eq "a large file comes whole, as it is on disk" "$(cmp -s "$work/got.mp4" "$work/site/talk.mp4" && echo same)" same
get "/talk.mp4" -I -H 'Accept-Encoding: gzip'
check_eq "sent from the file, not compressed (HEAD: its headers alone)" \
    "$STATUS $(header Content-Length) $(header Content-Encoding)" "200 3000000 "
codes=$(for i in $(seq 60); do curl -s -o /dev/null -w '%{http_code}\n' "$BASE/site.css"; done | sort | uniq -c | tr -s ' ')
check_eq "a site's files do not spend the visitor's search rate (60 at once)" "$codes" " 60 200"
mkdir -p "$work/site/example.com"
get "//example.com" --path-as-is
check_eq "an empty segment is refused, not redirected to another host" "$STATUS $(header Location)" "404 "
get "/favicon.svg"
check_eq "an icon with its type" "$(header Content-Type)" "image/svg+xml"
for path in "/../outside.txt" "/%2e%2e/outside.txt" "/2025/..%2f..%2foutside.txt" "/.env" "/leak.txt" \
    "/up/outside.txt" "/nope/" "/2025/08/nothing-here/" "/trap/"; do
    get "$path" --path-as-is
    check_eq "refused: $path" "$STATUS" 404
    check_lacks "nothing from outside the site: $path" "$BODY" "secret"
done
get "/search?q=workshop&format=json"
check_eq "the search still answers /search" "$STATUS $(header Content-Type)" "200 application/json; charset=utf-8"
get "/widget.js"
check_eq "and its own files" "$STATUS" 200
echo '<!doctype html><title>Not here</title><p>No such page on this blog.</p>' >"$work/site/404.html"
get "/no-such-post/"
check_eq "the site's own 404 page, with the status" "$STATUS $(header Content-Type)" "404 text/html; charset=utf-8"
check_contains "its text" "$BODY" "No such page on this blog."

# --- errors in the format asked for ---
long=$(printf 'word%.0s ' $(seq 200))
get "/search?q=${long// /+}&format=html"
check_eq "too long, as HTML: a 400 page" "$STATUS $(header Content-Type)" "400 text/html; charset=utf-8"
check_contains "with the search form" "$BODY" '<form class="loom-form"'
check_contains "and the reason" "$BODY" "q is longer than 512 bytes"
check_contains "under the strict policy of the search's pages" "$(header Content-Security-Policy)" "default-src 'none'"
get "/search?q=a*&format=html"
check_eq "a wildcard limit, as HTML" "$STATUS $(header Content-Type)" "400 text/html; charset=utf-8"
check_contains "says what to do" "$BODY" "type more letters before the *"
check_contains "keeps the query in the box" "$BODY" 'value="a*"'
get "/search?q=a*&format=text"
check_eq "as text: one line" "$STATUS $BODY" "400 error: a wildcard matches too many words: type more letters before the * (wildcard_limit)"
get "/search?q=a*&format=json"
check_eq "as JSON: the error object" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 wildcard_limit"
get "/search?q=a*&format=fragment"
check_contains "as a fragment: the message alone" "$BODY" '<p class="loom-error" role="alert">'
get "/search?q=%3Cscript%3E*&page=0&format=html"
check_lacks "a refused query is escaped on its page" "$BODY" "<script>"
get "/search?q=&format=html"
check_eq "an empty form still asks again" "$STATUS" 200
check_contains "with the form" "$BODY" '<form class="loom-form"'

# --- a page that found nothing ---
get "/search?q=zzyzx+qwxv&tag=events&from=2020&format=html"
check_eq "nothing found: still a 200 page" "$STATUS" 200
check_contains "the count names the query and the filters" "$BODY" \
    "0 results for “zzyzx qwxv”, tag “events”, from 2020-01-01"
check_contains "a link without the tag" "$BODY" 'href="/search?q=zzyzx%20qwxv&amp;from=2020-01-01&amp;format=html">Search again without the tag “events”'
check_contains "a link at any date" "$BODY" 'href="/search?q=zzyzx%20qwxv&amp;tag=events&amp;format=html">Search again at any date'
check_contains "the newest posts" "$BODY" "<h2>Newest posts</h2>"
check_eq "five of them, newest first" "$(grep -o 'class="loom-hit"' <<<"${BODY#*Newest posts}" | wc -l) $(grep -o 'datetime="[0-9-]*"' <<<"${BODY#*Newest posts}" | head -1)" '5 datetime="2025-09-25"'
get "/search?q=comunity+zzyzx&format=html"
check_contains "tags like what was typed" "$BODY" '<h2>Tags like what you typed</h2>'
check_contains "the nearest tag first" "$BODY" '<li><a href="/search?tag=community&amp;format=html">community</a>'
get "/search?q=wrokshop&tag=governance&format=html"
check_contains "a correction offered on a page with little" "$BODY" "workshop</a>"

# --- where a hit matched when nothing is marked ---
get "/search?q=hackathon&format=json"
check_eq "JSON: matched_in on each hit found by its tags" "$(jq -c '[.results[].matched_in] | unique' <<<"$BODY")" '[["tags"]]'
get "/search?q=air+quality&format=json"
check_eq "JSON: no matched_in where the text is marked" "$(jq '[.results[] | select(.matched_in)] | length' <<<"$BODY")" 0
get "/search?q=hackathon&format=html"
check_contains "HTML: the reason under the meta line" "$BODY" '<p class="loom-why">Matched in: tags</p>'
get "/search?q=hackathon&format=text"
check_contains "text: the reason under the URL" "$BODY" $'/\n   Matched in: tags\n'
get "/search?q=author:%22Saoirse+Pendleton%22&format=json"
check_contains "an author named: matched in author" "$(jq -c '.results[0].matched_in' <<<"$BODY")" '"author"'

# --- text for curl ---
get "/search?q=workshop&format=text"
check_contains "a wrapped title goes on under its text" "$BODY" $'1. What Is This Thing Called AI? Help us test a free three-week workshop\n   series\n'
stray=$(tail -n +2 <<<"$BODY" | grep -v -e '^$' -e '^[0-9]\+\. ' -e '^   ' || true)
check_eq "no line of a hit starts at column 0 but its number" "${stray:-none}" none
get "/search?q=%22air+quality%22&format=text"
check_eq "a phrase echoed as typed" "$(head -1 <<<"$BODY")" '6 results for "air quality"'
get "/search?q=penguin&format=text"
check_eq "a word in quotes" "$(head -1 <<<"$BODY")" '2 results for "penguin"'
get "/search?tag=events&per_page=5&format=text"
check_eq "a filter-only request names its filter" "$(head -1 <<<"$BODY")" '15 results for tag "events", page 1'
get "/search?tag=events&tag=ai&from=2024&to=2025-06&format=text"
check_contains "several filters" "$(head -1 <<<"$BODY")" 'for tags "events" or "ai", from 2024-01-01 to 2025-06-30'

# --- correct=0: the words as typed ---
get "/search?q=wrokshop&format=json"
check_eq "a typo is corrected" "$(jq -c '[.corrected_query, .showing_corrected, .total_estimate]' <<<"$BODY")" '["workshop",true,9]'
get "/search?q=wrokshop&correct=0&format=json"
check_eq "correct=0 searches it as typed" "$(jq -c '[.corrected_query, .total_estimate]' <<<"$BODY")" '[null,0]'
get "/search?q=wrokshop&correct=2"
check_eq "correct takes 1 or 0" "$STATUS" 400
get "/search?q=wrokshop&format=html"
check_contains "the page shows the correction with the words as typed a link away" "$BODY" \
    'Search instead for <a href="/search?q=wrokshop&amp;correct=0&amp;format=html">wrokshop</a>'

# --- Atom beside the site: every entry's link is a page of the site ---
get "/search?tag=events&format=atom"
printf '%s' "$BODY" >"$work/feed.xml"
links=$(xmllint --xpath '//*[local-name()="entry"]/*[local-name()="link"]/@href' "$work/feed.xml" | sed 's/.*href="\([^"]*\)".*/\1/')
bad=0 n=0
for url in $links; do
    n=$((n + 1))
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] || { bad=$((bad + 1)); echo "    not found: $url"; }
done
check_eq "the feed's entries ($n) open their posts" "$n $bad" "10 0"

# --- a page script may read when to come back ---
get "/search?q=workshop&format=json" -H "Origin: https://blog.example.org"
check_eq "Retry-After is readable cross-origin" "$(header Access-Control-Expose-Headers)" "Retry-After"

# --- the way back to the site from the search's pages ---
get "/search?q=workshop&format=html"
check_contains "a results page links back to the site it is served beside" "$BODY" \
    '<a class="loom-home" href="/">'
get "/search?q=zzyzx+qwxv&format=html"
check_contains "so does a page that found nothing" "$BODY" '<a class="loom-home" href="/">'
stop_server
start_server "$SERVE" --db "$ROOT" --site-url 'https://blog.example.org/?from="search"'
get "/search?q=workshop&format=html"
check_contains "--site-url names the site, escaped" "$BODY" \
    '<a class="loom-home" href="https://blog.example.org/?from=&quot;search&quot;">'
stop_server
start_server "$SERVE" --db "$ROOT"
get "/search?q=workshop&format=html"
check_lacks "without a site, no link to one" "$BODY" 'loom-home'
stop_server
"$SERVE" --db "$ROOT" --site-url blog.example.org --listen 127.0.0.1:0 >/dev/null 2>"$work/err"
check_contains "a --site-url that is neither a URL nor a path stops the start" "$?: $(cat "$work/err")" "2: "
"$SERVE" --db "$ROOT" --site-root "$work/nowhere" --listen 127.0.0.1:0 >/dev/null 2>"$work/err"
check_eq "a --site-root that is no folder stops the start" "$? $(cat "$work/err")" \
    "1 loomsearch-serve: --site-root $work/nowhere is not a folder"
finish
