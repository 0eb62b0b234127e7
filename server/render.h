/* render.h — response bodies in every format: JSON and text (render.c), HTML
 * (render_html.c), Atom and OpenSearch (render_feed.c). Renderers only make
 * strings: nothing here knows HTTP. Every body returned is malloc'd, the caller's. */
#ifndef LOOM_SERVER_RENDER_H
#define LOOM_SERVER_RENDER_H

#include "results.h"
#include "text.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum render_format {
    FORMAT_JSON,
    FORMAT_TEXT,
    FORMAT_HTML,
    FORMAT_FRAGMENT,
    FORMAT_ATOM,
} render_format;

/* What a results page needs to know about the request besides its results. */
typedef struct page_view {
    const char *query;           /* q as received (NUL-terminated copy) */
    const char *const *missing_shards; /* shards left out: the answer is partial */
    size_t n_missing_shards;
    const search_request *req;   /* filters, sort, page */
    unsigned page, per_page;
    bool explain;
    const char *index_updated;   /* when the index last changed, ISO 8601 UTC, or NULL:
                                  * Atom's <updated> for an undated post */
    const search_results *browse; /* on a page that found nothing: the newest posts and
                                   * every tag (facets), or NULL */
} page_view;

/* The response body for a page of results, malloc'd. */
char *render_results(render_format format, const search_results *r, const page_view *v);
/* A refused search as a page with the form and the message (whole) or the
 * message alone (a fragment), and as one line of text. malloc'd. */
char *render_html_error(const char *query, const char *message, bool whole);
char *render_text_error(const char *code, const char *message);

/* What a request asked for, in words, for a heading or a count line:
 * the query as typed (quoted unless it holds quotes itself) and the filters
 * (tag "events", from 2020-01-01), between the quotes open and close; "all
 * posts" when there is neither. Plain text, not escaped. */
void describe_request(strbuf *out, const page_view *v, const char *open, const char *close);

/* Where a hit matched that its title and snippet do not show (nothing in them
 * is marked): field names ("tags", "author", "categories", "heading",
 * "summary", "image_alt"), at most MATCHED_IN_MAX, written to names; the
 * number written. words: the query the hits are for. */
#define MATCHED_IN_MAX 6
size_t matched_in(const search_hit *h, const char *words, const char *names[MATCHED_IN_MAX]);
/* The query the hits of r answer: the correction when it is what they show. */
const char *hits_query(const search_results *r, const page_view *v);

/* JSON bodies of /similar and /suggest (completions is consumed). */
char *render_similar(const search_results *r, const char *id);
char *render_suggestions(const char *query, json_t *completions, const search_results *titles);
/* render_html.c */
char *render_html_page(const search_results *r, const page_view *v);
char *render_html_fragment(const search_results *r, const page_view *v);
char *render_home_page(void);
/* render_feed.c */
char *render_atom(const search_results *r, const page_view *v);
char *render_opensearch(void);

/* JSON text for an object, with <, >, & and U+2028/9 escaped so the body is safe
 * to embed anywhere; consumes obj. malloc'd. */
char *render_json(json_t *obj);

#endif
