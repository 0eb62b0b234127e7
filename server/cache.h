/* cache.h — recent answers, keyed on build, revision and request (cache.c).
 * A leaf: it includes no other server header. Thread-safe. */
#ifndef LOOM_SERVER_CACHE_H
#define LOOM_SERVER_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* What the query log needs of an answer served from the cache. */
typedef struct cache_note {
    unsigned long total;
    char *corrected;
} cache_note;

/* Room for entries answers, in pairs (an odd one is not used); 0 or 1: no cache,
 * every cache_get() misses uncounted and cache_put() keeps nothing. */
void cache_init(size_t entries);
void cache_free(void);
/* A copy of the answer stored under key, and its note: *body and note->corrected
 * are malloc'd, the caller's. False, with nothing set, when key is not kept. */
bool cache_get(const char *key, char **body, size_t *len, cache_note *note);
/* Keep a copy of body[0..len) and of note under key (not when len is over the
 * largest kept), in place of the pair's least recently used answer. */
void cache_put(const char *key, const char *body, size_t len, const cache_note *note);
/* cache_get() calls that found an answer, and that did not, since the start. */
void cache_counts(unsigned long *hits, unsigned long *misses);

#endif
