/* check.h — what a run would make of the source, without an index: --check (a
 * summary and a sample, for a person) and --list (every item, for a script). */
#ifndef LOOM_CHECK_H
#define LOOM_CHECK_H

#include "index.h"

/* Read and parse every item of opt's source in the worker pool, as a run
 * would, and print: with MODE_LIST one tab-separated line per item after a
 * header line (id, status, title, date, authors, tags, categories, summary,
 * url, words, templates: template markers left outside code); with MODE_CHECK the counts by status and reason, a few of the
 * posts it would index, and with opt->verbose every item skipped or refused
 * with its reason. Writes nothing. Returns an index_exit code. */
int index_check(const index_options *opt);

#endif
