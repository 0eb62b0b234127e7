#!/usr/bin/env bash
# test_query.sh — the query language, corrections, accents, facets, snippets,
# sections, suggestions and related posts, through the real server against an
# index of the sample archive in corpus/ (built by a ctest fixture).
# usage: test_query.sh SERVE_BINARY INDEX_ROOT
set -u
SERVE=$1 ROOT=$2
. "$(dirname "$0")/lib.sh"
start_server "$SERVE" --db "$ROOT" --threads 2

ids() { jq -r '[.results[].id] | join(" ")' <<<"$BODY"; }
search() { get "/search?format=json&$1"; }

# --- words, phrases, operators ---
search "q=tram+data"
check_eq "words are ANDed" "$(jq -r '.results[0].id' <<<"$BODY")" metrolink-tram-data
search "q=%22school+streets%22"
check_contains "a phrase finds its posts" "$(ids)" open-data-day-2023-stockport-school-streets
search "q=metrolink+OR+penguin"
check_contains "OR finds either (1)" "$(ids)" metrolink-tram-data
check_contains "OR finds either (2)" "$(ids)" joy-diversion-pier-head-penguin
search "q=metrolink+or+penguin"
check_contains "lower-case or works where it parses (1)" "$(ids)" metrolink-tram-data
check_contains "lower-case or works where it parses (2)" "$(ids)" joy-diversion-pier-head-penguin
search "q=buses+-franchising"
check_lacks "-word excludes" "$(ids)" bus-franchising-open-data
check_contains "and keeps the rest" "$(ids)" first-hack-day-ancoats-bus-timetables
search "q=buses+NOT+franchising"
check_lacks "NOT excludes" "$(ids)" bus-franchising-open-data
search "q=(trams+OR+buses)+AND+deregulated"
check_eq "brackets group" "$(jq -r '.results[0].id' <<<"$BODY")" bus-deregulation-data-gap
search "q=data+ethics+is+not+a+checklist"
check_eq "lower-case 'not' is a word, not an operator" "$(jq -r '.results[0].id' <<<"$BODY")" data-ethics-not-a-checklist
search "q=not+for+profit"
check_eq "'not for profit' is answered" "$STATUS" 200
search "q=metro*"
check_contains "a trailing wildcard" "$(ids)" metrolink-tram-data
search "q=title:penguin"
check_eq "title: searches titles" "$(ids)" joy-diversion-pier-head-penguin
search "q=author:castleford+foi"
check_eq "author: searches authors" "$(jq -r '[.results[].author[]] | unique | join(",")' <<<"$BODY")" "Imogen Castleford"
search "q=data+tag:transport&per_page=50"
check_eq "tag: filters" "$(jq -r '[.results[].tags | index("transport") != null] | unique | join(",")' <<<"$BODY")" true

# --- dates ---
search "q=transport+date:2013..2014&per_page=50"
check_eq "date:2013..2014 keeps those years" "$(jq -r '[.results[].date[0:4]] | unique | join(",")' <<<"$BODY")" 2014
search "q=data+date:2021-03..2021-06&per_page=50"
check_eq "date: with months" "$(jq -r '[.results[].date[0:7]] | unique | join(",")' <<<"$BODY")" "2021-03,2021-06"
search "q=transport+before:2015&per_page=50"
check_eq "before:2015 ends with 2014" "$(jq -r '[.results[].date[0:4] | tonumber < 2015] | unique | join(",")' <<<"$BODY")" true
search "q=transport+after:2022&per_page=50"
check_eq "after:2022 starts with 2022" "$(jq -r '[.results[].date[0:4] | tonumber >= 2022] | unique | join(",")' <<<"$BODY")" true
search "q=elections+2024"
check_contains "a year finds posts from that year" "$(ids)" may-2024-local-elections-ward-results-open-data
check_contains "and posts that mention it" "$(ids)" ward-level-democracy-deprivation-report

