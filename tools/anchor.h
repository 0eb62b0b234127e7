/* anchor.h — plain BM25, the yardstick loomsearch's ranking is measured against.
 *
 * Each post of an index is indexed again, in memory, the way a first attempt
 * with Xapian would: its title and stored text through one TermGenerator
 * (English stemmer, Xapian's default STEM_SOME), no field weights, no prefixes,
 * no recency. A query is the QueryParser's OR of its stemmed words under
 * Xapian's BM25Weight defaults. The phrase variant adds, under OP_AND_MAYBE,
 * every pair of adjacent query words as a two-word phrase of unstemmed terms.
 * loomsearch-eval uses both: as the anchor of its tables and to pool the posts
 * a judge is shown. */
#ifndef LOOM_ANCHOR_H
#define LOOM_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct anchor anchor;

/* Index every document of the database at path; NULL (and a message in
 * err[256]) when it cannot be read. */
anchor *anchor_open(const char *path, char err[256]);
void anchor_free(anchor *a);

/* The best n posts for query, best first: each is the stored JSON head of the
 * post (id, title, url, date...), malloc'd, in heads[0..*n_out). False on a
 * query Xapian refuses (message in err). */
bool anchor_search(anchor *a, const char *query, bool phrase, unsigned n, char ***heads,
                   size_t *n_out, char err[256]);

#ifdef __cplusplus
}
#endif

#endif
