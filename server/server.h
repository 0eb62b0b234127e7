/* server.h — what the pieces of loomsearch-serve share: its configuration, the
 * per-thread index reader, the route handlers and the one respond(). */
#ifndef LOOM_SERVER_H
#define LOOM_SERVER_H

#include "results.h"
#include "xap.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

/* One database of an index served in shards (shards.c). */
typedef struct shard_entry {
    char *name;     /* as listed: the path or HOST:PORT */
    char *path;     /* local: a database, or an index root when is_root; else NULL */
    char *host;     /* remote: served by xapian-tcpsrv */
    unsigned port;
    bool is_root;   /* path has a current symlink: serve what it names */
} shard_entry;

typedef struct server_config {
    const char *root;          /* index root: ROOT/current is served; or a shard list */
    const char *listen;        /* "host:port" as given */
    unsigned threads;          /* libmicrohttpd worker threads, one reader each */
    unsigned connection_limit; /* open connections in all (libmicrohttpd closes the rest) */
    unsigned per_ip_limit;     /* open connections from one address; 0: none */
    unsigned timeout_s;        /* idle seconds before a connection is closed */
    unsigned deadline_s;       /* seconds a request may take, from its first byte */
    double rate_per_second;    /* requests a client may make per second; 0: no limit */
    double rate_burst;         /* ... and at once */
    const char *trusted_proxy; /* an address whose X-Forwarded-For names the client */
    size_t max_query_bytes;    /* longest q accepted */
    unsigned max_terms;        /* most words in q */
    unsigned max_per_page;
    unsigned max_depth;        /* no hit past this rank is ever returned */
    const char *public_url;    /* where visitors reach the server, no trailing '/' */
    const char *metrics_listen; /* "host:port" for /metrics alone, or NULL: on the main one */
    const char *access_log;    /* file, "-" for stderr, or NULL: off */
    const char *query_log;     /* file, "-" for stderr, or NULL: off */
    bool log_full_ip;          /* log whole client addresses, not their network */
    bool wait_for_index;       /* start without an index, not ready until one appears */
    const char **allow_origins; /* origins whose pages may call the API (CORS) */
    size_t n_allow_origins;
    size_t cache_entries;      /* answers kept for repeated requests; 0: none */
    shard_entry *shards;       /* when root is a shard list (shards.c), else NULL */
    size_t n_shards;
    unsigned shard_timeout_ms; /* to connect to a remote shard, and for each request */
    bool shard_failure_fails;  /* a shard down: 503, not a partial answer */
    search_config search;
} server_config;

extern const server_config *config; /* set once by main() before the daemon starts */

/* ---- http.c: the one place responses are made ------------------------------- */

typedef struct http_header {
    const char *name, *value;
} http_header;

/* Queue a response: body[0..len) (copied; gzipped when the client takes it
 * and it is worth it), status, content type, the headers every answer carries,
 * and n_extra more ("Vary" entries are merged into the one Vary). */
enum MHD_Result respond_headers(struct MHD_Connection *conn, unsigned status,
                                const char *content_type, const char *body, size_t len,
                                const http_header *extra, size_t n_extra);

/* Queue a response with body[0..len) (copied), status and content type, plus
 * the headers every answer carries. Returns what the access handler returns. */
enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *content_type,
                        const char *body, size_t len);
/* The same, with one extra header (name may be NULL). */
enum MHD_Result respond_with(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, const char *body, size_t len,
                             const char *header, const char *value);
/* A JSON error: {"error": {"code": code, "message": message}}. */
enum MHD_Result respond_error(struct MHD_Connection *conn, unsigned status, const char *code,
                              const char *message);

/* libmicrohttpd's request-completed callback. */
void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                  enum MHD_RequestTerminationCode code);

/* The access handler given to libmicrohttpd. */
enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload_data,
                           size_t *upload_data_size, void **req_cls);

/* ---- reader.c: one Xapian reader per worker thread -------------------------- */

typedef struct reader_info {
    const char *build_id;     /* id of the build open, owned by the reader */
    const char *path;         /* its resolved path */
} reader_info;

/* The shards this thread's reader had to leave out (names, owned by the
 * reader), as of its last reader_get(); 0 when none or not sharded. */
size_t reader_missing_shards(const char *const **names);

/* This thread's reader of the current build, opened or moved forward as needed.
 * XAP_ENOTFOUND when no build is current or it cannot be opened. */