# --- filters as parameters ---
search "tag=transport&per_page=50"
check_eq "a filter alone lists posts" "$STATUS" 200
dates=$(jq -r '[.results[].date] | join(" ")' <<<"$BODY")
check_eq "newest first" "$dates" "$(tr ' ' '\n' <<<"$dates" | sort -r | tr '\n' ' ' | sed 's/ $//')"
check_eq "all of them, counted exactly" "$(jq -r .total_exact <<<"$BODY")" 5
search "tag=transport&tag=air-quality&per_page=50"
check_eq "several tags: either" "$(jq -r .total_exact <<<"$BODY")" 8
search "tag=transport&author=Declan+Maybury&per_page=50"
check_eq "tag and author: both" "$(jq -r .total_exact <<<"$BODY")" 5
search "tag=transport&from=2017&to=2021-12&per_page=50"
check_eq "from and to" "$(jq -r '[.results[].date] | join(" ")' <<<"$BODY")" "2021-03-08 2017-02-14"
search "q=bus&from=yesterday"
check_eq "from must be a date" "$STATUS" 400
search "tag=$(printf 't%.0s' $(seq 120))"
check_eq "an overlong tag is refused" "$STATUS" 400

# --- accents, both ways, highlighted as written ---
search "q=zurich"
check_eq "zurich finds Zürich" "$(ids)" notes-from-zurich-open-government-data
check_contains "and marks the word as written" "$(jq -r '.results[0].title_html' <<<"$BODY")" "<mark>Zürich</mark>"
search "q=caf%C3%A9"
check_contains "café finds the café post" "$(ids)" cafe-meetup-northern-quarter
search "q=cafe"
check_contains "cafe finds it too" "$(ids)" cafe-meetup-northern-quarter

# --- nothing with every word: any word; misspellings ---
search "q=metrolink+xylophone"
check_eq "AND finding nothing falls back to any word" "$(jq -r .any_word <<<"$BODY")" true
check_eq "and says so, with results" "$(jq -r '.results[0].id' <<<"$BODY")" metrolink-tram-data
search "q=metrolnk"
check_eq "a misspelling is corrected" "$(jq -r .corrected_query <<<"$BODY")" metrolink
check_eq "with what the correction finds" "$(jq -r .corrected_total <<<"$BODY")" 1
check_eq "and, as it found nothing, its results" "$(jq -r '.showing_corrected, .results[0].id' <<<"$BODY" | paste -sd,)" "true,metrolink-tram-data"
search "q=tram"
check_eq "a word that finds posts is not corrected" "$(jq -r '.corrected_query // "none"' <<<"$BODY")" none
search "q=2042"
check_eq "a year is never corrected" "$(jq -r '.corrected_query // "none"' <<<"$BODY")" none
get "/search?q=metrolnk"
check_contains "text output says what it searched instead" "$BODY" 'showing results for "metrolink" instead'

# --- bounds ---
search "q=a*"
check_eq "a wildcard that matches too much -> 400" "$STATUS" 400
check_eq "naming the limit" "$(jq -r .error.code <<<"$BODY")" wildcard_limit
search "q=deprivat&partial=1"
check_eq "partial=1 completes the last word" "$(jq -r '.results[0].id' <<<"$BODY")" ward-level-democracy-deprivation-report
check_eq "by itself, not by correcting" "$(jq -r '.showing_corrected // false' <<<"$BODY")" false
search "q=deprivat"
check_eq "without it, the last word is still read as a prefix (it is no word of the archive)" \
    "$(jq -r '.results[0].id' <<<"$BODY")|$(jq -r '.showing_corrected // false' <<<"$BODY")|$(jq -r '.corrected_query' <<<"$BODY")" \
    "ward-level-democracy-deprivation-report|false|null"
search "q=x&partial=maybe"
check_eq "flags take 1 or 0" "$STATUS" 400

# --- sorting and recency ---
search "q=open+data&sort=oldest&per_page=3"
check_eq "sort=oldest" "$(jq -r '.results[0].date' <<<"$BODY")" 2012-03-26
search "q=mapping&recency=0"
no_prior=$(jq -r '.results[0].score' <<<"$BODY")
search "q=mapping"
with_prior=$(jq -r '.results[0].score' <<<"$BODY")
[ "$(jq -n "$with_prior > $no_prior")" = true ] && pass "the recency prior adds to scores; recency=0 removes it" || fail "the recency prior adds to scores" "$with_prior vs $no_prior"

