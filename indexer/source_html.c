/* source_html.c — a generator's built output (public/, _site/): every *.html file
 * under the folder is a page. An item's id is "html:" and its path relative to
 * the folder; its stamp the file's size and mtime (source_walk, source.c).
 *
 * A page's URL comes from its path: x/index.html -> BASE/x/, x.html ->
 * BASE/x.html, with one slash between --base-url and the path.
 *
 * Left out by rule (POST_SKIP_NOT_A_POST): the home page (index.html at the
 * top), 404.html, anything under a folder named tags, categories, tag,
 * category, author or page (listings and their page/N), a page absent from
 * DIR/sitemap.xml when there is one (<loc> values compared by path, percent-decoded; a sitemap
 * index is followed to the sitemaps it names inside DIR), a page whose og:type
 * is other than "article" (Hugo's and jekyll-seo-tag's lists, home and taxonomy
 * pages say "website"; is_site_page), a folder page2, page3... (jekyll-paginate), a page
 * whose text is mostly links (at least 10 links, link text over half the text)
 * when it has no <main> or <article>, a list of posts (is_listing), an
 * undated page with under three words of text, and a page whose article:section is "" (Hugo's
 * page outside any section: about, contact).
 *
 * Each page is parsed once with gumbo, in the worker. Metadata:
 *   title    og:title; else the first <h1> in the content, unless <title> ends
 *            with it (a sidebar's site name: then <title> less it); else
 *            <title>, less a " | Site" (or - – — ·) suffix when Site is
 *            og:site_name; else the file's slug
 *   date     article:published_time, else JSON-LD datePublished, else the
 *            first <time datetime> in the content, else a YYYY/MM/DD/ in the
 *            path: its first ten characters when a valid YYYY-MM-DD
 *   tags     every article:tag, else a term list's tag links (below), else
 *            <meta name=keywords> unless the home page has the same (the
 *            site's); lower-cased (ASCII) and trimmed
 *   categories  a term list's category links
 *   authors  <meta name=author>, else JSON-LD author.name (an object, a list of
 *            them, or a plain string)
 *   summary  <meta name=description>, else og:description
 * (JSON-LD: the first application/ld+json script.) A page that is not UTF-8 or
 * holds a NUL byte is refused (POST_EUTF8, POST_EBINARY), as is one whose start
 * tags nest deeper than 1000 (a cheap scan, before gumbo).
 * Text: the content element is the --content-selector's ("#id": the element
 * with that id; ".class": the first with that class token), else the first
 * <main>, else the first <article>, else <body>. Its outer HTML, with these
 * descendants blanked out, goes to html_to_post (html_text.h, which drops nav,
 * hidden elements and data-loomsearch-ignore itself): <nav>, <aside>, elements
 * with role banner, navigation, contentinfo or complementary, elements whose
 * class or id contains "cookie", a <header> outside any <article>, <main> or
 * <section> and a <footer> outside any <article> or <section> (inside one they
 * are the post's own: its title, its byline), a byline or term list of the
 * site's links (is_term_list), and a theme's furniture known by its class
 * (is_furniture), whose <time> still dates the post, and the <time> that
 * dates the post when it is in no paragraph, item, cell or quote (beside
 * the title). An element is blanked only when its end tag is written. Text
 * is read from gumbo's text nodes: every character reference decoded. */
#include "source.h"

#include "fdio.h"
#include "html_text.h"
#include "text.h"

#include <ctype.h>
#include <gumbo.h>
#include <limits.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define ID_KIND "html:"
#define MAX_NESTING 1000 /* start tags left open; gumbo's time grows with it */

typedef struct html_source {
    source base;
    char *dir;      /* as given, for messages */
    char *root;     /* dir without trailing slashes */
    char *base_url; /* without trailing slashes */
    char *selector; /* "#id" or ".class", or NULL */
    char **sitemap; /* sorted paths of its <loc>s; NULL: no sitemap.xml */
    size_t n_sitemap;
    char *home_keywords; /* the home page's <meta name=keywords>: the site's, or NULL */
    char *home_generator; /* the home page's <meta name=generator>, or NULL */
} html_source;

static bool is_page_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".html") == 0;
}

static void html_list(source *s, source_list *out)
{
    *out = (source_list){0};
    source_walk(out, ((html_source *)s)->root, ID_KIND, is_page_name);
}

static post_status html_read(const source *s, const char *where, size_t max_bytes, char **buf,
                             size_t *len, post_error *err)
{
    (void)s;
    fd_status rc = fd_read_file(buf, len, where, max_bytes, err->message, sizeof err->message);
    err->line = 0;
    err->code = rc == FD_OK ? POST_OK : rc == FD_ETOOBIG ? POST_ETOOBIG : POST_EIO;
    return err->code;
}

/* ---- URLs and the sitemap ------------------------------------------------------ */

/* The path of a URL ("https://h/a/b?q" -> "/a/b"), percent-decoded as a file's
 * path is written ("/p/caf%C3%A9/" -> "/p/café/": Hugo and jekyll-sitemap encode
 * every byte past ASCII), as a malloc'd copy. */
static char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p)
        return xstrdup("/");
    char *raw = xstrndup(p, strcspn(p, "?#"));
    strbuf path = {0};
    percent_decode(&path, raw);
    free(raw);
    return sb_take(&path);
}

/* rel ("x/index.html", "x.html") as the page's URL under base. */
static char *page_url(const char *base, const char *rel)
{
    strbuf u = {0};
    sb_printf(&u, "%s/", base);
    size_t n = strlen(rel);
    if (strcmp(rel, "index.html") == 0)
        n = 0;
    else if (n > 11 && strcmp(rel + n - 11, "/index.html") == 0)
        n -= 10; /* keeps the slash */
    sb_append(&u, rel, n);
    return sb_take(&u);
}

/* s without leading and trailing white space (malloc'd). */
static char *trim_dup(const char *s)
{
    s += strspn(s, " \t\r\n\f");
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctx)
{
    (void)url, (void)id, (void)ctx;
    return NULL;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the path of every <loc> under node (without recursion into text). */
static void sitemap_locs(const xmlNode *node, html_source *h)
{
    for (const xmlNode *n = node; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "loc") == 0) {
            xmlChar *v = xmlNodeGetContent(n);
            char *trimmed = v ? trim_dup((const char *)v) : NULL;
            xmlFree(v);
            if (trimmed && *trimmed) {
                h->sitemap = xrealloc(h->sitemap, (h->n_sitemap + 1) * sizeof *h->sitemap);
                h->sitemap[h->n_sitemap++] = url_path(trimmed);
            }
            free(trimmed);
        } else if (n->children) {
            sitemap_locs(n->children, h);
        }
    }
}

