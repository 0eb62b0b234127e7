/* corpus.h — the posts under a corpus folder, found by walking it once. */
#ifndef LOOM_CORPUS_H
#define LOOM_CORPUS_H

#include <stddef.h>

typedef struct corpus_file {
    char *path;        /* as opened: corpus folder + "/" + rel */
    const char *rel;   /* path relative to the corpus folder (points into path) */
    long long size;
    char mtime[32];    /* "seconds.nanoseconds": what changed without reading it */
} corpus_file;

typedef struct corpus {
    corpus_file *files; /* sorted by rel */
    size_t n;
    unsigned unreadable; /* folders that could not be listed (each reported) */
} corpus;

/* Walk dir for posts (*.md, *.markdown), skipping hidden names, editor backups
 * and symlinks, at most 32 folders deep. Problems are reported on stderr. */
void corpus_list(corpus *out, const char *dir);
void corpus_free(corpus *c);

/* Which of count shards the post at rel belongs to: a hash of its path, so it
 * is known without reading the file and stays put while the file does. */
unsigned corpus_shard_of(const char *rel, unsigned count);
/* Keep only the posts of shard index (of count). */
void corpus_keep_shard(corpus *c, unsigned index, unsigned count);

/* The file whose rel path is rel, or NULL (binary search). */
const corpus_file *corpus_find(const corpus *c, const char *rel);

#endif
