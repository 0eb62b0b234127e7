/* render_html.c — results as HTML: the full page for visitors without
 * JavaScript (and for the widget's "see all"), the results list alone
 * ("fragment") for sites that render server-side, and the home page.
 *
 * Every string from a post or a request goes through html_escape() (quotes
 * too, so it is safe in attributes); title_html and snippet_html arrive escaped
 * by the core with only <mark> added, and are inserted as they are. */
#include "render.h"

#include "config.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static void esc(strbuf *out, const char *s)
{
    if (s) /* an empty strbuf's data */
        html_escape(out, s, strlen(s));
}

/* A link to /search with the view's query, filters and format html, changed
 * by one thing: a page, a sort, an added filter. Escaped for an attribute. */
typedef struct link_change {
    unsigned page;          /* 0: keep */
    const char *sort;       /* NULL: keep */
    const char *add_tag;    /* NULL: none */
    const char *add_category; /* NULL: none */
    const char *add_year;   /* NULL: none */
    const char *q;          /* NULL: the view's query */
    bool literal;           /* correct=0: the words as typed */
    const char *drop;       /* a filter value to leave out (one of the view's), or NULL */
    bool drop_dates;        /* leave from and to out */
} link_change;

static const char *sort_name(xap_sort s)
{
    return s == XAP_SORT_NEWEST ? "newest" : s == XAP_SORT_OLDEST ? "oldest" : "relevance";
}

static void param(strbuf *url, const char *name, const char *value)
{
    sb_printf(url, "&%s=", name);
    url_encode(url, value, strlen(value));
}

static void params(strbuf *url, const char *name, const char *const *values, size_t n, const char *drop)
{
    for (size_t i = 0; i < n; i++)
        if (values[i] != drop)
            param(url, name, values[i]);
}

static void search_link(strbuf *out, const page_view *v, link_change c)
{
    strbuf url = {0};
    sb_puts(&url, "/search?q=");
    const char *q = c.q ? c.q : v->query;
    url_encode(&url, q, strlen(q));
    const xap_filters *f = &v->req->filters;
    params(&url, "tag", f->tags, f->n_tags, c.drop);
    if (c.add_tag)
        param(&url, "tag", c.add_tag);
    params(&url, "author", f->authors, f->n_authors, c.drop);
    params(&url, "category", f->categories, f->n_categories, c.drop);
    if (c.add_category)
        param(&url, "category", c.add_category);
    char day[11];
    if (c.add_year) {
        param(&url, "from", c.add_year);
        param(&url, "to", c.add_year);
    } else if (!c.drop_dates) {
        if (f->from[0]) {
            snprintf(day, sizeof day, "%.4s-%.2s-%.2s", f->from, f->from + 4, f->from + 6);
            param(&url, "from", day);
        }
        if (f->to[0]) {
            snprintf(day, sizeof day, "%.4s-%.2s-%.2s", f->to, f->to + 4, f->to + 6);
            param(&url, "to", day);
        }
    }
    const char *sort = c.sort ? c.sort : sort_name(v->req->sort);
    if (strcmp(sort, "relevance") != 0)
        param(&url, "sort", sort);
    if (c.page > 1)
        sb_printf(&url, "&page=%u", c.page);
    if (c.literal || v->req->no_correction)
        sb_puts(&url, "&correct=0");
    sb_puts(&url, "&format=html");
    esc(out, url.data);
    sb_free(&url);
}

/* " · " between the parts of a hit's meta line, none before the first. */
static void meta_sep(strbuf *out, bool *first)
{
    if (!*first)
        sb_puts(out, " · ");
    *first = false;
}

static void meta_list(strbuf *out, const char *cls, char **items, size_t n, bool *first)
{
    if (!n)
        return;
    meta_sep(out, first);
    sb_printf(out, "<span class=\"%s\">", cls);
    for (size_t i = 0; i < n; i++) {
        sb_puts(out, i ? ", " : "");
        esc(out, items[i]);
    }
    sb_puts(out, "</span>");
}

/* Date (none for an undated post), authors, categories, tags. */
static void hit_meta(strbuf *out, const search_hit *h)
{
    bool first = true;
    sb_puts(out, "<p class=\"loom-meta\">");
    if (h->date) {
        first = false;
        sb_puts(out, "<time datetime=\"");
        esc(out, h->date);
        sb_puts(out, "\">");
        esc(out, h->date);
        sb_puts(out, "</time>");
    }
    for (size_t i = 0; i < h->n_authors; i++) {
        if (i)
            sb_puts(out, ", ");
        else
            meta_sep(out, &first);
        esc(out, h->authors[i]);
    }
    meta_list(out, "loom-categories", h->categories, h->n_categories, &first);
    meta_list(out, "loom-tags", h->tags, h->n_tags, &first);
    sb_puts(out, "</p>");
}