/* The sitemap file at path parsed (no network, no DTD, no entities), or NULL,
 * said on stderr when the file is there but no sitemap. */
static xmlDoc *sitemap_parse(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    char *buf = NULL, msg[256];
    size_t len = 0;
    xmlDoc *doc = NULL;
    xmlSetExternalEntityLoader(refuse_entity);
    if (fd_read_file(&buf, &len, path, 64u << 20, msg, sizeof msg) == FD_OK && len < INT_MAX)
        doc = xmlReadMemory(buf, (int)len, "sitemap.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(buf);
    if (doc && !doc->intSubset && xmlDocGetRootElement(doc))
        return doc;
    report_to_stderr("loomsearch-index", "%s: not a sitemap (%s), every page is read", path,
                     doc ? "has a DOCTYPE" : "not well-formed XML, or over 64 MiB");
    xmlFreeDoc(doc);
    return NULL;
}

/* Has the path a ".." segment? */
static bool climbs(const char *path)
{
    for (const char *at = strstr(path, "/.."); at; at = strstr(at + 1, "/.."))
        if (at[3] == '/' || at[3] == '\0')
            return true;
    return false;
}

/* The file under the root at a sitemap index's <loc> path (under the base
 * URL's path), or NULL: outside the site, or climbing with "..". */
static char *sitemap_file(const html_source *h, const char *path)
{
    char *base = url_path(h->base_url);
    size_t n = strcmp(base, "/") == 0 ? 0 : strlen(base);
    char *file = NULL;
    if (strncmp(path, base, n) == 0 && path[n] == '/' && !climbs(path)) {
        strbuf f = {0};
        sb_printf(&f, "%s%s", h->root, path + n);
        file = sb_take(&f);
    }
    free(base);
    return file;
}

/* A sitemap index (Hugo writes one for a site of several languages) names
 * sitemaps, not pages: the pages are those of the sitemaps it names inside
 * the site (one level: an index names no index). */
static void sitemap_index_read(html_source *h, xmlDoc *index)
{
    html_source names = {0};
    sitemap_locs(xmlDocGetRootElement(index), &names);
    for (size_t i = 0; i < names.n_sitemap; i++) {
        char *file = sitemap_file(h, names.sitemap[i]);
        xmlDoc *doc = file ? sitemap_parse(file) : NULL;
        if (doc && strcmp((const char *)xmlDocGetRootElement(doc)->name, "urlset") == 0)
            sitemap_locs(xmlDocGetRootElement(doc), h);
        else if (!doc)
            report_to_stderr("loomsearch-index", "sitemap index: %s is no sitemap in %s, its pages "
                             "are not known", names.sitemap[i], h->dir);
        xmlFreeDoc(doc);
        free(file), free(names.sitemap[i]);
    }
    free(names.sitemap);
}

/* DIR/sitemap.xml, when there: the paths of its pages, sorted. */
static void sitemap_read(html_source *h)
{
    strbuf path = {0};
    sb_printf(&path, "%s/sitemap.xml", h->root);
    xmlDoc *doc = sitemap_parse(path.data);
    if (doc) {
        h->sitemap = xmalloc(sizeof *h->sitemap);
        bool index = strcmp((const char *)xmlDocGetRootElement(doc)->name, "sitemapindex") == 0;
        if (index)
            sitemap_index_read(h, doc);
        else
            sitemap_locs(xmlDocGetRootElement(doc), h);
        qsort(h->sitemap, h->n_sitemap, sizeof *h->sitemap, compare_str);
        if (index && !h->n_sitemap) { /* none of its sitemaps read: it says nothing */
            free(h->sitemap), h->sitemap = NULL;
            report_to_stderr("loomsearch-index", "sitemap index: no page in the sitemaps it names, "
                             "every page is read");
        }
    }
    xmlFreeDoc(doc);
    sb_free(&path);
}

/* Whether the page at rel is a listing, the home page, an error page or not in
 * the sitemap. */
static bool skipped_by_path(const html_source *h, const char *rel, const char *url)
{
    static const char *const listings[] = {"tags", "categories", "tag", "category", "author", "page"};
    if (strcmp(rel, "index.html") == 0 || strcmp(rel, "404.html") == 0)
        return true;
    for (const char *c = rel; *c; c += strcspn(c, "/"), c += *c == '/') {
        size_t n = strcspn(c, "/");
        for (size_t k = 0; c[n] == '/' && k < sizeof listings / sizeof *listings; k++)
            if (strlen(listings[k]) == n && strncmp(c, listings[k], n) == 0)
                return true;
        if (c[n] == '/' && n > 4 && strncmp(c, "page", 4) == 0 && strspn(c + 4, "0123456789") == n - 4)
            return true; /* jekyll-paginate's page2/, page3/ */
    }
    if (!h->sitemap)
        return false;
    char *p = url_path(url);
    bool absent = !bsearch(&p, h->sitemap, h->n_sitemap, sizeof *h->sitemap, compare_str);
    free(p);
    return absent;
}

/* ---- Reading the page ------------------------------------------------------------ */

typedef struct page_meta {
    const char *og_title, *og_type, *site_name, *published, *description, *og_description;
    const char *keywords;
    const char *section; /* article:section: Hugo writes "" on a page outside any section */
    const char *generator; /* <meta name=generator>: "Hugo 0.111.3", "Jekyll v4.3.1" */
    const char *image, *image_alt;
    const GumboNode *title, *main, *article, *body, *selected;
    const char **tags, **authors;
    size_t n_tags, n_authors;
    strbuf json_ld; /* the ld+json scripts' text, one after another (the first is read) */
} page_meta;

static const char *attr(const GumboNode *n, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static bool has_class(const GumboNode *n, const char *cls)
{
    const char *c = attr(n, "class");
    size_t k = strlen(cls);
    while (c && *c) {
        c += strspn(c, " \t\r\n\f");
        size_t n_tok = strcspn(c, " \t\r\n\f");
        if (n_tok == k && strncmp(c, cls, k) == 0)
            return true;
        c += n_tok;
    }
    return false;
}

static bool matches(const GumboNode *n, const char *selector)
{
    if (!selector)
        return false;
    if (selector[0] == '#') {
        const char *id = attr(n, "id");
        return id && strcmp(id, selector + 1) == 0;
    }
    return has_class(n, selector + 1);
}

static void note_meta(page_meta *m, const GumboNode *n)
{
    const char *key = attr(n, "property"), *content = attr(n, "content");
    if (!key)
        key = attr(n, "name");
    if (!key || !content)
        return;
    const char **slot = strcmp(key, "og:title") == 0                 ? &m->og_title
                        : strcmp(key, "og:type") == 0                ? &m->og_type
                        : strcmp(key, "og:site_name") == 0           ? &m->site_name
                        : strcmp(key, "article:published_time") == 0 ? &m->published
                        : strcmp(key, "description") == 0            ? &m->description
                        : strcmp(key, "og:description") == 0         ? &m->og_description
                        : strcmp(key, "keywords") == 0               ? &m->keywords
                        : strcmp(key, "article:section") == 0        ? &m->section
                        : strcmp(key, "generator") == 0              ? &m->generator
                        : strcmp(key, "og:image") == 0               ? &m->image
                        : strcmp(key, "og:image:alt") == 0           ? &m->image_alt
                                                                     : NULL;
    if (slot && !*slot)
        *slot = content;
    bool tag = strcmp(key, "article:tag") == 0, author = strcmp(key, "author") == 0;
    const char ***list = tag ? &m->tags : &m->authors;
    size_t *count = tag ? &m->n_tags : &m->n_authors;
    if (tag || author) {
        *list = xrealloc(*list, (*count + 1) * sizeof **list);
        (*list)[(*count)++] = content;
    }
}

static void note_element(page_meta *m, const GumboNode *n, const char *selector)
{
    GumboTag t = n->v.element.tag;
    const GumboVector *kids = &n->v.element.children;
    if (t == GUMBO_TAG_META)
        note_meta(m, n);
    else if (t == GUMBO_TAG_TITLE && !m->title)
        m->title = n;
    else if (t == GUMBO_TAG_MAIN && !m->main)
        m->main = n;
    else if (t == GUMBO_TAG_ARTICLE && !m->article)
        m->article = n;
    else if (t == GUMBO_TAG_BODY && !m->body)
        m->body = n;
    else if (t == GUMBO_TAG_SCRIPT && attr(n, "type") &&
             strcasecmp(attr(n, "type"), "application/ld+json") == 0 && kids->length == 1 &&
             ((const GumboNode *)kids->data[0])->type == GUMBO_NODE_TEXT) {
        sb_puts(&m->json_ld, ((const GumboNode *)kids->data[0])->v.text.text);
        sb_putc(&m->json_ld, '\n');
    }
    if (!m->selected && matches(n, selector))
        m->selected = n;
}

/* Every element of the tree, depth first, in document order; visit(ctx, node,
 * depth) returns false to step over the node's children. */
static void walk_tree(const GumboNode *root, bool (*visit)(void *, const GumboNode *), void *ctx)
{
    size_t n = 0, cap = 64;
    const GumboNode **stack = xmalloc(cap * sizeof *stack);
    stack[n++] = root;
    while (n) {
        const GumboNode *node = stack[--n];
        if (node->type != GUMBO_NODE_ELEMENT || !visit(ctx, node))
            continue;
        const GumboVector *kids = &node->v.element.children;
        if (n + kids->length > cap) {
            cap = 2 * (n + kids->length);
            stack = xrealloc(stack, cap * sizeof *stack);
        }
        for (unsigned i = kids->length; i > 0; i--)
            stack[n++] = kids->data[i - 1];
    }
    free(stack);
}

typedef struct meta_walk {
    page_meta *m;
    const char *selector;
} meta_walk;

static bool visit_meta(void *ctx, const GumboNode *n)
{
    meta_walk *w = ctx;
    note_element(w->m, n, w->selector);
    return true;
}

/* n's text nodes into raw, as gumbo decoded them (every named and numeric
 * character reference), a space where a tag was: "a<br>b" is two words. */
static void gather_text(strbuf *raw, const GumboNode *n, unsigned depth)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
        sb_puts(raw, n->v.text.text);
        return;
    }
    if (n->type != GUMBO_NODE_ELEMENT || depth > MAX_NESTING)
        return;
    const GumboVector *kids = &n->v.element.children;
    sb_putc(raw, ' ');
    for (unsigned i = 0; i < kids->length; i++)
        gather_text(raw, kids->data[i], depth + 1);
    sb_putc(raw, ' ');
}

