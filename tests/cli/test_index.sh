#!/usr/bin/env bash
# test_index.sh — loomsearch-index from the command line, as an operator runs it:
# bad posts reported and skipped, the summary line, exit codes, the lock, the
# build swap and pruning. Real indexes on disk.
# usage: test_index.sh INDEX_BINARY FIXTURE_CORPUS
set -u
INDEX=$1 CORPUS=$2
. "$(dirname "$0")/lib.sh"

# --- a run over the fixture corpus ---
"$INDEX" --verbose --corpus "$CORPUS" --db "$work/root" >"$work/out" 2>"$work/err"
check_eq "a run with 2 of 6 posts broken publishes and exits 5 (over 5% refused)" "$?" 5
check_contains "the summary counts what happened" "$(cat "$work/out")" \
    "added 4, updated 0, deleted 0, unchanged 0; skipped 1 (draft 1); refused 2 (field 1, unclosed_front_matter 1); undated 0; slugs suffixed 0; read 7 of 7 files; 4 posts;"
check_contains "and stderr says why it exits 5" "$(cat "$work/err")" \
    "refused 2 of 6 posts (33%, over 5%), most for 'field' (1): is --corpus pointing at the posts folder?"
check_contains "the first run makes a new build" "$(cat "$work/out")" "; new build "
check_contains "a post with a date that does not exist is named with its line" "$(cat "$work/err")" \
    "broken/bad-date.md:3: 'date' is not a date"
check_contains "unclosed front matter is named" "$(cat "$work/err")" \
    "broken/unclosed.md:1: front matter opened on line 1 is never closed"
check_contains "--verbose names a draft as skipped" "$(cat "$work/err")" "draft-post.md: draft, not indexed"
target=$(readlink "$work/root/current")
check_contains "current points at a build" "$target" "builds/"
[ -d "$work/root/$target" ] && pass "the build current names exists" || fail "the build current names exists"

# --- --quiet keeps the failures, drops the chatter ---
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/root" >/dev/null 2>"$work/err"
check_lacks "--quiet drops the draft notice" "$(cat "$work/err")" "draft"
check_contains "--quiet still reports failures" "$(cat "$work/err")" "bad-date.md"
check_eq "an update stays in the same build" "$(readlink "$work/root/current")" "$target"

# --- --rebuild makes a new build each time; old builds are pruned, three kept ---
for _ in 1 2 3; do "$INDEX" --quiet --rebuild --corpus "$CORPUS" --db "$work/root" >/dev/null 2>&1; done
check_eq "three builds are kept" "$(ls "$work/root/builds" | wc -l)" 3
[ "$(readlink "$work/root/current")" != "$target" ] && pass "--rebuild swaps current to a new build" || fail "--rebuild swaps current to a new build"
"$INDEX" --quiet --rebuild --keep 1 --corpus "$CORPUS" --db "$work/root" >/dev/null 2>&1
check_eq "--keep 1 keeps only the current build" "$(ls "$work/root/builds")" "$(basename "$(readlink "$work/root/current")")"

# --- a stale build left by a killed run is removed by the next ---
mkdir "$work/root/builds/20000101T000000Z-1.tmp"
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/root" >/dev/null 2>&1
[ ! -e "$work/root/builds/20000101T000000Z-1.tmp" ] && pass "a stale .tmp build is removed" || fail "a stale .tmp build is removed"

# --- nothing usable: refused or failed, the served build untouched ---
before=$(readlink "$work/root/current")
mkdir -p "$work/empty" "$work/bad"
"$INDEX" --corpus "$work/empty" --db "$work/root" >"$work/out" 2>"$work/err"
check_eq "an empty corpus is refused (exit 4)" "$?" 4
check_contains "and the reason is given" "$(cat "$work/err")" "refusing to delete 4 of 4 posts"
check_contains "the summary says nothing changed" "$(cat "$work/out")" "nothing changed in the served index"
check_eq "an empty corpus leaves current alone" "$(readlink "$work/root/current")" "$before"
root=$work/root
check_eq "and the posts stay" "$(docs)" 4
"$INDEX" --rebuild --corpus "$work/empty" --db "$work/root" >/dev/null 2>"$work/err"
check_eq "a rebuild of an empty corpus exits 1" "$?" 1
check_contains "and says why" "$(cat "$work/err")" "no post could be indexed"
cp "$CORPUS/broken/"*.md "$work/bad/"
"$INDEX" --rebuild --corpus "$work/bad" --db "$work/root" >/dev/null 2>&1
check_eq "a rebuild of only bad posts exits 1" "$?" 1
check_eq "and leaves current alone" "$(readlink "$work/root/current")" "$before"
"$INDEX" --corpus "$work/no-such-folder" --db "$work/root" >/dev/null 2>"$work/err"
check_eq "a missing corpus exits 1" "$?" 1
check_contains "a missing corpus is named" "$(cat "$work/err")" "no-such-folder is not a folder"

