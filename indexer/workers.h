/* workers.h — parse posts in a small pool of worker processes.
 *
 * cmark 0.30.2 (Debian's) is quadratic on some inputs, so a post can take minutes
 * of CPU to parse; a worker process can be stopped, a thread cannot. Each worker
 * reads, hashes and parses one post at a time under a CPU-time limit; a worker
 * that exceeds it is killed by the kernel, the post reported, and a new worker
 * takes its place. Workers also spread parsing over the cores while the parent
 * writes the index. */
#ifndef LOOM_WORKERS_H
#define LOOM_WORKERS_H

#include "post.h"

#include <stddef.h>

typedef enum parse_kind {
    PARSE_UNCHANGED, /* the content hash equals the one known: not parsed */
    PARSE_OK,        /* parsed: post is set */
    PARSE_FAILED,    /* message says why, naming the file */
} parse_kind;

typedef struct parse_result {
    parse_kind kind;
    char hash[17];   /* content hash (xxh3-64, hex); "" when the file could not be read */
    post *post;      /* PARSE_OK: the callback owns it */
    char *message;   /* PARSE_FAILED: the callback owns it */
} parse_result;

typedef struct parse_job {
    const char *path;
    const char *known_hash; /* "" when the post is new */
} parse_job;

typedef struct parse_pool parse_pool;

/* Fork the workers now: before any lock is taken or index opened, so none of
 * them holds either. NULL when no process can be started. */
parse_pool *pool_start(unsigned workers, size_t max_post_bytes, unsigned cpu_seconds);

/* Run every job; on_result gets each result in job order (not completion
 * order), so what the caller does is deterministic. Returns 0, or -1 when the
 * pool broke (no worker could be started). */
typedef void (*parse_done_fn)(void *ctx, size_t job, parse_result *result);
int pool_run(parse_pool *pool, const parse_job *jobs, size_t n_jobs, parse_done_fn on_result,
             void *ctx);

/* Tell the workers to finish and reap them. */
void pool_stop(parse_pool *pool);

#endif
