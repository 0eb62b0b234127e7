/* metrics.c — counters for /metrics in Prometheus' text format: requests by
 * route and status, a latency histogram per route, requests in flight, and
 * facts about the index and the limits. Counters are C11 atomics: every worker
 * thread adds to them, /metrics reads them. */
#include "server.h"

#include "schema.h"
#include "text.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const route_names[ROUTE_COUNT] = {
    [ROUTE_HOME] = "home",         [ROUTE_SEARCH] = "search",  [ROUTE_SUGGEST] = "suggest",
    [ROUTE_SIMILAR] = "similar",   [ROUTE_HEALTHZ] = "healthz", [ROUTE_OPENSEARCH] = "opensearch",
    [ROUTE_FILE] = "file",         [ROUTE_METRICS] = "metrics", [ROUTE_OTHER] = "other",
};

static const unsigned statuses[] = {200, 204, 304, 400, 404, 405, 414, 429, 431, 500, 503, 0};
#define N_STATUSES (sizeof statuses / sizeof statuses[0]) /* the last, 0, is "other" */

/* Upper bounds of the latency buckets, in seconds; +Inf is implied. */
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_ulong requests[ROUTE_COUNT][N_STATUSES];
static atomic_ulong buckets[ROUTE_COUNT][N_BOUNDS + 1];
static atomic_ulong micros_sum[ROUTE_COUNT];
static atomic_long in_flight;
static atomic_ulong rate_limited, reopens;

static _Thread_local request_state *current; /* the request this thread is answering */

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void metrics_request_started(request_state *r, route_id route)
{
    r->start = now_seconds();
    r->route = route;
    r->status = 0;
    current = r;
    atomic_fetch_add(&in_flight, 1);
}

void metrics_request_resumed(request_state *r)
{
    current = r;
}

void note_status(unsigned status)
{
    if (current)
        current->status = status;
    if (status == 429)
        atomic_fetch_add(&rate_limited, 1);
}

double request_elapsed(const request_state *r)
{
    return now_seconds() - r->start;
}

double request_seconds(void)
{
    return current ? now_seconds() - current->start : 0;
}

void metrics_request_done(request_state *r)
{
    if (current == r)
        current = NULL;
    size_t s = N_STATUSES - 1;
    for (size_t i = 0; i + 1 < N_STATUSES; i++)
        if (statuses[i] == r->status)
            s = i;
    atomic_fetch_add(&requests[r->route][s], 1);
    double took = now_seconds() - r->start;
    size_t b = 0;
    while (b < N_BOUNDS && took > bounds[b])
        b++;
    atomic_fetch_add(&buckets[r->route][b], 1);
    atomic_fetch_add(&micros_sum[r->route], (unsigned long)(took * 1e6));
    atomic_fetch_sub(&in_flight, 1);
}

void metrics_reopened(void)
{
    atomic_fetch_add(&reopens, 1);
}

/* Seconds since an ISO 8601 UTC time ("2025-11-25T03:15:00Z"), or -1. */
static long age_of(const char *iso)
{
    struct tm tm = {0};
    if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return -1;
    return (long)(time(NULL) - timegm(&tm));
}

static void index_facts(strbuf *out)
{
    xap_db *db;
    xap_db_stats stats;
    char *built = NULL;
    bool open = reader_get(&db, NULL, NULL) == XAP_OK && xap_db_stats_get(&stats, db, NULL) == XAP_OK &&
                xap_db_metadata(&built, db, META_BUILT_AT, NULL) == XAP_OK;
    sb_printf(out, "# HELP loomsearch_index_open Whether an index is open (1) or not (0).\n"
                   "# TYPE loomsearch_index_open gauge\nloomsearch_index_open %d\n", open);
    if (open) {
        sb_printf(out, "# HELP loomsearch_index_documents Posts in the index.\n"
                       "# TYPE loomsearch_index_documents gauge\nloomsearch_index_documents %lu\n"
                       "# HELP loomsearch_index_revision Xapian revision of the build served.\n"
                       "# TYPE loomsearch_index_revision gauge\nloomsearch_index_revision %lu\n"
                       "# HELP loomsearch_index_build_age_seconds Time since the build served was made.\n"
                       "# TYPE loomsearch_index_build_age_seconds gauge\n"
                       "loomsearch_index_build_age_seconds %ld\n",
                  stats.doccount, stats.revision, age_of(built));
    }
    free(built);
}

