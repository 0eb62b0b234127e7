/* reader.h — one Xapian reader per worker thread, kept on the current build
 * or joined over the shard list (reader.c). */
#ifndef LOOM_SERVER_READER_H
#define LOOM_SERVER_READER_H

#include "xap.h"

#include <stddef.h>

typedef struct reader_info {
    const char *build_id;     /* id of the build open, owned by the reader */
    const char *path;         /* its resolved path */
} reader_info;

/* The shards this thread's reader had to leave out (names, owned by the
 * reader), as of its last reader_get(); 0 when none or not sharded. */
size_t reader_missing_shards(const char *const **names);

/* This thread's reader of the current build, opened or moved forward as needed;
 * it stays the reader's (do not close it). XAP_ENOTFOUND when no build is current
 * or it cannot be opened; XAP_ENETWORK when a shard is down and that must fail. */
xap_status reader_get(xap_db **out, reader_info *info, xap_error *err);
/* Drop this thread's reader so the next reader_get() opens afresh. */
void reader_reset(void);
/* Once, before any thread reads: 0, or an error number. */
int reader_init(void);

#endif
