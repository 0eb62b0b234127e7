/* index_options.h — loomsearch-index's option table (index_options.c): every
 * option, its default, bounds and help, written once. */
#ifndef LOOM_INDEX_OPTIONS_H
#define LOOM_INDEX_OPTIONS_H

#include "options.h"

/* The table, over an index_options (build.h). */
const opt_program *index_program(void);

#endif
