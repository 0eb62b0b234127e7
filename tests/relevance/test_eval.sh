#!/usr/bin/env bash
# test_eval.sh — loomsearch-eval's own promises: halves filter, the anchor
# columns, the gates fail when they should, and --pool prints each query's
# union of rankings, one post per line, sorted by URL.
# usage: test_eval.sh EVAL_BINARY INDEX_ROOT JUDGMENTS
set -u
EVAL=${1:?} ROOT=${2:?} JUDGMENTS=${3:?}
. "$(dirname "$0")/../http/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

out=$("$EVAL" --db "$ROOT" --judgments "$JUDGMENTS" --half test --anchor)
check_eq "runs (exit 0)" "$?" 0
check_eq "only the test half is counted" "$(awk '$1 == "all" && $2 == "all" { print $3 }' <<<"$out")" \
    "$(grep -v '^#' "$JUDGMENTS" | awk -F'\t' '$1 == "test" { print $3 }' | sort -u | wc -l)"
check_contains "BM25 beside ours" "$(head -1 <<<"$out")" "bm25"
"$EVAL" --db "$ROOT" --judgments "$JUDGMENTS" --beat-anchor 5 >/dev/null 2>"$work/err"
check_eq "an unreachable margin over BM25 fails (exit 1)" "$?" 1
check_contains "saying so" "$(cat "$work/err")" "above BM25"
"$EVAL" --db "$ROOT" --judgments "$JUDGMENTS" --half middle >/dev/null 2>&1
check_eq "a half that is not tune or test is bad usage (exit 2)" "$?" 2

printf 'tune\ttitle\tbus franchising\ntest\tname\tHarriet\n' >"$work/queries.tsv"
"$EVAL" --db "$ROOT" --judgments "$work/queries.tsv" --pool 5 >"$work/pool.tsv"
check_eq "--pool runs on queries without judgments" "$?" 0
check_eq "six fields a line" "$(awk -F'\t' 'NF != 6' "$work/pool.tsv" | wc -l)" 0
check_eq "each query's posts sorted by URL, each once" \
    "$(awk -F'\t' '$1 == "bus franchising" { print $2 }' "$work/pool.tsv" | sort -uc && echo sorted)" sorted
n=$(awk -F'\t' '$1 == "Harriet"' "$work/pool.tsv" | wc -l)
[ "$n" -ge 5 ] && [ "$n" -le 15 ] && pass "a query's pool is between 5 and 3 × 5 posts ($n)" ||
    fail "a query's pool is between 5 and 3 × 5 posts ($n)"
finish
