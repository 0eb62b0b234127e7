#!/usr/bin/env bash
# test_instructions.sh — the regression guard of the query path's cost, in
# instructions, which callgrind counts the same on a loaded machine as on an
# idle one (timings would not be). Our whole query path (parse, search, the
# page's snippets, highlighted titles, sections, matched fields, JSON:
# loomsearch-bench-query's bench_one_query) must take no more instructions per
# query than the reference harness's raw-Xapian peer, xap_query from
# ../shared/bench/peers (QueryParser, top 10, one MSet::snippet over each whole
# stored body, JSON), on the same posts and queries.
#
# What each side counts: only the per-query function (callgrind
# --toggle-collect), ours bench_one_query, the reference XapSearcher::search;
# opening the index and reading the queries are left out of both. Both run
# the set twice (a warm-up pass and one more) and both passes are counted, so
# instructions/query = total / (2 x queries).
#
# The bound is xap_query --exhaustive: MSet::snippet with Xapian's default
# flags (SNIPPET_BACKGROUND_MODEL | SNIPPET_EXHAUSTIVE), a snippet that
# scores every passage of the body. xap_query without --exhaustive (the
# harness's default, the background model alone) is counted and printed
# too, for information: it scores far fewer passages and takes fewer
# instructions than our whole path.
#
# Where the reference does different work: it indexes with its own xap_index
# (title, tags, author and the cmark text of the body, positions, the body
# stored in the document data), builds no spelling table and no facets,
# corrects nothing, highlights no title, picks no section and reports no
# matched fields; its parser knows title:, tag: and author:. Its posts are
# copies of the sample archive's with a url: line (its document key) and
# without the draft, which our indexer leaves out too.
#
# The reference is not part of this repository. CI runs from a checkout
# beside shared/, so it is found at ../shared/bench; when it is absent
# the test says so and exits 77, which ctest reports as skipped.
#
# usage: test_instructions.sh BENCH_QUERY_BINARY INDEX_BINARY SAMPLE_CORPUS REFERENCE_BENCH_DIR
set -u
BENCHQ=$1 INDEX=$2 CORPUS=$3 REF=$4
. "$(dirname "$0")/../http/lib.sh"

if [ ! -f "$REF/Makefile" ] || [ ! -f "$REF/peers/xap_query.cc" ]; then
    echo "SKIP: no reference harness at $REF (want its Makefile and peers/xap_query.cc);"
    echo "      the query path's instruction count is not checked"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s -C "$REF" B="$work/ref" "$work/ref/xap_query" "$work/ref/xap_index" >"$work/make.out" 2>&1
rc=$?
check_eq "the reference's xap_query and xap_index build" "$rc" 0
[ "$rc" = 0 ] || cat "$work/make.out"
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/ours" >/dev/null 2>&1
check_eq "our index builds" "$?" 0

# xap_index reads CORPUS/manifest.tsv (a path relative to CORPUS, a tab) and
# keys each post on the url: of its front matter, which our posts need not
# have: give each copy one from its path, or all would replace one document.
mkdir -p "$work/refcorpus"
(cd "$CORPUS" && find . -name '*.md' | sort) | while read -r p; do
    grep -qx 'draft: true' "$CORPUS/$p" && continue
    mkdir -p "$work/refcorpus/posts/$(dirname "$p")"
    sed "1a url: /${p#./}" "$CORPUS/$p" >"$work/refcorpus/posts/$p"
    printf 'posts/%s\t\n' "${p#./}" >>"$work/refcorpus/manifest.tsv"
done
"$work/ref/xap_index" "$work/refcorpus" "$work/refdb" >"$work/refindex.out" 2>&1
check_eq "the reference's index builds" "$?" 0
check_eq "the reference indexed every published post" \
    "$(sed -n 's/^xap_index docs=\([0-9]*\) .*/\1/p' "$work/refindex.out")" \
    "$(wc -l <"$work/refcorpus/manifest.tsv")"

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
nq=$(wc -l <"$work/queries")

# per_query NAME FUNCTION COMMAND...: instructions per query inside FUNCTION
per_query() {
    local name=$1 fn=$2; shift 2
    valgrind --tool=callgrind --toggle-collect="$fn" --callgrind-out-file="$work/$name.cg" \
        "$@" >"$work/$name.out" 2>"$work/$name.err" || { echo "# $name failed:"; cat "$work/$name.err"; return 1; }
    local total
    total=$(sed -n 's/^summary: //p' "$work/$name.cg" | cut -d' ' -f1)
    echo $((total / (2 * nq)))
}
ours=$(per_query ours bench_one_query "$BENCHQ" "$work/ours" "$work/queries")
ref=$(per_query ref 'XapSearcher::search*' \
    "$work/ref/xap_query" "$work/refdb" "$work/queries" --passes 1 --exhaustive)
plain=$(per_query plain 'XapSearcher::search*' \
    "$work/ref/xap_query" "$work/refdb" "$work/queries" --passes 1)
echo "# instructions per query ($nq queries, 2 passes): ours $ours," \
    "reference xap_query --exhaustive $ref (the bound), xap_query $plain (for information)"
for side in "our query path:$ours" "xap_query --exhaustive:$ref" "xap_query:$plain"; do
    n=${side##*:}
    [ -n "$n" ] && [ "$n" -gt 100000 ] && pass "callgrind counted ${side%:*} ($n)" \
        || fail "callgrind counted ${side%:*} (is the counted function still out of line?)" "$n"
done
[ "${ours:-0}" -le "${ref:-0}" ] && [ "${ours:-0}" -gt 0 ] \
    && pass "ours takes no more instructions per query than raw Xapian's xap_query --exhaustive" \
    || fail "ours takes no more instructions per query than raw Xapian's xap_query --exhaustive" \
        "ours $ours, reference $ref"
check_eq "our answers are all there ($nq queries, 1 timed pass)" "$(wc -l <"$work/ours.out")" "$nq"
for side in ref plain; do
    check_eq "the reference ($side) answered every query" \
        "$(sed -n 's/.* queries=\([0-9]*\) zero_hit_queries=.*/\1/p' "$work/$side.out")" "$nq"
done
finish
