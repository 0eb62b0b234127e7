/* serve_options.c — loomsearch-serve's options: one table, from which the command
 * line, LOOMSEARCH_* variables, the config file, the defaults
 * (server_config_defaults) and --help all come. Checks that involve two options
 * (--max-per-page against --max-depth) and the shard list are main.c's. */
#include "serve_options.h"

#include "config.h"
#include "forwarded.h"
#include "version.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

bool parse_listen(const char *s, struct sockaddr_storage *out, bool *ipv6)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    unsigned long port;
    if (!colon || (size_t)(colon - s) >= sizeof host || !opt_parse_uint(colon + 1, 0, 65535, &port))
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
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

static bool valid_listen(const char *v)
{
    struct sockaddr_storage addr;
    bool ipv6;
    return parse_listen(v, &addr, &ipv6);
}

static bool is_http_url(const char *v)
{
    return strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0;
}

/* A page of the site: a whole URL, or a path on the server's own host (not
 * "//host" nor "/\host", which browsers read as another host). */
static bool is_url_or_path(const char *v)
{
    return is_http_url(v) || (v[0] == '/' && v[1] != '/' && v[1] != '\\');
}

static bool valid_origin(const char *v)
{
    return strcmp(v, "*") == 0 || is_http_url(v);
}

static bool valid_proxies(const char *v)
{
    return proxy_set_add(NULL, v);
}

#define AT(field) offsetof(server_config, field)
#define UINT(nm, t, field, lo, hi, d, meta, text) \
    {.name = nm, .kind = OPT_UINT, .type = t, .offset = AT(field), .min = lo, .max = hi, \
     .def = d, .metavar = meta, .help = text}
#define STRING(nm, field, d, check, wants, meta, text) \
    {.name = nm, .kind = OPT_STRING, .offset = AT(field), .def = d, .valid = check, \
     .want = wants, .metavar = meta, .help = text}
#define FLAG(nm, field, text) {.name = nm, .kind = OPT_FLAG, .offset = AT(field), .help = text}
#define HEADING(text) {.kind = OPT_HEADING, .help = text}

static const char *const shard_failure_words[] = {"partial", "fail", NULL};

