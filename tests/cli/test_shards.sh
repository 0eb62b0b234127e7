#!/usr/bin/env bash
# test_shards.sh — a full build written by several processes at once (--jobs N
# > 1: one writer per shard, merged and compacted) must hold the same index as
# one written by a single process: the same posts, the same answers with the
# same weights, the same corrections and metadata. A post a writer cannot index
# is reported like any other failure; a killed sharded build leaves no process
# and nothing the next run keeps.
# usage: test_shards.sh INDEX_BINARY SAMPLE_CORPUS
set -u
INDEX=$1 CORPUS=$2
. "$(dirname "$0")/lib.sh"

"$INDEX" --quiet --jobs 1 --corpus "$CORPUS" --db "$work/one" >/dev/null 2>&1
check_eq "a one-writer build succeeds" "$?" 0
"$INDEX" --quiet --jobs 3 --corpus "$CORPUS" --db "$work/three" >"$work/out" 2>&1
check_eq "a three-writer build succeeds" "$?" 0
check_eq "and leaves only its build behind (shards removed)" "$(ls "$work/three/builds" | wc -l)" 1

# terms PREFIX DB: every term of DB that starts with PREFIX, one per line
terms() { xapian-delve -a -1 "$2/current" | grep "^$1" | sort; }
check_eq "the same posts" "$(terms Q "$work/three")" "$(terms Q "$work/one")"
check_eq "the same terms" "$(xapian-delve -a -1 "$work/three/current" | sort | md5sum)" \
    "$(xapian-delve -a -1 "$work/one/current" | sort | md5sum)"
[ "$(terms Q "$work/one" | wc -l)" -gt 40 ] && pass "the sample archive's posts are all there" \
    || fail "the sample archive's posts are all there"

# answers DB QUERY: each match's weight and stored head, sorted (docids differ);
# synonyms on, so "cafe" finds "café" only if the accent synonyms were merged
answers() { quest -d "$1/current" -p title:S -f default,wildcard,auto_synonyms -m 100 "$2" | grep -A1 '^[0-9]*: \[' |
    grep -v '^--' | paste - - | sed 's/^[0-9]*: //' | sort; }
for q in "open data" "manchester transport" "cafe" "title:data" '"air quality"' "volunt*"; do
    one=$(answers "$work/one" "$q")
    [ -n "$one" ] || { fail "query '$q' finds posts"; continue; }
    check_eq "'$q': the same posts with the same weights" "$(answers "$work/three" "$q")" "$one"
done
spelling() { quest -d "$1/current" -f default,spelling_correction "$2" | sed -n 's/^Did you mean: //p'; }
check_eq "spelling data merged: the same correction" "$(spelling "$work/three" transprot)" \
    "$(spelling "$work/one" transprot)"
check_eq "the correction is found" "$(spelling "$work/three" transprot)" "transport"
meta() { xapian-metadata get "$1/current" "$2"; }
check_eq "metadata merged: the schema" "$(meta "$work/three" loomsearch.schema)" "$(meta "$work/one" loomsearch.schema)"
check_eq "metadata merged: the build id is the build's own" \
    "$(meta "$work/three" loomsearch.build_id)" "$(basename "$(readlink "$work/three/current")")"
check_eq "the merged build passes Xapian's check" \
    "$(xapian-check "$work/three/current" 2>&1 | tail -1)" "No errors found"

# --- a post only a writer can refuse (a name longer than a Xapian term) ---
mkdir -p "$work/bad"
cp "$CORPUS"/2019/*.md "$work/bad/"
{ printf -- '---\ntitle: "A long name"\ndate: 2020-01-01\nauthor: %s\nslug: long-name\n---\n\nBuses.\n' \
    "$(head -c 300 /dev/zero | tr '\0' a)"; } >"$work/bad/long-name.md"
n_ok=$(ls "$CORPUS"/2019/*.md | wc -l)
"$INDEX" --quiet --jobs 2 --corpus "$work/bad" --db "$work/bad-root" >"$work/out" 2>"$work/err"
check_eq "a build with a post its writer refuses publishes (exit 5: 1 of $((n_ok + 1)) refused)" "$?" 5
check_contains "the post is named, with the reason" "$(cat "$work/err")" "long-name.md: cannot be indexed"
check_contains "and counted as refused" "$(cat "$work/out")" "added $n_ok, updated 0, deleted 0, unchanged 0; skipped 0; refused 1 (not_indexable 1);"
root=$work/bad-root
check_eq "the other posts are served" "$(docs)" "$n_ok"
"$INDEX" --jobs 2 --corpus "$work/bad" --db "$work/bad-root" >"$work/out" 2>"$work/err"
check_contains "the next run remembers the failure without reading it again" "$(cat "$work/err")" \
    "(unchanged since it failed)"

# --- killed in the middle of a sharded build ---
mkdir -p "$work/big"
for i in $(seq 1 40); do
    for f in "$CORPUS"/*/*.md; do
        sed "s/^slug: \(.*\)/slug: \1-$i/" "$f" >"$work/big/$i-$(basename "$f")"
    done
