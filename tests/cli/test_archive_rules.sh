#!/usr/bin/env bash
# test_archive_rules.sh — what a real blog archive brings, indexed and served:
# two posts of one slug (both indexed, the later public id suffixed, every
# public id kept across updates, a newcomer and a rebuild), undated posts
# (indexed, last in date order both ways, outside date filters, shown without a
# date), categories (category:, category=, the facet, the hit), the summary's
# counts, items skipped by rule not read again, .mdx files, and the 5% rule
# (exit 5, what could be indexed published). Real indexer and server.
# usage: test_archive_rules.sh INDEX_BINARY SERVE_BINARY
set -u
INDEX=$1 SERVE=$2
. "$(dirname "$0")/lib.sh"
c=$work/corpus root=$work/root
mkdir -p "$c/2019" "$c/2020" "$c/2021"

# post FILE TITLE BODY [FRONT MATTER LINE...]
post() {
    local file=$1 title=$2 body=$3
    shift 3
    { printf -- '---\ntitle: "%s"\n' "$title"; printf '%s\n' "$@"; printf -- '---\n%s\n' "$body"; } >"$file"
}
index() { "$INDEX" --corpus "$c" --db "$root" "$@" >"$work/out" 2>"$work/err"; }
serve() { start_server "$SERVE" --db "$root" --permalink '/{yyyy}/{slug}/'; }
# ids: "title=public id" of every kestrelword post, one a line, sorted
ids() {
    get "/search?q=kestrelword&format=json&per_page=50"
    jq -r '.results[] | "\(.title)=\(.id)"' <<<"$BODY" | sort | tr '\n' ' '
}

post "$c/2020/a.md" Alpha "A kestrelword post, the first." "date: 2020-03-01" "slug: same" \
    "categories: [Open Data, Events]"
post "$c/2021/b.md" Beta "A kestrelword post, the second." "date: 2021-05-01" "slug: same" \
    "categories: Events"
post "$c/c.mdx" Gamma "A kestrelword post without a date." "slug: other" "categories: [Open Data]"
post "$c/d.md" Delta "Another kestrelword post without a date." "slug: undated-two"
post "$c/draft.md" Draft "A kestrelword draft." "date: 2021-01-01" "draft: true"

# --- the first run: every post in, counted ---
index
check_eq "the first run exits 0" "$?" 0
check_contains "the summary counts skips, undated posts and suffixed slugs" "$(cat "$work/out")" \
    "added 4, updated 0, deleted 0, unchanged 0; skipped 1 (draft 1); refused 0; undated 2; slugs suffixed 1; read 5 of 5 files; 4 posts;"
check_eq "the unique terms are the item ids" \
    "$(xapian-delve -a "$root/current" | tr ' ' '\n' | grep '^Qmd:' | sort | tr '\n' ' ')" \
    "Qmd:2020/a.md Qmd:2021/b.md Qmd:c.mdx Qmd:d.md "

serve
check_eq "both posts of one slug are found, with distinct public ids" "$(ids)" \
    "Alpha=same Beta=same-2 Delta=undated-two Gamma=other "
get "/search?q=kestrelword&format=json&sort=newest"
check_eq "newest first: undated posts last" "$(jq -c '[.results[].date]' <<<"$BODY")" \
    '["2021-05-01","2020-03-01",null,null]'
get "/search?q=kestrelword&format=json&sort=oldest"
check_eq "oldest first: undated posts last too" "$(jq -c '[.results[].date]' <<<"$BODY")" \
    '["2020-03-01","2021-05-01",null,null]'
get "/search?category=events&format=json&sort=oldest"
check_eq "a listing by date (no words) sorts the same way" "$(jq -c '[.results[].id]' <<<"$BODY")" \
    '["same","same-2"]'
for filter in "from=2019" "to=2030" "from=2019&to=2030"; do
    get "/search?q=kestrelword&format=json&$filter"
    check_eq "$filter leaves undated posts out" "$(jq -c '[.results[].id] | sort' <<<"$BODY")" '["same","same-2"]'
done
for q in "kestrelword%20date:2019..2030" "kestrelword%20after:2019" "kestrelword%20before:2030"; do
    get "/search?q=$q&format=json"
    check_eq "$q leaves undated posts out" "$(jq '.results | length' <<<"$BODY")" 2
done
get "/search?q=kestrelword%20without&format=json&facets=1"
check_eq "an undated hit has date null" "$(jq -c '[.results[] | select(.id == "other") | .date]' <<<"$BODY")" '[null]'
check_eq "its URL leaves the date out of the permalink" \
    "$(jq -r '.results[] | select(.id == "other") | .url' <<<"$BODY")" "/other/"
check_eq "and the year facet skips it" "$(jq -c '.facets.years' <<<"$BODY")" '[]'
get "/search?q=kestrelword&format=json"
check_eq "a suffixed post's URL keeps its slug" \
    "$(jq -r '.results[] | select(.id == "same-2") | .url' <<<"$BODY")" "/2021/same/"
