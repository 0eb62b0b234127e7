#!/usr/bin/env bash
# test_theme_unit_data.sh — a real WordPress export nobody here wrote: the
# WordPress theme unit test data (repository WordPress/theme-test-data, file
# themeunittestdata.wordpress.xml, GPL-2.0), read item by item.
#
# The file is kept in tests/data/wp-theme-test-data/ with its source and
# licence; $LOOM_WP_THEME_DATA names another copy.
#
# What every item should become is worked out here a second way, with
# Python's own XML reader (expat, not libxml2) and the mapping docs/sources.md
# gives (status and type to skip reasons, the first of a repeated wp:post_id,
# dc:creator to the display name, tags lower-cased, an HTML title's text), and
# compared field by field with the indexer's --list. A few facts read off the
# file by eye pin the oracle itself.
# usage: test_theme_unit_data.sh INDEX_BINARY SOURCE_ROOT
set -u
INDEX=${1:?usage: test_theme_unit_data.sh INDEX_BINARY SOURCE_ROOT} SRC=${2:?}
. "$SRC/tests/cli/lib.sh"

export_file=${LOOM_WP_THEME_DATA:-$SRC/tests/data/wp-theme-test-data/themeunittestdata.wordpress.xml}
[ -f "$export_file" ] || { echo "no theme unit test data at $export_file" >&2; exit 1; }

"$INDEX" --list --wordpress "$export_file" >"$work/list.tsv" 2>"$work/list.err"
check_eq "the export is listed (exit 0)" "$?" 0

python3 - "$export_file" >"$work/oracle.tsv" <<'PY'
import html.parser, sys, xml.etree.ElementTree as ET
# The wp: namespace as the export declares it (exports differ: http, https, 1.1, 1.2).
NS = {k: v for _, (k, v) in ET.iterparse(sys.argv[1], events=["start-ns"]) if k in ("wp", "dc")}

class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
    def handle_data(self, d):
        self.parts.append(d)

def visible(s):
    t = Text()
    t.feed(s or "")
    t.close()
    return " ".join("".join(t.parts).split())

def text(item, path):
    e = item.find(path, NS)
    return (e.text or "") if e is not None else ""

channel = ET.parse(sys.argv[1]).getroot().find("channel")
names = {text(a, "wp:author_login"): text(a, "wp:author_display_name")
         for a in channel.findall("wp:author", NS)}
seen = set()
for item in channel.findall("item"):
    pid = "wp:" + text(item, "wp:post_id")
    if pid in seen:
        continue
    seen.add(pid)
    kind, status = text(item, "wp:post_type"), text(item, "wp:status")
    if kind != "post":
        print(f"{pid}\tskipped:not-a-post")
        continue
    if status == "private" or text(item, "wp:post_password"):
        print(f"{pid}\tskipped:private")
        continue
    if status != "publish":
        print(f"{pid}\tskipped:draft")
        continue
    date = text(item, "wp:post_date")[:10]
    login = text(item, "dc:creator")
    cats = sorted({c.text.strip() for c in item.findall("category") if c.get("domain") == "category"})
    tags = sorted({c.text.strip().lower() for c in item.findall("category") if c.get("domain") == "post_tag"})
    title = visible(text(item, "title")) or text(item, "wp:post_name")
    print("\t".join([pid, "indexed", title, "" if date.startswith("0000") else date,
                     names.get(login) or login, "|".join(tags), "|".join(cats), text(item, "link")]))
PY
check_eq "the oracle read the export" "$?" 0

# Our --list, in the oracle's columns (sets sorted; whitespace collapsed).
python3 - "$work/list.tsv" <<'PY' | sort >"$work/ours.tsv"
import sys
for line in list(open(sys.argv[1], encoding="utf-8"))[1:]:
    f = line.rstrip("\n").split("\t")
    if f[1] != "indexed":
        print(f"{f[0]}\t{f[1]}")
        continue
    tags, cats = ("|".join(sorted(x for x in v.split("|") if x)) for v in (f[5], f[6]))
    print("\t".join([f[0], "indexed", " ".join(f[2].split()), f[3], f[4], tags, cats, f[8]]))
PY
sort "$work/oracle.tsv" >"$work/expected.tsv"

check_eq "every item, field by field, as the export says" \
    "$(diff "$work/expected.tsv" "$work/ours.tsv" | head -20)" ""
check_eq "55 posts indexed, 2 drafts, 1 private, 110 items that are not posts" \
    "$(cut -f2 "$work/ours.tsv" | sort | uniq -c | awk '{printf "%s %s; ", $2, $1}')" \
    "indexed 55; skipped:draft 2; skipped:not-a-post 110; skipped:private 1; "
check_eq "18 items repeat an earlier wp:post_id and are reported" \
    "$(grep -c 'is also the id of an earlier item' "$work/list.err")" 18

# Facts read off the file by eye, so the oracle cannot drift with the reader.
row() { grep "^$1	" "$work/ours.tsv" | cut -f3-; }
check_eq "wp:1000" "$(row wp:1000)" \
    "Edge Case: Nested And Mixed Lists	2009-05-15	Theme Buster	content περιεχόμενο|css|edge case|lists|markup	Classic|Edge Case	https://wpthemetestdata.wordpress.com/2009/05/15/edge-case-nested-and-mixed-lists/"
check_eq "a page is not a post without --wordpress-pages (wp:2, About)" "$(row wp:2)" ""
check_eq "…and is one with it" \
    "$("$INDEX" --list --wordpress "$export_file" --wordpress-pages 2>/dev/null | awk -F'\t' '$1 == "wp:2" { print $2 "|" $3 }')" \
    "indexed|About The Tests"

# And the whole export indexed and served from the index.
root=$work/idx
"$INDEX" --wordpress "$export_file" --db "$root" >"$work/build.out" 2>&1
check_eq "the export indexes (exit 0)" "$?" 0
check_eq "55 posts in the index" "$(docs)" 55
check_eq "a title's words find its post" "$(hits 'nested mixed lists')" 1
finish
