/* dispatch.c — libmicrohttpd's access handlers: the route table, the files
 * built in from web/, and what every request passes before its handler: the
 * client's rate, the method, the route (looked up once, when the headers are in). */
#include "dispatch.h"

#include "config.h"
#include "http.h"
#include "request_limits.h"
#include "routes.h"
#include "site_files.h"

#include <stdio.h>
#include <string.h>

/* The routes with a handler, by id; ROUTE_FILE and ROUTE_OTHER have none. */
static const struct route {
    const char *path;
    enum MHD_Result (*handle)(struct MHD_Connection *conn);
} routes[ROUTE_COUNT] = {
    [ROUTE_HOME] = {"/", handle_home},
    [ROUTE_SEARCH] = {"/search", handle_search},
    [ROUTE_SUGGEST] = {"/suggest", handle_suggest},
    [ROUTE_SIMILAR] = {"/similar", handle_similar},
    [ROUTE_HEALTHZ] = {"/healthz", handle_healthz},
    [ROUTE_OPENSEARCH] = {"/opensearch.xml", handle_opensearch},
    [ROUTE_METRICS] = {"/metrics", handle_metrics},
};

/* The files built in from web/ (generated/web_files.c). */
extern const struct web_file {
    const char *path, *data;
    size_t size;
} web_files[];

/* The route url names; for ROUTE_FILE, *file is the index of the file in web_files. */
static route_id route_of(const char *url, size_t *file)
{
    *file = 0;
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        if (routes[i].path && strcmp(url, routes[i].path) == 0)
            return (route_id)i;
    for (const struct web_file *f = web_files; f->path; f++)
        if (strcmp(url, f->path) == 0) {
            *file = (size_t)(f - web_files);
            return ROUTE_FILE;
        }
    return ROUTE_OTHER;
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
    snprintf(msg, sizeof msg, "more than %g requests a second: try again in %s s",
             config->rate_per_second, seconds);
    return respond_error_with(conn, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited", msg,
                              "Retry-After", seconds);
}

/* With a site beside the search (--site-root), its files answer every path
 * not ours, its home page included. */
static bool is_site_request(const request_state *r)
{
    return config->site_root && (r->route == ROUTE_OTHER || r->route == ROUTE_HOME);
}

/* The request r, its headers in and its body (if any) read: answer it. */
static enum MHD_Result answer(struct MHD_Connection *conn, const request_state *r)
{
    bool get = strcmp(r->method, MHD_HTTP_METHOD_GET) == 0 ||
               strcmp(r->method, MHD_HTTP_METHOD_HEAD) == 0;
    if (strcmp(r->method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return respond_preflight(conn);
    if (!get)
        return respond_error_with(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                                  "only GET, HEAD and OPTIONS are answered", "Allow", HTTP_ALLOW);
    if (r->route == ROUTE_FILE)
        return serve_web_file(conn, &web_files[r->entry]);
    /* /metrics on its own address (--metrics-listen) is not shown to the public. */
    bool hidden = r->route == ROUTE_METRICS && config->metrics_listen;
    if (is_site_request(r))
        return serve_site_file(conn, r->url);
    if (r->route == ROUTE_OTHER || hidden)
        return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    enum MHD_Result rc;
    if (!arguments_ok(conn, &rc))
        return rc;
    return routes[r->route].handle(conn);
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
        size_t file;
        route_id route = route_of(url, &file);
        *req_cls = request_begin(method, url, route, file);
        watchdog_request_started(conn);
        return MHD_YES;
    }
    request_state *r = *req_cls;
    request_resume(r);
    /* Every client is held to a rate, except the health check and a built
     * site's files (a page's pictures and fonts would spend a visitor's burst
     * before they type; each is sent from its file, cheaply). */
    unsigned retry_after = 0;
    char client[64];
    client_address(conn, client);
    if (r->route != ROUTE_HEALTHZ && !is_site_request(r) && !rate_allow(client, &retry_after))
        return respond_rate_limited(conn, retry_after);
    /* Requests carry no body we want: anything uploaded is discarded. */
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(conn, r);
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
