/* config.h — loomsearch-serve's settings: the one configuration every part
 * reads, its defaults, and where the settings come from (config.c). The bottom
 * of the server: it includes no other server header. */
#ifndef LOOM_SERVER_CONFIG_H
#define LOOM_SERVER_CONFIG_H

#include "results.h"

#include <stdbool.h>
#include <stddef.h>

/* One database of an index served in shards (shardlist.c). */
typedef struct shard_entry {
    char *name;     /* as listed: the path or HOST:PORT */
    char *path;     /* local: a database, or an index root when is_root; else NULL */
    char *host;     /* remote: served by xapian-tcpsrv */
    unsigned port;
    bool is_root;   /* path has a current symlink: serve what it names */
} shard_entry;

typedef struct server_config {
    const char *root;          /* index root: ROOT/current is served; or a shard list */
    const char *listen;        /* "host:port" as given */
    unsigned threads;          /* libmicrohttpd worker threads, one reader each */
    unsigned connection_limit; /* open connections in all (libmicrohttpd closes the rest) */
    unsigned per_ip_limit;     /* open connections from one address; 0: none */
    unsigned timeout_s;        /* idle seconds before a connection is closed */
    unsigned header_deadline_s; /* seconds a connection may take to send its first request */
    unsigned deadline_s;       /* seconds a request may take, from its first byte */
    double rate_per_second;    /* requests a client may make per second; 0: no limit */
    double rate_burst;         /* ... and at once */
    const char **trusted_proxies; /* as given: addresses and networks whose X-Forwarded-For
                                   * names the client, or "none" (request_limits.c reads them) */
    size_t n_trusted_proxies;
    size_t max_query_bytes;    /* longest q accepted */
    unsigned max_terms;        /* most words in q */
    unsigned max_per_page;
    unsigned max_depth;        /* no hit past this rank is ever returned */
    const char *public_url;    /* where visitors reach the server, no trailing '/' */
    const char *site_root;     /* a built site served for paths that are not ours, or NULL */
    const char *site_url;      /* the site's home page, linked from the search's pages, or NULL */
    const char *metrics_listen; /* "host:port" for /metrics alone, or NULL: on the main one */
    const char *access_log;    /* file, "-" for stderr, or NULL: off */
    const char *query_log;     /* file, "-" for stderr, or NULL: off */
    bool log_full_ip;          /* log whole client addresses, not their network */
    bool wait_for_index;       /* start without an index, not ready until one appears */
    const char **allow_origins; /* origins whose pages may call the API (CORS) */
    size_t n_allow_origins;
    size_t cache_entries;      /* answers kept for repeated requests; 0: none */
    shard_entry *shards;       /* when root is a shard list (shardlist.c), else NULL */
    size_t n_shards;
    unsigned shard_timeout_ms; /* to connect to a remote shard, and for each request */
    bool shard_failure_fails;  /* a shard down: 503, not a partial answer */
    search_config search;
} server_config;

extern const server_config *config; /* set once by main() before the daemon starts */


#endif
