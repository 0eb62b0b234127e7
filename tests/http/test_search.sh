#!/usr/bin/env bash
# test_search.sh — /search, /healthz and the HTTP rules, through the real server
# over real HTTP, against the index the fixture built from tests/data.
# usage: test_search.sh SERVE_BINARY INDEX_ROOT INDEX_BINARY CORPUS
set -u
SERVE=$1 ROOT=$2 INDEX=$3 CORPUS=$4
. "$(dirname "$0")/lib.sh"

start_server "$SERVE" --db "$ROOT" --threads 2

# --- health ---
get /healthz
check_eq "healthz answers 200 with an index" "$STATUS" 200
check_eq "healthz says ok" "$(jq -r .status <<<"$BODY")" ok
check_eq "healthz counts the posts (drafts and broken posts left out)" "$(jq -r .documents <<<"$BODY")" 4
check_contains "healthz names the build" "$(jq -r .build_id <<<"$BODY")" Z-
check_contains "healthz says when the index last changed" "$(jq -r .last_change <<<"$BODY")" T

# --- finding things ---
get "/search?q=timetable&format=json"
check_eq "a title word finds its post first" "$(jq -r '.results[0].id' <<<"$BODY")" bus-timetable-workshop
check_eq "JSON is served as JSON" "$(header Content-Type)" "application/json; charset=utf-8"
check_eq "hits carry title, date, author, tags and url" \
    "$(jq -c '.results[0] | [.title, .date, .author, .tags, .url]' <<<"$BODY")" \
    '["Bus timetable workshop in Salford","2021-03-14",["Ada Brindle"],["transport","workshops"],"/2021/03/bus-timetable-workshop/"]'
check_eq "a score is a number" "$(jq -r '.results[0].score | type' <<<"$BODY")" number

get "/search?q=%22civic+data+cooperative%22&format=json"
check_eq "a quoted phrase finds the post with it" "$(jq -r '[.results[].id] | join(",")' <<<"$BODY")" open-data-day-2023
check_contains "the phrase is marked in the snippet" "$(jq -r '.results[0].snippet_html' <<<"$BODY")" "<mark>civic data cooperative</mark>"
get "/search?q=%22cooperative+data+civic%22&format=json"
check_eq "the same words out of order are not the phrase" "$(jq -r '.results | length' <<<"$BODY")" 0

get "/search?q=run&format=json"
check_eq "a stemmed form finds the word as written" "$(jq -r '.results[0].id' <<<"$BODY")" keeping-an-archive
check_contains "the written form is marked" "$(jq -r '.results[0].snippet_html' <<<"$BODY")" "<mark>running</mark>"

get "/search?q=xylophonequartz&format=json"
check_eq "no hits is 200, not an error" "$STATUS" 200
check_eq "no hits is an empty list" "$(jq -c '[.total_estimate, .results]' <<<"$BODY")" '[0,[]]'

get "/search?q=zanzibarite&format=json"
check_eq "a draft is never indexed" "$(jq -r '[.results[].id] | join(",")' <<<"$BODY")" escaping-markup
get "/search?q=alert&format=json"
check_eq "raw HTML script contents are not indexed" "$(jq -r '.results | length' <<<"$BODY")" 0

# --- escaping ---
get "/search?q=script&format=json"
check_eq "markup in a post is found as text" "$(jq -r '.results[0].id' <<<"$BODY")" escaping-markup
snippet=$(jq -r '.results[0].snippet_html' <<<"$BODY")
check_contains "markup in a post comes back escaped" "$snippet" "&lt;<mark>script</mark>&gt;"
check_lacks "no live script tag in a snippet" "$snippet" "<script"
check_lacks "the JSON body itself has no raw <" "$BODY" "<"
get "/search?q=%3Cscript%3Ealert(1)%3C/script%3E&format=json"
check_eq "a query with markup is answered" "$STATUS" 200
check_lacks "the query echo has no raw <" "$BODY" "<script"
check_eq "the query echo decodes back to what was asked" "$(jq -r .query <<<"$BODY")" "<script>alert(1)</script>"

# --- what visitors type ---
for q in "data+and" "not+for+profit" "AND+OR+NOT" "%22unclosed+phrase" "((("; do
    get "/search?q=$q&format=json"
    check_eq "'$q' is searched, never a 400" "$STATUS" 200
done
get "/search?q=data+and&format=json"
check_eq "'data and' still finds the post about data" "$(jq -r '.results[0].id' <<<"$BODY")" open-data-day-2023

# --- formats ---
get "/search?q=archive"
check_eq "curl's default gets text" "$(header Content-Type)" "text/plain; charset=utf-8"
check_contains "text names the total" "$BODY" '1 result for "archive"'
check_contains "text numbers the hits" "$BODY" "1. Notes on keeping an archive"
check_contains "text marks matches without HTML" "$BODY" "*archive*"
get "/search?q=archive" -H "Accept: application/json"
check_eq "Accept: application/json gets JSON" "$(header Content-Type)" "application/json; charset=utf-8"
get "/search?q=archive&format=text" -H "Accept: application/json"
check_eq "format= wins over Accept" "$(header Content-Type)" "text/plain; charset=utf-8"

