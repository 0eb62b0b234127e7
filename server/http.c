/* http.c — libmicrohttpd glue: the access handler that picks a route, and the
 * one place that builds, queues and destroys a response (with the headers every
 * answer carries: type, nosniff, CORS for allowed origins, CSP on HTML). */
#include "server.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char ALLOW[] = "GET, HEAD, OPTIONS";

/* Bodies smaller than this go out as they are: gzip's header and the CPU
 * would cost more than they save. */
#define GZIP_MIN_BYTES 1024

/* HTML pages load nothing but our own stylesheet and submit only to us. */
static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

static const struct route {
    const char *path;
    route_id id;
    enum MHD_Result (*handle)(struct MHD_Connection *conn);
} routes[] = {
    {"/", ROUTE_HOME, handle_home},
    {"/search", ROUTE_SEARCH, handle_search},
    {"/suggest", ROUTE_SUGGEST, handle_suggest},
    {"/similar", ROUTE_SIMILAR, handle_similar},
    {"/healthz", ROUTE_HEALTHZ, handle_healthz},
    {"/opensearch.xml", ROUTE_OPENSEARCH, handle_opensearch},
    {"/metrics", ROUTE_METRICS, handle_metrics},
};

/* The files built in from web/ (generated/web_files.c). */
extern const struct web_file {
    const char *path, *data;
    size_t size;
} web_files[];

/* The request's Origin when the operator allowed it (--allow-origin), else NULL. */
static const char *allowed_origin(struct MHD_Connection *conn)
{
    const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    for (size_t i = 0; origin && i < config->n_allow_origins; i++)
        if (strcmp(config->allow_origins[i], "*") == 0 || strcmp(config->allow_origins[i], origin) == 0)
            return origin;
    return NULL;
}

/* Headers every answer carries. vary: what else the answer depends on, or NULL;
 * gzipped says the body was compressed for this client. */
static void common_headers(struct MHD_Response *r, struct MHD_Connection *conn,
                           const char *content_type, const char *vary, bool compressible)
{
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (content_type && strncmp(content_type, "text/html", 9) == 0) {
        MHD_add_response_header(r, "Content-Security-Policy", CSP);
        MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
    }
    const char *origin = allowed_origin(conn);
    if (origin)
        MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
    /* What the answer depends on besides the URL: the caller's reason, the
     * encoding for compressible bodies, and with an allow-list, who asks. */
    strbuf by = {0};
    if (vary)
        sb_puts(&by, vary);
    if (compressible)
        sb_printf(&by, "%sAccept-Encoding", by.len ? ", " : "");
    if (config->n_allow_origins)
        sb_printf(&by, "%sOrigin", by.len ? ", " : "");
    if (by.len)
        MHD_add_response_header(r, "Vary", by.data);
    sb_free(&by);
}

static bool accepts_gzip(struct MHD_Connection *conn)
{
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

/* body gzipped into *out (malloc'd), or false to send it as it is. */
static bool gzip_body(const char *body, size_t len, char **out, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16 /* gzip wrapper */, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *buf = malloc(cap);
    z.next_in = (unsigned char *)body;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    bool ok = buf && deflate(&z, Z_FINISH) == Z_STREAM_END;
    *out_len = z.total_out;
    deflateEnd(&z);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = (char *)buf;
    return true;
}

enum MHD_Result respond_headers(struct MHD_Connection *conn, unsigned status,
                                const char *content_type, const char *body, size_t len,
                                const http_header *extra, size_t n_extra)
{
    /* Text worth compressing, for a client that takes it. */
    bool compressible = content_type && strncmp(content_type, "image/", 6) != 0 && status != 304;
    char *packed = NULL;
    size_t packed_len = 0;
    bool gzipped = compressible && len >= GZIP_MIN_BYTES && accepts_gzip(conn) &&
                   gzip_body(body, len, &packed, &packed_len);
    struct MHD_Response *r =
        gzipped ? MHD_create_response_from_buffer(packed_len, packed, MHD_RESPMEM_MUST_FREE)
                : MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) {
        free(packed);
        return MHD_NO; /* out of memory: dropping the connection is all that is left */
    }
    const char *vary = NULL;
    for (size_t i = 0; i < n_extra; i++)
        if (strcmp(extra[i].name, "Vary") == 0)
            vary = extra[i].value;
    common_headers(r, conn, content_type, vary, compressible);
    if (gzipped)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    for (size_t i = 0; i < n_extra; i++)
        if (strcmp(extra[i].name, "Vary") != 0)
            MHD_add_response_header(r, extra[i].name, extra[i].value);
    note_status(status);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result respond_with(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, const char *body, size_t len,
                             const char *header, const char *value)
{
    http_header extra = {header, value};
    return respond_headers(conn, status, content_type, body, len, &extra, header ? 1 : 0);
}

enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, const char *content_type,
                        const char *body, size_t len)
{
    return respond_with(conn, status, content_type, body, len, NULL, NULL);
}

