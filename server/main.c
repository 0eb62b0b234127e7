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

#include "indexroot.h"
#include "text.h"
#include "version.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <limits.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum serve_exit { EXIT_SERVE_OK = 0, EXIT_SERVE_FAILED = 1, EXIT_SERVE_USAGE = 2 };

#define DRAIN_SECONDS 10 /* how long requests in flight may take to finish at shutdown */
static void usage(FILE *to)
{
    fputs("usage: loomsearch-serve --db DIR [options]\n"
          "\n"
          "Answer searches over HTTP from the index root DIR (its current build,\n"
          "followed across rebuilds without a restart).\n"
          "\n"
          "  --db DIR             index root written by loomsearch-index, or a shard list\n"
          "                       file ('auto PATH' / 'remote HOST:PORT' lines)\n"
          "  --shard-timeout MS   to connect to a remote shard and for each answer (2000)\n"
          "  --on-shard-failure partial|fail  a shard down: answer from the rest, saying\n"
          "                       so (\"partial\": true), or answer 503 (default partial)\n"
          "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080;\n"
          "                       port 0 picks a free one; [::1]:PORT for IPv6)\n"
          "  --threads N          worker threads, each with its own reader\n"
          "                       (default: the number of cores)\n"
          "  --permalink PATTERN  URL of a post whose front matter has no url;\n"
          "                       {yyyy} {mm} {dd} {slug} (default /{yyyy}/{mm}/{slug}/)\n"
          "  --snippet-bytes N    about how long a snippet is, 40 to 2000 (default 240)\n"
          "  --public-url URL     where visitors reach this server, for links in feeds,\n"
          "                       OpenSearch and pages (default http://HOST:PORT)\n"
          "  --metrics-listen HOST:PORT  serve /metrics there only, not on --listen\n"
          "  --access-log FILE    log each request there ('-': stderr); addresses are\n"
          "                       shortened to their network unless --log-full-ip\n"
          "  --query-log FILE     log each search (query, filters, hits, ms; no address)\n"
          "                       for loomsearch-report\n"
          "  --log-full-ip        keep whole client addresses in the access log\n"
          "  --allow-origin URL   a site whose pages may call the API from the browser\n"
          "                       (CORS); repeat for several, or '*' for any\n"
          "  --cache N            answers kept for repeated searches (default 256; 0 off);\n"
          "                       a new index revision never matches an old answer\n"
          "\n"
          "Limits (each refused request gets a 4xx naming the limit, see docs/api.md):\n"
          "  --max-query-bytes N  longest q (default 512)\n"
          "  --max-terms N        most words in q (default 32)\n"
          "  --max-per-page N     most hits on a page (default 100)\n"
          "  --max-depth N        no hit past this rank (default 1000)\n"
          "  --rate N             requests per second one client may make (default 20; 0 off)\n"
          "  --burst N            ... and at once (default 40)\n"
          "  --trusted-proxy IP   take the client's address from this proxy's X-Forwarded-For\n"
          "Limits libmicrohttpd keeps (the connection is closed, see docs/operations.md):\n"
          "  --connection-limit N open connections in all (default 256)\n"
          "  --per-ip-limit N     open connections from one address (default 16; 0 off)\n"
          "  --timeout S          idle seconds before a connection is closed (default 10)\n"
          "  --deadline S         seconds a request may take from its first byte (default 15)\n"
          "\n"
          "  --wait-for-index     start even with no index yet: /healthz answers 503\n"
          "                       until loomsearch-index has made one (else: exit 1)\n"
          "  --config FILE        read settings from FILE ('name = value' lines)\n"
          "\n"
          "Every option can also be set in the environment (LOOMSEARCH_LISTEN for\n"
          "--listen) or the config file; the command line wins over the environment,\n"
          "which wins over the file. LOOMSEARCH_CONFIG names the file too.\n"
          "  --help               this text\n"
          "  --version            the version\n"
          "\n"
          "Prints 'listening on HOST:PORT' once it accepts connections.\n",
          to);
}

/* A whole number from min to max. */
static bool parse_number(const char *s, long min, long max, unsigned *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

/* "HOST:PORT" or "[V6HOST]:PORT" into a socket address. */
static bool parse_listen(const char *s, struct sockaddr_storage *out, bool *ipv6)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
        return false;
    memset(out, 0, sizeof *out);
    size_t n = strlen(host);
    if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        host[n - 1] = '\0';
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        *ipv6 = true;
        return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)out;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    *ipv6 = false;
    return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

/* Options that take a number, by the field they set. */
typedef struct number_option {
    const char *name;
    unsigned *uint_field;
    size_t *size_field;
    double *double_field;
    long min, max;
} number_option;

