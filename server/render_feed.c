/* render_feed.c — the XML the server speaks: a query's results as an Atom
 * feed (newest first, for saved-search alerts) and the OpenSearch description
 * that lets browsers offer the archive's search. Feeds need absolute links, so
 * addresses come from --public-url and the permalink pattern, never guessed
 * from a request's Host header. */
#include "render.h"

#include "config.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(strbuf *out, const char *s)
{
    html_escape(out, s, strlen(s)); /* &amp; &lt; &gt; &quot; &#39;: all valid XML */
}

/* The scheme and host a site-relative post URL belongs to: the permalink
 * pattern's when it is absolute (the blog's), else the server's. */
static void site_origin(strbuf *out)
{
    const char *pattern = config->search.permalink;
    const char *scheme = strstr(pattern, "://");
    if (scheme && (strncmp(pattern, "http://", 7) == 0 || strncmp(pattern, "https://", 8) == 0)) {
        const char *path = strchr(scheme + 3, '/');
        sb_append(out, pattern, path ? (size_t)(path - pattern) : strlen(pattern));
    } else {
        sb_puts(out, config->public_url);
    }
}

static void absolute_url(strbuf *out, const char *url)
{
    strbuf abs = {0};
    if (url[0] == '/')
        site_origin(&abs);
    sb_puts(&abs, url);
    esc(out, abs.data);
    sb_free(&abs);
}

/* The address of this search in another format, escaped for XML. */
static void feed_self(strbuf *out, const page_view *v, const char *format)
{
    strbuf url = {0};
    sb_printf(&url, "%s/search?q=", config->public_url);
    url_encode(&url, v->query, strlen(v->query));
    for (size_t i = 0; i < v->req->filters.n_tags; i++) {
        sb_puts(&url, "&tag=");
        url_encode(&url, v->req->filters.tags[i], strlen(v->req->filters.tags[i]));
    }
    for (size_t i = 0; i < v->req->filters.n_categories; i++) {
        sb_puts(&url, "&category=");
        url_encode(&url, v->req->filters.categories[i], strlen(v->req->filters.categories[i]));
    }
    sb_printf(&url, "&format=%s", format);
    esc(out, url.data);
    sb_free(&url);
}

/* An entry's <updated>: its date at midnight UTC; for an undated post, when
 * the index last changed (Atom requires one). */
static void entry_updated(char out[32], const search_hit *h, const page_view *v)
{
    if (h->date)
        snprintf(out, 32, "%.10sT00:00:00Z", h->date);
    else
        snprintf(out, 32, "%s", v->index_updated ? v->index_updated : "1970-01-01T00:00:00Z");
}

char *render_atom(const search_results *r, const page_view *v)
{
    strbuf out = {0};
    char newest[32] = "1970-01-01T00:00:00Z", updated[32];
    for (size_t i = 0; i < r->n_hits; i++) { /* ISO 8601 in UTC sorts as text */
        entry_updated(updated, &r->hits[i], v);
        if (strcmp(updated, newest) > 0)
            memcpy(newest, updated, sizeof newest);
    }
    sb_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Search: ");
    esc(&out, v->query);
    sb_puts(&out, "</title>\n<id>");
    feed_self(&out, v, "atom");
    sb_puts(&out, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    feed_self(&out, v, "atom");
    sb_puts(&out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    feed_self(&out, v, "html");
    sb_puts(&out, "\"/>\n<updated>");
    esc(&out, newest);
    sb_puts(&out, "</updated>\n<author><name>loomsearch</name></author>\n"
                  "<generator>loomsearch</generator>\n");
    for (size_t i = 0; i < r->n_hits; i++) {
        const search_hit *h = &r->hits[i];
        sb_puts(&out, "<entry>\n<title>");
        esc(&out, h->title);
        sb_puts(&out, "</title>\n<id>");
        absolute_url(&out, h->url);
        sb_puts(&out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
        absolute_url(&out, h->url);
        sb_puts(&out, "\"/>\n<updated>");
        entry_updated(updated, h, v);
        esc(&out, updated);
        sb_puts(&out, "</updated>\n");
        for (size_t a = 0; a < h->n_authors; a++) {
            sb_puts(&out, "<author><name>");
            esc(&out, h->authors[a]);
            sb_puts(&out, "</name></author>\n");
        }
        for (size_t t = 0; t < h->n_tags; t++) {
            sb_puts(&out, "<category term=\"");
            esc(&out, h->tags[t]);
            sb_puts(&out, "\"/>\n");
        }
        for (size_t t = 0; t < h->n_categories; t++) {
            sb_puts(&out, "<category term=\"");
            esc(&out, h->categories[t]);
            sb_puts(&out, "\"/>\n");
        }
        sb_puts(&out, "<summary type=\"html\">");
        esc(&out, h->snippet_html); /* HTML carried as text, escaped once more */
        sb_puts(&out, "</summary>\n</entry>\n");
    }
    sb_puts(&out, "</feed>\n");
    return sb_take(&out);
}

char *render_opensearch(void)
{
    strbuf out = {0};
    sb_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                  "<ShortName>Archive search</ShortName>\n"
                  "<Description>Search the blog's archive</Description>\n"
                  "<InputEncoding>UTF-8</InputEncoding>\n<Url type=\"text/html\" template=\"");
    esc(&out, config->public_url);
    sb_puts(&out, "/search?q={searchTerms}&amp;format=html\"/>\n"
                  "<Url type=\"application/atom+xml\" template=\"");
    esc(&out, config->public_url);
    sb_puts(&out, "/search?q={searchTerms}&amp;format=atom\"/>\n"
                  "<Url type=\"application/json\" rel=\"suggestions\" template=\"");
    esc(&out, config->public_url);
    sb_puts(&out, "/suggest?q={searchTerms}\"/>\n</OpenSearchDescription>\n");
    return sb_take(&out);
}
