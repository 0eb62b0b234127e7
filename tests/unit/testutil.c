/* testutil.c — a small real index for the unit tests that search one: posts
 * written to a scratch folder, indexed by the real indexer (LOOM_INDEX), the
 * published build opened. */
#include "testutil.h"

#include "indexroot.h"
#include "xap.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

/* Write text to path, making its folder (one level) first. */
static int write_file(const char *path, const char *text)
{
    char *dir = strdup(path);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0755);
    free(dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s\n", path);
        return -1;
    }
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

static int run_indexer(const char *posts, const char *root)
{
    const char *indexer = getenv("LOOM_INDEX");
    if (!indexer) {
        fputs("LOOM_INDEX (the loomsearch-index binary) is not set\n", stderr);
        return -1;
    }
    char *argv[] = {(char *)indexer, "--quiet", "--corpus", (char *)posts, "--db", (char *)root, NULL};
    pid_t pid;
    int status;
    if (posix_spawn(&pid, indexer, NULL, NULL, argv, environ) != 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int index_posts(const char *dir, const test_post *posts, size_t n, xap_db **db)
{
    char corpus[4096], root[4096], path[8192];
    snprintf(corpus, sizeof corpus, "%s/posts", dir);
    snprintf(root, sizeof root, "%s/root", dir);
    mkdir(corpus, 0755);
    *db = NULL;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", corpus, posts[i].path);
        if (write_file(path, posts[i].text) != 0)
            return -1;
    }
    char *build;
    xap_error err;
    if (run_indexer(corpus, root) != 0 || indexroot_current(&build, NULL, root) != 0)
        return -1;
    xap_status rc = xap_db_open(db, build, &err);
    free(build);
    if (rc != XAP_OK)
        fprintf(stderr, "cannot open index %s: %s\n", root, err.message);
    return rc == XAP_OK ? 0 : -1;
}

test_index *test_index_open(const test_post *posts, size_t n)
{
    test_index *t = calloc(1, sizeof *t);
    t->dir = scratch_dir();
    if (index_posts(t->dir, posts, n, &t->db) != 0) {
        test_index_close(t);
        return NULL;
    }
    return t;
}

void test_index_close(test_index *t)
{
    if (!t)
        return;
    xap_db_close(t->db);
    scratch_remove(t->dir);
    free(t);
}
