#!/usr/bin/env bash
# test_incremental.sh — the nightly run: only what changed is read, every kind
# of change lands, and the index stays true (spelling, synonyms, schema), with
# rebuild, verification, rollback, dry runs and a full disk. Real indexes on
# disk, searched with Xapian's own quest.
# usage: test_incremental.sh INDEX_BINARY FIXTURE_CORPUS
set -u
INDEX=$1 CORPUS=$2
. "$(dirname "$0")/lib.sh"
c=$work/corpus root=$work/root
mkdir -p "$c"
cp -r "$CORPUS/2021" "$CORPUS/2023" "$c/"

index() { "$INDEX" --corpus "$c" --db "$root" "$@" >"$work/out" 2>"$work/err"; }
summary() { cat "$work/out"; }
post() { # post FILE SLUG TITLE BODY [EXTRA FRONT MATTER]
    printf -- '---\ntitle: "%s"\ndate: 2024-01-02\nslug: %s\n%s---\n%s\n' "$3" "$2" "${5:-}" "$4" >"$1"
}

index
check_contains "the first run is a full build" "$(summary)" "added 4,"

# --- unchanged: nothing read ---
index
check_contains "an unchanged corpus reads no file" "$(summary)" "read 0 of 5 files"
check_contains "and says nothing changed" "$(summary)" "unchanged 4; skipped 1 (draft 1); refused 0;"
check_contains "and commits nothing" "$(summary)" "; nothing changed"

# --- a touched file is read, found unchanged by its hash, and not read again ---
touch -d '2001-01-01' "$c/2021/bus-timetable-workshop.md"
index
check_contains "a touched file is read" "$(summary)" "read 1 of 5 files"
check_contains "and found unchanged by its hash" "$(summary)" "updated 0, deleted 0, unchanged 4"
index
check_contains "its new mtime is remembered" "$(summary)" "read 0 of 5 files"

# --- edit, add, delete ---
post "$c/2021/bus-timetable-workshop.md" bus-timetable-workshop "Bus timetable workshop" "Now with quokkaword in it."
post "$c/new.md" brand-new "A brand new post" "Talking about wombatword."
rm "$c/2021/running-the-archive.md"
index
check_contains "edit, add and delete land together" "$(summary)" "added 1, updated 1, deleted 1, unchanged 2"
check_eq "the edited text is found" "$(hits quokkaword)" 1
check_eq "the new post is found" "$(hits wombatword)" 1
check_eq "the deleted post is gone" "$(hits scanner)" 0
check_eq "the count follows" "$(docs)" 4

# --- spelling follows deletions ---
check_contains "a word in the index is offered as a correction" "$(quest -d "$root/current" -f spelling_correction quokkawrd)" "Did you mean: quokkaword"
post "$c/2021/bus-timetable-workshop.md" bus-timetable-workshop "Bus timetable workshop" "The odd word is gone again."
index
check_eq "the word left with the edit" "$(hits quokkaword)" 0
check_lacks "and is no longer offered as a correction" "$(quest -d "$root/current" -f spelling_correction quokkawrd)" "quokkaword"

# --- a rename is a delete and an add of the same post ---
mv "$c/new.md" "$c/renamed.md"
index
check_contains "a renamed file: deleted and added" "$(summary)" "added 1, updated 0, deleted 1,"
check_eq "the renamed post is still found, once" "$(hits wombatword)" 1
check_eq "the count is unchanged" "$(docs)" 4

# --- a new slug replaces the old id ---
post "$c/renamed.md" newer-slug "A brand new post" "Talking about wombatword."
index
check_contains "a new slug in the same file is an update" "$(summary)" "added 0, updated 1, deleted 0,"
check_eq "under a new slug the post is found once" "$(hits wombatword)" 1
check_eq "the old public id is gone" "$(xapian-delve -t XPbrand-new "$root/current" 2>&1 | grep -c 'Posting List')" 0
check_eq "the new one is there" "$(xapian-delve -t XPnewer-slug "$root/current" 2>&1 | grep -c 'Posting List')" 1

