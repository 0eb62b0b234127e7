#!/usr/bin/env bash
# test_html_site.sh — loomsearch-index --html: a generator's built output read
# page by page (source_html.c): what --list says of each page (skip rules,
# metadata from og/article meta, JSON-LD, <time>, <title>), URLs from paths, an
# index built and searched for the words of site chrome that must not be there,
# --content-selector, and the options it goes with.
# usage: test_html_site.sh INDEX_BINARY SITE_FOLDER
set -u
INDEX=$1 SITE=$2
. "$(dirname "$0")/lib.sh"
BASE=https://blog.example.org/

field() { awk -F'\t' -v id="html:$1" -v col="$2" '$1 == id { print $col }' "$work/list"; }
# status|title|date|authors|tags|summary|url
row() { awk -F'\t' -v id="html:$1" '$1 == id { print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $8 "|" $9 }' "$work/list"; }

# --- --list: every page, its status and fields ---
"$INDEX" --list --html "$SITE" --base-url "$BASE" >"$work/list" 2>"$work/err"
check_eq "--list on the built site exits 0" "$?" 0
check_eq "one line per *.html file" "$(($(wc -l <"$work/list") - 1))" 8
check_eq "the sitemap is read without complaint" "$(cat "$work/err")" ""
check_eq "og/article meta and <main>: og:title, published_time, author, tags, description, folder URL" \
    "$(row posts/river-walk/index.html)" \
    "indexed|A River Walk in March|2024-03-09|Mara Quill|walks|rivers|Herons along the towpath.|https://blog.example.org/posts/river-walk/"
check_eq "JSON-LD and <article>: the first <h1>, datePublished, every author.name, x.html URL" \
    "$(row posts/orchard.html)" \
    "indexed|Pruning the old orchard|2023-11-20|Ivo Brandt|Lena Moss|||https://blog.example.org/posts/orchard.html"
check_eq "no main or article: <title>, the date of <time datetime>" \
    "$(row notes/chrome.html)" "indexed|Moth trap night|2022-07-14||||https://blog.example.org/notes/chrome.html"
check_eq "the home page is not a post" "$(field index.html 2)|$(field index.html 9)" \
    "skipped:not-a-post|https://blog.example.org/"
check_eq "404.html is not a post" "$(field 404.html 2)" "skipped:not-a-post"
check_eq "a tag listing is not a post" "$(field tags/walks/index.html 2)" "skipped:not-a-post"
check_eq "a page of links without main text is not a post" "$(field notes/links.html 2)" "skipped:not-a-post"
check_eq "a page missing from sitemap.xml is not a post; <title> less ' | og:site_name'" \
    "$(field notes/draft-page.html 2)|$(field notes/draft-page.html 3)" "skipped:not-a-post|Unlisted"
"$INDEX" --list --html "$SITE" --base-url https://blog.example.org >"$work/list2" 2>&1
check_eq "a base URL without its slash gives the same URLs" "$(cut -f9 "$work/list2")" "$(cut -f9 "$work/list")"

# --- an index: the main content is searchable, the chrome is not ---
root=$work/idx
"$INDEX" --html "$SITE" --base-url "$BASE" --db "$root" --jobs 2 >"$work/out" 2>&1
check_eq "the built site indexes (exit 0)" "$?" 0
check_eq "three posts" "$(docs)" 3
check_eq "words of the main content are found" \
    "$(hits riverwordalpha) $(hits orchardwordbeta) $(hits mothwordgamma)" "1 1 1"
for w in headerwordalpha navwordalpha footerwordalpha asidewordbeta headerwordgamma navwordgamma \
    rolenavwordgamma cookiewordgamma hiddenwordgamma ignorewordgamma asidewordgamma footerwordgamma \
    unlistedworddelta; do
    check_eq "site chrome and hidden text are not indexed: $w" "$(hits $w)" 0
done
check_eq "an <article>'s own header is its text" "$(hits "pruning brandt")" 1
check_eq "outside the chrome the body's text stays" "$(hits sharewordgamma)" 1
"$INDEX" --html "$SITE" --base-url "$BASE" --db "$root" --jobs 2 >"$work/out" 2>&1
check_contains "an unchanged site reads no page" "$(cat "$work/out")" "read 0 of 8"

