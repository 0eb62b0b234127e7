/* serve_options.h — loomsearch-serve's option table (serve_options.c): every
 * option, its default, bounds and help, written once. */
#ifndef LOOM_SERVE_OPTIONS_H
#define LOOM_SERVE_OPTIONS_H

#include "config.h"
#include "options.h"

#include <stdbool.h>
#include <sys/socket.h>

/* The table, over a server_config. */
const opt_program *serve_program(void);

/* The settings of a server started with no options: the table's defaults,
 * and the few settings no option sets. */
server_config server_config_defaults(void);

/* "HOST:PORT" or "[V6HOST]:PORT", the host numeric, into a socket address. */
bool parse_listen(const char *s, struct sockaddr_storage *out, bool *ipv6);

#endif
