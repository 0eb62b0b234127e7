/* serve_options.h — loomsearch-serve's option table (serve_options.c): every
 * option, its default, bounds and help, written once. */
#ifndef LOOM_SERVE_OPTIONS_H
#define LOOM_SERVE_OPTIONS_H

#include "options.h"

#include <stdbool.h>
#include <sys/socket.h>

/* The table, over a server_config. */
const opt_program *serve_program(void);

/* "HOST:PORT" or "[V6HOST]:PORT", the host numeric, into a socket address. */
bool parse_listen(const char *s, struct sockaddr_storage *out, bool *ipv6);

#endif
