/* shards.h — a full build written by several processes at once.
 *
 * Xapian's writer is single-threaded, and on a full build it is most of the
 * work. So a rebuild forks one writer process per core, each writing a shard
 * database of its own; the parent routes every parsed post to a shard by a hash
 * of its slug (one slug, one shard), and at the end the shards are merged and
 * compacted into the new build with Xapian's compactor. The parent keeps its own
 * small database for metadata, merged with the rest.
 *
 * Shards live in a folder ending ".tmp" beside the build, so a killed run leaves
 * nothing the next run's pruning does not remove; the writers die with the
 * parent. */
#ifndef LOOM_SHARDS_H
#define LOOM_SHARDS_H

#include "document.h"
#include "post.h"
#include "synonyms.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct shard_set shard_set;

/* Fork n writer processes, shard i at DIR/<i> (DIR is created now), each
 * flushing every `flush` documents. NULL, with errno, when it cannot be. */
shard_set *shards_start(unsigned n, const char *dir, unsigned flush, const synonyms *syn);

/* The path of the database the parent keeps its metadata in (DIR/meta). */
const char *shards_meta_path(const shard_set *s);

/* Send p to its shard's writer. False when the writer is gone. */
bool shards_put(shard_set *s, const post *p, const post_source *src);

/* A post a writer could not index (the post's own fault, e.g. a tag too long
 * for a term): its source path and why. */
typedef void (*shard_failed_fn)(void *ctx, const char *rel, const char *message);

/* Tell the writers the posts are all sent, wait for each to commit, and report
 * what they could not index. False, with a message in why, when a writer
 * failed: the build is then incomplete. */
bool shards_finish(shard_set *s, shard_failed_fn on_failed, void *ctx, char *why, size_t why_len);

/* Merge the metadata database and every shard, compacted, into dest. */
bool shards_merge(shard_set *s, const char *dest, char *why, size_t why_len);

/* Kill any writer still running and free s (the folder stays for pruning). */
void shards_free(shard_set *s);

#endif