get "/search?q=gamma&format=text"
check_lacks "text shows no date for an undated post" "$BODY" "null"
check_eq "text: the line under the title is the categories" "$(sed -n '/^1\. Gamma/{n;p}' <<<"$BODY")" "   Open Data"
get "/search?q=gamma&format=html"
check_contains "html shows the post" "$BODY" "Gamma"
check_lacks "html shows no date for it" "$BODY" "<time"
check_contains "html shows its categories" "$BODY" '<span class="loom-categories">Open Data</span>'
get "/search?q=gamma&format=atom"
updated=$(xapian-metadata get "$root/current" loomsearch.updated_at)
check_contains "atom gives an undated entry the index's time" "$BODY" "<updated>$updated</updated>"
get "/similar?id=same-2"
check_eq "/similar takes a suffixed public id" "$STATUS" 200
check_lacks "and leaves that post out" "$(jq -c '[.results[].id]' <<<"$BODY")" '"same-2"'
get "/similar?id=md:2020/a.md"
check_eq "/similar does not take an item id" "$STATUS" 404

# --- categories ---
get "/search?q=category:events&format=json"
check_eq "category: finds a category's posts" "$(jq -c '[.results[].id] | sort' <<<"$BODY")" '["same","same-2"]'
get "/search?q=category:%22Open%20Data%22&format=json"
check_eq "category:\"Open Data\" (quoted, any case)" "$(jq -c '[.results[].id] | sort' <<<"$BODY")" '["other","same"]'
get "/search?q=kestrelword&category=Open+Data&category=events&format=json"
check_eq "category= filters, repeated as alternatives" "$(jq '.results | length' <<<"$BODY")" 3
get "/search?q=events&format=json"
check_contains "a category's words are found as words" "$(jq -c '[.results[].id]' <<<"$BODY")" '"same"'
get "/search?q=kestrelword&format=json&facets=1"
check_eq "the categories facet counts posts" "$(jq -c '.facets.categories' <<<"$BODY")" \
    '[{"value":"Events","count":2},{"value":"Open Data","count":2}]'
check_eq "a hit carries its categories" \
    "$(jq -c '.results[] | select(.id == "same") | .categories' <<<"$BODY")" '["Open Data","Events"]'
get "/search?q=kestrelword&format=html&facets=1"
check_contains "the html page links a category" "$BODY" "category=Open%20Data&amp;format=html"
stop_server

# --- nothing changed: skipped items are not read again ---
index --verbose
check_contains "an unchanged corpus reads nothing, the draft included" "$(cat "$work/out")" \
    "unchanged 4; skipped 1 (draft 1); refused 0; undated 0; slugs suffixed 0; read 0 of 5 files"
check_contains "--verbose names the skipped file and why" "$(cat "$work/err")" "draft.md: draft, not indexed (unchanged)"

# --- a newcomer with the same slug, first in item order, takes no one's id ---
post "$c/2019/z.md" Zeta "A kestrelword post, the newcomer." "date: 2019-01-01" "slug: same"
post "$c/2020/a.md" Alpha "A kestrelword post, the first, edited." "date: 2020-03-01" "slug: same" \
    "categories: [Open Data, Events]"
index
check_contains "the newcomer is added, suffixed" "$(cat "$work/out")" "added 1, updated 1, deleted 0, unchanged 3; skipped 1 (draft 1); refused 0; undated 0; slugs suffixed 1;"
serve
check_eq "every post keeps its public id; the newcomer gets the next" "$(ids)" \
    "Alpha=same Beta=same-2 Delta=undated-two Gamma=other Zeta=same-3 "
stop_server
index --rebuild
check_eq "a rebuild succeeds" "$?" 0
serve
check_eq "a rebuild keeps every public id" "$(ids)" \
    "Alpha=same Beta=same-2 Delta=undated-two Gamma=other Zeta=same-3 "
stop_server
rm "$c/2020/a.md"
index
serve
check_eq "with the first gone, the others keep theirs" "$(ids)" \
    "Beta=same-2 Delta=undated-two Gamma=other Zeta=same-3 "
stop_server

# --- more than 5% refused: said, exit 5, the rest published ---
printf -- '---\ntitle: Broken\ndate: 2021-02-30\n---\nA date that does not exist.\n' >"$c/broken.md"
post "$c/new.md" Epsilon "A kestrelword post, arriving with a broken one." "date: 2021-06-01"
index
check_eq "a run refusing 1 of 6 posts exits 5" "$?" 5
check_contains "and says so, with the commonest reason and a hint" "$(cat "$work/err")" \
    "refused 1 of 6 posts (17%, over 5%), most for 'field' (1): is --corpus pointing at the posts folder?"
check_contains "the summary counts the refusal by reason" "$(cat "$work/out")" "refused 1 (field 1)"
check_eq "what could be indexed is published" "$(hits arriving)" 1
index
check_eq "unchanged, it still exits 5" "$?" 5
mkdir -p "$c/drafts"
for i in $(seq 1 30); do post "$c/drafts/d$i.md" "Draft $i" "Unfinished." "date: 2021-01-01" "draft: true"; done
for i in $(seq 1 20); do post "$c/p$i.md" "Post $i" "Filler $i." "date: 2021-01-01"; done
index
check_eq "1 refused of 26 posts (30 drafts aside) is under 5%: exit 0" "$?" 0

finish
