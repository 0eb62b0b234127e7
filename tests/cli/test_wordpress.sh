#!/usr/bin/env bash
# test_wordpress.sh — loomsearch-index --wordpress: a WordPress export (WXR) read
# item by item (source_wxr.c): what --list says of each item, an index built and
# searched, an incremental run, and exports that must fail or be refused whole
# (truncated, a DOCTYPE declaring entities: XXE, billion laughs) or in part (one
# malformed item).
# usage: test_wordpress.sh INDEX_BINARY WXR_FOLDER
set -u
INDEX=$1 DATA=$2
. "$(dirname "$0")/lib.sh"
small=$DATA/small.xml

field() { awk -F'\t' -v id="$1" -v col="$2" '$1 == id { print $col }' "$work/list"; }

# --- --list: every item, its status and fields ---
"$INDEX" --list --wordpress "$small" >"$work/list" 2>"$work/err"
check_eq "--list on the export exits 0" "$?" 0
check_eq "one line per item" "$(($(wc -l <"$work/list") - 1))" 10
check_eq "a published post: status, title, date, author's display name, tags, categories, summary, url" \
    "$(awk -F'\t' '$1 == "wp:101" { print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 }' "$work/list")" \
    "indexed|Bus timetable workshop in Salford|2024-03-04|Ada Brindle|workshops|route 50|Transport|Redrawing the route 50 timetable.|https://transit.example.org/2024/03/04/bus-timetable-workshop/"
check_eq "the second post: local date as written, the other author, term names decoded" \
    "$(awk -F'\t' '$1 == "wp:102" { print $2 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 }' "$work/list")" \
    "indexed|2024-02-10|Tom Kershaw|trams|Events & Meetings|"
check_eq "a category not in the channel's list is kept as the item names it" \
    "$(field wp:110 2)|$(field wp:110 7)|$(field wp:110 8)" "indexed|Mystery Topic|Night buses, from Friday."
check_eq "a page is left out without --wordpress-pages" "$(field wp:103 2)" "skipped:not-a-post"
check_eq "a draft is skipped, undated (0000-00-00)" "$(field wp:104 2)|$(field wp:104 4)" "skipped:draft|"
check_eq "a private post is not public" "$(field wp:105 2)" "skipped:private"
check_eq "a password-protected post is not public" "$(field wp:106 2)" "skipped:private"
check_eq "an attachment, a menu item and a revision are not posts" \
    "$(field wp:107 2) $(field wp:108 2) $(field wp:109 2)" \
    "skipped:not-a-post skipped:not-a-post skipped:not-a-post"
check_eq "the content is the text (an <item> inside CDATA is text, not an item)" \
    "$([ "$(field wp:102 10)" -gt 5 ] && echo words)" words
"$INDEX" --list --wordpress "$small" --wordpress-pages >"$work/list" 2>&1
check_eq "--wordpress-pages: a published page is a post" "$(field wp:103 2)|$(field wp:103 9)" \
    "indexed|https://transit.example.org/about/"

# --- what real exports hold: a repeated wp:post_id, HTML in a title, no modified date ---
python3 - "$small" "$work/real.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
items = re.findall(r"\n\t<item>.*?</item>", s, re.S)
again = items[0].replace("Bus timetable workshop in Salford", "A later copy")
s = s.replace("<title><![CDATA[Night bus pilot]]></title>", "<title><![CDATA[Night <em>bus</em> &amp; tram]]></title>")
s = re.sub(r"\t\t<wp:post_modified_gmt>.*?</wp:post_modified_gmt>\n", "", s, count=1)
s = s.replace("\n</channel>", again + "\n</channel>")
open(sys.argv[2], "w").write(s)
PY
"$INDEX" --list --wordpress "$work/real.xml" >"$work/list" 2>"$work/err"
check_eq "a repeated wp:post_id: one line per id" "$(($(wc -l <"$work/list") - 1))" 10
check_eq "the first item in the file is the post" "$(field wp:101 3)" "Bus timetable workshop in Salford"
check_contains "the later one is named" "$(cat "$work/err")" "wp:101 is also the id of an earlier item"
check_eq "a title's markup is dropped and its entities decoded" "$(field wp:110 3)" "Night bus & tram"