/* Why a hit is listed when nothing in its title or snippet is marked. */
static void hit_why(strbuf *out, const search_hit *h, const char *words)
{
    const char *names[MATCHED_IN_MAX];
    size_t n = matched_in(h, words, names);
    for (size_t i = 0; i < n; i++)
        sb_printf(out, "%s%s", i ? ", " : "<p class=\"loom-why\">Matched in: ", names[i]);
    if (n)
        sb_puts(out, "</p>");
}

static void results_list(strbuf *out, const search_results *r, const page_view *v)
{
    sb_printf(out, "<ol class=\"loom-results\" start=\"%u\">\n",
              (v->page - 1) * v->per_page + 1);
    for (size_t i = 0; i < r->n_hits; i++) {
        const search_hit *h = &r->hits[i];
        sb_puts(out, "<li class=\"loom-hit\"><h2 class=\"loom-title\"><a href=\"");
        esc(out, h->url);
        sb_printf(out, "\">%s</a></h2>", h->title_html);
        hit_meta(out, h);
        if (h->section) {
            sb_puts(out, "<p class=\"loom-section\">In “");
            esc(out, h->section);
            sb_puts(out, "”</p>");
        }
        hit_why(out, h, hits_query(r, v));
        sb_printf(out, "<p class=\"loom-snippet\">%s</p></li>\n", h->snippet_html);
    }
    sb_puts(out, "</ol>\n");
}

