/* build.h — one run over one index root: bring the served index up to date
 * with the source, in place (the nightly default) or as a new build, verified
 * and swapped in (--rebuild, a schema change, or no index yet). */
#ifndef LOOM_BUILD_H
#define LOOM_BUILD_H

#include "index.h"

/* Read opt's source and update opt->root (for a partition, only its share of
 * the items); messages go to stderr, the summary line to stdout. Returns an
 * index_exit code. */
int index_update(const index_options *opt, index_summary *summary);

#endif
