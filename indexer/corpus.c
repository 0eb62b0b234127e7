/* corpus.c — find the posts of a corpus. Symlinks are never followed (lstat),
 * so a link loop cannot trap the walk and a link cannot pull in files from
 * outside the corpus. */
#include "corpus.h"

#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#define MAX_DEPTH 32

/* Hidden files, editor backups and lock files are not posts. */
static bool is_post_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || name[0] == '#' || name[n - 1] == '~')
        return false;
    return (n > 3 && strcmp(name + n - 3, ".md") == 0) ||
           (n > 9 && strcmp(name + n - 9, ".markdown") == 0);
}

static void add_file(corpus *c, char *path, size_t root_len, const struct stat *st)
{
    c->files = xrealloc(c->files, (c->n + 1) * sizeof *c->files);
    corpus_file *f = &c->files[c->n++];
    f->path = path;
    f->rel = path + root_len + 1;
    f->size = (long long)st->st_size;
    snprintf(f->mtime, sizeof f->mtime, "%lld.%09ld", (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec);
}

static void walk(corpus *c, const char *dir, size_t root_len, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "loomsearch-index: %s: cannot list folder: %s\n", dir, strerror(errno));
        c->unreadable++;
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
            if (depth < MAX_DEPTH)
                walk(c, path.data, root_len, depth + 1);
            else
                fprintf(stderr, "loomsearch-index: %s: deeper than %d folders, skipped\n",
                        path.data, MAX_DEPTH);
        } else if (S_ISREG(st.st_mode) && is_post_name(e->d_name)) {
            add_file(c, sb_take(&path), root_len, &st);
        }
        sb_free(&path);
    }
    closedir(d);
}

static int compare_rel(const void *a, const void *b)
{
    return strcmp(((const corpus_file *)a)->rel, ((const corpus_file *)b)->rel);
}

void corpus_list(corpus *out, const char *dir)
{
    *out = (corpus){0};
    size_t root_len = strlen(dir);
    while (root_len > 1 && dir[root_len - 1] == '/')
        root_len--; /* "corpus/" and "corpus" give the same rel paths */
    char *root = xstrndup(dir, root_len);
    walk(out, root, root_len, 0);
    free(root);
    if (out->n > 1) /* qsort may not be given NULL, even for nothing */
        qsort(out->files, out->n, sizeof *out->files, compare_rel);
}

unsigned corpus_shard_of(const char *rel, unsigned count)
{
    return (unsigned)(XXH3_64bits(rel, strlen(rel)) % count);
}

void corpus_keep_shard(corpus *c, unsigned index, unsigned count)
{
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (corpus_shard_of(c->files[i].rel, count) == index)
            c->files[kept++] = c->files[i];
        else
            free(c->files[i].path);
    }
    c->n = kept; /* still sorted by rel */
}

void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->files[i].path);
    free(c->files);
    *c = (corpus){0};
}

const corpus_file *corpus_find(const corpus *c, const char *rel)
{
    if (c->n == 0)
        return NULL;
    corpus_file key = {.rel = rel};
    return bsearch(&key, c->files, c->n, sizeof *c->files, compare_rel);
}
