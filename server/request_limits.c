/* request_limits.c — limits libmicrohttpd does not keep for us: who the client is
 * (behind a trusted proxy, the address it forwards), a request rate per client
 * (token buckets), and an absolute deadline per request enforced by a watchdog
 * over connections, because a client dripping header bytes never reaches the
 * access handler and libmicrohttpd's own timeout counts only idle time. */
#include "request_limits.h"

#include "clock.h"
#include "config.h"
#include "text.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <xxhash.h>

/* ---- Who is asking ------------------------------------------------------------ */

void client_address(struct MHD_Connection *conn, char out[64])
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, 64);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, 64);
    if (!config->trusted_proxy || strcmp(out, config->trusted_proxy) != 0)
        return;
    /* From our proxy: the client is the last address it added, the rightmost
     * one. Whatever a client wrote further left is its own claim, not ours. */
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    if (n > 0 && n < 64) {
        memcpy(out, last, n);
        out[n] = '\0';
    }
}

/* ---- Request rate: a token bucket per client ------------------------------------ */

/* A fixed table, so memory stays bounded whatever the number of clients: a
 * client whose slot is taken by another starts again with a full bucket. */
#define BUCKETS 4096

typedef struct bucket {
    char client[64];
    double tokens;
    double last;
} bucket;

static bucket buckets[BUCKETS];
static pthread_mutex_t buckets_lock = PTHREAD_MUTEX_INITIALIZER;

bool rate_allow(const char *client, unsigned *retry_after)
{
    if (config->rate_per_second <= 0)
        return true;
    double rate = config->rate_per_second, burst = config->rate_burst, t = monotonic_seconds();
    bucket *b = &buckets[XXH3_64bits(client, strlen(client)) % BUCKETS];
    pthread_mutex_lock(&buckets_lock);
    if (strcmp(b->client, client) != 0) {
        snprintf(b->client, sizeof b->client, "%s", client);
        b->tokens = burst;
        b->last = t;
    }
    b->tokens = fmin(burst, b->tokens + (t - b->last) * rate);
    b->last = t;
    bool allowed = b->tokens >= 1;
    if (allowed)
        b->tokens -= 1;
    else
        *retry_after = (unsigned)ceil((1 - b->tokens) / rate);
    pthread_mutex_unlock(&buckets_lock);
    return allowed;
}

/* ---- The deadline watchdog ---------------------------------------------------- */

typedef struct watched {
    struct MHD_Connection *conn;
    int fd;
    double since;   /* connection start, or end of its last request */
    bool cut;       /* already shut down */
} watched;

static watched *conns;
static size_t n_conns, cap_conns;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t watchdog;
static volatile bool watchdog_running;
static unsigned long deadline_cuts;

void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                   enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    pthread_mutex_lock(&conns_lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (n_conns == cap_conns) {
            cap_conns = cap_conns ? cap_conns * 2 : 64;
            conns = xrealloc(conns, cap_conns * sizeof *conns);
        }
        conns[n_conns++] = (watched){.conn = conn, .fd = info ? info->connect_fd : -1,
                                     .since = monotonic_seconds()};
    } else {
        /* Removed before libmicrohttpd closes the socket, under the lock the
         * watchdog holds while it cuts: it never touches a reused descriptor. */
        for (size_t i = 0; i < n_conns; i++)
            if (conns[i].conn == conn) {
                conns[i] = conns[--n_conns];
                break;
            }
    }
    pthread_mutex_unlock(&conns_lock);
}

void watchdog_request_done(struct MHD_Connection *conn)
{
    pthread_mutex_lock(&conns_lock);
    for (size_t i = 0; i < n_conns; i++)
        if (conns[i].conn == conn)
            conns[i].since = monotonic_seconds();
    pthread_mutex_unlock(&conns_lock);
}

static void *watch(void *arg)
{
    (void)arg;
    while (watchdog_running) {
        nanosleep(&(struct timespec){.tv_nsec = 250 * 1000 * 1000}, NULL);
        double limit = monotonic_seconds() - config->deadline_s;
        pthread_mutex_lock(&conns_lock);
        for (size_t i = 0; i < n_conns; i++)
            if (!conns[i].cut && conns[i].fd >= 0 && conns[i].since < limit) {
                shutdown(conns[i].fd, SHUT_RDWR);
                conns[i].cut = true;
                deadline_cuts++;
            }
        pthread_mutex_unlock(&conns_lock);
    }
    return NULL;
}

int watchdog_start(void)
{
    watchdog_running = true;
    return pthread_create(&watchdog, NULL, watch, NULL);
}

void watchdog_stop(void)
{
    watchdog_running = false;
    pthread_join(watchdog, NULL);
    free(conns);
    conns = NULL;
    n_conns = cap_conns = 0;
}

unsigned long watchdog_cuts(void)
{
    pthread_mutex_lock(&conns_lock);
    unsigned long n = deadline_cuts;
    pthread_mutex_unlock(&conns_lock);
    return n;
}
