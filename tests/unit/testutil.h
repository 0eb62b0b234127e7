/* testutil.h — what the C unit tests share: scratch folders that clean up after
 * themselves. Header-only, so each test stays one file. */
#ifndef LOOM_TESTUTIL_H
#define LOOM_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int testutil_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A new empty folder under TMPDIR (or /tmp); the caller frees the path. */
static inline char *scratch_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *path = malloc(4096);
    snprintf(path, 4096, "%s/loomsearch-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

/* Remove a scratch folder and everything in it, and free its path. */
static inline void scratch_remove(char *path)
{
    nftw(path, testutil_remove, 16, FTW_DEPTH | FTW_PHYS);
    free(path);
}

/* path/name in a static buffer: for one use at a time. */
static inline const char *scratch_path(const char *dir, const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

#endif