# --- a pretty-printed export: every value on its own line, padded inside CDATA ---
python3 - "$small" "$work/pretty.xml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: "\n<![CDATA[ " + m.group(1) + " ]]>\n", s, flags=re.S)
s = re.sub(r"(<wp:[a-z_]+>)([^<\n]+)(</wp:)", r"\1\n  \2\n\3", s)
open(sys.argv[2], "w").write(s)
PY
"$INDEX" --list --wordpress "$small" >"$work/list.plain" 2>&1
"$INDEX" --list --wordpress "$work/pretty.xml" >"$work/list" 2>&1
check_eq "the padding changed the file" "$(cmp -s "$small" "$work/pretty.xml" && echo same)" ""
check_eq "a pretty-printed export reads as the export it came from: types, statuses, fields" \
    "$(cut -f1-10 "$work/list")" "$(cut -f1-10 "$work/list.plain")"
check_eq "and its posts are posts" "$(field wp:101 2)|$(field wp:106 2)|$(field wp:107 2)" \
    "indexed|skipped:private|skipped:not-a-post"

# --- an index built and searched, then updated item by item ---
cp "$small" "$work/export.xml"
root=$work/idx
"$INDEX" --wordpress "$work/export.xml" --db "$root" --jobs 2 >"$work/out" 2>&1
check_eq "the export indexes (exit 0)" "$?" 0
check_eq "three published posts" "$(docs)" 3
check_eq "words of a post's content are found" "$(hits "chapel depot")" 1
check_eq "words in a skipped item are not" "$(hits hunter2) $(hits members)" "0 0"
"$INDEX" --wordpress "$work/export.xml" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "an unchanged export reads no item" "$(cat "$work/out")" "read 0 of 10"
sed -i 's/<wp:post_modified_gmt><!\[CDATA\[2024-02-11 00:10:00/<wp:post_modified_gmt><![CDATA[2024-02-12 00:10:00/' \
    "$work/export.xml"
sed -i 's/Quokka\./Wombat./' "$work/export.xml"
"$INDEX" --wordpress "$work/export.xml" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "a changed post_modified_gmt re-parses that item only" "$(cat "$work/out")" \
    "updated 1, deleted 0, unchanged 2"
check_contains "and only it is read" "$(cat "$work/out")" "read 1 of 10"
check_eq "its new text is searchable" "$(hits wombat) $(hits quokka)" "1 0"
"$INDEX" --wordpress "$work/export.xml" --db "$root" --jobs 2 --wordpress-pages >"$work/out" 2>&1
check_contains "turning --wordpress-pages on reads the page" "$(cat "$work/out")" \
    "added 1, updated 0, deleted 0, unchanged 3"
check_eq "and the page is found" "$(hits volunteers)" 1

# --- a truncated export: the run fails, nothing is written ---
head -c 9000 "$work/export.xml" >"$work/trunc.xml"
"$INDEX" --wordpress "$work/trunc.xml" --db "$root" --jobs 2 >"$work/out" 2>&1
check_eq "a truncated export fails the run (exit 1)" "$?" 1
check_contains "naming the byte offset and item" "$(cat "$work/out")" \
    "trunc.xml: an unterminated tag, comment or CDATA section at byte 8981 (item 5)"
check_eq "the served index is untouched" "$(docs) $(hits wombat)" "4 1"
python3 - "$small" "$work/cut.xml" <<'PY'
import sys
s = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(s[: s.index("</item>") + len("</item>")] + "\n")
PY
"$INDEX" --list --wordpress "$work/cut.xml" >"$work/out" 2>&1
check_eq "an export cut between items fails too" "$?" 1
check_contains "and says where" "$(cat "$work/out")" "no </rss> at the end at byte"

# --- one malformed item: refused with its id, the others indexed ---
sed 's|<title><!\[CDATA\[Night bus pilot\]\]></title>|<title>Night <b>bus</title>|' "$small" >"$work/bad.xml"
"$INDEX" --list --wordpress "$work/bad.xml" >"$work/list" 2>&1
check_eq "one broken item of three posts: exit 5 (refused over 5%)" "$?" 5
check_contains "refused with its id and the XML error" "$(field wp:110 3)" \
    "wp:110: not well-formed XML (line 2): Opening and ending tag mismatch"
check_eq "the other posts are read" "$(field wp:101 2) $(field wp:102 2)" "indexed indexed"

