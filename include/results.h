/* results.h — one search, from a bounded request to a page of results ready to
 * render: runs the query through the wrapper, decodes each hit's stored data,
 * makes its snippet and its URL. The server calls it; so can tests and tools. */
#ifndef LOOM_RESULTS_H
#define LOOM_RESULTS_H

#include "xap.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct search_config {
    const char *permalink; /* URL of a post whose front matter has none, see permalink.h */
    size_t snippet_bytes;  /* about how long a snippet is */
    unsigned max_expansion; /* terms one wildcard may expand to */
    double recency;        /* weight a post gains per year newer (0: off) */
} search_config;

typedef struct search_request {
    const char *q;       /* valid UTF-8, bounded by the caller; may be empty with filters */
    size_t q_len;
    unsigned page;       /* 1-based */
    unsigned per_page;
    xap_sort sort;
    xap_filters filters;
    bool partial;        /* the last word may be unfinished */
    bool facets;         /* count tags, authors, years and categories */
    bool explain;        /* say which terms matched where, and their weights */
    bool no_recency;     /* switch the recency prior off for this request */
    bool no_correction;  /* search the words as typed: no spelling correction */
} search_request;

typedef struct search_term {
    char *term;          /* as Xapian has it: "Z" + stem for stemmed words */
    unsigned fields;     /* enum xap_field bits */
    double weight;       /* what the term alone gives the post */
} search_term;

typedef struct search_hit {
    char *id;            /* the public id: the slug, "-2"... when two posts share it */
    char *title;
    char *title_html;    /* escaped, with <mark> around matches */
    char *date;          /* YYYY-MM-DD, or NULL: undated */
    char *url;           /* with #anchor when a section matched */
    char **authors;
    size_t n_authors;
    char **tags;
    size_t n_tags;
    char **categories;   /* as written */
    size_t n_categories;
    char *snippet_html;  /* escaped text with <mark> around matches */
    char *section;       /* heading of the section the snippet is from, or NULL */
    char *anchor;        /* its anchor, or NULL */
    unsigned matched;    /* enum xap_field bits: where the query matched */
    double score;
    search_term *terms;  /* with explain */
    size_t n_terms;
    double adjacency_weight; /* with explain: gained from words typed together standing together */
    double name_weight;      /* with explain: gained from being by the author the query names */
} search_hit;

typedef struct search_facet {
    char *value;
    unsigned long count;
} search_facet;

typedef struct search_results {
    unsigned long total_estimate;
    bool total_known;    /* total_exact is the exact number of matches */
    unsigned long total_exact;
    bool relaxed;        /* the query's operators were ignored: it did not parse */
    bool widened;        /* no post had every word: posts with any are listed */
    char *corrected_query; /* a spelling that finds more, or NULL */
    unsigned long corrected_total;
    bool showing_corrected; /* the query found nothing: the hits are the correction's */
    char *prefix;        /* the last word, read as the start of words (the archive has
                          * no such word), or NULL */
    bool has_facets;     /* facets were asked for */
    search_facet *facets[XAP_FACET_COUNT]; /* by xap_facet */
    size_t n_facets[XAP_FACET_COUNT];
    search_hit *hits;
    size_t n_hits;
} search_results;

/* Run req against db. On success *out holds the page: free it with
 * search_results_free(). Returns the wrapper's codes; XAP_EMODIFIED means
 * reopen the database and call again. */
xap_status search_run(search_results *out, xap_db *db, const search_request *req,
                      const search_config *cfg, xap_error *err);
void search_results_free(search_results *r);

/* Posts like the post whose public id is id (itself left out), as a page of results.
 * XAP_ENODOC when there is no such post. */
xap_status search_similar(search_results *out, xap_db *db, const char *id, unsigned n,
                          const search_config *cfg, xap_error *err);


#endif
