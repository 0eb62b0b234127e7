/* reader.c — one Xapian reader per worker thread, kept on the current build.
 *
 * Xapian handles must not be shared between threads, so each libmicrohttpd
 * worker keeps its own in thread-specific data. Before each use the reader reads
 * the ROOT/current symlink: a different target means a new build was swapped in,
 * and reopen() would not follow it (it re-reads the files it has open), so the
 * new build is opened by its resolved path. Otherwise reopen() picks up commits
 * made to the build in place, cheaply when there are none. */
#include "server.h"

#include "indexroot.h"
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    char *target;   /* what ROOT/current named when the reader was opened */
    char *build_id;
    char *path;
    xap_db *db;
} reader;

static pthread_key_t reader_key;

static void reader_free(void *p)
{
    reader *r = p;
    if (!r)
        return;
    xap_db_close(r->db);
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

xap_status reader_get(xap_db **out, reader_info *info, xap_error *err)
{
    *out = NULL;
    reader *r = pthread_getspecific(reader_key);
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
