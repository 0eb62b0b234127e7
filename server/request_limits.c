/* request_limits.c — limits libmicrohttpd does not keep for us: who the client is
 * (behind a trusted proxy, the visitor it forwards), a request rate per client
 * (token buckets), and the connection policy: which connections one address
 * may hold, deadlines enforced by a watchdog over connections (a client
 * dripping header bytes never reaches the access handler and libmicrohttpd's
 * own timeout counts only idle time), and who makes way at the limit. */
#include "request_limits.h"

#include "clock.h"
#include "config.h"
#include "forwarded.h"
#include "serve_options.h"
#include "text.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <xxhash.h>

/* ---- Who is asking ------------------------------------------------------------ */

static proxy_set trusted; /* whose X-Forwarded-For names the client */

/* The loopback networks, trusted by default on a loopback --listen: there the
 * only possible peers are this machine's own programs, a proxy among them. */
static const char LOOPBACK[] = "127.0.0.0/8, ::1";

static bool sockaddr_ip(const struct sockaddr *sa, ip_addr *out)
{
    char text[IP_TEXT_MAX] = "";
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof text);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof text);
    return ip_parse(text, strlen(text), out);
}

/* The peer's address as text ("" when it has none), IPv4-mapped IPv6 as IPv4. */
static void sockaddr_text(const struct sockaddr *sa, char out[64])
{
    ip_addr a;
    out[0] = '\0';
    if (sockaddr_ip(sa, &a))
        ip_text(&a, out);
}

bool listens_on_loopback(const char *listen)
{
    struct sockaddr_storage addr;
    bool ipv6;
    ip_addr a;
    proxy_set loopback = {0};
    proxy_set_add(&loopback, LOOPBACK);
    bool yes = parse_listen(listen, &addr, &ipv6) && sockaddr_ip((struct sockaddr *)&addr, &a) &&
               proxy_set_has(&loopback, &a);
    proxy_set_free(&loopback);
    return yes;
}

bool trusted_proxies_init(const server_config *cfg, char *why, size_t len)
{
    proxy_set_free(&trusted);
    bool none = false;
    for (size_t i = 0; i < cfg->n_trusted_proxies; i++) {
        none = none || strcmp(cfg->trusted_proxies[i], "none") == 0;
        proxy_set_add(&trusted, cfg->trusted_proxies[i]); /* each vetted by the option table */
    }
    if (none && trusted.n > 0) {
        snprintf(why, len, "--trusted-proxy none cannot be given with proxies to trust");
        proxy_set_free(&trusted);
        return false;
    }
    if (cfg->n_trusted_proxies == 0 && listens_on_loopback(cfg->listen))
        proxy_set_add(&trusted, LOOPBACK);
    return true;
}

void trusted_proxies_free(void)
{
    proxy_set_free(&trusted);
}

/* Header iterator: every X-Forwarded-For value, joined in the order received
 * (a proxy may send the list in several headers; HTTP reads them as one). */
static enum MHD_Result join_forwarded_for(void *cls, enum MHD_ValueKind kind, const char *key,
                                          const char *value)
{
    (void)kind;
    strbuf *joined = cls;
    if (key && value && strcasecmp(key, "X-Forwarded-For") == 0)
        sb_printf(joined, "%s%s", joined->len ? "," : "", value);
    return MHD_YES;
}

void client_address(struct MHD_Connection *conn, char out[64])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    ip_addr peer, client;
    out[0] = '\0';
    if (!info || !sockaddr_ip(info->client_addr, &peer))
        return;
    strbuf xff = {0};
    if (proxy_set_has(&trusted, &peer))
        MHD_get_connection_values(conn, MHD_HEADER_KIND, join_forwarded_for, &xff);
    forwarded_client(&trusted, &peer, xff.len ? xff.data : NULL, &client);
    sb_free(&xff);
    ip_text(&client, out);
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

/* Whose bucket a client spends: an IPv6 client's /64 (one household's or one
 * server's usual allocation, in which a client could take a fresh address for
 * every request), an IPv4 address as it is. */
static void rate_key(const char *client, char key[64])
{
    ip_addr a;
    if (strchr(client, ':') && ip_parse(client, strlen(client), &a) && a.family == AF_INET6) {
        memset(a.bytes + 8, 0, 8);
        ip_text(&a, key);
        strcat(key, "/64");
        return;
    }
    snprintf(key, 64, "%s", client);
}

