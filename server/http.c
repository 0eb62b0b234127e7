/* http.c — libmicrohttpd glue: the access handler that picks a route, and the
 * one place that builds, queues and destroys a response. */
#include "server.h"

#include "text.h"

#include <string.h>

static const char ALLOW[] = "GET, HEAD, OPTIONS";

static const struct route {
    const char *path;
    enum MHD_Result (*handle)(struct MHD_Connection *conn);
} routes[] = {
    {"/search", handle_search},
    {"/healthz", handle_healthz},
    {"/similar", handle_similar},
    {"/suggest", handle_suggest},
};

enum MHD_Result respond_with(struct MHD_Connection *conn, unsigned status,
                             const char *content_type, const char *body, size_t len,
                             const char *header, const char *value)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO; /* out of memory: dropping the connection is all that is left */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (header)
        MHD_add_response_header(r, header, value);
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
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
    static int headers_seen;
    if (*req_cls == NULL) {
        *req_cls = &headers_seen;
        return MHD_YES;
    }
    /* Requests carry no body we want: anything uploaded is discarded. */
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return respond_with(conn, MHD_HTTP_NO_CONTENT, "text/plain; charset=utf-8", "", 0, "Allow",
                            ALLOW);
    if (!get) {
        const char msg[] = "{\"error\":{\"code\":\"method_not_allowed\","
                           "\"message\":\"only GET, HEAD and OPTIONS are answered\"}}";
        return respond_with(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "application/json; charset=utf-8",
                            msg, sizeof msg - 1, "Allow", ALLOW);
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strcmp(url, routes[i].path) == 0)
            return routes[i].handle(conn);
    return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
}