enum MHD_Result respond_error(struct MHD_Connection *conn, unsigned status, const char *code,
                              const char *message)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", json_string(message));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    char *body = render_json(o);
    /* A 503 is passing (no index yet, or one mid-change): say when to come back. */
    bool passing = status == MHD_HTTP_SERVICE_UNAVAILABLE;
    enum MHD_Result rc = respond_with(conn, status, "application/json; charset=utf-8", body,
                                      strlen(body), passing ? "Retry-After" : NULL, "5");
    free(body);
    return rc;
}

static enum MHD_Result serve_web_file(struct MHD_Connection *conn, const struct web_file *f)
{
    const char *type = strstr(f->path, ".js") ? "text/javascript; charset=utf-8"
                                              : "text/css; charset=utf-8";
    return respond_with(conn, MHD_HTTP_OK, type, f->data, f->size, "Cache-Control",
                        "public, max-age=3600");
}

static enum MHD_Result respond_rate_limited(struct MHD_Connection *conn, unsigned retry_after)
{
    char seconds[16], msg[128];
    snprintf(seconds, sizeof seconds, "%u", retry_after ? retry_after : 1);
    snprintf(msg, sizeof msg, "{\"error\":{\"code\":\"rate_limited\",\"message\":"
                              "\"more than %g requests a second: try again in %s s\"}}",
             config->rate_per_second, seconds);
    return respond_with(conn, MHD_HTTP_TOO_MANY_REQUESTS, "application/json; charset=utf-8", msg,
                        strlen(msg), "Retry-After", seconds);
}

void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                  enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)code;
    watchdog_request_done(conn);
    request_state *state = *req_cls;
    if (state) {
        log_access(conn, state, request_elapsed(state));
        metrics_request_done(state);
        free(state->method);
        free(state->url);
        free(state);
        *req_cls = NULL;
    }
}

static route_id route_of(const char *url)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strcmp(url, routes[i].path) == 0)
            return routes[i].id;
    for (const struct web_file *f = web_files; f->path; f++)
        if (strcmp(url, f->path) == 0)
            return ROUTE_FILE;
    return ROUTE_OTHER;
}

/* OPTIONS: what is allowed, and for an allowed origin's preflight the CORS
 * answer (GET only, no credentials, cached for a day). */
static enum MHD_Result respond_preflight(struct MHD_Connection *conn)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, conn, NULL, NULL, false);
    MHD_add_response_header(r, "Allow", ALLOW);
    if (allowed_origin(conn)) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", ALLOW);
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Accept");
        MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
    }
    note_status(MHD_HTTP_NO_CONTENT);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_NO_CONTENT, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload_data,
                           size_t *upload_data_size, void **req_cls)
{
    (void)cls;
    (void)version;
    (void)upload_data;
    /* libmicrohttpd calls twice at least: once when the headers are in, again
     * when the body (none, for GET) is. Answering on the first call counts as
     * answering "early" and costs the keep-alive, so wait for the second. */
    if (*req_cls == NULL) {
        request_state *state = xmalloc(sizeof *state);
        metrics_request_started(state, route_of(url));
        state->method = xstrdup(method);
        state->url = xstrdup(url);
        *req_cls = state;
        return MHD_YES;
    }
    metrics_request_resumed(*req_cls);
    /* Every client is held to a rate, except the health check. */
    unsigned retry_after = 0;
    char client[64];
    client_address(conn, client);
    if (strcmp(url, "/healthz") != 0 && !rate_allow(client, &retry_after))
        return respond_rate_limited(conn, retry_after);
    /* Requests carry no body we want: anything uploaded is discarded. */
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return respond_preflight(conn);
    if (!get) {
        const char msg[] = "{\"error\":{\"code\":\"method_not_allowed\","
                           "\"message\":\"only GET, HEAD and OPTIONS are answered\"}}";
        return respond_with(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                            msg, sizeof msg - 1, "Allow", ALLOW);
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(url, routes[i].path) != 0)
            continue;
        if (routes[i].id == ROUTE_METRICS && config->metrics_listen)
            break; /* served on its own address, not to the public */
        return routes[i].handle(conn);
    }
    for (const struct web_file *f = web_files; f->path; f++)
        if (strcmp(url, f->path) == 0)
            return serve_web_file(conn, f);
    return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
}