# --- --content-selector ---
"$INDEX" --html "$SITE" --base-url "$BASE" --content-selector .post-body --db "$root" --rebuild \
    --jobs 2 >"$work/out" 2>&1
check_eq "--content-selector .post-body: the element's text only" \
    "$(hits mothwordgamma) $(hits sharewordgamma)" "1 0"
"$INDEX" --list --html "$SITE" --base-url "$BASE" --content-selector '#nothing-here' >"$work/list" 2>&1
check_eq "a selector matching nothing falls back to main, article, body" "$(field notes/chrome.html 2)" indexed
"$INDEX" --list --html "$SITE" --base-url "$BASE" --content-selector 'div.post > p' >"$work/out" 2>&1
check_eq "a selector that is not #id or .class is refused" "$?" 1
check_contains "saying what it takes" "$(cat "$work/out")" '"#id" or ".class"'

# --- a sitemap index (Hugo writes one for a site of several languages) ---
ml=$work/multilingual
mkdir -p "$ml/posts/hello" "$ml/fr/posts/bonjour" "$ml/en" "$ml/posts/unlisted"
page() { printf '<html><head><title>%s</title></head><body><main><h1>%s</h1><p>%s</p></main></body></html>\n' \
    "$2" "$2" "$3" >"$ml/$1"; }
