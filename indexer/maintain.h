/* maintain.h — runs on the builds of an index root, not on posts. */
#ifndef LOOM_MAINTAIN_H
#define LOOM_MAINTAIN_H

#include "index.h"

/* --rollback: serve the build before the current one again (under the lock).
 * Prints "now serving build B (was A)"; returns an index_exit code. */
int index_rollback(const index_options *opt);

/* --export-lexicon: the current build's spelling and synonyms, no posts, to a
 * new database at opt->lexicon_path. Returns an index_exit code. */
int index_export_lexicon(const index_options *opt);

#endif
