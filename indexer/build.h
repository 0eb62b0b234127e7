/* build.h — one indexer run: walk the corpus, parse each post, write a new build
 * under the index root and publish it. */
#ifndef LOOM_BUILD_H
#define LOOM_BUILD_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes of loomsearch-index, documented in docs/operations.md. */
enum index_exit {
    EXIT_INDEX_OK = 0,      /* a build was written (some posts may have failed) */
    EXIT_INDEX_FAILED = 1,  /* nothing usable was written; the served build is untouched */
    EXIT_INDEX_USAGE = 2,   /* bad command line */
    EXIT_INDEX_LOCKED = 3,  /* another indexer is running on this index root */
};

typedef struct index_options {
    const char *corpus;     /* folder of posts */
    const char *root;       /* index root (see indexroot.h) */
    size_t max_post_bytes;  /* larger files are skipped and reported */
    int keep_builds;        /* finished builds kept for rollback, current included */
    bool quiet;             /* no per-post messages, only errors and the summary */
} index_options;

typedef struct index_summary {
    unsigned indexed, drafts, failed;
    double seconds;
} index_summary;

/* Run the indexer; messages go to stderr, the summary line to stdout. Returns an
 * index_exit code. */
int index_run(const index_options *opt, index_summary *summary);

#endif