# --- two posts, one slug: both indexed, the second's public id suffixed ---
mkdir -p "$work/dup"
printf -- '---\ntitle: A\ndate: 2020-01-01\nslug: same\n---\nfirst\n' >"$work/dup/a.md"
printf -- '---\ntitle: B\ndate: 2020-01-02\nslug: same\n---\nsecond\n' >"$work/dup/b.md"
printf -- '---\ntitle: C\ndate: 2020-01-03\n---\nthird\n' >"$work/dup/c.md"
"$INDEX" --corpus "$work/dup" --db "$work/dup-root" >"$work/out" 2>"$work/err"
check_eq "a duplicate slug does not stop the run" "$?" 0
check_contains "both posts of one slug are indexed" "$(cat "$work/out")" "added 3, updated 0, deleted 0, unchanged 0; skipped 0; refused 0; undated 0; slugs suffixed 1;"

# --- hidden files, backups and symlinks are not posts ---
mkdir -p "$work/odd/.git" "$work/odd/loop"
cp "$work/dup/c.md" "$work/odd/.hidden.md"; cp "$work/dup/c.md" "$work/odd/.git/x.md"
cp "$work/dup/c.md" "$work/odd/c.md~"; cp "$work/dup/c.md" "$work/odd/#c.md#"
ln -s .. "$work/odd/loop/up"; ln -s "$work/dup/a.md" "$work/odd/link.md"
cp "$work/dup/c.md" "$work/odd/real.md"
"$INDEX" --corpus "$work/odd" --db "$work/odd-root" >"$work/out" 2>&1
check_contains "only the real post is indexed; a symlink loop ends" "$(cat "$work/out")" "added 1, updated 0, deleted 0, unchanged 0; skipped 0; refused 0;"