static const opt_spec serve_specs[] = {
    STRING("db", root, NULL, NULL, NULL, "DIR",
           "index root written by loomsearch-index, or a shard list file ('auto PATH' / "
           "'remote HOST:PORT' lines)"),
    UINT("shard-timeout", OPT_T_UNSIGNED, shard_timeout_ms, 50, 600000, "2000", "MS",
         "to connect to a remote shard and for each answer"),
    {.name = "on-shard-failure", .kind = OPT_ENUM, .type = OPT_T_BOOL,
     .offset = AT(shard_failure_fails), .words = shard_failure_words, .def = "partial",
     .metavar = "WORD",
     .help = "a shard down: answer from the rest, saying so (\"partial\": true), or answer 503"},
    STRING("listen", listen, "127.0.0.1:8080", valid_listen, "HOST:PORT with a numeric host",
           "HOST:PORT", "address to listen on; port 0 picks a free one; [::1]:PORT for IPv6"),
    {.name = "threads", .kind = OPT_UINT, .type = OPT_T_UNSIGNED, .offset = AT(threads),
     .min = 1, .max = 256, .def_fn = opt_cores, .def = "the number of cores", .metavar = "N",
     .help = "worker threads, each with its own reader"},
    STRING("permalink", search.permalink, "/{yyyy}/{mm}/{slug}/", NULL, NULL, "PATTERN",
           "URL of a post the index stores none for (indexed without --site or the indexer's "
           "--permalink, and no url in its front matter); {yyyy} {mm} {dd} {slug} {title}"),
    UINT("snippet-bytes", OPT_T_SIZE, search.snippet_bytes, 40, 2000, "240", "N",
         "about how long a snippet is"),
    STRING("public-url", public_url, NULL, is_http_url, "http:// or https://", "URL",
           "where visitors reach this server, for links in feeds, OpenSearch and pages "
           "(when not set: http://HOST:PORT of --listen)"),
    STRING("site-root", site_root, NULL, NULL, NULL, "DIR",
           "serve this built site's files (pages, images) for every path that is not the "
           "server's own, beside the search"),
    STRING("site-url", site_url, NULL, is_url_or_path, "http://, https:// or a path from /", "URL",
           "the site's home page, which the search's pages link back to (when not set: / with "
           "--site-root, else no link)"),
    STRING("metrics-listen", metrics_listen, NULL, valid_listen, "HOST:PORT with a numeric host",
           "HOST:PORT", "serve /metrics there only, not on --listen"),
    STRING("access-log", access_log, NULL, NULL, NULL, "FILE",
           "log each request there ('-': stderr); addresses are shortened to their network "
           "unless --log-full-ip"),
    STRING("query-log", query_log, NULL, NULL, NULL, "FILE",
           "log each search (query, filters, hits, ms; no address) for loomsearch-report"),
    FLAG("log-full-ip", log_full_ip, "keep whole client addresses in the access log"),
    {.name = "allow-origin", .kind = OPT_LIST, .offset = AT(allow_origins),
     .count_offset = AT(n_allow_origins), .valid = valid_origin,
     .want = "an origin such as https://blog.example.org, or '*'", .metavar = "URL",
     .help = "a site whose pages may call the API from the browser (CORS), or '*' for any"},
    UINT("cache", OPT_T_SIZE, cache_entries, 0, 1000000, "256", "N",
         "answers kept for repeated searches, 0: off; a new index revision never matches an "
         "old answer"),
    HEADING("Limits (each refused request gets a 4xx naming the limit, see docs/api.md):"),
    UINT("max-query-bytes", OPT_T_SIZE, max_query_bytes, 16, 8192, "512", "N", "longest q"),
    UINT("max-terms", OPT_T_UNSIGNED, max_terms, 1, 256, "32", "N", "most words in q"),
    UINT("max-per-page", OPT_T_UNSIGNED, max_per_page, 1, 1000, "100", "N",
         "most hits on a page, at most --max-depth"),
    UINT("max-depth", OPT_T_UNSIGNED, max_depth, 10, 100000, "1000", "N",
         "no hit past this rank"),
    UINT("rate", OPT_T_DOUBLE, rate_per_second, 0, 100000, "20", "N",
         "requests per second one client may make; 0: off"),
    UINT("burst", OPT_T_DOUBLE, rate_burst, 1, 100000, "40", "N", "... and at once"),
    {.name = "trusted-proxy", .kind = OPT_LIST, .offset = AT(trusted_proxies),
     .count_offset = AT(n_trusted_proxies), .valid = valid_proxies,
     .want = "IP addresses or networks (192.0.2.7, 10.0.0.0/8, ::1), or 'none'", .metavar = "IP",
     .help = "a reverse proxy (an address or a network; several with commas) whose "
             "X-Forwarded-For names the visitor: --rate counts each visitor, and the proxy is "
             "exempt from --per-ip-limit. When --listen is a loopback address and this is not "
             "given, loopback (127.0.0.0/8, ::1) is trusted; 'none' trusts no one"},
    HEADING("Connections (closed, not answered; see docs/operations.md, \"Connections\"):"),
    UINT("connection-limit", OPT_T_UNSIGNED, connection_limit, 1, 100000, "256", "N",
         "open connections in all; at the limit a new one evicts the oldest that has not "
         "sent a request"),
    UINT("per-ip-limit", OPT_T_UNSIGNED, per_ip_limit, 0, 100000, "16", "N",
         "connections from one address that have not sent a whole request yet (keep-alive "
         "ones that have are not counted; --trusted-proxy is exempt); 0: off"),
    UINT("header-deadline", OPT_T_UNSIGNED, header_deadline_s, 1, 3600, "5", "S",
         "seconds a new connection has to send its first request's headers"),
    UINT("timeout", OPT_T_UNSIGNED, timeout_s, 1, 3600, "10", "S",
         "idle seconds between requests before a connection is closed"),
    UINT("deadline", OPT_T_UNSIGNED, deadline_s, 1, 3600, "15", "S",
         "seconds a request may take from its first byte"),
    HEADING(""),
    FLAG("wait-for-index", wait_for_index,
         "start even with no index yet: /healthz answers 503 until loomsearch-index has made "
         "one (else: exit 1)"),
    OPT_LAST_ENTRIES,
};

/* loomsearch-index's settings, which a shared environment or file may hold. */
static const char *const index_only[] = {
    "corpus", "site", "wordpress", "wordpress-json", "wordpress-pages", "html", "base-url", "content-selector", "rebuild", "rollback", "check", "list", "shard-by", "export-lexicon", "force", "dry-run",
    "synonyms", "max-size", "parse-timeout", "jobs", "keep", "quiet", "verbose", NULL,
};

static const opt_program serve = {
    .name = "loomsearch-serve",
    .version = LOOM_VERSION,
    .env_prefix = "LOOMSEARCH_",
    .specs = serve_specs,
    .sibling = index_only,
    .synopsis = "usage: loomsearch-serve --db DIR [options]\n"
                "\n"
                "Answer searches over HTTP from the index root DIR (its current build,\n"
                "followed across rebuilds without a restart).\n"
                "\n",
    .epilogue = "Every option can also be set in the environment (LOOMSEARCH_LISTEN for\n"
                "--listen) or the config file; the command line wins over the environment,\n"
                "which wins over the file. LOOMSEARCH_CONFIG names the file too. Settings\n"
                "of loomsearch-index (LOOMSEARCH_CORPUS...) are passed over.\n"
                "\n"
                "Prints 'listening on HOST:PORT' once it accepts connections.\n",
};

const opt_program *serve_program(void)
{
    return &serve;
}

/* The recency prior: weight a post gains per year newer. BM25 weights on the
 * sample archive run from about 1 to 8; see docs/ranking.md for how it was set. */
#define RECENCY_PER_YEAR 0.01

server_config server_config_defaults(void)
{
    server_config cfg = {.search = {.max_expansion = 100, .recency = RECENCY_PER_YEAR}};
    opt_defaults(serve_program(), &cfg);
    return cfg;
}
