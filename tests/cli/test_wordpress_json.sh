#!/usr/bin/env bash
# test_wordpress_json.sh — loomsearch-index --wordpress-json: saved pages of the
# WordPress REST API read post by post (source_wpjson.c): what --list says of each
# post (its exact bytes in its file), the newest copy of a post saved twice winning, ids.json leaving out a
# deleted post, an index built and searched, an incremental run, and a folder
# with a file that is not an array of post objects.
# usage: test_wordpress_json.sh INDEX_BINARY WPJSON_FOLDER
set -u
INDEX=$1 DATA=$2
. "$(dirname "$0")/lib.sh"

field() { awk -F'\t' -v id="$1" -v col="$2" '$1 == id { print $col }' "$work/list"; }
row() { awk -F'\t' -v id="$1" '$1 == id { print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 }' "$work/list"; }

# --- --list: every post, its status and fields ---
"$INDEX" --list --wordpress-json "$DATA" >"$work/list" 2>"$work/err"
check_eq "--list on the folder exits 0" "$?" 0
check_eq "one line per post ids.json lists" "$(($(wc -l <"$work/list") - 1))" 5
check_eq "a published post: status, title (markup dropped), local date, embedded author, tags, categories, summary, link" \
    "$(row wpj:201)" \
    "indexed|Tram depot & open day|2024-02-28|Ada Brindle|trams|open day|Events & Meetings|Visit the depot on Saturday.|https://transit.example.org/2024/02/28/tram-depot-open-day/"
check_eq "a post saved in both page files: the newer copy wins" "$(row wpj:202)" \
    "indexed|Night bus pilot, extended|2024-03-02|Tom Kershaw|buses|Transport|Night buses, until May.|https://transit.example.org/2024/03/02/night-bus-pilot/"
check_eq "a draft is skipped" "$(field wpj:203 2)" "skipped:draft"
check_eq "a page is not a post without --wordpress-pages" "$(field wpj:204 2)" "skipped:not-a-post"
check_eq "no embedded author: the author's number; no terms" "$(row wpj:206)" \
    "indexed|Ticket machines|2024-03-07|7||||https://transit.example.org/2024/03/07/ticket-machines/"
check_eq "a post ids.json does not list is not listed" "$(field wpj:205 2)" ""
check_eq "the content is the text" "$([ "$(field wpj:201 10)" -gt 5 ] && echo words)" words
"$INDEX" --list --wordpress-json "$DATA" --wordpress-pages >"$work/list" 2>&1
check_eq "--wordpress-pages: a published page is a post" "$(field wpj:204 2)|$(field wpj:204 9)" \
    "indexed|https://transit.example.org/about/"
mkdir "$work/noids" && cp "$DATA"/posts-*.json "$work/noids/"
"$INDEX" --list --wordpress-json "$work/noids" >"$work/list" 2>&1
check_eq "without ids.json every saved post is listed" "$(field wpj:205 2)" "indexed"

# --- an index built and searched, then updated post by post ---
cp -r "$DATA" "$work/site"
root=$work/idx
"$INDEX" --wordpress-json "$work/site" --db "$root" --jobs 2 >"$work/out" 2>&1
check_eq "the folder indexes (exit 0)" "$?" 0
check_eq "three published posts" "$(docs)" 3
check_eq "words of a post's content are found" "$(hits "chapel depot")" 1
check_eq "the newer copy's words, not the older's" "$(hits wombat) $(hits aardvark)" "1 0"
check_eq "words of a draft and of a deleted post are not" "$(hits hunter2) $(hits pangolin)" "0 0"
"$INDEX" --wordpress-json "$work/site" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "an unchanged folder re-parses nothing" "$(cat "$work/out")" \
    "updated 0, deleted 0, unchanged 3"
sed -i -e 's/"modified_gmt": "2024-03-01T15:00:00"/"modified_gmt": "2024-03-08T15:00:00"/' \
    -e 's/heritage quokka tram/heritage numbat tram/' "$work/site/posts-1.json"
"$INDEX" --wordpress-json "$work/site" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "a changed modified_gmt re-parses that post only" "$(cat "$work/out")" \
    "updated 1, deleted 0, unchanged 2"
check_eq "its new text is searchable" "$(hits numbat) $(hits quokka)" "1 0"
python3 - "$work/site/ids.json" <<'PY'
import json, sys
ids = [p for p in json.load(open(sys.argv[1])) if p["id"] != 206]
json.dump(ids, open(sys.argv[1], "w"))
PY
"$INDEX" --wordpress-json "$work/site" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "a post gone from ids.json is deleted" "$(cat "$work/out")" "deleted 1"
check_eq "and no longer found" "$(hits ticket)" 0

# --- one post object of the wrong shape: refused with its id ---
sed 's|"title": {"rendered": "Ticket machines"}|"title": 5|' "$DATA/posts-2.json" >"$work/noids/posts-2.json"
"$INDEX" --list --wordpress-json "$work/noids" >"$work/list" 2>&1
check_contains "refused with its id" "$(field wpj:206 3)" "wpj:206: title is not of the REST API's shape"
check_eq "the others are read" "$(field wpj:201 2) $(field wpj:202 2)" "indexed indexed"

# --- a file that is not a JSON array of post objects: the run stops ---
echo '{"code": "rest_post_invalid_page_number", "message": "bad page"}' >"$work/site/posts-3.json"
"$INDEX" --wordpress-json "$work/site" --db "$root" --jobs 2 >"$work/out" 2>&1
check_eq "the run fails (exit 1)" "$?" 1
check_contains "naming the file" "$(cat "$work/out")" "posts-3.json: not a JSON array of post objects"
check_eq "the served index is untouched" "$(docs) $(hits numbat)" "2 1"
echo '[{"id": 1,' >"$work/site/posts-3.json"
"$INDEX" --list --wordpress-json "$work/site" >"$work/out" 2>&1
check_eq "a cut file fails too (exit 1)" "$?" 1
check_contains "naming it and where it stops" "$(cat "$work/out")" \
    "posts-3.json: not a JSON array of post objects (at byte 1)"
echo '[{"id": 1,' >"$work/site/ids.json"
"$INDEX" --list --wordpress-json "$work/site" >"$work/out" 2>&1
check_eq "a cut ids.json fails the run too (exit 1)" "$?" 1
check_contains "naming it" "$(cat "$work/out")" "ids.json: not JSON"

# --- the nightly job's fetch script (docs/sources.md): its syntax only ---
bash -n "$(dirname "$0")/../../scripts/wordpress-fetch"
check_eq "scripts/wordpress-fetch parses" "$?" 0

finish