/* The text of n's descendants, white space collapsed (malloc'd, maybe ""). */
static char *node_text(const GumboNode *n)
{
    strbuf raw = {0}, out = {0};
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE)
        return xstrdup("");
    const GumboVector *kids = &n->v.element.children;
    for (unsigned i = 0; i < kids->length; i++)
        gather_text(&raw, kids->data[i], 0);
    for (size_t k = 0; k < raw.len; k++) {
        bool space = isspace((unsigned char)raw.data[k]);
        if (!space)
            sb_putc(&out, raw.data[k]);
        else if (out.len && k + 1 < raw.len && !isspace((unsigned char)raw.data[k + 1]))
            sb_putc(&out, ' ');
    }
    sb_free(&raw);
    return out.len ? sb_take(&out) : (sb_free(&out), xstrdup(""));
}

/* ---- The content element -------------------------------------------------------- */

typedef struct content_walk {
    const GumboNode *root;
    const char *base;  /* the page's bytes */
    const char *base_url; /* --base-url: which links are the site's */
    char *copy;        /* the content's bytes, blanked in place */
    size_t copy_start; /* offset of copy in base */
    size_t copy_len;
    const GumboNode *h1, *time;
    unsigned term_checks; /* is_term_list's counts so far: a page gets 256 */
    size_t times;         /* <time datetime> elements in the content, furniture's too */
    strbuf tag_names, category_names; /* a term list's links' text, each ended by NUL */
} content_walk;

/* Is n inside an article or a section (or, unless only_sectioning, a main)?
 * A <footer> belongs to its nearest article or section, else to the page:
 * <main> is no sectioning element, and a footer in it but in no article is
 * the site's (hugo-coder's, Stack's). A <header> in a <main> is kept: it is
 * where themes without <article> put the post's title and byline. */