static bool set_number(const number_option *o, const char *value)
{
    unsigned n;
    if (!parse_number(value, o->min, o->max, &n)) {
        fprintf(stderr, "loomsearch-serve: --%s wants a whole number from %ld to %ld, not '%s'\n",
                o->name, o->min, o->max, value);
        return false;
    }
    if (o->uint_field)
        *o->uint_field = n;
    if (o->size_field)
        *o->size_field = n;
    if (o->double_field)
        *o->double_field = n;
    return true;
}

/* The merged settings; the configuration points into them until exit, on
 * whichever path the program ends. */
static char **settings;
static const char **origins;

static void free_settings(void)
{
    settings_free(settings);
    free(origins);
}

static int parse_args(int argc, char **argv, server_config *cfg)
{
    const number_option numbers[] = {
        {"threads", &cfg->threads, NULL, NULL, 1, 256},
        {"snippet-bytes", NULL, &cfg->search.snippet_bytes, NULL, 40, 2000},
        {"max-query-bytes", NULL, &cfg->max_query_bytes, NULL, 16, 8192},
        {"max-terms", &cfg->max_terms, NULL, NULL, 1, 256},
        {"max-per-page", &cfg->max_per_page, NULL, NULL, 1, 1000},
        {"max-depth", &cfg->max_depth, NULL, NULL, 10, 100000},
        {"rate", NULL, NULL, &cfg->rate_per_second, 0, 100000},
        {"burst", NULL, NULL, &cfg->rate_burst, 1, 100000},
        {"connection-limit", &cfg->connection_limit, NULL, NULL, 1, 100000},
        {"per-ip-limit", &cfg->per_ip_limit, NULL, NULL, 0, 100000},
        {"timeout", &cfg->timeout_s, NULL, NULL, 1, 3600},
        {"deadline", &cfg->deadline_s, NULL, NULL, 1, 3600},
        {"cache", NULL, &cfg->cache_entries, NULL, 0, 1000000},
        {"shard-timeout", &cfg->shard_timeout_ms, NULL, NULL, 50, 600000},
    };
    enum { N_NUMBERS = sizeof numbers / sizeof numbers[0] };
    enum { OPT_DB = 256, OPT_LISTEN, OPT_PERMALINK, OPT_PUBLIC_URL, OPT_ALLOW_ORIGIN,
           OPT_TRUSTED_PROXY, OPT_METRICS_LISTEN, OPT_ACCESS_LOG, OPT_QUERY_LOG, OPT_FULL_IP,
           OPT_CONFIG, OPT_WAIT, OPT_SHARD_FAILURE, OPT_HELP, OPT_VERSION, OPT_NUMBER };
    struct option options[N_NUMBERS + 16] = {
        {"db", required_argument, NULL, OPT_DB},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"permalink", required_argument, NULL, OPT_PERMALINK},
        {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
        {"allow-origin", required_argument, NULL, OPT_ALLOW_ORIGIN},
        {"trusted-proxy", required_argument, NULL, OPT_TRUSTED_PROXY},
        {"metrics-listen", required_argument, NULL, OPT_METRICS_LISTEN},
        {"access-log", required_argument, NULL, OPT_ACCESS_LOG},
        {"query-log", required_argument, NULL, OPT_QUERY_LOG},
        {"log-full-ip", no_argument, NULL, OPT_FULL_IP},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"wait-for-index", no_argument, NULL, OPT_WAIT},
        {"on-shard-failure", required_argument, NULL, OPT_SHARD_FAILURE},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
    };
    for (size_t i = 0; i < N_NUMBERS; i++)
        options[15 + i] = (struct option){numbers[i].name, required_argument, NULL, OPT_NUMBER + (int)i};
    /* Config file, then environment, then the command line: one list. */
    bool gathered = gather_settings(argc, argv, options, &argc, &argv);
    settings = argv;
    atexit(free_settings);
    if (!gathered)
        return EXIT_SERVE_USAGE;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c >= OPT_NUMBER && c < OPT_NUMBER + N_NUMBERS) {
            if (!set_number(&numbers[c - OPT_NUMBER], optarg))
                return EXIT_SERVE_USAGE;
            continue;
        }
        switch (c) {
        case OPT_DB:
            cfg->root = optarg;
            break;
        case OPT_LISTEN:
            cfg->listen = optarg;
            break;
        case OPT_PERMALINK:
            cfg->search.permalink = optarg;
            break;
        case OPT_PUBLIC_URL:
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) {
                fprintf(stderr, "loomsearch-serve: --public-url wants http:// or https://, not '%s'\n",
                        optarg);
                return EXIT_SERVE_USAGE;
            }
            cfg->public_url = optarg;
            break;
        case OPT_ALLOW_ORIGIN:
            if (strcmp(optarg, "*") != 0 && strncmp(optarg, "http://", 7) != 0 &&
                strncmp(optarg, "https://", 8) != 0) {
                fprintf(stderr, "loomsearch-serve: --allow-origin wants an origin such as "
                                "https://blog.example.org, or '*', not '%s'\n", optarg);
                return EXIT_SERVE_USAGE;
            }
            cfg->allow_origins = xrealloc(cfg->allow_origins,
                                          (cfg->n_allow_origins + 1) * sizeof *cfg->allow_origins);
            cfg->allow_origins[cfg->n_allow_origins++] = optarg;
            origins = cfg->allow_origins;
            break;
        case OPT_TRUSTED_PROXY: {
            unsigned char probe[16];
            if (inet_pton(AF_INET, optarg, probe) != 1 && inet_pton(AF_INET6, optarg, probe) != 1) {
                fprintf(stderr, "loomsearch-serve: --trusted-proxy wants an IP address, not '%s'\n",
                        optarg);
                return EXIT_SERVE_USAGE;
            }
            cfg->trusted_proxy = optarg;
            break;
        }
        case OPT_METRICS_LISTEN:
            cfg->metrics_listen = optarg;
            break;
        case OPT_ACCESS_LOG:
            cfg->access_log = optarg;
            break;
        case OPT_QUERY_LOG:
            cfg->query_log = optarg;
            break;
        case OPT_FULL_IP:
            cfg->log_full_ip = true;
            break;
        case OPT_CONFIG: /* read already, by gather_settings */
            break;
        case OPT_WAIT:
            cfg->wait_for_index = true;
            break;
        case OPT_SHARD_FAILURE:
            if (strcmp(optarg, "partial") != 0 && strcmp(optarg, "fail") != 0) {
                fprintf(stderr, "loomsearch-serve: --on-shard-failure is partial or fail, not '%s'\n",
                        optarg);
                return EXIT_SERVE_USAGE;
            }
            cfg->shard_failure_fails = strcmp(optarg, "fail") == 0;
            break;
        case OPT_HELP:
            usage(stdout);
            exit(EXIT_SERVE_OK);
        case OPT_VERSION:
            printf("loomsearch-serve %s\n", LOOM_VERSION);
            exit(EXIT_SERVE_OK);
        default:
            usage(stderr);
            return EXIT_SERVE_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "loomsearch-serve: unexpected argument '%s'\n", argv[optind]);
        return EXIT_SERVE_USAGE;
    }
    if (!cfg->root) {
        fprintf(stderr, "loomsearch-serve: --db is required\n");
        usage(stderr);
        return EXIT_SERVE_USAGE;
    }
    if (cfg->max_per_page > cfg->max_depth) {
        fprintf(stderr, "loomsearch-serve: --max-per-page (%u) cannot exceed --max-depth (%u)\n",
                cfg->max_per_page, cfg->max_depth);
        return EXIT_SERVE_USAGE;
    }
    char why[PATH_MAX + 128];
    if (shard_list_is(cfg->root) && !shard_list_load(cfg, why, sizeof why)) {
        fprintf(stderr, "loomsearch-serve: %s\n", why);
        shard_list_free(cfg);
        return EXIT_SERVE_USAGE;
    }
    return EXIT_SERVE_OK;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("loomsearch-serve: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
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
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
                            MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
                            MHD_OPTION_LISTEN_SOCKET, listener,
                            MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                            MHD_OPTION_END);
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