xap_status reader_get(xap_db **out, reader_info *info, xap_error *err);
/* Drop this thread's reader so the next reader_get() opens afresh. */
void reader_reset(void);
int reader_init(void);

/* ---- metrics.c ------------------------------------------------------------------ */

typedef enum route_id {
    ROUTE_HOME, ROUTE_SEARCH, ROUTE_SUGGEST, ROUTE_SIMILAR, ROUTE_HEALTHZ, ROUTE_OPENSEARCH,
    ROUTE_FILE, ROUTE_METRICS, ROUTE_OTHER, ROUTE_COUNT,
} route_id;

/* What is kept of a request while it is answered (libmicrohttpd's req_cls). */
typedef struct request_state {
    double start;
    route_id route;
    unsigned status;
    char *method, *url;  /* copies, for the access log */
} request_state;

void metrics_request_started(request_state *r, route_id route);
void metrics_request_resumed(request_state *r); /* the handler runs again for r */
void note_status(unsigned status);               /* the status being queued */
void metrics_request_done(request_state *r);
void metrics_reopened(void);                      /* a thread opened a new build */
char *render_metrics(void);                       /* the /metrics body, malloc'd */
double request_seconds(void);                     /* how long this thread's request has run */
double request_elapsed(const request_state *r);
enum MHD_Result handle_metrics(struct MHD_Connection *conn);
/* The access handler of the --metrics-listen daemon: /metrics and nothing else. */
enum MHD_Result on_metrics_request(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **req_cls);

/* ---- cache.c: recent answers, keyed on build, revision and request ------------------ */

/* What the query log needs of an answer served from the cache. */
typedef struct cache_note {
    unsigned long total;
    char *corrected;
} cache_note;

void cache_init(size_t entries); /* 0: no cache */
void cache_free(void);
/* A copy of the answer stored under key, and its note (both the caller's). */
bool cache_get(const char *key, char **body, size_t *len, cache_note *note);
void cache_put(const char *key, const char *body, size_t len, const cache_note *note);
void cache_counts(unsigned long *hits, unsigned long *misses);

/* ---- shards.c: an index made of several databases ---------------------------------- */

bool shard_list_is(const char *path); /* a file, not an index root's folder */
/* Read the list cfg->root names into cfg->shards; false with why on a bad line. */
bool shard_list_load(server_config *cfg, char *why, size_t why_len);
void shard_list_free(server_config *cfg);

/* The settings of a server started with no options (config.c; the option
 * table in serve_options.c holds their defaults). */
server_config server_config_defaults(void);

/* ---- logs.c ----------------------------------------------------------------------- */

int logs_open(void);   /* the files config names; -1 with a message when one cannot be */
int logs_reopen(void); /* SIGHUP: after logrotate moved them */
void log_access(struct MHD_Connection *conn, const request_state *r, double seconds);
void log_query(const search_request *req, const char *format, unsigned long hits,
               const char *corrected, double seconds);

/* ---- limits.c: rate, deadline, who the client is ---------------------------- */

/* The client's address; behind --trusted-proxy, the one it forwards. */
void client_address(struct MHD_Connection *conn, char out[64]);
/* Take one token from the client's bucket; false with *retry_after seconds
 * when it is empty. */
bool rate_allow(const char *client, unsigned *retry_after);
/* libmicrohttpd's connection notifier: the watchdog's list of connections. */
void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                   enum MHD_ConnectionNotificationCode code);
/* A request finished: its connection's deadline starts again. */
void watchdog_request_done(struct MHD_Connection *conn);
/* The thread that shuts down connections past their deadline. */
int watchdog_start(void);
void watchdog_stop(void);
unsigned long watchdog_cuts(void);

/* ---- routes.c --------------------------------------------------------------- */

enum MHD_Result handle_search(struct MHD_Connection *conn);
enum MHD_Result handle_healthz(struct MHD_Connection *conn);
enum MHD_Result handle_similar(struct MHD_Connection *conn);
enum MHD_Result handle_suggest(struct MHD_Connection *conn);
enum MHD_Result handle_home(struct MHD_Connection *conn);
enum MHD_Result handle_opensearch(struct MHD_Connection *conn);

/* ---- render.c --------------------------------------------------------------- */

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
} page_view;

/* The response body for a page of results, malloc'd. */
char *render_results(render_format format, const search_results *r, const page_view *v);
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