static bool sectioned(const GumboNode *n, const GumboNode *root, bool only_sectioning)
{
    for (const GumboNode *p = n->parent; p; p = p->parent) {
        GumboTag t = p->v.element.tag;
        if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_SECTION || (t == GUMBO_TAG_MAIN && !only_sectioning))
            return true;
        if (p == root)
            break;
    }
    return false;
}

static bool is_chrome(const GumboNode *n, const GumboNode *root)
{
    static const char *const roles[] = {"banner", "navigation", "contentinfo", "complementary"};
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE)
        return true;
    if ((t == GUMBO_TAG_HEADER || t == GUMBO_TAG_FOOTER) && !sectioned(n, root, t == GUMBO_TAG_FOOTER))
        return true;
    const char *role = attr(n, "role"), *id = attr(n, "id"), *cls = attr(n, "class");
    for (size_t k = 0; role && k < sizeof roles / sizeof *roles; k++)
        if (strcasecmp(role, roles[k]) == 0)
            return true;
    return (id && strcasestr(id, "cookie")) || (cls && strcasestr(cls, "cookie"));
}

/* A theme's furniture inside the post's own element, known by its class:
 * breadcrumbs, a table of contents that is no <nav> (every heading would
 * count twice), the byline's line of date, reading time and edit link, and
 * the links to other posts after it (previous and next, related, see also),
 * whose titles would make the post an answer for its neighbours. */
static bool is_furniture(const GumboNode *n)
{
    static const char *const classes[] = {
        "breadcrumb", "breadcrumbs", "toc", "table-of-contents", "post-meta", "entry-meta",
        "post-date", "entry-date",
        "related", "related-posts", "see-also", "post-nav", "post-navigation", "nav-links",
        "pagination", "pager", "links-nextprev", "prev-next", "post-pagination"};
    for (size_t k = 0; k < sizeof classes / sizeof *classes; k++)
        if (has_class(n, classes[k]))
            return true;
    return false;
}

/* n's bytes blanked in the copy. Misnested markup (an end tag after the
 * content's, an element gumbo reopened) can put either tag outside the copy:
 * only what lies in it is blanked. */
static void blank(content_walk *w, const GumboNode *n)
{
    const GumboElement *e = &n->v.element;
    size_t start = w->copy_start, stop = w->copy_start + w->copy_len;
    size_t from = e->original_tag.data ? (size_t)(e->original_tag.data - w->base) : stop;
    size_t to = e->original_end_tag.data ? (size_t)(e->original_end_tag.data - w->base) +
                                               e->original_end_tag.length
                                         : start;
    from = from < start ? start : from;
    to = to > stop ? stop : to;
    if (from < to)
        memset(w->copy + (from - start), ' ', to - from);
}

/* Does href lead into the site whose base URL is base: a path, or an
 * absolute URL on base's host? (A link to GitHub's /releases/tag/v1 is no
 * tag of the post.) */
static bool is_internal(const char *href, const char *base)
{
    const char *scheme = strstr(href, "://");
    if (!scheme && strncmp(href, "//", 2) != 0)
        return strncmp(href, "mailto:", 7) != 0;
    const char *host = strstr(base, "://");
    const char *href_host = scheme ? scheme + 3 : href + 2;
    if (!host)
        return false;
    host += 3;
    size_t n = strcspn(host, "/");
    return strncasecmp(href_host, host, n) == 0 && strchr("/:?#", href_host[n]);
}

/* A link to a tag, category or author page of the site: rel tag/category/author,
 * or an address with such a folder in its path. */
static bool is_term_link(const GumboNode *n, const char *base)
{
    static const char *const folders[] = {"/tags/", "/tag/", "/categories/", "/category/",
                                          "/author/", "/authors/"};
    const char *rel = attr(n, "rel"), *href = attr(n, "href");
    if (href && !is_internal(href, base))
        return false;
    if (rel && (strcasestr(rel, "tag") || strcasestr(rel, "author") || strcasestr(rel, "category")))
        return true;
    for (size_t k = 0; href && k < sizeof folders / sizeof *folders; k++)
        if (strstr(href, folders[k]))
            return true;
    return false;
}

typedef struct term_count {
    size_t links, term_links, times, headings, other_text; /* other: bytes outside a and time */
} term_count;

/* What n holds, counted over its subtree (nodes of at most n's own bytes). */
static void count_terms(const GumboNode *n, term_count *c, bool in_link, const char *base)
{
    if (n->type == GUMBO_NODE_TEXT) {
        for (const char *t = n->v.text.text; !in_link && *t; t++)
            c->other_text += !isspace((unsigned char)*t) && !ispunct((unsigned char)*t);
        return;
    }
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag t = n->v.element.tag;
    c->links += t == GUMBO_TAG_A;
    c->term_links += t == GUMBO_TAG_A && is_term_link(n, base);
    c->times += t == GUMBO_TAG_TIME;
    c->headings += t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
    in_link |= t == GUMBO_TAG_A || t == GUMBO_TAG_TIME;
    const GumboVector *kids = &n->v.element.children;
    for (unsigned i = 0; i < kids->length; i++)
        count_terms(kids->data[i], c, in_link, base);
}

/* A post's byline or term list inside its article: the tags, categories,
 * authors and date a theme shows, which are the post's fields, not its text.
 * An element of at most 2 KB (so the count, recursive, stays small and
 * shallow) holding such links or a <time>, no other link, no heading, and at
 * most a few words of its own ("By", "Tags:", "Posted in"). */
static bool is_term_list(content_walk *w, const GumboNode *n)
{
    const GumboElement *e = &n->v.element;
    GumboTag t = e->tag;
    if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN ||
        t == GUMBO_TAG_BODY || t == GUMBO_TAG_A || t == GUMBO_TAG_TIME || !e->original_tag.data || !e->original_end_tag.data ||
        e->original_end_tag.data < e->original_tag.data ||
        e->original_end_tag.data - e->original_tag.data > 2048 || w->term_checks >= 256)
        return false;
    w->term_checks++;
    term_count c = {0};
    count_terms(n, &c, false, w->base_url);
    return c.term_links + c.times > 0 && c.links == c.term_links && !c.headings &&
           c.other_text <= 16;
}

/* The names a term list's links give: a tag link's text (without a "#"
 * before it, as bearblog writes it) to tag_names, a category link's to
 * category_names; an author link's is left (the byline names authors). */