/* Stop accepting, give requests in flight up to DRAIN_SECONDS, then stop. */
static void drain_and_stop(struct MHD_Daemon *d)
{
    MHD_socket listener = MHD_quiesce_daemon(d);
    for (int i = 0; i < DRAIN_SECONDS * 10; i++) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    }
    MHD_stop_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
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
    if (cfg.metrics_listen) {
        bool m_ipv6;
        unsigned m_port;
        int m_listener = open_listener(cfg.metrics_listen, &m_ipv6, &m_port);
        metrics = m_listener < 0 ? NULL
                                 : MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                                        (m_ipv6 ? MHD_USE_IPv6 : 0),
                                                    0, NULL, NULL, on_metrics_request, NULL,
                                                    MHD_OPTION_LISTEN_SOCKET, m_listener,
                                                    MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
        if (!metrics) {
            fprintf(stderr, "loomsearch-serve: cannot serve metrics on %s\n", cfg.metrics_listen);
            MHD_stop_daemon(d);
            return EXIT_SERVE_FAILED;
        }
        printf("metrics on %.*s:%u\n", (int)(strrchr(cfg.metrics_listen, ':') - cfg.metrics_listen),
               cfg.metrics_listen, m_port);
    }
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
    cache_free();
    shard_list_free(&cfg);
    return EXIT_SERVE_OK;
}
