/* main.c — loomsearch-serve: read the command line, start libmicrohttpd's thread
 * pool, wait for SIGINT or SIGTERM, then stop taking connections, let the ones in
 * flight finish, and exit. */
#include "cache.h"
#include "config.h"
#include "dispatch.h"
#include "http.h"
#include "logs.h"
#include "reader.h"
#include "request_limits.h"
#include "shardlist.h"

#include "serve_options.h"

#include "indexroot.h"
#include "text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

enum serve_exit { EXIT_SERVE_OK = 0, EXIT_SERVE_FAILED = 1, EXIT_SERVE_USAGE = 2 };

#define DRAIN_SECONDS 10 /* how long requests in flight may take to finish at shutdown */

/* What the settings point into (strings from the config file, the list of
 * origins), kept until exit on whichever path the program ends. */
static opt_memory settings_memory;

static void free_settings(void)
{
    opt_memory_free(&settings_memory);
}

/* The settings from the table (serve_options.c), then what involves more than
 * one option, and the shard list --db may name. */
static int parse_args(int argc, char **argv, server_config *cfg)
{
    atexit(free_settings);
    opt_result r = opt_parse(serve_program(), cfg, argc, argv, &settings_memory);
    if (r == OPT_DONE) /* --help or --version answered */
        exit(EXIT_SERVE_OK);
    if (r != OPT_OK)
        return EXIT_SERVE_USAGE;
    if (!cfg->root) {
        fprintf(stderr, "loomsearch-serve: --db is required (see --help)\n");
        return EXIT_SERVE_USAGE;
    }
    if (cfg->max_per_page > cfg->max_depth) {
        fprintf(stderr, "loomsearch-serve: --max-per-page (%u) cannot exceed --max-depth (%u)\n",
                cfg->max_per_page, cfg->max_depth);
        return EXIT_SERVE_USAGE;
    }
    char why[PATH_MAX + 128];
    if (!trusted_proxies_init(cfg, why, sizeof why)) {
        fprintf(stderr, "loomsearch-serve: %s\n", why);
        return EXIT_SERVE_USAGE;
    }

    if (shard_list_is(cfg->root) && !shard_list_load(cfg, why, sizeof why)) {
        fprintf(stderr, "loomsearch-serve: %s\n", why);
        shard_list_free(cfg);
        return EXIT_SERVE_USAGE;
    }
    return EXIT_SERVE_OK;
}

/* libmicrohttpd's messages, at most MHD_LOG_PER_SECOND a second: it says
 * something about every connection a flood loses, and a flood must not fill
 * the journal. What is held back is counted in the next line that passes. */
#define MHD_LOG_PER_SECOND 10

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static time_t second;
    static unsigned in_second;
    static unsigned long held_back;
    time_t now = time(NULL);
    pthread_mutex_lock(&lock);
    if (now != second) {
        second = now;
        in_second = 0;
    }
    bool pass = ++in_second <= MHD_LOG_PER_SECOND;
    if (pass && held_back > 0) {
        fprintf(stderr, "loomsearch-serve: libmicrohttpd: %lu messages held back\n", held_back);
        held_back = 0;
    }
    if (pass) {
        fputs("loomsearch-serve: libmicrohttpd: ", stderr);
        vfprintf(stderr, fmt, ap);
    } else {
        held_back++;
    }
    pthread_mutex_unlock(&lock);
}

/* Bind and listen ourselves, so the port (maybe chosen by the kernel) is known
 * before any request can ask for the server's address. -1 on failure. */
static int open_listener(const char *listen_at, bool *ipv6, unsigned *port)
{
    struct sockaddr_storage addr;
    if (!parse_listen(listen_at, &addr, ipv6)) {
        fprintf(stderr, "loomsearch-serve: --listen wants HOST:PORT with a numeric host, not '%s'\n",
                listen_at);
        return -1;
    }
    socklen_t len = *ipv6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(fd, (struct sockaddr *)&addr, len) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        fprintf(stderr, "loomsearch-serve: cannot listen on %s: %s\n", listen_at, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(*ipv6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                        : ((struct sockaddr_in *)&addr)->sin_port);
    return fd;
}

static struct MHD_Daemon *start_daemon(const server_config *cfg, int listener, bool ipv6)
{
    /* ITC lets MHD_quiesce_daemon stop accepting while workers finish. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
    return MHD_start_daemon(flags, 0, accept_policy, NULL, on_request, NULL,
                            MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
                            MHD_OPTION_LISTEN_SOCKET, listener,
                            MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                            MHD_OPTION_END);
}

/* The daemon of --metrics-listen, answering /metrics alone; NULL after a message. */
static struct MHD_Daemon *start_metrics(const char *listen_at)
{
    bool ipv6;
    unsigned port;
    int listener = open_listener(listen_at, &ipv6, &port);
    struct MHD_Daemon *d =
        listener < 0 ? NULL
                     : MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                            (ipv6 ? MHD_USE_IPv6 : 0),
                                        0, NULL, NULL, on_metrics_request, NULL,
                                        MHD_OPTION_LISTEN_SOCKET, listener,
                                        MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "loomsearch-serve: cannot serve metrics on %s\n", listen_at);
        return NULL;
    }
    printf("metrics on %.*s:%u\n", (int)(strrchr(listen_at, ':') - listen_at), listen_at, port);
    return d;
}