static bool visit_term_link(void *ctx, const GumboNode *n)
{
    content_walk *w = ctx;
    if (n->v.element.tag != GUMBO_TAG_A || !is_term_link(n, w->base_url))
        return true;
    const char *rel = attr(n, "rel"), *href = attr(n, "href");
    bool category = (rel && strcasestr(rel, "category")) ||
                    (href && (strstr(href, "/categories/") || strstr(href, "/category/")));
    bool tag = !category && ((rel && strcasestr(rel, "tag")) ||
                             (href && (strstr(href, "/tags/") || strstr(href, "/tag/"))));
    char *name = tag || category ? node_text(n) : NULL;
    const char *shown = name ? name + strspn(name, "# ") : NULL;
    if (shown && *shown && strlen(shown) <= 100) {
        strbuf *to = tag ? &w->tag_names : &w->category_names;
        sb_append(to, shown, strlen(shown) + 1);
    }
    free(name);
    return false;
}

static bool is_dating(const GumboNode *n)
{
    return n->v.element.tag == GUMBO_TAG_TIME && attr(n, "datetime");
}

static bool count_times(void *ctx, const GumboNode *n)
{
    ((content_walk *)ctx)->times += is_dating(n);
    return true;
}

static bool visit_time(void *ctx, const GumboNode *n)
{
    content_walk *w = ctx;
    if (n->v.element.tag == GUMBO_TAG_TIME && !w->time && attr(n, "datetime"))
        w->time = n;
    return !w->time;
}

/* Is n inside a paragraph, a list item, a cell or a quote (under root)? A
 * <time> there is part of a sentence ("we meet on <time>May 5</time>"). */
static bool in_prose(const GumboNode *n, const GumboNode *root)
{
    static const GumboTag prose[] = {GUMBO_TAG_P, GUMBO_TAG_LI, GUMBO_TAG_TD, GUMBO_TAG_TH,
                                     GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_DD, GUMBO_TAG_FIGCAPTION};
    for (const GumboNode *p = n->parent; p && p != root; p = p->parent)
        for (size_t k = 0; k < sizeof prose / sizeof *prose; k++)
            if (p->type == GUMBO_NODE_ELEMENT && p->v.element.tag == prose[k])
                return true;
    return false;
}

static bool visit_content(void *ctx, const GumboNode *n)
{
    content_walk *w = ctx;
    const GumboElement *e = &n->v.element;
    if (n != w->root && is_chrome(n, w->root)) {
        blank(w, n);
        return false;
    }
    bool term_list = n != w->root && !is_furniture(n) && is_term_list(w, n);
    if (n != w->root && (term_list || is_furniture(n))) { /* its <time> may date the post */
        if (!w->time)
            walk_tree(n, visit_time, w);
        if (term_list)
            walk_tree(n, visit_term_link, w);
        walk_tree(n, count_times, w);
        blank(w, n);
        return false;
    }
    if (e->tag == GUMBO_TAG_H1 && !w->h1)
        w->h1 = n;
    if (e->tag == GUMBO_TAG_TIME && !w->time && attr(n, "datetime")) {
        w->time = n;
        if (!in_prose(n, w->root)) /* the post's date beside its title: a field, not text */
            blank(w, n);
    }
    w->times += is_dating(n);
    return true;
}

static bool visit_links(void *ctx, const GumboNode *n)
{
    *(size_t *)ctx += n->v.element.tag == GUMBO_TAG_A;
    return true;
}

static size_t count_links(const GumboNode *root)
{
    size_t n = 0;
    walk_tree(root, visit_links, &n);
    return n;
}

/* What an entry of a list holds: a heading and a link (either inside the other). */
typedef struct entry_parts {
    bool heading, link;
} entry_parts;

static bool visit_entry_parts(void *ctx, const GumboNode *n)
{
    entry_parts *e = ctx;
    GumboTag t = n->v.element.tag;
    e->heading |= t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H4;
    e->link |= t == GUMBO_TAG_A && attr(n, "href");
    return !(e->heading && e->link);
}

typedef struct entry_count {
    const GumboNode *root;
    size_t entries;
} entry_count;

/* Count the page's <article>s that are a list's entries: each with a heading
 * and a link, not inside another article (a post's comments and cards), an
 * <aside>, a <nav> or a theme's furniture (related posts beside it). The
 * whole page is looked at: a list without <main> has its first entry as
 * the content element. */
static bool visit_entries(void *ctx, const GumboNode *n)
{
    entry_count *c = ctx;
    GumboTag t = n->v.element.tag;
    if (n != c->root && (t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_NAV || is_furniture(n)))
        return false;
    if (t != GUMBO_TAG_ARTICLE || n == c->root)
        return true;
    entry_parts e = {0};
    walk_tree(n, visit_entry_parts, &e);
    c->entries += e.heading && e.link;
    return false;
}

static size_t count_entries(const GumboNode *root)
{
    entry_count c = {.root = root};
    walk_tree(root, visit_entries, &c);
    return c.entries;
}

/* Words of the content per link in it under which an undated page is a list. */
enum {
    LISTING_WORDS_PER_LINK = 12,
    LISTING_MIN_LINKS = 5,
    LISTING_MIN_TIMES = 3,
    LISTING_MIN_ENTRIES = 3,
    LISTING_MIN_WORDS = 3, /* an undated page with fewer words of text is no post */
};

/* Whether the page is a list of other pages rather than a post: its text is
 * mostly link text, with 10 links or more, when no <main> or <article> says
 * where its content is; or its content has a link for every few words and is
 * undated (an "archives" page that Hugo marks as an article, whose entries
 * are a title and an empty link laid over it: PaperMod's) or, dated, holding
 * three or more <time datetime>s, one for every two links or fewer (each
 * entry's date: Eleventy's archive). A page with a
 * landmark, dated once or twice, stays a post however many links it holds (a
 * links roundup). Whatever its dates, a page whose content holds three or
 * more articles with a heading and a link each is a list of them (Stack's
 * archives and list pages). */