static void page_head(strbuf *out, const char *title)
{
    sb_puts(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    esc(out, title);
    sb_puts(out, "</title>\n<link rel=\"stylesheet\" href=\"/page.css\">\n"
                 "<link rel=\"search\" type=\"application/opensearchdescription+xml\" "
                 "title=\"Search the archive\" href=\"");
    esc(out, config->public_url);
    sb_puts(out, "/opensearch.xml\">\n</head>\n<body>\n");
}

static void search_form(strbuf *out, const char *query)
{
    sb_puts(out, "<header class=\"loom-header\">\n");
    if (config->site_url) { /* a visitor who came from the site can go back to it */
        sb_puts(out, "<a class=\"loom-home\" href=\"");
        esc(out, config->site_url);
        sb_puts(out, "\">\u2190 Back to the site</a>\n");
    }
    sb_puts(out, "<form class=\"loom-form\" role=\"search\" "
                 "method=\"get\" action=\"/search\">\n<label for=\"loom-q\">Search the archive</label>\n"
                 "<input id=\"loom-q\" name=\"q\" type=\"search\" value=\"");
    esc(out, query);
    sb_puts(out, "\">\n<input type=\"hidden\" name=\"format\" value=\"html\">\n"
                 "<button type=\"submit\">Search</button>\n</form>\n</header>\n");
}

static void summary_line(strbuf *out, const search_results *r, const page_view *v)
{
    strbuf what = {0};
    describe_request(&what, v, "“", "”");
    sb_printf(out, "<p class=\"loom-count\" role=\"status\">%lu result%s for ", r->total_estimate,
              r->total_estimate == 1 ? "" : "s");
    esc(out, what.data);
    sb_puts(out, "</p>\n");
    sb_free(&what);
    if (v->n_missing_shards)
        sb_puts(out, "<p class=\"loom-partial\">Part of the archive is not answering just now: "
                     "these results may be incomplete.</p>\n");
    if (r->corrected_query) {
        sb_puts(out, r->showing_corrected ? "<p class=\"loom-correction\">Nothing matched; showing results for "
                                          : "<p class=\"loom-correction\">Did you mean ");
        sb_puts(out, "<a href=\"");
        search_link(out, v, (link_change){.q = r->corrected_query});
        sb_puts(out, "\">");
        esc(out, r->corrected_query);
        sb_puts(out, r->showing_corrected ? "</a>." : "</a>?");
        if (r->showing_corrected) { /* the words as typed, one link away */
            sb_puts(out, " Search instead for <a href=\"");
            search_link(out, v, (link_change){.literal = true});
            sb_puts(out, "\">");
            esc(out, v->query);
            sb_puts(out, "</a>.");
        }
        sb_puts(out, "</p>\n");
    }
    if (r->widened)
        sb_puts(out, "<p class=\"loom-note\">No post has every word; these have some of them.</p>\n");
}

static void sort_links(strbuf *out, const page_view *v)
{
    static const char *const sorts[] = {"relevance", "newest", "oldest"};
    sb_puts(out, "<nav class=\"loom-sort\" aria-label=\"Sort\">Sort by:");
    for (size_t i = 0; i < 3; i++) {
        bool current = strcmp(sorts[i], sort_name(v->req->sort)) == 0;
        sb_puts(out, " <a href=\"");
        search_link(out, v, (link_change){.sort = sorts[i]});
        sb_printf(out, "\"%s>%s</a>", current ? " aria-current=\"true\"" : "", sorts[i]);
    }
    sb_puts(out, "</nav>\n");
}

static void pages(strbuf *out, const search_results *r, const page_view *v)
{
    unsigned long last = (r->total_estimate + v->per_page - 1) / v->per_page;
    if (last > config->max_depth / v->per_page)
        last = config->max_depth / v->per_page;
    if (last <= 1)
        return;
    sb_puts(out, "<nav class=\"loom-pages\" aria-label=\"Pages\">");
    if (v->page > 1) {
        sb_puts(out, "<a rel=\"prev\" href=\"");
        search_link(out, v, (link_change){.page = v->page - 1});
        sb_puts(out, "\">Previous</a> ");
    }
    sb_printf(out, "<span>Page %u of %lu</span>", v->page, last);
    if (v->page < last) {
        sb_puts(out, " <a rel=\"next\" href=\"");
        search_link(out, v, (link_change){.page = v->page + 1});
        sb_puts(out, "\">Next</a>");
    }
    sb_puts(out, "</nav>\n");
}

static void facet_links(strbuf *out, const search_results *r, const page_view *v)
{
    if (!r->has_facets || (!r->n_facets[XAP_FACET_TAG] && !r->n_facets[XAP_FACET_YEAR] &&
                           !r->n_facets[XAP_FACET_CATEGORY]))
        return;
    sb_puts(out, "<aside class=\"loom-facets\" aria-label=\"Narrow the results\">\n");
    static const struct {
        xap_facet facet;
        const char *heading;
    } groups[] = {{XAP_FACET_CATEGORY, "Categories"}, {XAP_FACET_TAG, "Tags"}, {XAP_FACET_YEAR, "Years"}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        size_t n = r->n_facets[groups[g].facet];
        if (!n)
            continue;
        sb_printf(out, "<h2>%s</h2>\n<ul>\n", groups[g].heading);
        for (size_t i = 0; i < n && i < 12; i++) {
            const search_facet *f = &r->facets[groups[g].facet][i];
            sb_puts(out, "<li><a href=\"");
            xap_facet facet = groups[g].facet;
            search_link(out, v, facet == XAP_FACET_TAG        ? (link_change){.add_tag = f->value}
                                : facet == XAP_FACET_CATEGORY ? (link_change){.add_category = f->value}
                                                              : (link_change){.add_year = f->value});
            sb_puts(out, "\">");
            esc(out, f->value);
            sb_printf(out, "</a> (%lu)</li>\n", f->count);
        }
        sb_puts(out, "</ul>\n");
    }
    sb_puts(out, "</aside>\n");
}

/* ---- A page that found nothing: ways on ---------------------------------- */

/* Edit distance between two short strings (bytes; the tags are ASCII words). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[65];
    if (la > 64 || lb > 64)
        return 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* How near a tag is to what was typed: the least edit distance between one of
 * the query's words and one of the tag's, over the typed word's length (0 is
 * the same word; a shared start counts as near). */
static double tag_distance(const char *tag, const char *query)
{
    double best = 1e9;
    char *q = casefold(query), *t = casefold(tag);
    for (char *qs = NULL, *qw = strtok_r(q, " \t-\"+():", &qs); qw; qw = strtok_r(NULL, " \t-\"+():", &qs)) {
        size_t ql = strlen(qw);
        if (ql < 2)
            continue;
        char *tc = xstrdup(t);
        for (char *ts = NULL, *tw = strtok_r(tc, " -", &ts); tw; tw = strtok_r(NULL, " -", &ts)) {
            size_t common = 0;
            while (qw[common] && qw[common] == tw[common])
                common++;
            double d = common >= 3 ? 0.5 * (double)(ql - common) / (double)ql
                                   : (double)distance(qw, tw) / (double)ql;
            if (d < best)
                best = d;
        }
        free(tc);
    }
    free(q);
    free(t);
    return best;
}

/* The archive's tags nearest the query (or, when none is near, the most used). */
static void nearest_tags(strbuf *out, const search_results *all, const char *query)
{
    size_t n = all->n_facets[XAP_FACET_TAG], picked[6], n_picked = 0;
    const search_facet *tags = all->facets[XAP_FACET_TAG];
    bool near[XAP_FACET_MAX_VALUES] = {false};
    for (size_t i = 0; i < n && i < XAP_FACET_MAX_VALUES; i++)
        near[i] = tag_distance(tags[i].value, query) <= 0.34;
    for (size_t i = 0; i < n && i < XAP_FACET_MAX_VALUES && n_picked < 6; i++)
        if (near[i])
            picked[n_picked++] = i;
    bool popular = n_picked == 0;
    for (size_t i = 0; popular && i < n && n_picked < 6; i++)
        picked[n_picked++] = i;
    if (!n_picked)
        return;
    sb_puts(out, popular ? "<h2>Tags most written about</h2>\n<ul>\n" : "<h2>Tags like what you typed</h2>\n<ul>\n");
    for (size_t k = 0; k < n_picked; k++) {
        strbuf url = {0};
        sb_puts(&url, "/search?tag=");
        url_encode(&url, tags[picked[k]].value, strlen(tags[picked[k]].value));
        sb_puts(&url, "&format=html");
        sb_puts(out, "<li><a href=\"");
        esc(out, url.data);
        sb_puts(out, "\">");
        esc(out, tags[picked[k]].value);
        sb_printf(out, "</a> (%lu)</li>\n", tags[picked[k]].count);
        sb_free(&url);
    }
    sb_puts(out, "</ul>\n");
}

static void without_filter(strbuf *out, const page_view *v, const char *kind, const char *const *values,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sb_puts(out, "<li><a href=\"");
        search_link(out, v, (link_change){.drop = values[i]});
        sb_printf(out, "\">Search again without %s “", kind);
        esc(out, values[i]);
        sb_puts(out, "”</a></li>\n");
    }
}

