/* http.h — the HTTP layer under the handlers (http.c): the routes' ids, what is
 * kept of a request while it is answered, and the one place responses are made.
 * Handlers (routes.h) and the access handler (dispatch.h) sit above it. */
#ifndef LOOM_SERVER_HTTP_H
#define LOOM_SERVER_HTTP_H

#include <microhttpd.h>
#include <stddef.h>

typedef enum route_id {
    ROUTE_HOME, ROUTE_SEARCH, ROUTE_SUGGEST, ROUTE_SIMILAR, ROUTE_HEALTHZ, ROUTE_OPENSEARCH,
    ROUTE_FILE, ROUTE_METRICS, ROUTE_OTHER, ROUTE_COUNT,
} route_id;

/* Each route's name in /metrics. */
extern const char *const route_names[ROUTE_COUNT];

/* What is kept of a request while it is answered (libmicrohttpd's req_cls). */
typedef struct request_state {
    double start;        /* monotonic_seconds() when its headers were in */
    route_id route;
    size_t entry;        /* the dispatcher's: which entry of its table the URL named */
    unsigned status;     /* the status queued, 0 until one is */
    char *method, *url;  /* copies, for the access log */
} request_state;

/* A request whose headers are in: counted in flight, and this thread's current
 * one. Freed by on_completed(). */
request_state *request_begin(const char *method, const char *url, route_id route, size_t entry);
/* libmicrohttpd calls again for r: it is this thread's current request again. */
void request_resume(request_state *r);
/* How long this thread's current request has run, in seconds (0: none). */
double request_seconds(void);
/* libmicrohttpd's request-completed callback: access log, metrics, the
 * connection's deadline starts again, the request state freed. */
void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                  enum MHD_RequestTerminationCode code);

#define HTTP_ALLOW "GET, HEAD, OPTIONS" /* the methods answered */
#define HTTP_JSON_TYPE "application/json; charset=utf-8"

typedef struct http_header {
    const char *name, *value;
} http_header;

/* Queue a response: body[0..len) (copied; gzipped when the client takes it
 * and it is worth it), status, content type, the headers every answer carries,
 * and n_extra more ("Vary" entries are merged into the one Vary). Every
 * respond_*() returns what the access handler returns. */
enum MHD_Result respond_headers(struct MHD_Connection *conn, unsigned status,
                                const char *content_type, const char *body, size_t len,
                                const http_header *extra, size_t n_extra);
/* The same, with one extra header (name may be NULL). */
/* A file's bytes as the body, sent from fd (which the response owns and
 * closes) without reading it into memory and without compression: a built
 * site's pictures, fonts and downloads. */
enum MHD_Result respond_file(struct MHD_Connection *conn, unsigned status, const char *content_type,
                             int fd, size_t size, const http_header *extra, size_t n_extra);

enum MHD_Result respond_with(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, const char *body, size_t len,
                             const char *header, const char *value);
/* The same for a malloc'd NUL-terminated body, which this frees. */
enum MHD_Result respond_body(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, char *body, const http_header *extra,
                             size_t n_extra);
/* A JSON error: {"error": {"code": code, "message": message}}, with one extra
 * header (name may be NULL). */
enum MHD_Result respond_error_with(struct MHD_Connection *conn, unsigned status, const char *code,
                                   const char *message, const char *header, const char *value);
/* The same with no extra header, but a 503 says to come back in 5 s (Retry-After). */
enum MHD_Result respond_error(struct MHD_Connection *conn, unsigned status, const char *code,
                              const char *message);
/* 204 to OPTIONS: what is allowed, and for an allowed origin's preflight the
 * CORS answer (GET only, no credentials, cached for a day). */
enum MHD_Result respond_preflight(struct MHD_Connection *conn);

#endif