static bool is_listing(const post *p, const page_meta *m, const content_walk *w,
                       const GumboNode *root, const GumboNode *content)
{
    bool landmark = m->selected || m->main || m->article;
    if (!landmark)
        return strlen(p->link_text) * 2 > strlen(p->text) && count_links(root) >= 10;
    if (!p->date && word_count(p->text) < LISTING_MIN_WORDS && !word_count(p->alt_text))
        return true; /* a title and a word or two: a list drawn by script, a search page */
    if (!content)
        return false;
    if (count_entries(root) >= LISTING_MIN_ENTRIES)
        return true;
    size_t links = count_links(content);
    if (p->date && (w->times < LISTING_MIN_TIMES || w->times * 2 < links))
        return false;
    return links >= LISTING_MIN_LINKS && word_count(p->text) < LISTING_WORDS_PER_LINK * links;
}

/* ---- Metadata ------------------------------------------------------------------------ */

/* The first ten characters of s when they are a valid YYYY-MM-DD, else NULL. */
static char *date_of(const char *s)
{
    if (!s)
        return NULL;
    for (int k = 0; k < 10; k++)
        if (k == 4 || k == 7 ? s[k] != '-' : !isdigit((unsigned char)s[k]))
            return NULL;
    int month = atoi(s + 5), day = atoi(s + 8);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return NULL;
    return xstrndup(s, 10);
}

static void add_author(post *p, const json_t *a)
{
    const char *name = json_is_string(a) ? json_string_value(a)
                                         : json_string_value(json_object_get(a, "name"));
    if (!name || !*name)
        return;
    p->authors = xrealloc(p->authors, (p->n_authors + 1) * sizeof *p->authors);
    p->authors[p->n_authors++] = trim_dup(name);
}

/* From the JSON-LD objects (top level, a list, or an @graph): the first
 * datePublished, and the first author(s) when the page named none. */
static void json_ld_meta(post *p, const char *text, size_t len)
{
    json_t *root = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, NULL);
    json_t *graph = json_object_get(root, "@graph"), *list = json_is_array(root) ? root : graph;
    size_t n = list ? json_array_size(list) : 1;
    for (size_t i = 0; i < n; i++) {
        json_t *o = list ? json_array_get(list, i) : root;
        if (!p->date)
            p->date = date_of(json_string_value(json_object_get(o, "datePublished")));
        json_t *a = json_object_get(o, "author");
        size_t n_a = p->n_authors || !a ? 0 : json_is_array(a) ? json_array_size(a) : 1;
        for (size_t k = 0; k < n_a; k++)
            add_author(p, json_is_array(a) ? json_array_get(a, k) : a);
    }
    json_decref(root);
}