page posts/hello/index.html "Hello" "An englishwordindex post."
page fr/posts/bonjour/index.html "Bonjour" "Un frenchwordindex billet."
page posts/unlisted/index.html "Unlisted" "Not in any sitemap."
urlset() { printf '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           for u in "$@"; do printf '<url><loc>%s</loc></url>' "$u"; done; printf '</urlset>\n'; }
urlset https://multi.example.org/docs/posts/hello/ >"$ml/en/sitemap.xml"
urlset https://multi.example.org/docs/fr/posts/bonjour/ >"$ml/fr/sitemap.xml"
urlset https://multi.example.org/docs/posts/unlisted/ >"$work/outside.xml"
{ printf '<?xml version="1.0"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
  for l in en/sitemap.xml fr/sitemap.xml ../outside.xml missing/sitemap.xml; do
      printf '<sitemap><loc>https://multi.example.org/docs/%s</loc></sitemap>' "$l"; done
  printf '</sitemapindex>\n'; } >"$ml/sitemap.xml"
"$INDEX" --list --html "$ml" --base-url https://multi.example.org/docs/ >"$work/list" 2>"$work/err"
check_eq "a sitemap index: the pages of the sitemaps it names are posts" \
    "$(awk -F'\t' '$2 == "indexed" { print $9 }' "$work/list" | sort | tr '\n' ' ')" \
    "https://multi.example.org/docs/fr/posts/bonjour/ https://multi.example.org/docs/posts/hello/ "
check_eq "  a page in none of them is not, nor one a sitemap outside the site names" \
    "$(field posts/unlisted/index.html 2)" skipped:not-a-post
check_contains "  a sitemap it names that is not there is said" "$(cat "$work/err")" "missing/sitemap.xml is no sitemap"

# --- a sitemap writes a path past ASCII percent-encoded; the folder holds it as written ---
uni=$work/unicode
mkdir -p "$uni/p/café" "$uni/p/tea"
for d in café tea; do
    printf '<html><head><title>%s</title></head><body><main><p>Brewing notes for the morning pot.</p></main></body></html>\n' "$d" >"$uni/p/$d/index.html"
done
printf '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s</loc></url><url><loc>%s</loc></url></urlset>\n' \
    "${BASE}p/caf%C3%A9/" "${BASE}p/tea/" >"$uni/sitemap.xml"
"$INDEX" --list --html "$uni" --base-url "$BASE" >"$work/list" 2>&1
check_eq "a page the sitemap names percent-encoded is in the sitemap" \
    "$(field p/café/index.html 2) $(field p/tea/index.html 2)" "indexed indexed"

# --- lists that no path rule knows: og:type and jekyll-paginate's page2/ ---
ls_=$work/lists
mkdir -p "$ls_/series/guides" "$ls_/posts/walk" "$ls_/page2"
typed() { printf '<html><head><title>%s</title><meta property="og:type" content="%s"></head><body><main><p>%s</p></main></body></html>\n' \
    "$2" "$3" "$4" >"$ls_/$1"; }
typed series/guides/index.html "Guides" website "A list of guides."
typed posts/walk/index.html "A walk" article "By the river."
typed page2/index.html "Older posts" "" "Page two of the list."
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "a page whose og:type is website is not a post; one of article is" \
    "$(field series/guides/index.html 2) $(field posts/walk/index.html 2)" "skipped:not-a-post indexed"
check_eq "a folder page2 is a list's second page" "$(field page2/index.html 2)" skipped:not-a-post

# --- an archive page marked as an article: titles and empty links laid over them ---
mkdir -p "$ls_/archives" "$ls_/posts/roundup"
entries() { for k in 1 2 3 4 5 6; do
    printf '<div class="archive-entry"><h3>Entry number %s</h3><span>May %s</span><a href="/posts/p%s/"></a></div>\n' "$k" "$k" "$k"
done; }
{ printf '<html><head><title>Archive</title><meta property="og:type" content="article"></head><body><main><h1>Archive</h1>\n'
  entries; printf '</main></body></html>\n'; } >"$ls_/archives/index.html"
{ printf '<html><head><title>Links of the week</title><meta property="og:type" content="article">'
  printf '<meta property="article:published_time" content="2024-05-10"></head><body><main><h1>Links of the week</h1>\n'
  entries; printf '</main></body></html>\n'; } >"$ls_/posts/roundup/index.html"
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "an undated page with a link for every few words is a list; dated, the same is a post" \
    "$(field archives/index.html 2) $(field posts/roundup/index.html 2)" "skipped:not-a-post indexed"

# --- Hugo's top-level pages, dated lists, an empty page ---
mkdir -p "$ls_/about" "$ls_/blog" "$ls_/stub"
printf '<html><head><title>About</title><meta property="og:type" content="article"><meta property="article:section" content="">\n</head><body><main><p>We are a small team.</p></main></body></html>\n' >"$ls_/about/index.html"
{ printf '<html><head><title>Blog</title></head><body><main><h1>Blog</h1><ol>\n'
  for k in 1 2 3 4 5; do printf '<li><a href="/blog/p%s/">Post %s</a> <time datetime="2024-0%s-01">%s</time></li>\n' "$k" "$k" "$k" "$k"; done
  printf '</ol></main></body></html>\n'; } >"$ls_/blog/index.html"
printf '<html><head><title>Stub</title></head><body><main><h1>Search</h1><div id="app"></div></main></body></html>\n' >"$ls_/stub/index.html"
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "a page Hugo puts in no section (article:section \"\") is not a post" "$(field about/index.html 2)" skipped:not-a-post
check_eq "a list of posts, each with its <time>, is not a post though the first dates it" \
    "$(field blog/index.html 2)" skipped:not-a-post
check_eq "an undated page with a word or two of text is not a post" "$(field stub/index.html 2)" skipped:not-a-post
mkdir -p "$ls_/series" "$ls_/posts/cards"
card() { printf '<article><a href="/posts/%s/"><h2>%s</h2></a><time datetime="2024-01-0%s">x</time></article>\n' "$1" "$2" "$3"; }
{ printf '<html><head><title>Series</title></head><body><main>\n'; card a "Alpha walk" 1; card b "Beta walk" 2; card c "Gamma walk" 3
  printf '</main></body></html>\n'; } >"$ls_/series/index.html"
{ printf '<html><head><title>Cards</title><meta property="article:published_time" content="2024-02-02"></head><body><main>'
  printf '<article><h1>Cards</h1><p>Printing cards by hand takes a steady press and patience.</p></article><aside>\n'
  card a "Alpha walk" 1; card b "Beta walk" 2; card c "Gamma walk" 3; printf '</aside></main></body></html>\n'; } >"$ls_/posts/cards/index.html"
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "three articles with a heading and a link each are a list; as related posts in an <aside> they are not" \
    "$(field series/index.html 2) $(field posts/cards/index.html 2)" "skipped:not-a-post indexed"

# --- the links around a post: the site's footer in <main>, next and previous, tags ---
mkdir -p "$ls_/posts/glaze"
cat >"$ls_/posts/glaze/index.html" <<'PAGE'
<html><head><title>Mixing a glaze</title><meta property="article:published_time" content="2023-02-03">
</head><body><main><article><h1>Mixing a glaze</h1><p>Weigh the feldspar first.</p>
<section class="article-tags"><a href="/tags/glazes/">#Glazes</a> <a href="/tags/chemistry/">Chemistry</a>
<a href="/categories/studio-notes/">Studio notes</a></section>
<footer><p>Thanks for reading.</p></footer></article>
<ul class="links-nextprev"><li>Previous: <a href="/posts/kiln/">Firing the kiln nextprevword</a></li></ul>
<div class="related"><a href="/posts/clay/">Wedging clay relatedword</a></div>
<footer class="site-footer">Powered by sitefooterword</footer></main></body></html>
PAGE
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "tag and category links shown in a term list are the tags and categories" \
    "$(field posts/glaze/index.html 6)|$(field posts/glaze/index.html 7)" "glazes|chemistry|Studio notes"
"$INDEX" --html "$ls_" --base-url "$BASE" --db "$work/lists-idx" --quiet >"$work/out" 2>&1
root=$work/lists-idx
check_eq "the post's own footer is its text" "$(hits "thanks reading feldspar")" 1
for w in nextprevword relatedword sitefooterword; do
    check_eq "next/previous, related posts and the site's footer in <main> are no text: $w" "$(hits $w)" 0
done

# --- where a theme puts a post's title and date ---
mkdir -p "$ls_/2012/02/06/whats-new" "$ls_/posts/release" "$ls_/posts/chapter"
cat >"$ls_/2012/02/06/whats-new/index.html" <<'PAGE'
<html><head><title>What&rsquo;s new &middot; Sidebar Site</title></head><body>
<div class="sidebar"><h1><a href="/">Sidebar Site</a></h1></div>
<div class="post"><h1 class="post-title">What&rsquo;s new</h1><span class="post-date">06 Feb 2012</span>
<p>Fresh paint on the gallery walls.</p></div></body></html>
PAGE
cat >"$ls_/posts/release/index.html" <<'PAGE'
<html><head><title>Release</title><meta property="article:published_time" content="2016-09-18T11:40:37+01:00">
</head><body><main><div class="byline">Modified: <time datetime="2018-02-23">2018-02-23</time>
by the team; Published: <time datetime="2016-09-18">2016-09-18</time></div><p>Version one ships.</p></main></body></html>
PAGE
cat >"$ls_/posts/chapter/index.html" <<'PAGE'
<html><head><title>Chapter one</title></head><body><main><article><header><h1>Chapter one</h1>
<time datetime="2017-04-09T10:58:08-04:00">April 9, 2017</time></header>
<p>The great hall was full of people on <time datetime="2017-01-06">the sixth</time> of January.</p></article></main></body></html>
PAGE
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "a sidebar's <h1> that <title> ends with is the site's name: <title> less it; the date from the path" \
    "$(field 2012/02/06/whats-new/index.html 3)|$(field 2012/02/06/whats-new/index.html 4)" "What’s new|2012-02-06"
check_eq "article:published_time before a byline's first <time> (which says 'Modified')" \
    "$(field posts/release/index.html 4)" "2016-09-18"
check_eq "the <time> that dates the post beside its title is no text; one in a sentence is" \
    "$(field posts/chapter/index.html 4)|$(field posts/chapter/index.html 10)" "2017-04-09|12"

# --- what a head says, read with care; a post's own parts; text without spaces ---
mkdir -p "$ls_/astro/post" "$ls_/hugo-list" "$ls_/pelican" "$ls_/comments" "$ls_/cjk"
printf '<html><head><title>Launch</title><meta property="og:type" content="website"></head><body><main><article><h1>Launch</h1><time datetime="2024-03-02">2 March</time><p>The station opened its doors to the public today.</p></article></main></body></html>\n' >"$ls_/astro/post/index.html"
printf '<html><head><title>Posts</title><meta name="generator" content="Hugo 0.111.3"><meta property="og:type" content="website"></head><body><main><p>Dated <time datetime="2024-01-01">x</time> entries, and more words here.</p></main></body></html>\n' >"$ls_/hugo-list/index.html"
printf '<html><head><title>My Blog - Hello world</title></head><body><article><h1>Hello world</h1><p>First words of the first post here.</p></article></body></html>\n' >"$ls_/pelican/index.html"
{ printf '<html><head><meta property="article:published_time" content="2024-01-01"><title>Kiln log</title></head><body><article><h1>Kiln log</h1><p>Cone six reached at dawn after twelve hours.</p><section>\n'
  for k in 1 2 3; do printf '<article><h3>Reader %s</h3><a href="#c%s">link</a><p>Nice.</p></article>\n' "$k" "$k"; done
  printf '</section></article></body></html>\n'; } >"$ls_/comments/index.html"
printf '<html><head><title>发布</title></head><body><main><p>我们今天发布了第二版，修复了很多问题。</p></main></body></html>\n' >"$ls_/cjk/index.html"
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "og:type website on a dated post of a site that does not say Hugo or Jekyll: a post; on Hugo's: a list" \
    "$(field astro/post/index.html 2) $(field hugo-list/index.html 2)" "indexed skipped:not-a-post"
check_eq "a <title> with the site's name first keeps the post's <h1> as the title" \
    "$(field pelican/index.html 3)" "Hello world"
check_eq "comments as articles inside the post's own article make no list" "$(field comments/index.html 2)" indexed
check_eq "an undated page of Chinese text has its words, one a character" \
    "$(field cjk/index.html 2)|$(field cjk/index.html 10)" "indexed|19"

# --- a theme's furniture inside the post's <main>, known by its class ---
mkdir -p "$ls_/posts/kiln"
cat >"$ls_/posts/kiln/index.html" <<'PAGE'
<html><head><title>Firing the kiln</title><meta name="keywords" content="Pottery, kilns , ,clay">
</head><body><main><article><header>
<div class="breadcrumbs"><a href="/">Home</a> » <a href="/posts/">Posts</a></div>
<h1>Firing the kiln</h1>
<div class="post-meta"><time datetime="2022-05-06">May 6</time> · 3 min · <a href="/edit">Suggest changes</a></div>
</header>
<div class="toc"><details><summary>Table of contents</summary><ul><li><a href="#glaze">Glazewordtoc</a></li></ul></details></div>
<div class="post-content"><h2 id="glaze">Glaze</h2><p>Cone six overnight.</p></div>
</article></main></body></html>
PAGE
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "breadcrumbs, byline and a table of contents are no text; the byline's <time> dates the post" \
    "$(field posts/kiln/index.html 4)|$(field posts/kiln/index.html 10)" "2022-05-06|4"
check_eq "without article:tag, the keywords are the tags" "$(field posts/kiln/index.html 6)" "pottery|kilns|clay"
mkdir -p "$ls_/posts/wheel"
printf '<html><head><title>Home</title><meta name="keywords" content="blog, developer"></head><body><main><p>Home.</p></main></body></html>\n' >"$ls_/index.html"
printf '<html><head><title>Throwing</title><meta name="keywords" content="blog, developer"></head><body><main><p>Centre the clay on the wheel head first.</p></main></body></html>\n' >"$ls_/posts/wheel/index.html"
"$INDEX" --list --html "$ls_" --base-url "$BASE" >"$work/list" 2>&1
check_eq "keywords the home page has too are the site's, no post's tags" \
    "$(field posts/wheel/index.html 2)|$(field posts/wheel/index.html 6)|$(field posts/kiln/index.html 6)" "indexed||pottery|kilns|clay"

# --- options ---
"$INDEX" --list --html "$SITE" >"$work/out" 2>&1
check_eq "--html without --base-url is a usage error" "$?" 2
"$INDEX" --list --html "$SITE" --base-url "$BASE" --corpus "$SITE" >"$work/out" 2>&1
check_eq "--html with --corpus is a usage error" "$?" 2
"$INDEX" --list --corpus "$SITE" --base-url "$BASE" >"$work/out" 2>&1
check_eq "--base-url without --html is a usage error" "$?" 2

finish