bool rate_allow(const char *client, unsigned *retry_after)
{
    if (config->rate_per_second <= 0)
        return true;
    double rate = config->rate_per_second, burst = config->rate_burst, t = monotonic_seconds();
    char key[64];
    rate_key(client, key);
    client = key;
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

/* ---- The connection policy ------------------------------------------------------
 *
 * One policy for every connection (docs/operations.md, "Connections"). A
 * connection that has not yet sent a whole request is unproven: it may be a
 * client about to speak or one that never will. Unproven connections are
 * the ones limited: --per-ip-limit of them from one address (checked when
 * libmicrohttpd accepts, so a proxy's address and keep-alive clients that
 * send whole requests are never refused for holding connections open), a
 * --header-deadline of their own, and the first to go when the connection
 * limit is reached. A connection that has sent a request is held to
 * --deadline per request and libmicrohttpd's idle --timeout between them. */

typedef struct watched {
    struct MHD_Connection *conn;
    int fd;
    char addr[64];   /* the peer's own address (a proxy's, behind one) */
    double since;    /* connection start, or end of its last request */
    unsigned served; /* requests answered on it */
    bool in_request; /* its headers are in and it is being answered */
    bool cut;        /* already shut down */
} watched;

static watched *conns;
static size_t n_conns, cap_conns;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t watchdog;
static volatile bool watchdog_running;
static connection_counts counts;

static bool unproven(const watched *w)
{
    return !w->cut && w->served == 0 && !w->in_request;
}

static watched *find_watched(struct MHD_Connection *conn)
{
    for (size_t i = 0; i < n_conns; i++)
        if (conns[i].conn == conn)
            return &conns[i];
    return NULL;
}

/* Caller holds conns_lock. shutdown(), not close(): libmicrohttpd owns the
 * descriptor, sees the end of the stream and closes it itself. */
static void cut(watched *w, unsigned long *counter)
{
    shutdown(w->fd, SHUT_RDWR);
    w->cut = true;
    (*counter)++;
}

enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)cls;
    (void)addrlen;
    if (config->per_ip_limit == 0)
        return MHD_YES;
    /* A trusted proxy carries every visitor behind it: its connections are
     * never refused here (the rate limit still counts each visitor). */
    ip_addr peer;
    if (sockaddr_ip(addr, &peer) && proxy_set_has(&trusted, &peer))
        return MHD_YES;
    char who[64];
    sockaddr_text(addr, who);
    unsigned waiting = 0;
    pthread_mutex_lock(&conns_lock);
    for (size_t i = 0; i < n_conns; i++)
        if (unproven(&conns[i]) && strcmp(conns[i].addr, who) == 0)
            waiting++;
    bool allowed = waiting < config->per_ip_limit;
    if (!allowed)
        counts.per_ip_refusals++;
    pthread_mutex_unlock(&conns_lock);
    return allowed ? MHD_YES : MHD_NO;
}

/* A connection is not evicted before it has had this long to send its
 * headers: a client that sends at once is read well within it, and a flood
 * that reconnects as it is cut is admitted at most limit / this per second. */
#define EVICT_MIN_AGE 0.2

/* At the connection limit libmicrohttpd stops accepting, and a new client
 * would wait behind connections that never speak: while every place is
 * taken, the oldest unproven connection past EVICT_MIN_AGE is shut down so
 * that a place comes free. When every connection has sent a request,
 * newcomers wait in the kernel's backlog. Caller holds conns_lock. */
static void evict_at_limit(double now)
{
    size_t open = 0, oldest = n_conns;
    for (size_t i = 0; i < n_conns; i++) {
        if (conns[i].cut)
            continue;
        open++;
        if (unproven(&conns[i]) && conns[i].since < now - EVICT_MIN_AGE &&
            (oldest == n_conns || conns[i].since < conns[oldest].since))
            oldest = i;
    }
    if (open >= config->connection_limit && oldest < n_conns)
        cut(&conns[oldest], &counts.evictions);
}

static void watch_start(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *peer =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (n_conns == cap_conns) {
        cap_conns = cap_conns ? cap_conns * 2 : 64;
        conns = xrealloc(conns, cap_conns * sizeof *conns);
    }
    watched *w = &conns[n_conns++];
    *w = (watched){.conn = conn, .fd = fd ? fd->connect_fd : -1, .since = monotonic_seconds()};
    sockaddr_text(peer ? peer->client_addr : NULL, w->addr);
    evict_at_limit(w->since);
}

void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                   enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    pthread_mutex_lock(&conns_lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        watch_start(conn);
    } else {
        /* Removed before libmicrohttpd closes the socket, under the lock the
         * watchdog holds while it cuts: it never touches a reused descriptor. */
        watched *w = find_watched(conn);
        if (w)
            *w = conns[--n_conns];
    }
    pthread_mutex_unlock(&conns_lock);
}

void watchdog_request_started(struct MHD_Connection *conn)
{
    pthread_mutex_lock(&conns_lock);
    watched *w = find_watched(conn);
    if (w)
        w->in_request = true;
    pthread_mutex_unlock(&conns_lock);
}

void watchdog_request_done(struct MHD_Connection *conn)
{
    pthread_mutex_lock(&conns_lock);
    watched *w = find_watched(conn);
    if (w) {
        w->since = monotonic_seconds();
        w->served++;
        w->in_request = false;
    }
    pthread_mutex_unlock(&conns_lock);
}

void watchdog_close_idle(void)
{
    pthread_mutex_lock(&conns_lock);
    for (size_t i = 0; i < n_conns; i++) {
        watched *w = &conns[i];
        if (!w->cut && !w->in_request && w->fd >= 0) {
            shutdown(w->fd, SHUT_RDWR);
            w->cut = true;
        }
    }
    pthread_mutex_unlock(&conns_lock);
}

static void cut_overdue(double now)
{
    for (size_t i = 0; i < n_conns; i++) {
        watched *w = &conns[i];
        if (w->cut || w->fd < 0)
            continue;
        if (unproven(w) && w->since < now - config->header_deadline_s)
            cut(w, &counts.header_cuts);
        else if (w->since < now - config->deadline_s)
            cut(w, &counts.deadline_cuts);
    }
}

static void *watch(void *arg)
{
    (void)arg;
    while (watchdog_running) {
        /* Every 50 ms: also what restarts admissions when, at the limit,
         * every unproven connection was too young to evict. */
        nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
        double now = monotonic_seconds();
        pthread_mutex_lock(&conns_lock);
        cut_overdue(now);
        evict_at_limit(now);
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

connection_counts watchdog_counts(void)
{
    pthread_mutex_lock(&conns_lock);
    connection_counts c = counts;
    pthread_mutex_unlock(&conns_lock);
    return c;
}
