#!/usr/bin/env bash
# test_js_sites.sh — Astro and Gatsby sites, whose own code routes their pages
# (indexer/site_astro.c, site_gatsby.c), read through loomsearch-index --list:
# the page routes under src/pages that name a collection, a theme's date key,
# a slug kept as written, collections no route serves, and gatsby-node in
# TypeScript. The sites are small ones written here, shaped as AstroPaper,
# astro-erudite and a TypeScript Gatsby site lay theirs out.
# usage: test_js_sites.sh INDEX_BINARY
set -u
INDEX=${1:?usage: test_js_sites.sh INDEX_BINARY}
. "$(dirname "$0")/../http/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# put FILE TEXT: write TEXT (printf's escapes) to FILE, making its folders.
put() { mkdir -p "$(dirname "$1")" && printf -- "$2" >"$1"; }
# field LIST ID COLUMN: one column of --list's line for item ID.
field() { awk -F'\t' -v id="$2" -v c="$3" '$1 == id { print $c }' "$1"; }

# route FILE COLLECTION PARAM: a page route as Astro sites write one:
# getStaticPaths asks for a collection and names each page by the entry's id.
route() {
    local file=$1
    shift
    mkdir -p "$(dirname "$file")" && route_text "$@" >"$file"
}
route_text() {
    printf -- "---\nimport { getCollection, render } from 'astro:content';\n"
    printf -- "export async function getStaticPaths() {\n"
    printf -- "  const entries = await getCollection(%s);\n" "$1"
    printf -- "  return entries.map((entry) => ({ params: { %s: entry.id }, props: { entry } }));\n" "$2"
    printf -- "}\nconst { entry } = Astro.props;\nconst { Content } = await render(entry);\n---\n<Content />\n"
}

# --- Astro, AstroPaper's layout: collection "blog" served from src/pages/posts ---
a=$work/paper
put "$a/astro.config.mjs" "import { defineConfig } from 'astro/config';\nexport default defineConfig({ site: 'https://paper.example' });\n"
put "$a/src/content/blog/first-light.md" '---\ntitle: First light\npubDatetime: 2025-03-09T08:30:00Z\nmodDatetime: 2025-04-01T10:00:00Z\n---\nThe telescope saw its first star.\n'
put "$a/src/content/blog/field-notes.md" '---\ntitle: Field notes\npubDatetime: 2025-05-02T00:00:00Z\nslug: Field Notes/Day_One\n---\nWind from the west.\n'
put "$a/src/content/links/telescopes.md" '---\ntitle: Telescope makers\nurl: https://scopes.example\n---\nA list.\n'
put "$a/src/content/authors/mira.md" "---\nname: Mira Okafor\n---\nObserves from the hills.\n"
route "$a/src/pages/posts/[...slug].astro" '"blog"' slug
# Pages that also ask for the collection but list it: pagination, tags, home.
put "$a/src/pages/posts/[...page].astro" "---\nimport { getCollection } from 'astro:content';\nexport async function getStaticPaths({ paginate }) {\n  return paginate(await getCollection('blog'), { pageSize: 5 });\n}\n---\n"
put "$a/src/pages/tags/[tag].astro" "---\nimport { getCollection } from 'astro:content';\nexport async function getStaticPaths() {\n  const posts = await getCollection('blog');\n  return [...new Set(posts.flatMap((p) => p.data.tags))].map((tag) => ({ params: { tag } }));\n}\n---\n"
put "$a/src/pages/index.astro" "---\nimport { getCollection } from 'astro:content';\nconst posts = await getCollection('blog');\nconst links = await getCollection('links');\n---\n"
route "$a/src/pages/authors/[id].astro" "'authors'" id
"$INDEX" --list --site "$a" >"$work/paper.tsv" 2>"$work/paper.err"
check_eq "astro: pubDatetime is the post's date" "$(field "$work/paper.tsv" md:blog/first-light.md 4)" 2025-03-09
check_eq "astro: a collection's posts at the folder of the route that asks for it" \
    "$(field "$work/paper.tsv" md:blog/first-light.md 9)" https://paper.example/posts/first-light/
