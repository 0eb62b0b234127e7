/* shardlist.h — the shard list: --db naming a file of databases, one a line,
 * that the server joins into one index (shardlist.c). */
#ifndef LOOM_SERVER_SHARDLIST_H
#define LOOM_SERVER_SHARDLIST_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>

bool shard_list_is(const char *path); /* a file, not an index root's folder */
/* Read the list cfg->root names into cfg->shards; false with why on a bad line.
 * cfg->shards is set either way: release it with shard_list_free(). */
bool shard_list_load(server_config *cfg, char *why, size_t why_len);
void shard_list_free(server_config *cfg);

#endif
