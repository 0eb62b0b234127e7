/* reader.c — one Xapian reader per worker thread, kept on the current build.
 *
 * Xapian handles must not be shared between threads, so each libmicrohttpd
 * worker keeps its own in thread-specific data. Before each use the reader reads
 * the ROOT/current symlink: a different target means a new build was swapped in,
 * and reopen() would not follow it (it re-reads the files it has open), so the
 * new build is opened by its resolved path. Otherwise reopen() picks up commits
 * made to the build in place, cheaply when there are none.
 *
 * With a shard list (shardlist.c) the reader joins every shard that opens; the
 * ones that do not are named, left out (or, with --on-shard-failure=fail, the
 * reader fails) and tried again SHARD_RETRY_SECONDS later. A local shard that is
 * an index root is followed across its swaps like a single index. Remote shards
 * answer reopen() over the network, so it is asked at most once a second. */
#include "reader.h"

#include "clock.h"
#include "config.h"
#include "indexroot.h"
#include "metrics.h"
#include "text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARD_RETRY_SECONDS 5 /* before a shard left out is tried again */
#define SHARD_REOPEN_SECONDS 1 /* between reopen()s of a sharded reader */

typedef struct reader {
    char *target;   /* what ROOT/current named when the reader was opened; in a
                     * sharded reader, every local root's target joined */
    char *build_id;
    char *path;
    xap_db *db;
    const char **missing; /* sharded: names of the shards left out */
    size_t n_missing;
    double opened_at, reopened_at; /* monotonic_seconds() */
} reader;

static pthread_key_t reader_key;

static void reader_free(void *p)
{
    reader *r = p;
    if (!r)
        return;
    xap_db_close(r->db);
    free(r->missing);
    free(r->target);
    free(r->build_id);
    free(r->path);
    free(r);
}

int reader_init(void)
{
    return pthread_key_create(&reader_key, reader_free);
}

void reader_reset(void)
{
    reader_free(pthread_getspecific(reader_key));
    pthread_setspecific(reader_key, NULL);
}

static xap_status not_found(xap_error *err, const char *why)
{
    if (err) {
        err->code = XAP_ENOTFOUND;
        snprintf(err->message, sizeof err->message, "%s", why);
    }
    return XAP_ENOTFOUND;
}

/* Open the build ROOT/current names now, as a new reader. */
static xap_status reader_open(reader **out, char *target, xap_error *err)
{
    char *path, *id;
    if (indexroot_current(&path, &id, config->root) != 0) {
        free(target);
        return not_found(err, "the current build cannot be resolved");
    }
    xap_db *db;
    xap_status rc = xap_db_open(&db, path, err);
    if (rc != XAP_OK) {
        free(target);
        free(path);
        free(id);
        return rc;
    }
    reader *r = xmalloc(sizeof *r);
    *r = (reader){.target = target, .build_id = id, .path = path, .db = db};
    *out = r;
    return XAP_OK;
}

/* The targets of every local shard that is an index root, joined: when it
 * changes, one of them swapped in a new build. */
static char *shard_targets(void)
{
    strbuf all = {0};
    for (size_t i = 0; i < config->n_shards; i++) {
        if (!config->shards[i].is_root)
            continue;
        char *t = indexroot_current_target(config->shards[i].path);
        sb_printf(&all, "%s\n", t ? t : "");
        free(t);
    }
    return sb_take(&all);
}

