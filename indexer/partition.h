/* partition.h — partitioned index roots (--shard-by hash:N).
 *
 * Each partition is an index root of its own (ROOT/shard-I) holding the items
 * whose id hashes to it (hash.h: known without reading the item, and stable
 * while the item keeps its id), brought up to date by a run of its own, so a
 * partition with no change is not touched and each swaps builds on its own;
 * ROOT/shards lists them for loomsearch-serve --db. */
#ifndef LOOM_PARTITION_H
#define LOOM_PARTITION_H

#include "index.h"

/* What runs on one index root: an update, a rollback (main.c chooses). */
typedef int (*root_run_fn)(const index_options *opt, index_summary *sum);

/* Call run_root once per partition (opt->in_shard set, root the partition's;
 * the update keeps only the partition's items: source_list_keep_partition) and
 * write ROOT/shards. sum adds up the partitions'; each prints its own summary
 * line after "shard-I: ", then one line for all. Returns the first failing
 * partition's index_exit code, else the shard list's. */
int partition_run(const index_options *opt, index_summary *sum, root_run_fn run_root);

#endif
