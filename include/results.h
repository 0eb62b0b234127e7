/* results.h — one search, from a bounded request to a page of results ready to
 * render: runs the query through the wrapper, decodes each hit's stored data,
 * makes its snippet and its URL. The server calls it; so can tests and tools. */
#ifndef LOOM_RESULTS_H
#define LOOM_RESULTS_H

#include "xap.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct search_config {
    const char *permalink; /* URL of a post whose front matter has none, see permalink_expand */
    size_t snippet_bytes;  /* about how long a snippet is */
    unsigned max_expansion; /* terms one wildcard may expand to */
} search_config;

typedef struct search_request {
    const char *q;       /* valid UTF-8, bounded by the caller */
    size_t q_len;
    unsigned page;       /* 1-based */
    unsigned per_page;
    xap_sort sort;
} search_request;

typedef struct search_hit {
    char *id;
    char *title;
    char *date;          /* YYYY-MM-DD */
    char *url;
    char **authors;
    size_t n_authors;
    char **tags;
    size_t n_tags;
    char *snippet_html;  /* escaped text with <mark> around matches */
    double score;
} search_hit;

typedef struct search_results {
    unsigned long total_estimate;
    bool relaxed;        /* the query's operators were ignored: it did not parse */
    search_hit *hits;
    size_t n_hits;
} search_results;

/* Run req against db. On success *out holds the page: free it with
 * search_results_free(). Returns the wrapper's codes; XAP_EMODIFIED means
 * reopen the database and call again. */
xap_status search_run(search_results *out, xap_db *db, const search_request *req,
                      const search_config *cfg, xap_error *err);
void search_results_free(search_results *r);

/* Expand a permalink pattern: {slug}, {yyyy}, {mm}, {dd} are replaced from the
 * post, anything else is copied. Returns a malloc'd string. */
char *permalink_expand(const char *pattern, const char *slug, const char *date);

#endif
