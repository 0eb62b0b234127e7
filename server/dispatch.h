/* dispatch.h — libmicrohttpd's access handlers (dispatch.c): the top of the
 * server under main.c. */
#ifndef LOOM_SERVER_DISPATCH_H
#define LOOM_SERVER_DISPATCH_H

#include <microhttpd.h>
#include <stddef.h>

/* The access handler of the main daemon: rate, method, route table. */
enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                           const char *method, const char *version, const char *upload_data,
                           size_t *upload_data_size, void **req_cls);
/* The access handler of the --metrics-listen daemon: /metrics and nothing else. */
enum MHD_Result on_metrics_request(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **req_cls);

#endif