char *render_metrics(void)
{
    strbuf out = {0};
    sb_puts(&out, "# HELP loomsearch_requests_total Requests answered, by route and status.\n"
                  "# TYPE loomsearch_requests_total counter\n");
    for (int r = 0; r < ROUTE_COUNT; r++)
        for (size_t s = 0; s < N_STATUSES; s++) {
            unsigned long n = atomic_load(&requests[r][s]);
            if (!n)
                continue;
            if (statuses[s])
                sb_printf(&out, "loomsearch_requests_total{route=\"%s\",status=\"%u\"} %lu\n",
                          route_names[r], statuses[s], n);
            else
                sb_printf(&out, "loomsearch_requests_total{route=\"%s\",status=\"other\"} %lu\n",
                          route_names[r], n);
        }
    sb_puts(&out, "# HELP loomsearch_request_duration_seconds Time from the request's headers to "
                  "the end of its answer.\n# TYPE loomsearch_request_duration_seconds histogram\n");
    for (int r = 0; r < ROUTE_COUNT; r++) {
        unsigned long cumulative = 0;
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cumulative += atomic_load(&buckets[r][b]);
            if (b < N_BOUNDS)
                sb_printf(&out, "loomsearch_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                          route_names[r], bounds[b], cumulative);
            else
                sb_printf(&out, "loomsearch_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                          route_names[r], cumulative);
        }
        sb_printf(&out, "loomsearch_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                        "loomsearch_request_duration_seconds_count{route=\"%s\"} %lu\n",
                  route_names[r], (double)atomic_load(&micros_sum[r]) / 1e6, route_names[r],
                  cumulative);
    }
    sb_printf(&out, "# HELP loomsearch_in_flight_requests Requests being answered now.\n"
                    "# TYPE loomsearch_in_flight_requests gauge\nloomsearch_in_flight_requests %ld\n"
                    "# HELP loomsearch_reopens_total Builds opened anew by worker threads.\n"
                    "# TYPE loomsearch_reopens_total counter\nloomsearch_reopens_total %lu\n"
                    "# HELP loomsearch_rate_limited_total Requests refused with 429.\n"
                    "# TYPE loomsearch_rate_limited_total counter\nloomsearch_rate_limited_total %lu\n"
                    "# HELP loomsearch_deadline_cuts_total Connections shut down past --deadline.\n"
                    "# TYPE loomsearch_deadline_cuts_total counter\nloomsearch_deadline_cuts_total %lu\n",
              atomic_load(&in_flight), atomic_load(&reopens), atomic_load(&rate_limited),
              watchdog_cuts());
    unsigned long cache_hits, cache_misses;
    cache_counts(&cache_hits, &cache_misses);
    sb_printf(&out, "# HELP loomsearch_cache_hits_total Searches answered from the answer cache.\n"
                    "# TYPE loomsearch_cache_hits_total counter\nloomsearch_cache_hits_total %lu\n"
                    "# HELP loomsearch_cache_misses_total Searches looked up in the cache and run.\n"
                    "# TYPE loomsearch_cache_misses_total counter\nloomsearch_cache_misses_total %lu\n",
              cache_hits, cache_misses);
    index_facts(&out);
    return sb_take(&out);
}

enum MHD_Result handle_metrics(struct MHD_Connection *conn)
{
    char *body = render_metrics();
    enum MHD_Result rc = respond(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                                 body, strlen(body));
    free(body);
    return rc;
}

enum MHD_Result on_metrics_request(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **req_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    static int headers_seen;
    if (*req_cls == NULL) { /* as in on_request: answer on the second call */
        *req_cls = &headers_seen;
        return MHD_YES;
    }
    *upload_data_size = 0;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return respond_with(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                            "GET only\n", 9, "Allow", "GET, HEAD");
    if (strcmp(url, "/metrics") != 0)
        return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "only /metrics is here");
    return handle_metrics(conn);
}