# --- XXE: a DOCTYPE declaring an external entity ---
sed -e 's|^<rss version|<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss version|' \
    -e 's|<title><!\[CDATA\[Night bus pilot\]\]></title>|<title>\&x;</title>|' "$small" >"$work/xxe.xml"
"$INDEX" --list --wordpress "$work/xxe.xml" >"$work/out" 2>&1
check_eq "an export with a DOCTYPE is refused (exit 1)" "$?" 1
check_contains "and says why" "$(cat "$work/out")" "a DOCTYPE at byte"
check_lacks "no byte of /etc/passwd in the output" "$(cat "$work/out")" "root:"
# The entity reference alone, without its declaration: the item is refused.
sed 's|<title><!\[CDATA\[Night bus pilot\]\]></title>|<title>\&x;</title>|' "$small" >"$work/ref.xml"
"$INDEX" --list --wordpress "$work/ref.xml" >"$work/list" 2>&1
check_contains "an undeclared entity refuses its item" "$(field wp:110 3)" "Entity 'x' not defined"
check_lacks "and substitutes nothing" "$(cat "$work/list")" "root:"
# A DOCTYPE smuggled into an item is found by the listing.
sed 's|<wp:post_id>110</wp:post_id>|<wp:post_id>110</wp:post_id><!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]>|' \
    "$small" >"$work/inner.xml"
"$INDEX" --list --wordpress "$work/inner.xml" >"$work/out" 2>&1
check_eq "a DOCTYPE inside an item fails the listing (exit 1)" "$?" 1
check_lacks "without a byte of /etc/passwd" "$(cat "$work/out")" "root:"

# --- billion laughs: refused at once ---
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE rss ['
    echo '<!ENTITY a "lollollollollollollollollollol">'
    prev=a
    for e in b c d e f g h i j; do echo "<!ENTITY $e \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"; prev=$e; done
    echo ']>'
    sed -e '1d' -e 's|<title><!\[CDATA\[Night bus pilot\]\]></title>|<title>\&j;</title>|' "$small"
} >"$work/laughs.xml"
start=$(date +%s)
timeout 20 "$INDEX" --list --wordpress "$work/laughs.xml" >"$work/out" 2>&1
check_eq "a billion-laughs export is refused (exit 1)" "$?" 1
check_eq "quickly" "$(($(date +%s) - start < 5))" 1
check_lacks "nothing expanded" "$(cat "$work/out")" "lollollol"

# --- not an export at all ---
echo '<html><body>hello</body></html>' >"$work/page.xml"
"$INDEX" --list --wordpress "$work/page.xml" >"$work/out" 2>&1
check_eq "a file that is not a WordPress export fails (exit 1)" "$?" 1
check_contains "and says so" "$(cat "$work/out")" "not a WordPress export"
# --- WXR 1.1 in ISO-8859-1, no CDATA, no author table ---
{
    printf '<?xml version="1.0" encoding="ISO-8859-1" ?>\n'
    printf '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    printf 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">\n'
    printf '<channel><title>x</title>\n<item><title>Caf\xe9 cr\xe8me</title><link>https://x.example/cafe/</link>'
    printf '<dc:creator>bob</dc:creator><content:encoded>&lt;p&gt;D\xe9j\xe0 vu&lt;/p&gt;</content:encoded>'
    printf '<wp:post_id>7</wp:post_id><wp:post_date>2011-05-06 10:00:00</wp:post_date>'
    printf '<wp:post_name>cafe</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>'
    printf '</item>\n</channel></rss>\n'
} >"$work/latin1.xml"
"$INDEX" --list --wordpress "$work/latin1.xml" >"$work/list" 2>&1
check_eq "an ISO-8859-1 export is read as UTF-8; a login without a display name is kept" \
    "$(field wp:7 2)|$(field wp:7 3)|$(field wp:7 5)" "indexed|Café crème|bob"

# --- bad usage and a missing file ---
"$INDEX" --list --wordpress "$small" --corpus "$work" >"$work/out" 2>&1
check_eq "--wordpress with --corpus is bad usage (exit 2)" "$?" 2
"$INDEX" --list --wordpress "$work/missing.xml" >"$work/out" 2>&1
check_eq "a missing export fails (exit 1)" "$?" 1
check_contains "naming it" "$(cat "$work/out")" "missing.xml: cannot read WordPress export"
finish
