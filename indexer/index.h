/* index.h — what every part of loomsearch-index shares: what a run is asked
 * to do (index_options, filled by the option table in index_options.c), what it
 * reports (index_summary, the exit codes), how it says so, and the index root's
 * lock. Nothing here runs a build: build.h updates one index root, maintain.h
 * rolls back and exports, partition.h spreads posts over several roots. */
#ifndef LOOM_INDEX_H
#define LOOM_INDEX_H

#include "post.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of loomsearch-index, documented in docs/operations.md. */
enum index_exit {
    EXIT_INDEX_OK = 0,      /* the index is up to date (some posts may have failed) */
    EXIT_INDEX_FAILED = 1,  /* nothing usable was written; the served index is untouched */
    EXIT_INDEX_USAGE = 2,   /* bad command line */
    EXIT_INDEX_LOCKED = 3,  /* another indexer is running on this index root */
    EXIT_INDEX_REFUSED = 4, /* the result failed verification; the served index is untouched */
    EXIT_INDEX_MOSTLY_REFUSED = 5, /* more than 5% of the posts found (skips by rule aside)
                                    * were refused: what could be indexed is published, the
                                    * versions already indexed of the rest stay */
};

/* The share of refused posts past which a run exits EXIT_INDEX_MOSTLY_REFUSED. */
#define INDEX_REFUSED_MAX 0.05

typedef enum index_mode {
    MODE_UPDATE,   /* incremental, in one transaction (a full build when there is none) */
    MODE_REBUILD,  /* a new build, verified, then swapped in */
    MODE_ROLLBACK, /* serve the previous build again */
    MODE_LEXICON,  /* write the current build's spelling and synonyms to a new database */
    MODE_CHECK,    /* read the source, write nothing: counts and a sample (check.h) */
    MODE_LIST,     /* read the source, write nothing: every item, tab-separated */
} index_mode;

typedef struct index_options {
    const char *corpus;         /* folder of posts */
    const char *site;           /* --site: a generator's site folder (site.h) */
    const char *wordpress;      /* --wordpress: a WordPress export (WXR) */
    const char *wordpress_json; /* --wordpress-json: saved REST API pages */
    bool wordpress_pages;       /* --wordpress-pages: its pages are posts too */
    const char *html;           /* --html: a built site's folder of *.html pages */
    const char *base_url;       /* --base-url: the built site's public address */
    const char *content_selector; /* --content-selector: "#id" or ".class" */
    const char *permalink;      /* --permalink: every post's URL from this pattern */
    const char *root;           /* index root (see indexroot.h) */
    const char *synonyms_path;  /* optional synonyms file (see synonyms.h) */
    const char *lexicon_path;   /* MODE_LEXICON: the database to write */
    unsigned modes_given;       /* how many of the mode options were given: one at most */
    index_mode mode;
    bool force;                 /* publish even when verification would refuse */
    bool dry_run;               /* do everything but make it visible */
    bool quiet;                 /* only failures and the summary */
    bool verbose;               /* every post's fate */
    bool progress;              /* a progress line (stderr is a terminal) */
    size_t max_post_bytes;      /* larger files are skipped and reported */
    int keep_builds;            /* finished builds kept for rollback, current included */
    unsigned jobs;              /* parse workers */
    unsigned parse_cpu_seconds; /* CPU time one post may take to parse */
    unsigned shard_count;       /* --shard-by hash:N: N index roots under root, or 0 */
    unsigned shard_index;       /* set by the sharded run for each shard's own run */
    bool in_shard;              /* this run is one shard's (root is the shard's root) */
} index_options;

/* Refused posts of one reason: post_status_name() of the failure, "timeout",
 * "parser_died" or "not_indexable". */
typedef struct index_reason {
    char name[24];
    unsigned n;
} index_reason;

#define INDEX_REASONS 16

typedef struct index_summary {
    unsigned added, updated, deleted, unchanged;
    unsigned failed;            /* refused: could not be indexed (by reason below) */
    index_reason refused_by[INDEX_REASONS];
    size_t n_refused_by;
    unsigned skipped[POST_SKIP_COUNT]; /* left out by rule, by post_skip */
    unsigned undated;           /* posts written this run that have no date */
    unsigned suffixed;          /* posts written this run whose public id is the slug suffixed */
    unsigned found;             /* items the source listed */
    unsigned read;              /* files read this run (the rest were known by size and mtime) */
    unsigned long doccount;     /* documents in the index afterwards */
    bool rebuilt;
    double seconds;
} index_summary;

/* A failure, on stderr after "loomsearch-index: ". */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vreport(const char *fmt, va_list ap);

/* Count one refused post under reason. */
void summary_refused(index_summary *s, const char *reason);
/* Add the counts of one run to a total (a sharded run's). */
void summary_add(index_summary *to, const index_summary *from);
/* Posts skipped by rule, all reasons. */
unsigned summary_skipped(const index_summary *s);
/* The counts of the summary line after "added ..., unchanged N": "skipped 7
 * (draft 3, section-index 4); refused 1 (yaml 1); undated 2; slugs suffixed 1". */
void summary_print_counts(FILE *out, const index_summary *s);
/* EXIT_INDEX_MOSTLY_REFUSED, said on stderr with the commonest reason, a hint
 * and outcome ("what could be indexed is published"), when more than
 * INDEX_REFUSED_MAX of the posts found (skips by rule left out of both sides)
 * were refused; else EXIT_INDEX_OK. */
int summary_check_refused(const index_summary *s, const char *outcome);

/* Create the index root if need be and take its lock into *fd: EXIT_INDEX_OK,
 * or EXIT_INDEX_LOCKED / EXIT_INDEX_FAILED (reported). */
int index_lock(const index_options *opt, int *fd);

struct source;
/* The source opt names (source.h), opened; NULL after a message when it
 * cannot be. */
struct source *index_open_source(const index_options *opt);

#endif
