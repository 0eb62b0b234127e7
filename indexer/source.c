/* source.c — what every source shares: its item list (see source.h). */
#include "source.h"

#include "hash.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 32

void source_close(source *s)
{
    if (s)
        s->ops->close(s);
}

void source_list_add(source_list *l, const char *id, const char *where, long long size,
                     const char *mtime)
{
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    source_item *it = &l->items[l->n++];
    *it = (source_item){.id = xstrdup(id), .where = xstrdup(where), .size = size};
    snprintf(it->mtime, sizeof it->mtime, "%s", mtime);
}

static int compare_id(const void *a, const void *b)
{
    return strcmp(((const source_item *)a)->id, ((const source_item *)b)->id);
}

void source_list_sort(source_list *l)
{
    if (l->n > 1) /* qsort may not be given NULL, even for nothing */
        qsort(l->items, l->n, sizeof *l->items, compare_id);
}

const source_item *source_find(const source_list *l, const char *id)
{
    if (l->n == 0)
        return NULL;
    source_item key = {.id = (char *)id};
    return bsearch(&key, l->items, l->n, sizeof *l->items, compare_id);
}

static void item_free(source_item *it)
{
    free(it->id);
    free(it->where);
}

void source_list_filter(source_list *l, bool (*keep)(void *ctx, const source_item *item),
                        void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (keep(ctx, &l->items[i]))
            l->items[kept++] = l->items[i];
        else
            item_free(&l->items[i]);
    }
    l->n = kept; /* still sorted */
}

void source_list_free(source_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        item_free(&l->items[i]);
    free(l->items);
    *l = (source_list){0};
}

typedef struct partition {
    unsigned index, count;
} partition;

static bool in_partition(void *ctx, const source_item *item)
{
    const partition *p = ctx;
    return hash_bucket(item->id, p->count) == p->index;
}

void source_list_keep_partition(source_list *l, unsigned index, unsigned count)
{
    partition p = {index, count};
    source_list_filter(l, in_partition, &p);
}

/* ---- Walking a folder ---------------------------------------------------------- */

typedef struct walk_filter {
    const char *id_kind;
    bool (*want)(const char *name);
} walk_filter;

static void add_file(source_list *l, const char *path, size_t root_len, const char *id_kind,
                     const struct stat *st)
{
    char mtime[32];
    snprintf(mtime, sizeof mtime, "%lld.%09ld", (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
    strbuf id = {0};
    sb_printf(&id, "%s%s", id_kind, path + root_len + 1);
    source_list_add(l, id.data, path, (long long)st->st_size, mtime);
    sb_free(&id);
}

static void walk(source_list *l, const char *dir, size_t root_len, const walk_filter *f, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        report_to_stderr("loomsearch-index", "%s: cannot list folder: %s", dir, strerror(errno));
        l->unreadable++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        strbuf path = {0};
        sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path.data, &st) != 0) {
            /* Gone between listing and looking: it is simply not part of this run. */
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < MAX_DEPTH) {
                walk(l, path.data, root_len, f, depth + 1);
            } else {
                report_to_stderr("loomsearch-index", "%s: deeper than %d folders, skipped",
                                 path.data, MAX_DEPTH);
                l->passed_over++;
            }
        } else if (S_ISREG(st.st_mode) && f->want(e->d_name)) {
            add_file(l, path.data, root_len, f->id_kind, &st);
        } else if (!S_ISLNK(st.st_mode) && f->want(e->d_name)) {
            /* Reading a FIFO would block the run; a device could be endless. */
            report_to_stderr("loomsearch-index", "%s: not a regular file, skipped", path.data);
            l->passed_over++;
        }
        sb_free(&path);
    }
    closedir(d);
}

void source_walk(source_list *l, const char *root, const char *id_kind,
                 bool (*want)(const char *name))
{
    walk(l, root, strlen(root), &(walk_filter){id_kind, want}, 0);
    source_list_sort(l);
}

bool source_locator_parse(const char *where, size_t *path_len, long long *off, long long *len)
{
    const char *atsign = strrchr(where, '@');
    char end;
    if (!atsign || sscanf(atsign + 1, "%lld+%lld%c", off, len, &end) != 2 || *off < 0 || *len < 0)
        return false;
    *path_len = (size_t)(atsign - where);
    return true;
}

post_status source_read_range(const char *where, size_t max_bytes, char **buf, size_t *len,
                              post_error *err)
{
    size_t path_len;
    long long off, n;
    *err = (post_error){.code = POST_OK};
    *buf = NULL;
    if (!source_locator_parse(where, &path_len, &off, &n)) {
        snprintf(err->message, sizeof err->message, "%s: not an item locator", where);
        return err->code = POST_EIO;
    }
    if ((unsigned long long)n > max_bytes) {
        snprintf(err->message, sizeof err->message, "%s: larger than %zu bytes", where, max_bytes);
        return err->code = POST_ETOOBIG;
    }
    char *path = xstrndup(where, path_len);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    *buf = xmalloc((size_t)n + 1);
    ssize_t got = fd >= 0 ? pread(fd, *buf, (size_t)n, (off_t)off) : -1;
    if (fd >= 0)
        close(fd);
    if (got != n) {
        snprintf(err->message, sizeof err->message, "%s: cannot read: %s", where,
                 got < 0 ? strerror(errno) : "the file is shorter than listed");
        free(*buf), *buf = NULL;
        return err->code = POST_EIO;
    }
    (*buf)[n] = 0;
    *len = (size_t)n;
    return POST_OK;
}
