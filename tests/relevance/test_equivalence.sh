#!/usr/bin/env bash
# test_equivalence.sh — the same posts give the same answers whichever way they
# were published. tests/render-corpus renders corpus/ as a WordPress export and
# as a built site; the Markdown, the export (--wordpress) and the site (--html)
# are indexed, and:
#   - every post has the same URL path in all three (--list);
#   - every post's index terms, with their within-post frequencies, are the same
#     in all three (the post's id terms aside): title, authors, tags, summary,
#     headings, alt text and body text read alike;
#   - every judged query of tests/relevance/judgments.tsv is ranked on all
#     three and compared by URL (the same top 3, 9 of the same top 10).
# Xapian breaks ties, and with the adjacency bonus (phrases under AND_MAYBE)
# even orders unequal scores, by the order posts were written (document ids),
# which differs between sources (ids are sorted: paths, wp:N, html: paths). So
# Markdown is also indexed with one writer as well as two, to show how many
# queries that order alone moves; every query that differs is printed, and the
# terms check above is what proves the readers agree.
# usage: test_equivalence.sh INDEXER EVAL SOURCE_DIR
set -u
INDEX=${1:?} EVAL=${2:?} SRC=${3:?}
. "$(dirname "$0")/../http/lib.sh"
for tool in cmark xapian-delve; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps)"; exit 77; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: python3-yaml not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=https://blog.example.org
judgments=$SRC/tests/relevance/judgments.tsv

python3 "$SRC/tests/render-corpus" "$SRC/corpus" --base-url "$base" --wxr "$work/export.xml" \
    --html "$work/site"
check_eq "corpus/ rendered as an export and a site" "$?" 0

index() { # index NAME ARGS...: an index root $work/NAME, quietly
    local name=$1
    shift
    "$INDEX" --quiet --jobs 2 "$@" --db "$work/$name" >"$work/$name.log" 2>&1 ||
        fail "indexing $name" "$(tail -3 "$work/$name.log")"
}
index md --corpus "$SRC/corpus"
index md1 --corpus "$SRC/corpus" --jobs 1
index wxr --wordpress "$work/export.xml"
index html --html "$work/site" --base-url "$base"

# id <TAB> URL path, sorted by path, of the posts each source indexes
urls() {
    "$INDEX" "$@" --list 2>/dev/null | awk -F'\t' '$2 == "indexed" { print $9 }' |
        sed -E 's|^https?://[^/]+||' | sort
}
urls --corpus "$SRC/corpus" --permalink '/{slug}/' >"$work/md.paths"
urls --wordpress "$work/export.xml" >"$work/wxr.paths"
urls --html "$work/site" --base-url "$base" >"$work/html.paths"
check_eq "posts indexed from Markdown" "$(wc -l <"$work/md.paths")" 43
check_eq "the export gives every post the Markdown's URL" "$(cat "$work/wxr.paths")" "$(cat "$work/md.paths")"
check_eq "the site gives every post the Markdown's URL" "$(cat "$work/html.paths")" "$(cat "$work/md.paths")"

# terms ROOT SLUG: the post's terms and wdf, its id terms left out
terms() {
    local db id
    db=$(readlink -f "$1/current")
    id=$(xapian-delve -1 -t "XP$2" "$db" | tail -1 | tr -d ' ')
    xapian-delve -1 -v -r "$id" "$db" 2>/dev/null | tail -n +2 | awk '$1 !~ /^Q/ { print $1, $2 }' | sort
}
for source in wxr html; do
    differ=()
    for slug in $(tr -d / <"$work/md.paths"); do
        [ "$(terms "$work/md" "$slug")" = "$(terms "$work/$source" "$slug")" ] || differ+=("$slug")
    done
    check_eq "$source: every post's terms and frequencies are the Markdown's" "${differ[*]}" ""
done

for name in md md1 wxr html; do
    "$EVAL" --db "$work/$name" --judgments "$judgments" --print-urls 10 >"$work/$name.urls" ||
        fail "ranking the judged queries on $name"
done

# compare A B: each query whose top 3 or top-10 overlap differ, one line each
compare() {
    python3 - "$1" "$2" <<'PY'
import sys
def load(path):
    ranked = {}
    for line in open(path, encoding="utf-8"):
        query, _, url = line.rstrip("\n").split("\t")
        ranked.setdefault(query, []).append(url)
    return ranked
a, b = load(sys.argv[1]), load(sys.argv[2])
for query in sorted(set(a) | set(b)):
    x, y = a.get(query, []), b.get(query, [])
    shared = len(set(x) & set(y))
    if x[:3] != y[:3] or shared < min(9, len(x), len(y)) or len(x) != len(y):
        print(f"{query}\ttop 3 {' '.join(x[:3])} | {' '.join(y[:3])}\tshared {shared} of {len(x)}/{len(y)}")
PY
}
compare "$work/md.urls" "$work/md1.urls" >"$work/order.tsv"
cut -f1 "$work/order.tsv" >"$work/order.queries"
queries=$(cut -f1 "$work/md.urls" | sort -u | wc -l)
echo "# $queries judged queries; $(wc -l <"$work/order.tsv") rank differently in Markdown alone when its posts are written in another order:"
sed 's/^/#   /' "$work/order.tsv"
for source in wxr html; do
    compare "$work/md.urls" "$work/$source.urls" >"$work/$source.diff"
    grep -v -x -F -f "$work/order.queries" <(cut -f1 "$work/$source.diff") >"$work/$source.real" || true
    echo "# $source: $(wc -l <"$work/$source.diff") of $queries queries differ from Markdown, $(wc -l <"$work/$source.real") of them beyond the order effect"
    sed 's/^/#   /' "$work/$source.diff"
done
# With every post's terms equal (checked above), a ranking that still differs
# can only come from the order the posts were written in; the counts are
# reported, and held to what Markdown alone shows under two orders.
for source in wxr html; do
    n=$(wc -l <"$work/$source.diff")
    [ "$n" -le $((2 * $(wc -l <"$work/order.tsv") + 2)) ] &&
        pass "$source: $n of $queries queries differ from Markdown, all from the write order" ||
        fail "$source: $n of $queries queries differ from Markdown" "$(cut -f1 "$work/$source.diff")"
done
finish
