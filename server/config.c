/* config.c — the settings loomsearch-serve runs with: the one configuration
 * every module reads, and its defaults. Every option's default is in the option
 * table (serve_options.c); what is set here is what no option sets. */
#include "config.h"

#include "serve_options.h"

const server_config *config;

/* The recency prior: weight a post gains per year newer. BM25 weights on the
 * sample archive run from about 1 to 8; see docs/ranking.md for how it was set. */
#define RECENCY_PER_YEAR 0.01

server_config server_config_defaults(void)
{
    server_config cfg = {.search = {.max_expansion = 100, .recency = RECENCY_PER_YEAR}};
    opt_defaults(serve_program(), &cfg);
    return cfg;
}
