/* metrics.h — counters for /metrics (metrics.c). A leaf: it includes no other
 * server header and no libmicrohttpd; what other parts know (routes' names,
 * the index, the cache, the watchdog) is handed to metrics_render(). Counters
 * are atomics: any thread may add to them. */
#ifndef LOOM_SERVER_METRICS_H
#define LOOM_SERVER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#define METRICS_MAX_ROUTES 16 /* routes counted apart, numbered from 0 */

/* What the counters do not hold, for one /metrics body. */
typedef struct metrics_facts {
    const char *const *route_names; /* route_names[i] names route i */
    size_t n_routes;                /* at most METRICS_MAX_ROUTES */
    unsigned long deadline_cuts, header_cuts, evictions, per_ip_refusals;
    unsigned long cache_hits, cache_misses;
    bool index_open;                /* the rest is read only when true */
    unsigned long documents, revision;
    long build_age_seconds;         /* -1: not known */
} metrics_facts;

void metrics_request_started(void);  /* one more request in flight */
/* A request to route (below METRICS_MAX_ROUTES) ended with status after seconds. */
void metrics_request_done(size_t route, unsigned status, double seconds);
void metrics_rate_limited(void);     /* a 429 was queued */
void metrics_reopened(void);         /* a thread opened a new build */
/* The /metrics body in Prometheus' text format, malloc'd. */
char *metrics_render(const metrics_facts *facts);

#endif
