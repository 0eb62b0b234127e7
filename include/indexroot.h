/* indexroot.h — the on-disk layout of an index root, shared by the indexer and
 * the server:
 *
 *   ROOT/builds/<build-id>/       one Xapian database per build
 *   ROOT/builds/<build-id>.tmp/   a build in progress (removed if found stale)
 *   ROOT/current                  symlink -> builds/<build-id>: the build served
 *   ROOT/lock                     flock()ed by the one indexer running
 *
 * Build ids are UTC times, "20250918T031500Z-1234" (time and indexer pid), so they
 * sort in the order they were made. Functions return 0 or -1 with errno set.
 */
#ifndef LOOM_INDEXROOT_H
#define LOOM_INDEXROOT_H

#include <stddef.h>

/* Create ROOT and ROOT/builds when missing. */
int indexroot_init(const char *root);

/* Take the indexer lock without waiting: the file descriptor that holds it, or
 * -1 with errno EWOULDBLOCK when another indexer has it. The lock goes with the
 * process, so a killed indexer leaves no stale lock. */
int indexroot_lock(const char *root);

/* The build ROOT/current points at: its absolute path in *out_path and its id in
 * *out_id (both malloc'd; out_id may be NULL). -1 with errno ENOENT when no build
 * is current. */
int indexroot_current(char **out_path, char **out_id, const char *root);

/* The target ROOT/current names, as read (malloc'd): cheap enough to compare on
 * every request. NULL with errno set when there is none. */
char *indexroot_current_target(const char *root);

/* Name a new build: *out_id is the id, *out_tmp_path the directory to build in
 * (ROOT/builds/<id>.tmp, not yet created). Both malloc'd. */
int indexroot_new_build(char **out_id, char **out_tmp_path, const char *root);

/* Publish a finished build: rename <id>.tmp to <id>, then point ROOT/current at
 * it with an atomic rename of a symlink, syncing the directories. */
int indexroot_publish(const char *root, const char *id);

/* Point ROOT/current at the finished build id (atomic rename of a symlink). */
int indexroot_switch(const char *root, const char *id);

/* The newest finished build older than the current one (malloc'd id), or NULL
 * with errno ENOENT when there is none. */
char *indexroot_previous(const char *root);

/* Remove builds in progress and all but the newest `keep` finished builds; the
 * current build is never removed. Returns how many were removed, or -1. */
int indexroot_prune(const char *root, int keep);

#endif