# --- a post becoming a draft leaves the index ---
post "$c/renamed.md" newer-slug "A brand new post" "Talking about wombatword." "draft: true
"
index
check_contains "a new draft is deleted" "$(summary)" "deleted 1,"
check_eq "and not found" "$(hits wombatword)" 0

# --- a post that breaks keeps its indexed version ---
printf -- '---\ntitle: "unclosed\n' >"$c/2023/open-data-day.md"
index
check_contains "a broken edit is reported" "$(cat "$work/err")" "open-data-day.md"
check_contains "and the indexed version stays" "$(cat "$work/err")" "(the version already indexed stays)"
check_eq "so it is still found" "$(hits cooperative)" 1
index
check_contains "an unchanged broken post is not read again" "$(summary)" "read 0 of"
check_contains "but still reported" "$(cat "$work/err")" "unchanged since it failed"

# --- one slug, two files: both indexed, the newcomer's public id suffixed ---
post "$c/clash.md" escaping-markup "Clash" "Another post claiming an existing slug."
index
check_contains "a new file with a used slug is added, suffixed" "$(summary)" "added 1, updated 0, deleted 0,"
check_contains "and counted" "$(summary)" "slugs suffixed 1;"
check_eq "the first keeps the slug as its public id" "$(quest -b id:XP -d "$root/current" 'id:escaping-markup zanzibarite' | sed -n 's/^Exactly \([0-9]*\) matches$/\1/p')" 1
check_eq "the newcomer has the suffixed one" "$(xapian-delve -t XPescaping-markup-2 "$root/current" 2>&1 | grep -c 'Posting List')" 1
rm "$c/clash.md"

# --- dry run ---
post "$c/dry.md" dry-run-post "Dry" "A platypusword appears."
index --dry-run
check_contains "a dry run says what it would do" "$(summary)" "added 1,"
check_contains "and that it wrote nothing" "$(summary)" "dry run: nothing written"
check_eq "and it did not" "$(hits platypusword)" 0
index
check_eq "the real run then does it" "$(hits platypusword)" 1

# --- pathological Markdown is stopped by the CPU limit, the run goes on ---
{ printf -- '---\ntitle: Slow\ndate: 2024-01-01\n---\n'; head -c 600000 /dev/zero | tr '\0' 'x' | sed 's/x\{6\}/![[]()/g'; } >"$c/slow.md"
post "$c/after.md" after-slow "After" "An echidnaword follows."
index --parse-timeout 1
check_contains "a post that parses too long is reported" "$(cat "$work/err")" "slow.md: parsing took more than 1 s of CPU"
check_eq "and the run goes on" "$(hits echidnaword)" 1
rm "$c/slow.md"

# --- schema change: everything again, in a new build ---
before=$(readlink "$root/current")
xapian-metadata set "$root/current" loomsearch.schema 0
index
check_contains "a schema change is announced" "$(cat "$work/err")" "the index schema changed"
check_contains "and makes a new build" "$(summary)" "new build"
[ "$(readlink "$root/current")" != "$before" ] && pass "current moved to the new build" || fail "current moved to the new build"

# --- synonyms, both ways ---
post "$c/abbrev.md" abbrev "Meeting notes" "The LCR group met."
post "$c/long.md" long-form "Regional notes" "People across the Liverpool City Region met."
printf '# abbreviations\nlcr = Liverpool City Region\n' >"$work/synonyms"
index --synonyms "$work/synonyms"
check_contains "new synonyms rebuild everything" "$(cat "$work/err")" "the synonyms changed"
check_eq "the abbreviation finds the long form" "$(hits lcr)" 2
check_eq "the long form finds the abbreviation" "$(hits 'liverpool city region')" 2
check_eq "so does the phrase" "$(hits '"liverpool city region"')" 2
index --synonyms "$work/synonyms"
check_contains "the same synonyms: an ordinary update" "$(summary)" "read 0 of"
printf 'lcr\n' >"$work/bad-synonyms"
index --synonyms "$work/bad-synonyms"
check_eq "a bad synonyms file stops the run" "$?" 1
check_contains "naming the line" "$(cat "$work/err")" "bad-synonyms:1:"

