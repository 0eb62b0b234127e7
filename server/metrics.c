/* metrics.c — counters for /metrics in Prometheus' text format: requests by
 * route and status, a latency histogram per route, requests in flight, and
 * the facts about the index, the cache and the limits that the caller hands
 * in. Counters are C11 atomics: every worker thread adds to them, /metrics
 * reads them. */
#include "metrics.h"

#include "text.h"

#include <stdatomic.h>

static const unsigned statuses[] = {200, 204, 304, 400, 404, 405, 414, 429, 431, 500, 503, 0};
#define N_STATUSES (sizeof statuses / sizeof statuses[0]) /* the last, 0, is "other" */

/* Upper bounds of the latency buckets, in seconds; +Inf is implied. */
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_ulong requests[METRICS_MAX_ROUTES][N_STATUSES];
static atomic_ulong buckets[METRICS_MAX_ROUTES][N_BOUNDS + 1];
static atomic_ulong micros_sum[METRICS_MAX_ROUTES];
static atomic_long in_flight;
static atomic_ulong rate_limited, reopens;

void metrics_request_started(void)
{
    atomic_fetch_add(&in_flight, 1);
}

void metrics_request_done(size_t route, unsigned status, double seconds)
{
    size_t s = N_STATUSES - 1;
    for (size_t i = 0; i + 1 < N_STATUSES; i++)
        if (statuses[i] == status)
            s = i;
    atomic_fetch_add(&requests[route][s], 1);
    size_t b = 0;
    while (b < N_BOUNDS && seconds > bounds[b])
        b++;
    atomic_fetch_add(&buckets[route][b], 1);
    atomic_fetch_add(&micros_sum[route], (unsigned long)(seconds * 1e6));
    atomic_fetch_sub(&in_flight, 1);
}

void metrics_rate_limited(void)
{
    atomic_fetch_add(&rate_limited, 1);
}

void metrics_reopened(void)
{
    atomic_fetch_add(&reopens, 1);
}

static void render_requests(strbuf *out, const metrics_facts *f)
{
    sb_puts(out, "# HELP loomsearch_requests_total Requests answered, by route and status.\n"
                 "# TYPE loomsearch_requests_total counter\n");
    for (size_t r = 0; r < f->n_routes; r++)
        for (size_t s = 0; s < N_STATUSES; s++) {
            unsigned long n = atomic_load(&requests[r][s]);
            if (!n)
                continue;
            if (statuses[s])
                sb_printf(out, "loomsearch_requests_total{route=\"%s\",status=\"%u\"} %lu\n",
                          f->route_names[r], statuses[s], n);
            else
                sb_printf(out, "loomsearch_requests_total{route=\"%s\",status=\"other\"} %lu\n",
                          f->route_names[r], n);
        }
}

static void render_durations(strbuf *out, const metrics_facts *f)
{
    sb_puts(out, "# HELP loomsearch_request_duration_seconds Time from the request's headers to "
                 "the end of its answer.\n# TYPE loomsearch_request_duration_seconds histogram\n");
    for (size_t r = 0; r < f->n_routes; r++) {
        const char *name = f->route_names[r];
        unsigned long cumulative = 0;
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cumulative += atomic_load(&buckets[r][b]);
            if (b < N_BOUNDS)
                sb_printf(out, "loomsearch_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
                          name, bounds[b], cumulative);
            else
                sb_printf(out, "loomsearch_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n",
                          name, cumulative);
        }
        sb_printf(out, "loomsearch_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                       "loomsearch_request_duration_seconds_count{route=\"%s\"} %lu\n",
                  name, (double)atomic_load(&micros_sum[r]) / 1e6, name, cumulative);
    }
}

static void render_gauges(strbuf *out, const metrics_facts *f)
{
    sb_printf(out, "# HELP loomsearch_in_flight_requests Requests being answered now.\n"
                   "# TYPE loomsearch_in_flight_requests gauge\nloomsearch_in_flight_requests %ld\n"
                   "# HELP loomsearch_reopens_total Builds opened anew by worker threads.\n"
                   "# TYPE loomsearch_reopens_total counter\nloomsearch_reopens_total %lu\n"
                   "# HELP loomsearch_rate_limited_total Requests refused with 429.\n"
                   "# TYPE loomsearch_rate_limited_total counter\nloomsearch_rate_limited_total %lu\n"
                   "# HELP loomsearch_deadline_cuts_total Connections shut down past --deadline.\n"
                   "# TYPE loomsearch_deadline_cuts_total counter\nloomsearch_deadline_cuts_total %lu\n",
              atomic_load(&in_flight), atomic_load(&reopens), atomic_load(&rate_limited),
              f->deadline_cuts);
    sb_printf(out,
              "# HELP loomsearch_header_deadline_cuts_total Connections shut down for sending no "
              "whole request within --header-deadline.\n"
              "# TYPE loomsearch_header_deadline_cuts_total counter\n"
              "loomsearch_header_deadline_cuts_total %lu\n"
              "# HELP loomsearch_evictions_total Connections that had sent no request, shut down "
              "to make way at --connection-limit.\n"
              "# TYPE loomsearch_evictions_total counter\nloomsearch_evictions_total %lu\n"
              "# HELP loomsearch_per_ip_refusals_total Connections refused by --per-ip-limit.\n"
              "# TYPE loomsearch_per_ip_refusals_total counter\nloomsearch_per_ip_refusals_total %lu\n",
              f->header_cuts, f->evictions, f->per_ip_refusals);
    sb_printf(out, "# HELP loomsearch_cache_hits_total Searches answered from the answer cache.\n"
                   "# TYPE loomsearch_cache_hits_total counter\nloomsearch_cache_hits_total %lu\n"
                   "# HELP loomsearch_cache_misses_total Searches looked up in the cache and run.\n"
                   "# TYPE loomsearch_cache_misses_total counter\nloomsearch_cache_misses_total %lu\n",
              f->cache_hits, f->cache_misses);
}

static void render_index(strbuf *out, const metrics_facts *f)
{
    sb_printf(out, "# HELP loomsearch_index_open Whether an index is open (1) or not (0).\n"
                   "# TYPE loomsearch_index_open gauge\nloomsearch_index_open %d\n", f->index_open);
    if (!f->index_open)
        return;
    sb_printf(out, "# HELP loomsearch_index_documents Posts in the index.\n"
                   "# TYPE loomsearch_index_documents gauge\nloomsearch_index_documents %lu\n"
                   "# HELP loomsearch_index_revision Xapian revision of the build served.\n"
                   "# TYPE loomsearch_index_revision gauge\nloomsearch_index_revision %lu\n"
                   "# HELP loomsearch_index_build_age_seconds Time since the build served was made.\n"
                   "# TYPE loomsearch_index_build_age_seconds gauge\n"
                   "loomsearch_index_build_age_seconds %ld\n",
              f->documents, f->revision, f->build_age_seconds);
}

char *metrics_render(const metrics_facts *facts)
{
    strbuf out = {0};
    render_requests(&out, facts);
    render_durations(&out, facts);
    render_gauges(&out, facts);
    render_index(&out, facts);
    return sb_take(&out);
}