/* One tag, trimmed and lower-cased (ASCII); an empty one is no tag. */
static void add_tag(post *p, const char *t, size_t len)
{
    char *raw = xstrndup(t, len), *tag = trim_dup(raw);
    free(raw);
    for (char *c = tag; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (*tag)
        p->tags[p->n_tags++] = tag;
    else
        free(tag);
}

/* A theme that writes no article:tag often lists the tags as keywords
 * (PaperMod: <meta name="keywords" content="a, b">): comma-separated, at most
 * as many as a post may have, none longer than a tag may be. */
static void keyword_tags(post *p, const char *keywords)
{
    free(p->tags);
    p->tags = xcalloc(POST_MAX_TERMS, sizeof *p->tags);
    for (const char *k = keywords; *k && p->n_tags < POST_MAX_TERMS;) {
        size_t n = strcspn(k, ",");
        if (n <= 100)
            add_tag(p, k, n);
        k += n + (k[n] == ',');
    }
}

/* Each NUL-ended name in names, as tags (lower-cased) or categories (as
 * shown), at most as many as a post may have. */
static void link_terms(post *p, const strbuf *names, bool categories)
{
    char ***list = categories ? &p->categories : &p->tags;
    size_t *n = categories ? &p->n_categories : &p->n_tags;
    free(*list);
    *list = xcalloc(POST_MAX_TERMS, sizeof **list);
    *n = 0;
    for (size_t at = 0; at < names->len && *n < POST_MAX_TERMS; at += strlen(names->data + at) + 1) {
        if (categories)
            (*list)[(*n)++] = trim_dup(names->data + at);
        else
            add_tag(p, names->data + at, strlen(names->data + at));
    }
}

/* t (a page's <title>) less " | site" at its end, in place; false when t
 * does not end so. Separators: | - – — · */
static bool strip_site_name(char *t, const char *site_name)
{
    static const char *const seps[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " \xc2\xb7 "};
    size_t n = strlen(t), s = strlen(site_name);
    for (size_t k = 0; s && k < sizeof seps / sizeof *seps; k++) {
        size_t d = strlen(seps[k]);
        if (n > s + d && strcmp(t + n - s, site_name) == 0 && strncmp(t + n - s - d, seps[k], d) == 0) {
            t[n - s - d] = '\0';
            return true;
        }
    }
    return false;
}

/* <title> less " | Site" (or - – — ·) when Site is og:site_name. */
static char *title_of_page(const page_meta *m)
{
    char *t = m->title ? node_text(m->title) : NULL;
    if (t && m->site_name)
        strip_site_name(t, m->site_name);
    return t;
}

/* Does href lead to the site's home page ("/", the base URL or its path)? */
static bool is_home_link(const char *href, const char *base_url)
{
    const char *host = strstr(base_url, "://");
    const char *base_path = host ? strchr(host + 3, '/') : NULL;
    size_t n = strlen(href);
    while (n > 1 && href[n - 1] == '/')
        n--;
    return strcmp(href, "/") == 0 || strcmp(href, "./") == 0 ||
           (n == strlen(base_url) && strncmp(href, base_url, n) == 0) ||
           (base_path && n == strlen(base_path) && strncmp(href, base_path, n) == 0);
}

static bool visit_home_link(void *ctx, const GumboNode *n)
{
    const char **base_url = ctx;
    const char *href = n->v.element.tag == GUMBO_TAG_A ? attr(n, "href") : NULL;
    if (href && *base_url && is_home_link(href, *base_url))
        *base_url = NULL; /* found: the walk is told so */
    return *base_url != NULL;
}

/* The title a page without og:title shows: its content's first <h1>, unless
 * that is the site's name linking home from a sidebar, as <title> says by
 * ending with it ("What's Jekyll? · Hyde" and <h1><a href="/">Hyde</a></h1>):
 * then <title> less it. (A <title> that puts the site's name first, "My
 * Blog - Hello", with the post's <h1>Hello</h1>, keeps the <h1>.) */
static char *title_of_heading(const page_meta *m, const content_walk *w, const char *base_url)
{
    const char *home = base_url;
    walk_tree(w->h1, visit_home_link, &home);
    char *h1 = node_text(w->h1), *page = m->title && !home ? node_text(m->title) : NULL;
    if (page && *h1 && strip_site_name(page, h1)) {
        free(h1);
        return page;
    }
    free(page);
    return h1;
}

static char *slug_of_path(const char *rel)
{
    size_t n = strlen(rel);
    if (n > 11 && strcmp(rel + n - 11, "/index.html") == 0)
        n -= 11;
    else
        n -= 5;
    const char *slash = memrchr(rel, '/', n);
    size_t from = slash ? (size_t)(slash - rel) + 1 : 0;
    char *name = xstrndup(rel + from, n - from), *slug = slugify(name);
    free(name);
    return slug && *slug ? slug : (free(slug), xstrdup("page"));
}

/* The date of a path with "YYYY/MM/DD/" in it (Jekyll's and WordPress's
 * permalinks), or NULL. */
static char *date_in_path(const char *rel)
{
    for (const char *c = rel; *c; c += strcspn(c, "/"), c += *c == '/') {
        char date[11];
        if (strlen(c) < 11 || c[4] != '/' || c[7] != '/' || c[10] != '/')
            continue;
        snprintf(date, sizeof date, "%.4s-%.2s-%.2s", c, c + 5, c + 8);
        char *valid = date_of(date);
        if (valid)
            return valid;
    }
    return NULL;
}

static void fill_meta(post *p, const page_meta *m, const content_walk *w, const char *rel,
                      const html_source *h)
{
    const char *site_keywords = h->home_keywords;
    char *title = m->og_title && *m->og_title ? trim_dup(m->og_title) : NULL;
    if ((!title || !*title) && w->h1)
        free(title), title = title_of_heading(m, w, h->base_url);
    if (!title || !*title)
        free(title), title = title_of_page(m);
    p->slug = slug_of_path(rel);
    p->title = title && *title ? title : (free(title), xstrdup(p->slug));
    p->date = date_of(m->published); /* then JSON-LD's, the content's <time>, the path's */
    p->authors = xcalloc(m->n_authors + 1, sizeof *p->authors);
    for (size_t k = 0; k < m->n_authors; k++) {
        char *a = trim_dup(m->authors[k]);
        if (*a)
            p->authors[p->n_authors++] = a;
        else
            free(a);
    }
    p->image_src = m->image && *m->image ? trim_dup(m->image) : NULL;
    p->image_alt = p->image_src && m->image_alt && *m->image_alt ? trim_dup(m->image_alt) : NULL;
    if (m->json_ld.len)
        json_ld_meta(p, m->json_ld.data, m->json_ld.len);
    if (!p->date) /* the first: a byline may say "Modified" before "Published" */
        p->date = date_of(w->time ? attr(w->time, "datetime") : NULL);
    if (!p->date)
        p->date = date_in_path(rel);
    p->tags = xcalloc(m->n_tags ? m->n_tags : 1, sizeof *p->tags);
    for (size_t k = 0; k < m->n_tags; k++)
        add_tag(p, m->tags[k], strlen(m->tags[k]));
    if (!m->n_tags && w->tag_names.len) /* the tags the page shows as links */
        link_terms(p, &w->tag_names, false);
    else if (!m->n_tags && m->keywords && !(site_keywords && strcmp(m->keywords, site_keywords) == 0))
        keyword_tags(p, m->keywords);
    if (w->category_names.len)
        link_terms(p, &w->category_names, true);
    const char *summary = m->description ? m->description : m->og_description;
    p->summary = summary && *summary ? trim_dup(summary) : NULL;
}

/* The content's first <h1> is the page's title as the theme shows it: when it
 * says the title, it is not text a second time (the title is indexed as such). */
static void drop_title_heading(content_walk *w, const char *title)
{
    char *h1 = w->h1 && w->copy ? node_text(w->h1) : NULL;
    if (h1 && strcmp(h1, title) == 0)
        blank(w, w->h1);
    free(h1);
}

/* ---- Parsing a page ---------------------------------------------------------------- */

/* Whether start tags left open ever exceed MAX_NESTING (a cheap scan that
 * ignores void elements and p/li, which close themselves). */
static bool nests_too_deep(const char *b, size_t n)
{
    static const char *const voids[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                        "link", "meta", "source", "track", "wbr", "p", "li"};
    long depth = 0;
    for (const char *c = memchr(b, '<', n); c; c = memchr(c + 1, '<', (size_t)(b + n - c - 1))) {
        size_t left = (size_t)(b + n - c - 1), k = 0, name = 0;
        bool end = left && c[1] == '/';
        while (1 + end + name < left + 1 && isalnum((unsigned char)c[1 + end + name]))
            name++;
        while (k < sizeof voids / sizeof *voids &&
               !(strlen(voids[k]) == name && strncasecmp(c + 1 + end, voids[k], name) == 0))
            k++;
        if (name && k == sizeof voids / sizeof *voids) {
            depth = end ? (depth > 0 ? depth - 1 : 0) : depth + 1; /* stray end tags open nothing */
            if (depth > MAX_NESTING)
                return true;
        }
        if (c + 1 >= b + n)
            break;
    }
    return false;
}

static const GumboNode *content_of(const page_meta *m)
{
    return m->selected ? m->selected : m->main ? m->main : m->article ? m->article : m->body;
}

/* The content's outer HTML with its chrome blanked (w->copy), and its h1 and time. */
static void cut_content(content_walk *w, const GumboNode *c, const char *buf, size_t len,
                        const char *base_url)
{
    const GumboElement *e = &c->v.element;
    size_t from = e->original_tag.data ? (size_t)(e->original_tag.data - buf) : 0;
    size_t to = e->original_end_tag.data
                    ? (size_t)(e->original_end_tag.data - buf) + e->original_end_tag.length
                    : len;
    if (to < from) /* an element gumbo reopened after its end tag */
        to = len;
    *w = (content_walk){.root = c, .base = buf, .base_url = base_url,
                        .copy = xstrndup(buf + from, to - from), .copy_start = from, .copy_len = to - from};
    walk_tree(c, visit_content, w);
}

/* A page of the site rather than a post, by what its head says: Hugo's and
 * jekyll-seo-tag's og:type is "website" on every list, home and taxonomy
 * page, whatever its path (other generators, Astro's and Gatsby's starters,
 * say "website" on posts too: there it counts only on an undated page); and
 * Hugo's article:section is "" on a page outside any section (about,
 * contact, dated or not: Hugo's archetypes date every page; a blog that
 * keeps its posts at the top of content/ is left out with them). */
static bool is_site_page(const page_meta *m, const post *p, const char *home_generator)
{
    const char *g = m->generator ? m->generator : home_generator;
    bool hugo_or_jekyll = g && (strncmp(g, "Hugo", 4) == 0 || strncmp(g, "Jekyll", 6) == 0);
    if (m->og_type && strcmp(m->og_type, "article") != 0 && (hugo_or_jekyll || !p->date))
        return true;
    return m->section && !*m->section;
}

static post_status html_parse(const source *s, const char *where, const char *buf, size_t len,
                              post **out, post_error *err)
{
    const html_source *h = (const html_source *)s;
    *out = NULL;
    *err = (post_error){.code = POST_OK};
    if (memchr(buf, '\0', len)) {
        snprintf(err->message, sizeof err->message, "%s: a NUL byte: not a text file", where);
        return err->code = POST_EBINARY;
    }
    if (!utf8_valid(buf, len, NULL)) {
        snprintf(err->message, sizeof err->message, "%s: not UTF-8", where);
        return err->code = POST_EUTF8;
    }
    if (nests_too_deep(buf, len)) {
        snprintf(err->message, sizeof err->message, "%s: nests deeper than %d", where, MAX_NESTING);
        return err->code = POST_EFIELD;
    }
    const char *rel = where + strlen(h->root) + 1;
    post *p = xcalloc(1, sizeof *p);
    p->url = page_url(h->base_url, rel);
    GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, buf, len);
    page_meta m = {0};
    walk_tree(g->root, visit_meta, &(meta_walk){&m, h->selector});
    content_walk w = {0};
    const GumboNode *c = content_of(&m);
    if (c)
        cut_content(&w, c, buf, len, h->base_url);
    fill_meta(p, &m, &w, rel, h);
    drop_title_heading(&w, p->title);
    /* Hugo's and jekyll-seo-tag's og:type is "article" on a post and
     * "website" on a list, a home or a taxonomy page, whatever its path. */
    if (skipped_by_path(h, rel, p->url) || is_site_page(&m, p, h->home_generator))
        p->skip = POST_SKIP_NOT_A_POST;
    p->text = xstrdup(""), p->headings = xstrdup(""), p->alt_text = xstrdup("");
    p->link_text = xstrdup(""), p->code = xstrdup("");
    post_status rc = POST_OK;
    if (p->skip == POST_INDEXED && w.copy)
        rc = html_to_post(p, where, w.copy, strlen(w.copy), &(html_options){.ids_as_served = true}, err);
    if (rc == POST_OK && p->skip == POST_INDEXED && is_listing(p, &m, &w, g->root, c))
        p->skip = POST_SKIP_NOT_A_POST;
    free(w.copy);
    sb_free(&w.tag_names), sb_free(&w.category_names);
    free(m.tags), free(m.authors);
    sb_free(&m.json_ld);
    gumbo_destroy_output(&kGumboDefaultOptions, g);
    if (rc != POST_OK) {
        post_free(p);
        return rc;
    }
    *out = p;
    return POST_OK;
}