# --- results: one per post, titles, snippets, sections, fields ---
search "q=data&per_page=100"
check_eq "one result per post" "$(jq -r '[.results[].id] | length' <<<"$BODY")" "$(jq -r '[.results[].id] | unique | length' <<<"$BODY")"
search "q=penguin"
check_contains "title_html marks the match" "$(jq -r '.results[0].title_html' <<<"$BODY")" "a <mark>penguin</mark>, an old map"
check_eq "matched names the fields" "$(jq -c '.results[0].matched' <<<"$BODY")" '["title","text","summary"]'
search "q=library+fourteen+documents"
check_eq "a long post: the section that matched" "$(jq -r '.results[0].section.heading' <<<"$BODY")" "Table two: the data sharing library"
check_eq "its anchor follows the documented rule" "$(jq -r '.results[0].section.anchor' <<<"$BODY")" table-two-the-data-sharing-library
check_contains "and the url points at it" "$(jq -r '.results[0].url' <<<"$BODY")" "#table-two-the-data-sharing-library"
search "q=tag:cymraeg"
check_eq "no match in the body: the summary stands in" "$(jq -r '.results[0].snippet_html' <<<"$BODY")" \
    "$(sed -n 's/^summary: "\(.*\)"$/\1/p' "$(dirname "$0")/../../corpus/2017/data-agored-yng-nghymru.md" | sed "s/'/\&#39;/g")"
search "q=penguin&explain=1"
check_eq "explain lists the terms" "$(jq -r '.results[0].explain[0].term' <<<"$BODY")" Zpenguin
check_eq "with a weight" "$(jq -r '.results[0].explain[0].weight > 0' <<<"$BODY")" true
check_contains "and says what it cannot show" "$(jq -r .explain_note <<<"$BODY")" "does not report"

# --- facets ---
search "q=air+quality"
check_eq "tag facets count the matches" "$(jq -r '.facets.tags[] | select(.value == "air-quality") | .count' <<<"$BODY")" 3
check_eq "year facets" "$(jq -r '[.facets.years[].value] | sort | join(",")' <<<"$BODY" | grep -c 2016)" 1
check_eq "author facets, names as written" "$(jq -r '.facets.authors[0].value' <<<"$BODY")" "Rafiq Dunmore"
search "q=air+quality&facets=0"
check_eq "facets=0 leaves them out" "$(jq -r 'has("facets")' <<<"$BODY")" false

# --- suggestions ---
get "/suggest?q=metrol"
check_eq "suggest completes the last word" "$(jq -r '.completions[0]' <<<"$BODY")" metrolink
check_eq "and offers the posts" "$(jq -r '.posts[0].id' <<<"$BODY")" metrolink-tram-data
get "/suggest?q=lcr+gath"
check_contains "keeping the words before" "$(jq -r '.completions | join(",")' <<<"$BODY")" "lcr gathering"
get "/suggest?q=$(printf 'a%.0s' $(seq 70))"
check_eq "a long suggest query -> 400" "$STATUS" 400

# --- related posts ---
get "/similar?id=lcr-data-community-july-2025&n=3"
check_eq "similar answers n posts" "$(jq -r '.results | length' <<<"$BODY")" 3
check_lacks "never the post itself" "$(ids)" lcr-data-community-july-2025
check_contains "and finds its siblings" "$(ids)" lcr-data-community
get "/similar?id=no-such-post"
check_eq "an unknown id -> 404" "$STATUS" 404
get "/similar"
check_eq "no id -> 400" "$STATUS" 400

stop_server

# --- snippet length is the operator's to set ---
start_server "$SERVE" --db "$ROOT" --snippet-bytes 60
search "q=penguin"
len=$(jq -r '.results[0].snippet_html | gsub("<[^>]*>"; "") | length' <<<"$BODY")
[ "$len" -le 90 ] && pass "--snippet-bytes 60 makes short snippets ($len characters)" || fail "--snippet-bytes 60 makes short snippets" "$len characters"
stop_server
"$SERVE" --db "$ROOT" --snippet-bytes 5 >/dev/null 2>&1
check_eq "--snippet-bytes out of range is refused" "$?" 2

finish
