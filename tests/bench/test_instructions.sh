#!/usr/bin/env bash
# test_instructions.sh — the regression guard of the query path's cost, in
# instructions, which callgrind counts the same on a loaded machine as on an
# idle one (timings would not be). Our whole query path (parse, search, the
# page's snippets, highlighted titles, sections, matched fields, JSON) must
# take no more instructions per query than raw Xapian doing the plainer job of
# bench/peers/xapian-peer (search, top 10, a snippet over each whole body) on
# the same posts. The figures are printed; bench/RESULTS.md has them at scale.
# usage: test_instructions.sh BENCH_QUERY_BINARY INDEX_BINARY SAMPLE_CORPUS PEERS_SOURCE
set -u
BENCHQ=$1 INDEX=$2 CORPUS=$3 PEERS=$4
. "$(dirname "$0")/../http/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2046  # pkg-config output is meant to be split
g++ -std=c++17 -O2 -x c "$PEERS/frontmatter.c" -x c++ "$PEERS/xapian-peer.cc" \
    $(pkg-config --cflags --libs xapian-core) -o "$work/xapian-peer" 2>"$work/cc.err"
check_eq "the raw Xapian peer builds" "$?" 0
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/ours" >/dev/null 2>&1
check_eq "our index builds" "$?" 0
"$work/xapian-peer" index "$CORPUS" "$work/peer" >/dev/null
check_eq "the peer's index builds" "$?" 0

# Words, pairs, a phrase, a prefix and a misspelling from the sample archive.
cat >"$work/queries" <<'Q'
data
manchester
open data
air quality
bus franchising
community mapping workshop
"open data day"
volunt*
transprot
council budget
Q

# per_query ENGINE_OUTPUT_PREFIX COMMAND...: instructions per query under callgrind
# (the programs run the set twice, a warm-up and a timed pass, both counted)
per_query() {
    local name=$1; shift
    valgrind --tool=callgrind --toggle-collect=bench_one_query --callgrind-out-file="$work/$name.cg" \
        "$@" >"$work/$name.out" 2>"$work/$name.err" || { echo "# $name failed:"; cat "$work/$name.err"; return 1; }
    local total
    total=$(sed -n 's/^summary: //p' "$work/$name.cg" | cut -d' ' -f1)
    echo $((total / (2 * $(wc -l <"$work/queries"))))
}
ours=$(per_query ours "$BENCHQ" "$work/ours" "$work/queries")
peer=$(per_query peer "$work/xapian-peer" query "$work/peer" "$work/queries")
echo "# instructions per query: ours $ours, raw Xapian peer $peer"
[ -n "$ours" ] && [ "$ours" -gt 100000 ] && pass "callgrind counted our query path ($ours)" \
    || fail "callgrind counted our query path" "$ours"
[ -n "$peer" ] && [ "$peer" -gt 100000 ] && pass "callgrind counted the peer's ($peer)" \
    || fail "callgrind counted the peer's" "$peer"
[ "${ours:-0}" -le "${peer:-0}" ] && [ "${ours:-0}" -gt 0 ] \
    && pass "ours takes no more instructions per query than raw Xapian" \
    || fail "ours takes no more instructions per query than raw Xapian" "ours $ours, peer $peer"
check_eq "our answers are all there (10 queries, 2 passes)" "$(wc -l <"$work/ours.out")" 10
finish