static void html_name(const source *s, const char *id, strbuf *out)
{
    if (strncmp(id, ID_KIND, strlen(ID_KIND)) == 0)
        id += strlen(ID_KIND);
    sb_printf(out, "%s/%s", ((const html_source *)s)->dir, id);
}

static void html_close(source *s)
{
    html_source *h = (html_source *)s;
    for (size_t k = 0; k < h->n_sitemap; k++)
        free(h->sitemap[k]);
    free(h->sitemap);
    free(h->dir), free(h->root), free(h->base_url), free(h->selector), free(h->home_keywords);
    free(h->home_generator);
    free(h);
}

static const source_ops html_ops = {
    .list = html_list,
    .read = html_read,
    .parse = html_parse,
    .name = html_name,
    .close = html_close,
};

/* The home page's keywords and generator, read once before the workers
 * start: a theme that writes the site's keywords on every page (hugo-coder)
 * gives a post the same ones, which are then no tags of it; and a theme may
 * name the generator on the home page only (bearblog). */
static void home_meta_read(html_source *h)
{
    strbuf path = {0};
    sb_printf(&path, "%s/index.html", h->root);
    char *buf = NULL, msg[256];
    size_t len = 0;
    if (fd_read_file(&buf, &len, path.data, 8u << 20, msg, sizeof msg) == FD_OK && !nests_too_deep(buf, len)) {
        GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, buf, len);
        page_meta m = {0};
        walk_tree(g->root, visit_meta, &(meta_walk){&m, NULL});
        h->home_keywords = m.keywords ? xstrdup(m.keywords) : NULL;
        h->home_generator = m.generator ? xstrdup(m.generator) : NULL;
        free(m.tags), free(m.authors);
        sb_free(&m.json_ld);
        gumbo_destroy_output(&kGumboDefaultOptions, g);
    }
    free(buf);
    sb_free(&path);
}

static bool selector_valid(const char *s)
{
    if (!s || (s[0] != '#' && s[0] != '.') || !s[1])
        return false;
    for (const char *c = s + 1; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("-_:", *c))
            return false;
    return true;
}

source *source_html_open(const char *dir, const char *base_url, const char *content_selector,
                         char *why, size_t why_len)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "--html %s is not a folder", dir);
        return NULL;
    }
    if (content_selector && !selector_valid(content_selector)) {
        snprintf(why, why_len, "--content-selector %s: give \"#id\" or \".class\" (letters, "
                 "digits, -, _ and :)", content_selector);
        return NULL;
    }
    html_source *h = xmalloc(sizeof *h);
    size_t root_len = strlen(dir), base_len = strlen(base_url);
    while (root_len > 1 && dir[root_len - 1] == '/')
        root_len--;
    while (base_len > 0 && base_url[base_len - 1] == '/')
        base_len--;
    *h = (html_source){.base = {.ops = &html_ops}, .dir = xstrdup(dir),
                       .root = xstrndup(dir, root_len), .base_url = xstrndup(base_url, base_len),
                       .selector = content_selector ? xstrdup(content_selector) : NULL};
    h->base.label = h->dir;
    sitemap_read(h);
    home_meta_read(h);
    return &h->base;
}
