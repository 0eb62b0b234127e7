#!/usr/bin/env bash
# test_check.sh — loomsearch-index --check and --list (the source read as a run
# reads it, nothing written) and the indexer's --permalink.
# usage: test_check.sh INDEX_BINARY FIXTURE_CORPUS
set -u
INDEX=$1 CORPUS=$2
. "$(dirname "$0")/../http/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- --list: every file, its status and what was read ---
"$INDEX" --list --corpus "$CORPUS" >"$work/list" 2>"$work/err"
rc=$?
check_eq "--list exits as a run would (5: 2 of 6 refused)" "$rc" 5
check_eq "--list starts with its header" "$(head -1 "$work/list")" \
    "$(printf 'id\tstatus\ttitle\tdate\tauthors\ttags\tcategories\tsummary\turl\twords\ttemplates')"
check_eq "one line per file" "$(($(wc -l <"$work/list") - 1))" 7
check_eq "a post read, with its fields" \
    "$(awk -F'\t' '$1 == "md:2021/bus-timetable-workshop.md" { print $2 "|" $3 "|" $4 "|" $5 "|" $6 }' "$work/list")" \
    "indexed|Bus timetable workshop in Salford|2021-03-14|Ada Brindle|transport|workshops"
check_eq "a draft is skipped, with its reason" \
    "$(awk -F'\t' '$1 == "md:2023/draft-post.md" { print $2 }' "$work/list")" "skipped:draft"
check_eq "a broken post is refused, with its reason, file and line" \
    "$(awk -F'\t' '$1 == "md:broken/bad-date.md" { print $2 "|" $3 }' "$work/list")" \
    "refused:field|$CORPUS/broken/bad-date.md:3: 'date' is not a date (want YYYY-MM-DD): 2023-02-29"
check_eq "every indexed post has words" \
    "$(awk -F'\t' 'NR > 1 && $2 == "indexed" && $10 == 0' "$work/list" | wc -l)" 0

# --- --check: counts and a sample, and nothing written ---
"$INDEX" --check --corpus "$CORPUS" >"$work/check" 2>&1
check_contains "--check counts what it would do" "$(cat "$work/check")" "would index 4"
check_contains "--check counts skips and refusals by reason" "$(cat "$work/check")" \
    "skipped 1 (draft 1); refused 2 (field 1, unclosed_front_matter 1)"
check_contains "--check shows posts as read" "$(cat "$work/check")" "title: Bus timetable workshop in Salford"
"$INDEX" --check --verbose --corpus "$CORPUS" >"$work/verbose" 2>&1
check_contains "--check --verbose names a skipped file and why" "$(cat "$work/verbose")" \
    "skipped (draft): $CORPUS/2023/draft-post.md"
"$INDEX" --check --corpus "$CORPUS" --db "$work/idx" >/dev/null 2>&1
check_eq "--check writes no index" "$([ -e "$work/idx" ] && echo written || echo none)" none

# --- the indexer's --permalink, and the front matter's url before it ---
mkdir -p "$work/c/notes" "$work/c/events"
printf -- '---\ntitle: "Tram: Piccadilly to Bury"\ndate: 2022-7-04\n---\nA ride.\n' >"$work/c/notes/Tram.Ride.md"
printf -- '---\ntitle: Own URL\ndate: 2022-07-05\nurl: /kept/as/written/\n---\nText.\n' >"$work/c/events/own.md"
"$INDEX" --list --corpus "$work/c" --permalink '/{section}/{yyyy}/{mm}/{dd}/{filename}/{title}/' >"$work/p" 2>&1
check_eq "every token of --permalink" \
    "$(awk -F'\t' '$1 == "md:notes/Tram.Ride.md" { print $9 }' "$work/p")" \
    "/notes/2022/07/04/Tram.Ride/tram-piccadilly-to-bury/"
check_eq "a url in the front matter wins over --permalink" \
    "$(awk -F'\t' '$1 == "md:events/own.md" { print $9 }' "$work/p")" "/kept/as/written/"

# --- an Eleventy site: its own rules for tags, as --list shows them ---
mkdir -p "$work/e11/blog"
echo 'module.exports = function () {};' >"$work/e11/eleventy.config.js"
printf -- '---\ntitle: Seen\ndate: 2025-09-26\ntags: Film review\n---\nA film.\n' >"$work/e11/blog/seen.md"
"$INDEX" --list --site "$work/e11" >"$work/e11.list" 2>&1
check_eq "Eleventy splits a string of tags on commas only" \
    "$(awk -F'\t' '$1 == "md:seen.md" { print $6 }' "$work/e11.list")" "film review"
echo 'module.exports = { eleventyComputed: { permalink: (d) => `/x/${d.page.fileSlug}/` } };' \
    >"$work/e11/blog/blog.11tydata.js"
"$INDEX" --check --site "$work/e11" >"$work/e11.check" 2>&1
check_contains "a permalink in JS data, which is not run, leaves the URL guessed" \
    "$(cat "$work/e11.check")" "(1 with a URL, 1 of them guessed)"

# --- --site on a folder no generator made: said, and read as a folder ---
"$INDEX" --check --site "$work/c" >"$work/site" 2>&1
check_contains "a folder with no generator's config is named as such" "$(cat "$work/site")" \
    "no Hugo, Jekyll, Zola, Eleventy, Astro or Gatsby config found"
check_contains "and read as a folder of posts" "$(cat "$work/site")" "would index 2"
"$INDEX" --check --site "$work/missing" >"$work/missing.out" 2>&1
check_eq "a site that is not a folder fails (exit 1)" "$?" 1
check_contains "and says so" "$(cat "$work/missing.out")" "is not a folder"
finish