/* Is there a build under root that opens? Says what is wrong when not. */
static bool index_usable(const char *root)
{
    char *path, *id;
    if (indexroot_current(&path, &id, root) != 0) {
        fprintf(stderr, "loomsearch-serve: no index at %s/current: run loomsearch-index first, "
                        "or start with --wait-for-index\n", root);
        return false;
    }
    xap_db *db;
    xap_error err;
    bool ok = xap_db_open(&db, path, &err) == XAP_OK;
    if (ok)
        xap_db_close(db);
    else
        fprintf(stderr, "loomsearch-serve: the index at %s cannot be opened: %s\n", path, err.message);
    free(path);
    free(id);
    return ok;
}

/* Stop accepting, give requests in flight up to DRAIN_SECONDS, then stop.
 * Connections waiting for a request are closed at once, and each one as its
 * request ends: a proxy keeps idle keep-alive connections open for seconds,
 * and would otherwise hold every shutdown for its whole keep-alive time. */
static void drain_and_stop(struct MHD_Daemon *d)
{
    MHD_socket listener = MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 10; i++) {
        watchdog_close_idle();
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    }
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
}

/* Said once, as the server starts: a proxy here that passes the visitor's own
 * X-Forwarded-For on unchanged (nginx with proxy_pass alone) would let
 * visitors pick their rate bucket. */
static void note_loopback_trusted(const server_config *cfg)
{
    if (cfg->n_trusted_proxies == 0 && listens_on_loopback(cfg->listen))
        fprintf(stderr, "loomsearch-serve: X-Forwarded-For is read from loopback peers (a proxy on "
                        "this machine must set it, as docs/embedding.md does; --trusted-proxy none "
                        "if nothing is in front)\n");
}

int main(int argc, char **argv)
{
    server_config cfg = server_config_defaults();
    int rc = parse_args(argc, argv, &cfg);
    if (rc != EXIT_SERVE_OK)
        return rc;
    config = &cfg;
    if (reader_init() != 0) {
        fprintf(stderr, "loomsearch-serve: cannot create thread-local storage\n");
        return EXIT_SERVE_FAILED;
    }
    /* Block the signals in every thread (MHD's inherit the mask) and take them
     * synchronously here, so no handler runs inside a request. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!cfg.wait_for_index && !cfg.n_shards && !index_usable(cfg.root))
        return EXIT_SERVE_FAILED;
    struct stat site;
    if (cfg.site_root && (stat(cfg.site_root, &site) != 0 || !S_ISDIR(site.st_mode))) {
        fprintf(stderr, "loomsearch-serve: --site-root %s is not a folder\n", cfg.site_root);
        return EXIT_SERVE_FAILED;
    }
    if (logs_open() != 0)
        return EXIT_SERVE_FAILED;
    cache_init(cfg.cache_entries);
    bool ipv6;
    unsigned port;
    int listener = open_listener(cfg.listen, &ipv6, &port);
    if (listener < 0)
        return EXIT_SERVE_FAILED;
    char host[64], own_url[128];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg.listen, ':') - cfg.listen), cfg.listen);
    snprintf(own_url, sizeof own_url, "http://%s:%u", host, port);
    if (!cfg.public_url)
        cfg.public_url = own_url;
    if (!cfg.site_url && cfg.site_root)
        cfg.site_url = "/"; /* the site is served beside the search */
    if (watchdog_start() != 0) {
        fprintf(stderr, "loomsearch-serve: cannot start the deadline watchdog\n");
        close(listener);
        return EXIT_SERVE_FAILED;
    }
    struct MHD_Daemon *d = start_daemon(&cfg, listener, ipv6);
    if (!d) {
        fprintf(stderr, "loomsearch-serve: cannot start serving on %s\n", cfg.listen);
        close(listener);
        return EXIT_SERVE_FAILED;
    }
    struct MHD_Daemon *metrics = NULL;
    if (cfg.metrics_listen && !(metrics = start_metrics(cfg.metrics_listen))) {
        MHD_stop_daemon(d);
        return EXIT_SERVE_FAILED;
    }
    note_loopback_trusted(&cfg);
    printf("listening on %s:%u\n", host, port);
    fflush(stdout);

    int sig;
    /* SIGHUP: reopen the logs (logrotate); the index needs nothing, every
     * request already looks for a new build. */
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP)
        if (logs_reopen() != 0)
            fprintf(stderr, "loomsearch-serve: SIGHUP: a log could not be reopened\n");
    fprintf(stderr, "loomsearch-serve: %s: finishing requests in flight\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    drain_and_stop(d);
    if (metrics)
        MHD_stop_daemon(metrics);
    watchdog_stop();
    trusted_proxies_free();
    cache_free();
    shard_list_free(&cfg);
    return EXIT_SERVE_OK;
}
