/* http.c — the HTTP layer under the handlers: what is kept of a request while
 * it is answered (for the access log and the metrics), and the one place that
 * builds, queues and destroys a response (with the headers every answer
 * carries: type, nosniff, CORS for allowed origins, CSP on HTML). */
#include "http.h"

#include "clock.h"
#include "config.h"
#include "logs.h"
#include "metrics.h"
#include "render.h"
#include "request_limits.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>
#include <zlib.h>

_Static_assert(ROUTE_COUNT <= METRICS_MAX_ROUTES, "metrics counts every route apart");

const char *const route_names[ROUTE_COUNT] = {
    [ROUTE_HOME] = "home",         [ROUTE_SEARCH] = "search",  [ROUTE_SUGGEST] = "suggest",
    [ROUTE_SIMILAR] = "similar",   [ROUTE_HEALTHZ] = "healthz", [ROUTE_OPENSEARCH] = "opensearch",
    [ROUTE_FILE] = "file",         [ROUTE_METRICS] = "metrics", [ROUTE_OTHER] = "other",
};

/* Bodies smaller than this go out as they are: gzip's header and the CPU
 * would cost more than they save. */
#define GZIP_MIN_BYTES 1024

/* HTML pages load nothing but our own stylesheet and submit only to us. */
static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

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
                           const char *content_type, const char *vary, bool compressible,
                           bool own_csp)
{
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (content_type && strncmp(content_type, "text/html", 9) == 0) {
        if (!own_csp)
            MHD_add_response_header(r, "Content-Security-Policy", CSP);
        MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
    }
    const char *origin = allowed_origin(conn);
    if (origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
        /* A script told "try later" must be able to read when. */
        MHD_add_response_header(r, "Access-Control-Expose-Headers", "Retry-After");
    }
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

/* The q-value of one Accept-Encoding element's parameters (";q=0.5"): 1 when
 * none is given, 0 when it does not parse (RFC 9110: qvalue is 0 to 1 with
 * at most three decimals; anything else is not a weight we trust). */
static double element_weight(const char *params, size_t len)
{
    double q = 1;
    while (len > 0) {
        while (len > 0 && (*params == ';' || *params == ' ' || *params == '\t'))
            params++, len--;
        size_t n = 0;
        while (n < len && params[n] != ';')
            n++;
        if (n >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
            char value[8] = {0};
            size_t vlen = n - 2;
            while (vlen > 0 && (params[2 + vlen - 1] == ' ' || params[2 + vlen - 1] == '\t'))
                vlen--;
            if (vlen == 0 || vlen >= sizeof value || strspn(params + 2, "0123456789.") < vlen)
                return 0;
            memcpy(value, params + 2, vlen);
            char *end;
            q = strtod(value, &end);
            if (*end || q < 0 || q > 1 || (value[0] != '0' && value[0] != '1'))
                return 0;
        }
        params += n, len -= n;
    }
    return q;
}

/* Does the client take gzip, read by the header's grammar: a comma-separated
 * list of codings, each perhaps weighted; "gzip" (or "x-gzip") with a weight
 * above 0, or "*" above 0 when gzip is not named. "nogzip", "gzipfoo" and
 * "gzip;q=0" are not gzip. */
static bool accepts_gzip(struct MHD_Connection *conn)
{
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    double gzip = -1, any = -1;
    while (ae && *ae) {
        size_t len = strcspn(ae, ",");
        const char *name = ae;
        while (name < ae + len && (*name == ' ' || *name == '\t'))
            name++;
        size_t name_len = strcspn(name, ";, \t");
        if (name_len > (size_t)(ae + len - name))
            name_len = (size_t)(ae + len - name);
        const char *params = name + name_len;
        double q = element_weight(params, (size_t)(ae + len - params));
        if ((name_len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
            (name_len == 6 && strncasecmp(name, "x-gzip", 6) == 0))
            gzip = q > gzip ? q : gzip;
        else if (name_len == 1 && *name == '*')
            any = q;
        ae += len + (ae[len] == ',');
    }
    return gzip >= 0 ? gzip > 0 : any > 0;
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

/* ---- Requests --------------------------------------------------------------- */

static _Thread_local request_state *current; /* the request this thread is answering */

request_state *request_begin(const char *method, const char *url, route_id route, size_t entry)
{
    request_state *r = xmalloc(sizeof *r);
    *r = (request_state){.start = monotonic_seconds(), .route = route, .entry = entry,
                         .method = xstrdup(method), .url = xstrdup(url)};
    current = r;
    metrics_request_started();
    return r;
}

void request_resume(request_state *r)
{
    current = r;
}

double request_seconds(void)
{
    return current ? monotonic_seconds() - current->start : 0;
}

/* The status being queued, for the access log and the metrics. */
static void note_status(unsigned status)
{
    if (current)
        current->status = status;
    if (status == MHD_HTTP_TOO_MANY_REQUESTS)
        metrics_rate_limited();
}

void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                  enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)code;
    watchdog_request_done(conn);
    request_state *r = *req_cls;
    if (!r)
        return;
    if (current == r)
        current = NULL;
    double seconds = monotonic_seconds() - r->start;
    log_access(conn, r->method, r->url, r->status, seconds);
    metrics_request_done(r->route, r->status, seconds);
    free(r->method);
    free(r->url);
    free(r);
    *req_cls = NULL;
}

/* ---- Responses ---------------------------------------------------------------- */

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
    bool own_csp = false; /* a Content-Security-Policy given ("": none) replaces ours */
    for (size_t i = 0; i < n_extra; i++) {
        if (strcmp(extra[i].name, "Vary") == 0)
            vary = extra[i].value;
        own_csp |= strcmp(extra[i].name, "Content-Security-Policy") == 0;
    }
    common_headers(r, conn, content_type, vary, compressible, own_csp);
    if (gzipped)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    for (size_t i = 0; i < n_extra; i++)
        if (strcmp(extra[i].name, "Vary") != 0 && *extra[i].value)
            MHD_add_response_header(r, extra[i].name, extra[i].value);
    note_status(status);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result respond_file(struct MHD_Connection *conn, unsigned status, const char *content_type,
                             int fd, size_t size, const http_header *extra, size_t n_extra)
{
    struct MHD_Response *r = MHD_create_response_from_fd(size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    bool own_csp = false;
    for (size_t i = 0; i < n_extra; i++)
        own_csp |= strcmp(extra[i].name, "Content-Security-Policy") == 0;
    common_headers(r, conn, content_type, NULL, false, own_csp);
    for (size_t i = 0; i < n_extra; i++)
        if (*extra[i].value)
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

enum MHD_Result respond_body(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, char *body, const http_header *extra,
                             size_t n_extra)
{
    enum MHD_Result rc = respond_headers(conn, status, content_type, body, strlen(body), extra,
                                         n_extra);
    free(body);
    return rc;
}

enum MHD_Result respond_error_with(struct MHD_Connection *conn, unsigned status, const char *code,
                                   const char *message, const char *header, const char *value)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", json_string(message));
    json_t *o = json_object();
    json_object_set_new(o, "error", e);
    http_header extra = {header, value};
    return respond_body(conn, status, HTTP_JSON_TYPE, render_json(o), &extra, header ? 1 : 0);
}

enum MHD_Result respond_error(struct MHD_Connection *conn, unsigned status, const char *code,
                              const char *message)
{
    /* A 503 is passing (no index yet, or one mid-change): say when to come back. */
    bool passing = status == MHD_HTTP_SERVICE_UNAVAILABLE;
    return respond_error_with(conn, status, code, message, passing ? "Retry-After" : NULL, "5");
}

enum MHD_Result respond_preflight(struct MHD_Connection *conn)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, conn, NULL, NULL, false, false);
    MHD_add_response_header(r, "Allow", HTTP_ALLOW);
    if (allowed_origin(conn)) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", HTTP_ALLOW);
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Accept");
        MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
    }
    note_status(MHD_HTTP_NO_CONTENT);
    enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_NO_CONTENT, r);
    MHD_destroy_response(r);
    return rc;
}
