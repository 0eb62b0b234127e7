/* routes.h — the handlers, one a route (routes.c): each reads and bounds its
 * parameters, asks the reader or the renderers, and responds. */
#ifndef LOOM_SERVER_ROUTES_H
#define LOOM_SERVER_ROUTES_H

#include <microhttpd.h>
#include <stdbool.h>

/* Every query-string parameter free of NUL bytes and valid UTF-8; else false
 * with *rc the 400 naming the parameter. */
bool arguments_ok(struct MHD_Connection *conn, enum MHD_Result *rc);
enum MHD_Result handle_search(struct MHD_Connection *conn);
enum MHD_Result handle_healthz(struct MHD_Connection *conn);
enum MHD_Result handle_similar(struct MHD_Connection *conn);
enum MHD_Result handle_suggest(struct MHD_Connection *conn);
enum MHD_Result handle_home(struct MHD_Connection *conn);
enum MHD_Result handle_opensearch(struct MHD_Connection *conn);
enum MHD_Result handle_metrics(struct MHD_Connection *conn);

#endif
