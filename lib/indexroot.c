/* indexroot.c — builds, the `current` pointer and the indexer lock of an index
 * root. See indexroot.h for the layout. */
#include "indexroot.h"

#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *join(const char *a, const char *b)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s/%s", a, b);
    return sb_take(&sb);
}

static int mkdir_if_missing(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

static int fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int indexroot_init(const char *root)
{
    if (mkdir_if_missing(root) != 0)
        return -1;
    char *builds = join(root, "builds");
    int rc = mkdir_if_missing(builds);
    free(builds);
    return rc;
}

int indexroot_lock(const char *root)
{
    char *path = join(root, "lock");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(path);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

char *indexroot_current_target(const char *root)
{
    char *link = join(root, "current");
    char buf[PATH_MAX];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    free(link);
    if (n < 0)
        return NULL;
    return xstrndup(buf, (size_t)n);
}

int indexroot_current(char **out_path, char **out_id, const char *root)
{
    *out_path = NULL;
    if (out_id)
        *out_id = NULL;
    char *target = indexroot_current_target(root);
    if (!target)
        return -1;
    char *link = join(root, "current");
    char *resolved = realpath(link, NULL);
    free(link);
    if (!resolved) {
        free(target);
        return -1;
    }
    if (out_id) {
        const char *slash = strrchr(target, '/');
        *out_id = xstrdup(slash ? slash + 1 : target);
    }
    free(target);
    *out_path = resolved;
    return 0;
}

int indexroot_new_build(char **out_id, char **out_tmp_path, const char *root)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    strbuf id = {0}, path = {0};
    sb_printf(&id, "%s-%ld", stamp, (long)getpid());
    sb_printf(&path, "%s/builds/%s.tmp", root, id.data);
    *out_id = sb_take(&id);
    *out_tmp_path = sb_take(&path);
    return 0;
}

int indexroot_switch(const char *root, const char *id)
{
    strbuf target = {0}, link_tmp = {0}, link = {0};
    sb_printf(&target, "builds/%s", id);
    sb_printf(&link_tmp, "%s/current.tmp", root);
    sb_printf(&link, "%s/current", root);
    int rc = -1;
    unlink(link_tmp.data); /* left by a run killed between symlink and rename */
    /* A relative target keeps the root movable; rename() over the old link is
     * atomic, so a reader sees the old build or the new one, never neither. */
    if (symlink(target.data, link_tmp.data) != 0)
        goto out;
    if (rename(link_tmp.data, link.data) != 0) {
        unlink(link_tmp.data);
        goto out;
    }
    rc = fsync_dir(root);
out:
    sb_free(&target);
    sb_free(&link_tmp);
    sb_free(&link);
    return rc;
}

int indexroot_publish(const char *root, const char *id)
{
    strbuf tmp = {0}, final = {0}, builds = {0};
    sb_printf(&tmp, "%s/builds/%s.tmp", root, id);
    sb_printf(&final, "%s/builds/%s", root, id);
    sb_printf(&builds, "%s/builds", root);
    int rc = -1;
    if (rename(tmp.data, final.data) == 0 && fsync_dir(builds.data) == 0)
        rc = indexroot_switch(root, id);
    sb_free(&tmp);
    sb_free(&final);
    sb_free(&builds);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *current_id_of(const char *target)
{
    const char *slash = target ? strrchr(target, '/') : NULL;
    return slash ? slash + 1 : (target ? target : "");
}

/* The finished builds under ROOT/builds, sorted oldest first (ids sort by
 * time); builds in progress (*.tmp) are left out. */
static char **finished_builds(const char *root, size_t *n)
{
    *n = 0;
    char *builds = join(root, "builds");
    DIR *dir = opendir(builds);
    free(builds);
    if (!dir)
        return NULL;
    char **ids = NULL;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.' || ends_with(e->d_name, ".tmp"))
            continue;
        ids = xrealloc(ids, (*n + 1) * sizeof *ids);
        ids[(*n)++] = xstrdup(e->d_name);
    }
    closedir(dir);
    if (*n > 1) /* qsort may not be given NULL, even for nothing */
        qsort(ids, *n, sizeof *ids, compare_names);
    return ids;
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

char *indexroot_previous(const char *root)
{
    char *current = indexroot_current_target(root);
    const char *current_id = current_id_of(current);
    size_t n;
    char **ids = finished_builds(root, &n);
    char *previous = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], current_id) < 0)
            previous = ids[i]; /* the last one older than current */
    previous = previous ? xstrdup(previous) : NULL;
    free_ids(ids, n);
    free(current);
    if (!previous)
        errno = ENOENT;
    return previous;
}

static int remove_build(const char *root, const char *name)
{
    strbuf path = {0};
    sb_printf(&path, "%s/builds/%s", root, name);
    int rc = remove_tree(path.data);
    sb_free(&path);
    return rc;
}

int indexroot_prune(const char *root, int keep)
{
    char *builds = join(root, "builds");
    DIR *dir = opendir(builds);
    free(builds);
    if (!dir)
        return -1;
    int removed = 0;
    struct dirent *e;
    /* Only the lock holder prunes, so any build in progress is a stale one. */
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.' && ends_with(e->d_name, ".tmp") && remove_build(root, e->d_name) == 0)
            removed++;
    closedir(dir);
    char *current = indexroot_current_target(root);
    const char *current_id = current_id_of(current);
    size_t n;
    char **ids = finished_builds(root, &n);
    /* The current build always stays; of the others, the newest keep - 1. */
    size_t others_kept = 0, others_allowed = keep > 1 ? (size_t)keep - 1 : 0;
    for (size_t i = n; i-- > 0;) {
        if (strcmp(ids[i], current_id) == 0)
            continue;
        if (others_kept < others_allowed) {
            others_kept++;
            continue;
        }
        if (remove_build(root, ids[i]) == 0)
            removed++;
    }
    free_ids(ids, n);
    free(current);
    return removed;
}