static void nothing_found(strbuf *out, const page_view *v)
{
    const xap_filters *f = &v->req->filters;
    sb_puts(out, "<section class=\"loom-empty\" aria-label=\"Other ways to find a post\">\n"
                 "<p>Check the spelling, use fewer words, or try one of these.</p>\n");
    if (f->n_tags || f->n_authors || f->n_categories || f->from[0] || f->to[0]) {
        sb_puts(out, "<h2>Fewer filters</h2>\n<ul>\n");
        without_filter(out, v, "the tag", f->tags, f->n_tags);
        without_filter(out, v, "the author", f->authors, f->n_authors);
        without_filter(out, v, "the category", f->categories, f->n_categories);
        if (f->from[0] || f->to[0]) {
            sb_puts(out, "<li><a href=\"");
            search_link(out, v, (link_change){.drop_dates = true});
            sb_puts(out, "\">Search again at any date</a></li>\n");
        }
        sb_puts(out, "</ul>\n");
    }
    if (v->browse) {
        nearest_tags(out, v->browse, v->query);
        if (v->browse->n_hits) {
            sb_puts(out, "<h2>Newest posts</h2>\n");
            results_list(out, v->browse, &(page_view){.query = "", .req = v->req, .page = 1, .per_page = 5});
        }
    }
    sb_puts(out, "</section>\n");
}

char *render_html_error(const char *query, const char *message, bool whole)
{
    strbuf out = {0};
    if (whole) {
        page_head(&out, "The search could not be made");
        search_form(&out, query);
        sb_puts(&out, "<main class=\"loom-main\">\n");
    }
    sb_puts(&out, "<p class=\"loom-error\" role=\"alert\">The search could not be made: ");
    esc(&out, message);
    sb_puts(&out, ".</p>\n");
    if (whole)
        sb_puts(&out, "</main>\n</body>\n</html>\n");
    return sb_take(&out);
}

char *render_html_page(const search_results *r, const page_view *v)
{
    strbuf out = {0}, title = {0};
    describe_request(&title, v, "“", "”");
    sb_puts(&title, " — search");
    page_head(&out, title.data);
    sb_free(&title);
    search_form(&out, v->query);
    sb_puts(&out, "<main class=\"loom-main\">\n");
    summary_line(&out, r, v);
    if (r->n_hits) {
        sort_links(&out, v);
        results_list(&out, r, v);
        pages(&out, r, v);
    } else {
        nothing_found(&out, v);
    }
    facet_links(&out, r, v);
    sb_puts(&out, "</main>\n</body>\n</html>\n");
    return sb_take(&out);
}

char *render_html_fragment(const search_results *r, const page_view *v)
{
    strbuf out = {0};
    results_list(&out, r, v);
    return sb_take(&out);
}

char *render_home_page(void)
{
    strbuf out = {0};
    page_head(&out, "Search the archive");
    search_form(&out, "");
    sb_puts(&out, "<main class=\"loom-main\">\n<p>Type a word or two: a title, a place, a "
                  "name, a year. <code>\"quotes\"</code> find a phrase, <code>-word</code> leaves "
                  "a word out.</p>\n</main>\n</body>\n</html>\n");
    return sb_take(&out);
}