# --- permissions: the tests run as root, who may read anything, so these run
# the indexer as nobody ---
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
cp "$INDEX" "$work/index-copy" # nobody may not reach the build folder
mkdir -p "$work/perm/c"
cp "$CORPUS"/2021/*.md "$work/perm/c/"
chmod 000 "$work/perm/c/bus-timetable-workshop.md"
chown -R nobody:nogroup "$work/perm"
chmod 755 "$work"
as_nobody "$work/index-copy" --corpus "$work/perm/c" --db "$work/perm/root" >"$work/out" 2>"$work/err"
check_eq "an unreadable post does not stop the run (1 of 2 refused: exit 5)" "$?" 5
check_contains "it is reported with the reason" "$(cat "$work/err")" "bus-timetable-workshop.md: cannot open: Permission denied"
check_contains "and the rest is indexed" "$(cat "$work/out")" "added 1, updated 0, deleted 0, unchanged 0; skipped 0; refused 1 (io 1);"
check_contains "the hint fits the reason" "$(cat "$work/err")" "most for 'io' (1): may the indexer read the posts?"
mkdir -p "$work/locked-root"
as_nobody "$work/index-copy" --corpus "$work/perm/c" --db "$work/locked-root" >"$work/out" 2>"$work/err"
check_eq "an index root we may not write exits 1" "$?" 1
check_contains "and says so" "$(cat "$work/err")" "Permission denied"

# --- one indexer at a time ---
flock -o "$work/root/lock" sleep 3 &  # -o: the lock stays with flock, not sleep
holder=$!
sleep 0.3
"$INDEX" --corpus "$CORPUS" --db "$work/root" >/dev/null 2>"$work/err"
check_eq "a second indexer exits 3 at once" "$?" 3
check_contains "and says why" "$(cat "$work/err")" "another loomsearch-index is running"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/root" >/dev/null 2>&1
check_eq "once the holder is gone the lock is free (exit 5: the fixture's broken posts)" "$?" 5

# --- the command line ---
"$INDEX" --help >"$work/out"; check_eq "--help exits 0" "$?" 0
check_contains "--help shows usage" "$(cat "$work/out")" "usage: loomsearch-index"
check_contains "--version names the program" "$("$INDEX" --version)" "loomsearch-index "
"$INDEX" --corpus "$CORPUS" >/dev/null 2>&1; check_eq "no --db exits 2" "$?" 2
"$INDEX" --bogus >/dev/null 2>&1; check_eq "an unknown option exits 2" "$?" 2
"$INDEX" --corpus "$CORPUS" --db "$work/x" --keep 0 >/dev/null 2>&1; check_eq "--keep 0 exits 2" "$?" 2
"$INDEX" --corpus "$CORPUS" --db "$work/x" --max-size lots >/dev/null 2>&1; check_eq "--max-size lots exits 2" "$?" 2

# --- the size limit ---
"$INDEX" --corpus "$work/dup" --db "$work/small-root" --max-size 40 >"$work/out" 2>"$work/err"
check_contains "posts over --max-size are reported" "$(cat "$work/err")" "over the limit of 40"

# --- a Jekyll site's .html posts: posts in _posts, read as HTML; not its layouts or pages ---
j=$work/jekyll
mkdir -p "$j/_posts" "$j/_layouts" "$j/news/_posts"
printf 'title: t\n' >"$j/_config.yml"
printf -- '---\nlayout: post\ntitle: An HTML post\n---\n<p>Some <b>htmlpostword</b> text.</p>\n\n    <p>indented</p>\n' \
    >"$j/_posts/2012-04-24-an-html-post.html"
printf -- '---\ntitle: News\n---\n<p>newshtmlword</p>\n' >"$j/news/_posts/2013-01-02-news.html"
printf '<html><body>{{ content }}</body></html>\n' >"$j/_layouts/post.html"
printf -- '---\ntitle: About\n---\n<p>aboutword</p>\n' >"$j/about.html"
"$INDEX" --list --site "$j" >"$work/list" 2>"$work/err"
check_eq "a .html file in a _posts folder is a post; layouts and pages are not listed" \
    "$(awk -F'\t' 'NR > 1 { print $1, $2, $9 }' "$work/list")" \
    "md:_posts/2012-04-24-an-html-post.html indexed /2012/04/24/an-html-post.html
md:news/_posts/2013-01-02-news.html indexed /news/2013/01/02/news.html"
"$INDEX" --site "$j" --db "$work/jekyll-root" >"$work/out" 2>"$work/err"
hits_in() { quest -o and -d "$work/jekyll-root/current" "$1" | sed -n 's/^Exactly \([0-9]*\) matches$/\1/p'; }
check_eq "its text is read as HTML: words found, no markup" "$(hits_in htmlpostword) $(hits_in indented)" "1 1"
check_eq "and no tag names are words" "$(hits_in p)" 0

# --- a Jekyll date we cannot read, but Ruby does: the file name's day ---
printf -- '---\ntitle: Scalafix\ndate: 11-9-2017\n---\nLinting.\n' >"$j/_posts/2017-09-11-scalafix.md"
"$INDEX" --list --site "$j" >"$work/list" 2>"$work/err"
check_eq "on Jekyll, 'date: 11-9-2017' (Ruby reads it day first) is the file name's day, not a refusal" \
    "$(awk -F'\t' '$1 == "md:_posts/2017-09-11-scalafix.md" { print $2, $4, $9 }' "$work/list")" \
    "indexed 2017-09-11 /2017/09/11/scalafix.html"
mkdir -p "$work/plain-dates" && printf -- '---\ntitle: S\ndate: 11-9-2017\n---\nx\n' >"$work/plain-dates/2017-09-11-s.md"
"$INDEX" --list --corpus "$work/plain-dates" >"$work/list" 2>"$work/err"
check_contains "elsewhere it is refused, naming the date" "$(cat "$work/list" "$work/err")" "'date' is not a date"

finish
