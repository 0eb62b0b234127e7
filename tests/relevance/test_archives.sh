#!/usr/bin/env bash
# test_archives.sh — the relevance gate on real archives: each judged set in
# tests/relevance/archives/ (queries written and judged before any ranking
# change, see docs/ranking.md) is run on its test half against an index of the
# archive built with --site, beside plain BM25 over the same posts.
#
# The archives are third-party and not kept here: they are read from
# $LOOM_ARCHIVES, else ../archives beside the checkout (one folder per set,
# named as the set, holding the repository at the commit the set names); a set
# whose archive is absent is skipped, and with none present the test is
# skipped (exit 77).
# usage: test_archives.sh INDEX_BINARY EVAL_BINARY SOURCE_ROOT
set -u
INDEX=${1:?} EVAL=${2:?} SRC=${3:?}
. "$SRC/tests/http/lib.sh"
archives=${LOOM_ARCHIVES:-$SRC/../archives}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The site root inside each archive (where its generator's config is).
site_root() {
    case $1 in
    jekyll-jekyll) echo "$archives/$1/docs" ;;
    *) echo "$archives/$1" ;;
    esac
}

ran=0
for set in "$SRC"/tests/relevance/archives/*.tsv; do
    name=$(basename "$set" .tsv)
    root=$(site_root "$name")
    [ -d "$root" ] || { echo "# skipped $name: no archive at $root"; continue; }
    ran=$((ran + 1))
    "$INDEX" --quiet --site "$root" --db "$work/$name" >"$work/$name.log" 2>&1
    check_eq "$name: indexed" "$?" 0
    # The test half must beat plain BM25 by 0.05 nDCG@10 in all, and lose to
    # it on no kind by more than KIND_SLACK (docs/ranking.md).
    out=$("$EVAL" --db "$work/$name" --judgments "$set" --half test --beat-anchor 0.05 \
        --kind-slack "${KIND_SLACK:-0.03}" 2>&1)
    check_eq "$name: the test half beats BM25 (nDCG@10), on every kind" "$?|$(grep 'loomsearch-eval:' <<<"$out")" "0|"
    grep -E '^(kind|all) ' <<<"$out"
done
if [ "$ran" -eq 0 ]; then
    echo "# skipped: no archive of tests/relevance/archives/ found (set LOOM_ARCHIVES)"
    exit 77
fi
finish