check_eq "astro: a front-matter slug as written, spaces escaped" \
    "$(field "$work/paper.tsv" md:blog/field-notes.md 9)" "https://paper.example/posts/Field%20Notes/Day_One/"
check_eq "astro: a collection only listed, never routed, has no pages" \
    "$(field "$work/paper.tsv" md:links/telescopes.md 2)" skipped:no-page
check_eq "astro: author profiles are not posts" "$(field "$work/paper.tsv" md:authors/mira.md 2)" \
    skipped:not-a-post

# --- Astro, routes that ask for entries through the site's own helper: not
# read, so nothing is skipped and the URLs are today's guess ---
b=$work/helper
put "$b/astro.config.mjs" "export default defineConfig({ site: 'https://helper.example' });\n"
put "$b/src/content/blog/tide-tables.md" '---\ntitle: Tide tables\ndate: 2024-06-01\n---\nLow water at noon.\n'
put "$b/src/content/projects/buoy.md" '---\ntitle: Buoy\n---\nA weather buoy.\n'
put "$b/src/pages/blog/[...id].astro" "---\nimport { allPosts } from '../../lib/posts';\nexport async function getStaticPaths() {\n  return (await allPosts()).map((p) => ({ params: { id: p.id } }));\n}\n---\n"
"$INDEX" --list --site "$b" >"$work/helper.tsv" 2>"$work/helper.err"
check_eq "astro, routes not read: every collection kept, at /COLLECTION/ID/" \
    "$(awk -F'\t' 'NR > 1 { print $1, $2, $9 }' "$work/helper.tsv")" \
    "md:blog/tide-tables.md indexed https://helper.example/blog/tide-tables/
md:projects/buoy.md indexed https://helper.example/projects/buoy/"

# --- pubDatetime is Astro's theme key, not a date anywhere else ---
c=$work/plain
put "$c/notes/moth.md" '---\ntitle: Moth trap\npubDatetime: 2025-07-07T21:00:00Z\n---\nElephant hawk-moths.\n'
"$INDEX" --list --corpus "$c" >"$work/plain.tsv" 2>/dev/null
check_eq "a folder of posts: pubDatetime dates nothing" "$(field "$work/plain.tsv" md:notes/moth.md 4)" ""

# --- Gatsby: gatsby-node in TypeScript (or .mjs) routes by front matter ---
for ext in ts mjs; do
    g=$work/gatsby-$ext
    put "$g/gatsby-config.$ext" "export default { siteMetadata: { siteUrl: 'https://g.example' },\n  plugins: [{ resolve: 'gatsby-source-filesystem', options: { path: './content/posts', name: 'posts' } }] };\n"
    put "$g/gatsby-node.$ext" "export const createPages = async ({ graphql, actions }) => {\n  const { data } = await graphql(\`{ allMdx { nodes { frontmatter { slug } } } }\`);\n  data.allMdx.nodes.forEach((n) => actions.createPage({ path: n.frontmatter.slug, component: 'post' }));\n};\n"
    put "$g/content/posts/kites/index.md" '---\ntitle: Kites\nslug: flying-kites\n---\nOn the beach.\n'
    put "$g/content/posts/drafts/index.md" '---\ntitle: Scratch\n---\nNo slug, no page.\n'
    "$INDEX" --list --site "$g" >"$work/g.tsv" 2>"$work/g.err"
    check_eq "gatsby-node.$ext read: a post with a slug at /SLUG/" \
        "$(field "$work/g.tsv" md:kites/index.md 9)" https://g.example/flying-kites/
    check_eq "gatsby-node.$ext read: a post without one has no page" \
        "$(field "$work/g.tsv" md:drafts/index.md 2)" skipped:no-page
done

finish
