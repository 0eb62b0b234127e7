/* main.c — loomsearch-index: the command line. The work is in build.c. */
#include "build.h"

#include "index_options.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The settings from the table (index_options.c), then the options a run needs. */
static bool parse_args(int argc, char **argv, index_options *opt, opt_memory *mem)
{
    opt_result r = opt_parse(index_program(), opt, argc, argv, mem);
    if (r == OPT_DONE) /* --help or --version answered */
        exit(EXIT_INDEX_OK);
    if (r != OPT_OK)
        return false;
    if (!opt->root || (!opt->corpus && opt->mode != MODE_ROLLBACK && opt->mode != MODE_LEXICON)) {
        fprintf(stderr, "loomsearch-index: --corpus and --db are both required (see --help)\n");
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    index_options opt = {.mode = MODE_UPDATE, .progress = isatty(2)};
    opt_defaults(index_program(), &opt);
    opt_memory mem = {0};
    if (!parse_args(argc, argv, &opt, &mem)) {
        opt_memory_free(&mem);
        return EXIT_INDEX_USAGE;
    }
    /* A write past a file-size limit should fail with an error we report, not
     * end the process. */
    signal(SIGXFSZ, SIG_IGN);
    index_summary summary;
    int rc = index_run(&opt, &summary);
    opt_memory_free(&mem);
    return rc;
}