# --- rebuild, verification, rollback ---
served=$(readlink "$root/current")
index --rebuild --synonyms "$work/synonyms"
check_eq "a rebuild succeeds (exit 5: open-data-day.md is still broken)" "$?" 5
rebuilt=$(readlink "$root/current")
[ "$rebuilt" != "$served" ] && pass "a rebuild swaps in a new build" || fail "a rebuild swaps in a new build"
mkdir -p "$work/small"
cp "$c/abbrev.md" "$work/small/"
"$INDEX" --rebuild --corpus "$work/small" --db "$root" >"$work/out" 2>"$work/err"
check_eq "a rebuild with far fewer posts is refused (exit 4)" "$?" 4
check_contains "saying why" "$(cat "$work/err")" "under 90% of the"
check_eq "the served build is untouched" "$(readlink "$root/current")" "$rebuilt"
"$INDEX" --rollback --db "$root" >"$work/out" 2>"$work/err"
check_eq "rollback succeeds" "$?" 0
check_eq "rollback serves the previous build" "$(readlink "$root/current")" "$served"
"$INDEX" --rebuild --force --corpus "$work/small" --db "$root" >/dev/null 2>&1
check_eq "--force publishes the small build" "$(docs)" 1

# --- a full disk: a clear message, the served build untouched ---
before=$(readlink "$root/current")
(ulimit -f 4; "$INDEX" --rebuild --force --corpus "$c" --db "$root" >"$work/out" 2>"$work/err")
check_eq "a full disk fails the run (exit 1)" "$?" 1
check_contains "with a clear message" "$(cat "$work/err")" "the served index is untouched"
check_eq "the served build is untouched" "$(readlink "$root/current")" "$before"
check_eq "and still answers" "$(docs)" 1
post "$c/more.md" more-post "More" "A numbatword arrives."
(ulimit -f 4; "$INDEX" --force --corpus "$c" --db "$root" >"$work/out" 2>"$work/err")
check_eq "a full disk fails an update too" "$?" 1
check_contains "saying the index is as it was" "$(cat "$work/err")" "the index is as it was"
check_eq "and it is" "$(hits numbatword)" 0

# --- a scheduled post: skipped until its day, then indexed though its file is unchanged ---
h=$work/hugo hroot=$work/hugo-root
mkdir -p "$h/content/post"
printf 'baseURL = "https://example.org/"\n' >"$h/config.toml"
printf -- '---\ntitle: Now\ndate: 2020-01-02\n---\nnowword\n' >"$h/content/post/now.md"
printf -- '---\ntitle: Later\ndate: 2099-01-02\n---\nlaterword\n' >"$h/content/post/later.md"
"$INDEX" --site "$h" --db "$hroot" >"$work/out" 2>&1
check_contains "a Hugo post dated after today is skipped, as Hugo skips it" "$(cat "$work/out")" "(future 1)"
# Its day comes: same size and time stamp, so only a run that reads it again sees it.
stamp=$(stat -c %y "$h/content/post/later.md")
sed -i 's/2099-01-02/2000-01-02/' "$h/content/post/later.md"
touch -d "$stamp" "$h/content/post/later.md"
"$INDEX" --site "$h" --db "$hroot" >"$work/out" 2>&1
check_eq "on its day it is indexed, its file unchanged" \
    "$(quest -d "$hroot/current" laterword | sed -n 's/^Exactly \([0-9]*\) matches$/\1/p')" 1

finish