/* Open every shard now, as a new reader (see the top of this file). */
static xap_status shard_reader_open(reader **out, xap_error *caller_err)
{
    xap_error local, *err = caller_err ? caller_err : &local;
    size_t n = config->n_shards;
    xap_shard *specs = xmalloc(n * sizeof *specs);
    char **paths = xmalloc(n * sizeof *paths);
    for (size_t i = 0; i < n; i++) {
        const shard_entry *e = &config->shards[i];
        char *id = NULL;
        paths[i] = NULL;
        if (e->is_root && indexroot_current(&paths[i], &id, e->path) != 0)
            paths[i] = NULL;
        free(id);
        specs[i] = (xap_shard){.path = e->is_root ? (paths[i] ? paths[i] : "") : e->path,
                               .host = e->host, .port = e->port};
    }
    bool *opened = xmalloc(n * sizeof *opened);
    xap_db *db = NULL;
    xap_status rc = xap_db_open_shards(&db, specs, n, config->shard_timeout_ms, opened, err);
    reader *r = NULL;
    if (rc == XAP_OK) {
        r = xmalloc(sizeof *r);
        *r = (reader){.target = shard_targets(), .build_id = xstrdup("shards"),
                      .path = xstrdup(config->root), .db = db, .missing = xmalloc(n * sizeof *r->missing),
                      .opened_at = monotonic_seconds()};
        r->reopened_at = r->opened_at;
        for (size_t i = 0; i < n; i++)
            if (!opened[i])
                r->missing[r->n_missing++] = config->shards[i].name;
        if (r->n_missing)
            fprintf(stderr, "loomsearch-serve: shard %s left out: %s\n", r->missing[0], err->message);
    }
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths), free(specs), free(opened);
    *out = r;
    return rc;
}

/* The sharded reader_get(): a fresh reader when a root swapped builds or a
 * shard left out is due another try; otherwise reopen(), at most once a second. */
static xap_status shard_reader_get(reader **slot, xap_error *err)
{
    reader *r = *slot;
    double now = monotonic_seconds();
    char *targets = shard_targets();
    bool fresh = !r || strcmp(r->target, targets) != 0 ||
                 (r->n_missing && now - r->opened_at >= SHARD_RETRY_SECONDS);
    free(targets);
    if (!fresh && now - r->reopened_at >= SHARD_REOPEN_SECONDS) {
        bool changed;
        r->reopened_at = now;
        if (xap_db_reopen(&changed, r->db, err) != XAP_OK)
            fresh = true; /* a shard went away: open them all again */
    }
    if (fresh) {
        reader *new_reader;
        xap_status rc = shard_reader_open(&new_reader, err);
        if (rc != XAP_OK && !r)
            return rc;
        if (rc == XAP_OK) {
            reader_free(r);
            *slot = r = new_reader;
            metrics_reopened();
        } else {
            r->opened_at = now; /* keep the last good one; try again later */
        }
    }
    if (r->n_missing && config->shard_failure_fails) {
        if (err) {
            err->code = XAP_ENETWORK;
            snprintf(err->message, sizeof err->message, "shard %s is unavailable", r->missing[0]);
        }
        return XAP_ENETWORK;
    }
    return XAP_OK;
}

size_t reader_missing_shards(const char *const **names)
{
    reader *r = pthread_getspecific(reader_key);
    *names = r ? r->missing : NULL;
    return r ? r->n_missing : 0;
}

xap_status reader_get(xap_db **out, reader_info *info, xap_error *err)
{
    *out = NULL;
    reader *r = pthread_getspecific(reader_key);
    if (config->n_shards) {
        xap_status rc = shard_reader_get(&r, err);
        pthread_setspecific(reader_key, r);
        if (rc != XAP_OK)
            return rc;
        *out = r->db;
        if (info)
            info->build_id = r->build_id, info->path = r->path;
        return XAP_OK;
    }
    char *target = indexroot_current_target(config->root);
    if (!target)
        return not_found(err, "no build is current");
    if (r && strcmp(r->target, target) == 0) {
        free(target);
        bool changed;
        xap_status rc = xap_db_reopen(&changed, r->db, err);
        if (rc != XAP_OK)
            return rc;
    } else {
        reader *fresh;
        xap_status rc = reader_open(&fresh, target, err);
        if (rc == XAP_OK) {
            reader_free(r);
            r = fresh;
            pthread_setspecific(reader_key, r);
            metrics_reopened();
        } else if (!r) {
            return rc;
        }
        /* Otherwise the new build cannot be opened (yet): keep serving the last
         * good one, and try again on the next request. */
    }
    *out = r->db;
    if (info) {
        info->build_id = r->build_id;
        info->path = r->path;
    }
    return XAP_OK;
}
