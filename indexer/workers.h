/* workers.h — parse posts in a small pool of worker processes.
 *
 * cmark-gfm 0.29 (Debian's; cmark 0.30.2 was too) is quadratic on some inputs,
 * so a post can take minutes of CPU to parse; a worker process can be stopped,
 * a thread cannot. Each worker reads, hashes and parses one item of the source
 * at a time (source.h), the parse under a CPU-time limit; a worker that exceeds
 * it is killed by the kernel, the item reported, and a new worker takes its
 * place. Workers also spread parsing over the cores while the parent writes
 * the index.
 *
 * The parent pulls results in job order (not completion order), so what it does
 * with them is deterministic. A parsed post stays in the JSON the worker wrote
 * (post_to_json): the parent can hand it to a writer process as it is, or decode
 * it with post_from_json when it writes the document itself. */
#ifndef LOOM_WORKERS_H
#define LOOM_WORKERS_H

#include "source.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum parse_kind {
    PARSE_UNCHANGED, /* the content hash equals the one known: not parsed */
    PARSE_OK,        /* parsed: slug, title, skip, undated and json are set */
    PARSE_FAILED,    /* reason and message say why, the message naming the item */
} parse_kind;

/* One result. Its strings belong to the pool and last until the next
 * pool_next() or pool_stop(). */
typedef struct parse_result {
    parse_kind kind;
    char hash[17];       /* content hash (hash.h); "" when the item could not be read */
    const char *slug;    /* PARSE_OK: the post's slug and title, read from the frame */
    const char *title;
    post_skip skip;      /* PARSE_OK: POST_INDEXED, or why it is left out */
    bool undated;        /* PARSE_OK: the post has no date */
    const char *json;    /* PARSE_OK: the whole post, json_len bytes (post_from_json) */
    size_t json_len;
    const char *reason;  /* PARSE_FAILED: post_status_name() of the failure, or
                          * "timeout" (over the CPU limit), "parser_died" */
    const char *message; /* PARSE_FAILED */
} parse_result;

typedef struct parse_job {
    const char *where;      /* the item's where (source_item) */
    const char *known_hash; /* "" when the post is new */
} parse_job;

typedef struct parse_pool parse_pool;

/* Fork the workers now: before any lock is taken or index opened, so none of
 * them holds either. Each reads and parses with src as it is now. NULL, with
 * errno, when no process can be started. */
parse_pool *pool_start(const source *src, unsigned workers, size_t max_post_bytes,
                       unsigned cpu_seconds);

/* Hand the pool its jobs: jobs[0..n) must stay valid until the last result is
 * out. Replaces any earlier jobs whose results were all taken. */
void pool_begin(parse_pool *pool, const parse_job *jobs, size_t n);

/* The result of the next job in order: 1 with *job (its index) and *out set; 0
 * when every result has been taken; -1 when the pool broke (no worker could be
 * started in place of a dead one; errno says why). */
int pool_next(parse_pool *pool, size_t *job, parse_result *out);

/* Tell the workers to finish and reap them (NULL is fine). */
void pool_stop(parse_pool *pool);

#endif