# --- sorting and pages ---
get "/search?q=the&format=json&sort=newest"
dates=$(jq -r '[.results[].date] | join(" ")' <<<"$BODY")
check_eq "sort=newest puts the newest first" "$dates" "$(tr ' ' '\n' <<<"$dates" | sort -r | tr '\n' ' ' | sed 's/ $//')"
get "/search?q=the&format=json&sort=oldest"
dates=$(jq -r '[.results[].date] | join(" ")' <<<"$BODY")
check_eq "sort=oldest puts the oldest first" "$dates" "$(tr ' ' '\n' <<<"$dates" | sort | tr '\n' ' ' | sed 's/ $//')"
get "/search?q=the&format=json&per_page=1&page=1"; first=$(jq -r '.results[0].id' <<<"$BODY")
get "/search?q=the&format=json&per_page=1&page=2"; second=$(jq -r '.results[0].id' <<<"$BODY")
check_eq "per_page=1 gives one hit" "$(jq -r '.results | length' <<<"$BODY")" 1
check_eq "page 2 echoes its page" "$(jq -r .page <<<"$BODY")" 2
[ "$first" != "$second" ] && [ -n "$second" ] && pass "page 2 is not page 1" || fail "page 2 is not page 1" "$first = $second"

# --- bad parameters: 400 with a JSON error naming the problem ---
long=$(printf 'a%.0s' $(seq 600))
many=$(printf 'w%d+' $(seq 40))
while IFS='|' read -r name path code; do
    get "$path"
    check_eq "$name -> 400" "$STATUS" 400
    check_eq "$name -> error code $code" "$(jq -r .error.code <<<"$BODY")" "$code"
done <<EOF2
missing q|/search|missing_parameter
empty q|/search?q=|missing_parameter
page 0|/search?q=data&page=0|bad_parameter
page -1|/search?q=data&page=-1|bad_parameter
page not a number|/search?q=data&page=abc|bad_parameter
page 1e9|/search?q=data&page=1e9|bad_parameter
per_page 101|/search?q=data&per_page=101|bad_parameter
per_page 100000|/search?q=data&per_page=100000|bad_parameter
page too deep|/search?q=data&page=101&per_page=10|page_too_deep
q too long|/search?q=$long|query_too_long
too many words|/search?q=$many|too_many_terms
invalid UTF-8|/search?q=caf%E9|bad_encoding
overlong UTF-8|/search?q=%C0%AF|bad_encoding
NUL byte|/search?q=a%00b|bad_encoding
unknown format|/search?q=data&format=xml|bad_parameter
unknown sort|/search?q=data&sort=sideways|bad_parameter
EOF2

# --- HTTP rules ---
get /no/such/page
check_eq "unknown path -> 404" "$STATUS" 404
check_eq "404 has a JSON error" "$(jq -r .error.code <<<"$BODY")" not_found
get "/../etc/passwd" --path-as-is
check_eq "a .. path -> 404" "$STATUS" 404
get /search -X POST -d q=data
check_eq "POST -> 405" "$STATUS" 405
check_eq "405 says what is allowed" "$(header Allow)" "GET, HEAD, OPTIONS"
get /search -X DELETE
check_eq "DELETE -> 405" "$STATUS" 405
get /search -X OPTIONS
check_eq "OPTIONS -> 204" "$STATUS" 204
raw_request 'HEAD /search?q=data HTTP/1.0\r\nHost: x\r\n\r\n'
check_contains "HEAD -> 200" "$RAW" " 200 OK"
check_eq "HEAD has no body" "$(sed '1,/^$/d' <<<"$RAW")" ""
check_contains "HEAD says how long the body would be" "$RAW" "Content-Length:"
check_eq "every answer says nosniff" "$(header X-Content-Type-Options)" nosniff

stop_server && pass "SIGTERM stops the server with status 0" || fail "SIGTERM stops the server with status 0"

# --- no index yet, then one appears: no restart needed ---
empty=$(mktemp -d)
"$SERVE" --db "$empty/root" --listen 127.0.0.1:0 >/dev/null 2>"$empty/err"
check_eq "no index at start-up: exit 1" "$?" 1
check_contains "saying what to do" "$(cat "$empty/err")" "run loomsearch-index first, or start with --wait-for-index"
start_server "$SERVE" --db "$empty/root" --wait-for-index
get /healthz
check_eq "healthz without an index -> 503" "$STATUS" 503
check_eq "healthz says there is no index" "$(jq -r .status <<<"$BODY")" no_index
get "/search?q=data&format=json"
check_eq "search without an index -> 503" "$STATUS" 503
check_eq "503 says when to retry" "$(header Retry-After)" 5
"$INDEX" --quiet --corpus "$CORPUS" --db "$empty/root" >/dev/null 2>&1
get /healthz
check_eq "an index built while the server runs is served at once" "$STATUS" 200
get "/search?q=timetable&format=json"
check_eq "and searched" "$(jq -r '.results[0].id' <<<"$BODY")" bus-timetable-workshop
stop_server
rm -rf "$empty"

finish
