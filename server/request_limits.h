/* request_limits.h — what libmicrohttpd does not limit for us: who the client is, a
 * request rate per client, a deadline per request (request_limits.c). */
#ifndef LOOM_SERVER_REQUEST_LIMITS_H
#define LOOM_SERVER_REQUEST_LIMITS_H

#include <microhttpd.h>
#include <stdbool.h>

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
/* The thread that shuts down connections past their deadline: 0, or an error number. */
int watchdog_start(void);
void watchdog_stop(void);
unsigned long watchdog_cuts(void); /* connections shut down so far */

#endif