done
"$INDEX" --quiet --jobs 2 --corpus "$work/big" --db "$work/big-root" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    [ -n "$(ls -d "$work/big-root/builds/"*.parts.tmp/0 2>/dev/null)" ] && break
    sleep 0.05
done
sleep 0.5
kill -9 "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 1 50); do pgrep -f "db $work/big-root" >/dev/null || break; sleep 0.1; done
pgrep -f "db $work/big-root" >/dev/null && fail "no writer outlives a killed parent" \
    || pass "no writer outlives a killed parent"
[ ! -e "$work/big-root/current" ] && pass "nothing was published" || fail "nothing was published"
"$INDEX" --quiet --jobs 2 --corpus "$work/big" --db "$work/big-root" >/dev/null 2>&1
check_eq "the next run completes" "$?" 0
check_eq "and keeps only its own build" "$(ls "$work/big-root/builds" | wc -l)" 1
root=$work/big-root
check_eq "with every post" "$(docs)" "$(grep -L '^draft: true' "$work/big"/*.md | wc -l)"

# --- --shard-by hash:N: N index roots and the list that ties them ---
"$INDEX" --quiet --shard-by hash:2 --corpus "$CORPUS" --db "$work/by" >"$work/out" 2>&1
check_eq "--shard-by hash:2 succeeds" "$?" 0
n_all=$(root=$work/one docs)
check_contains "its summary adds the shards up" "$(cat "$work/out")" "2 shards: added $n_all,"
s0=$(root=$work/by/shard-0 docs) s1=$(root=$work/by/shard-1 docs)
check_eq "every post is in exactly one shard" "$((s0 + s1))" "$n_all"
[ "$s0" -gt 0 ] && [ "$s1" -gt 0 ] && pass "both shards hold posts ($s0 + $s1)" || fail "both shards hold posts"
check_eq "the shard list names them" "$(grep -v '^#' "$work/by/shards")" "$(printf 'auto shard-0\nauto shard-1')"
check_eq "the same posts as one index" "$( (terms Q "$work/by/shard-0"; terms Q "$work/by/shard-1") | sort)" \
    "$(terms Q "$work/one")"
# One post changed: only its shard is written.
revision() { xapian-delve "$1/current" | sed -n 's/^revision = //p'; }
cp -r "$CORPUS" "$work/by-corpus"
"$INDEX" --quiet --shard-by hash:2 --corpus "$work/by-corpus" --db "$work/by2" >/dev/null 2>&1
before0=$(revision "$work/by2/shard-0") before1=$(revision "$work/by2/shard-1")
post=$(find "$work/by-corpus" -name '*.md' | sort | head -1)
echo "One more line for the nightly run." >>"$post"
"$INDEX" --shard-by hash:2 --corpus "$work/by-corpus" --db "$work/by2" >"$work/out" 2>&1
check_contains "the changed post is updated" "$(cat "$work/out")" "updated 1,"
changed=0
[ "$(revision "$work/by2/shard-0")" != "$before0" ] && changed=$((changed + 1))
[ "$(revision "$work/by2/shard-1")" != "$before1" ] && changed=$((changed + 1))
check_eq "and only its shard has a new revision" "$changed" 1
check_contains "the other says nothing changed" "$(cat "$work/out")" "; nothing changed"
"$INDEX" --shard-by hash:1 --corpus "$CORPUS" --db "$work/bad-n" >/dev/null 2>"$work/err"
check_eq "--shard-by hash:1 is refused (exit 2)" "$?" 2
check_contains "saying what it wants" "$(cat "$work/err")" "hash:N with N from 2 to 64"

finish
