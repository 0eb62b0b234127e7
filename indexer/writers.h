/* writers.h — a full build written by several processes at once.
 *
 * Xapian's writer is single-threaded, and on a full build it is most of the
 * work. So a rebuild forks one writer process per core, each writing a shard
 * database of its own; the parent routes every parsed post to a shard by a hash
 * of its item id (hash.h: one post, one shard), and at the end the shards are merged and
 * compacted into the new build with Xapian's compactor. The parent keeps its own
 * small database for metadata, merged with the rest.
 *
 * Shards live in a folder ending ".tmp" beside the build, so a killed run leaves
 * nothing the next run's pruning does not remove; the writers die with the
 * parent. */
#ifndef LOOM_WRITERS_H
#define LOOM_WRITERS_H

#include "document.h"
#include "post.h"
#include "synonyms.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct writer_set writer_set;

/* Fork n writer processes, shard i at DIR/<i> (DIR is created now), each
 * flushing every `flush` documents. NULL, with errno, when it cannot be. */
writer_set *writers_start(unsigned n, const char *dir, unsigned flush, const synonyms *syn);

/* The path of the database the parent keeps its metadata in (DIR/meta). */
const char *writers_meta_path(const writer_set *s);

/* Send a post, json_len bytes of post_to_json() text, to the writer of its item
 * id, with the public id the run gave it: the JSON goes on as it is, never
 * decoded here. False when the writer is gone. */
bool writers_put(writer_set *s, const post_source *src, const char *json, size_t json_len);

/* A post a writer could not index (the post's own fault, e.g. a tag too long
 * for a term): its source path and why. */
typedef void (*writer_failed_fn)(void *ctx, const char *rel, const char *message);

/* Tell the writers the posts are all sent, wait for each to commit, and report
 * what they could not index. False, with a message in why, when a writer
 * failed: the build is then incomplete. */
bool writers_finish(writer_set *s, writer_failed_fn on_failed, void *ctx, char *why, size_t why_len);

/* Merge the metadata database and every shard, compacted, into dest. */
bool writers_merge(writer_set *s, const char *dest, char *why, size_t why_len);

/* Kill any writer still running and free s (the folder stays for pruning). */
void writers_free(writer_set *s);

#endif
