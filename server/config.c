/* config.c — the settings loomsearch-serve runs with: the one configuration
 * every module reads. Its defaults come from the option table
 * (serve_options.c: server_config_defaults). */
#include "config.h"

const server_config *config;
