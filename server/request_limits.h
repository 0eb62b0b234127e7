/* request_limits.h — what libmicrohttpd does not limit for us: who the client is, a
 * request rate per client, the connection policy (request_limits.c). */
#ifndef LOOM_SERVER_REQUEST_LIMITS_H
#define LOOM_SERVER_REQUEST_LIMITS_H

#include "config.h"

#include <microhttpd.h>
#include <stddef.h>
#include <stdbool.h>

/* Is --listen a loopback address (where loopback is trusted by default)? */
bool listens_on_loopback(const char *listen);

/* Which peers' X-Forwarded-For to believe: --trusted-proxy, else loopback
 * when cfg listens on loopback. False with why on a contradiction ('none'
 * given with proxies). Call before the daemon starts. */
bool trusted_proxies_init(const server_config *cfg, char *why, size_t len);
void trusted_proxies_free(void);
/* The client's address: the peer's, or from a trusted proxy the visitor its
 * X-Forwarded-For names (forwarded.h); "" when it has none. */
void client_address(struct MHD_Connection *conn, char out[64]);
/* Take one token from the client's bucket (an IPv6 client's is its /64's);
 * false with *retry_after seconds when it is empty. */
bool rate_allow(const char *client, unsigned *retry_after);
/* libmicrohttpd's accept policy: refuses an address already holding
 * --per-ip-limit connections that have not sent a whole request. */
enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* libmicrohttpd's connection notifier: the watchdog's list of connections;
 * at the connection limit, a new one evicts the oldest unproven one. */
void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                   enum MHD_ConnectionNotificationCode code);
/* A request's headers are in: its connection is no longer waiting for them. */
void watchdog_request_started(struct MHD_Connection *conn);
/* A request finished: its connection's deadline starts again. */
void watchdog_request_done(struct MHD_Connection *conn);
/* Shut down every connection that is not being answered (at shutdown: a
 * proxy's idle keep-alive connections would otherwise hold the drain). */
void watchdog_close_idle(void);
/* The thread that shuts down connections past their deadline: 0, or an error number. */
int watchdog_start(void);
void watchdog_stop(void);
typedef struct connection_counts {
    unsigned long deadline_cuts;   /* past --deadline */
    unsigned long header_cuts;     /* no whole request within --header-deadline */
    unsigned long evictions;       /* made way for a new one at --connection-limit */
    unsigned long per_ip_refusals; /* refused by --per-ip-limit */
} connection_counts;
connection_counts watchdog_counts(void); /* so far */

#endif
