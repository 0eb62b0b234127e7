/* testutil.h — what the C unit tests share: scratch folders that clean up after
 * themselves (here, header-only), and a small real index built from posts a
 * test writes (testutil.c, linked by the tests that index posts). */
#ifndef LOOM_TESTUTIL_H
#define LOOM_TESTUTIL_H

#include "xap.h"

#include <ftw.h>
#include <stddef.h>
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

/* A post to index: its path under the corpus folder, and its text (front
 * matter and body). */
typedef struct test_post {
    const char *path, *text;
} test_post;

/* Write posts under dir/posts, index them with the real indexer (its path in
 * LOOM_INDEX, which ctest sets) into dir/root, and open the build it published
 * as *db (close it with xap_db_close). Returns 0, or -1 with a message on
 * stderr. In testutil.c. */
int index_posts(const char *dir, const test_post *posts, size_t n, xap_db **db);

/* A scratch folder with an index of posts in it, for a group's set-up. */
typedef struct test_index {
    char *dir;
    xap_db *db;
} test_index;

/* index_posts() in a new scratch folder; NULL when that fails. Release with
 * test_index_close (which accepts NULL). In testutil.c. */
test_index *test_index_open(const test_post *posts, size_t n);
void test_index_close(test_index *t);

#endif
