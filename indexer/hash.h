/* hash.h — the indexer's one hash, XXH3-64 (libxxhash): content hashes of posts,
 * and the spread of keys over buckets (posts over the index roots of
 * --shard-by, slugs over the writer processes of a full build). */
#ifndef LOOM_HASH_H
#define LOOM_HASH_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

/* The content hash of buf[0..len) as 16 lower-case hex digits: what the index
 * stores (value slot SLOT_HASH) to tell an edited post from a touched one. */
static inline void hash_content(char out[17], const char *buf, size_t len)
{
    snprintf(out, 17, "%016llx", (unsigned long long)XXH3_64bits(buf, len));
}

/* Which of count buckets key falls in; stable across runs and machines, so it
 * can decide where a post lives on disk. */
static inline unsigned hash_bucket(const char *key, unsigned count)
{
    return (unsigned)(XXH3_64bits(key, strlen(key)) % count);
}

#endif
