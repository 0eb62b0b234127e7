/* main.c — loomsearch-index: the command line, and which run it asks for: an
 * update (build.c), a rollback or lexicon export (maintain.c), each on one
 * index root or on every partition (partition.c). */
#include "build.h"
#include "check.h"
#include "index_options.h"
#include "maintain.h"
#include "partition.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The settings from the table (index_options.c), then the options a run needs. */
#define SOURCES "--site or --corpus, --wordpress, --wordpress-json or --html"

/* Exactly one source for a run that reads one, and each source's own options
 * with it; false after a message. */
static bool sources_usable(const index_options *opt, bool reads_source)
{
    unsigned given = (opt->corpus || opt->site) + !!opt->wordpress + !!opt->wordpress_json +
                     !!opt->html;
    const char *why = NULL;
    if (reads_source && given == 0)
        why = "give a source: " SOURCES;
    else if (given > 1)
        why = "give one source, not several: " SOURCES " (--corpus narrows --site)";
    else if (opt->html && !opt->base_url)
        why = "--html needs --base-url, the site's public address";
    else if ((opt->base_url || opt->content_selector) && !opt->html && reads_source)
        why = "--base-url and --content-selector go with --html";
    if (why)
        fprintf(stderr, "loomsearch-index: %s (see --help)\n", why);
    return !why;
}

static bool parse_args(int argc, char **argv, index_options *opt, opt_memory *mem)
{
    opt_result r = opt_parse(index_program(), opt, argc, argv, mem);
    if (r == OPT_DONE) /* --help or --version answered */
        exit(EXIT_INDEX_OK);
    if (r != OPT_OK)
        return false;
    if (opt->modes_given > 1) {
        fprintf(stderr, "loomsearch-index: give one of --rebuild, --rollback, --check, --list and "
                        "--export-lexicon, not several (see --help)\n");
        return false;
    }
    bool reads_source = opt->mode != MODE_ROLLBACK && opt->mode != MODE_LEXICON;
    bool writes_index = opt->mode != MODE_CHECK && opt->mode != MODE_LIST;
    if (writes_index && !opt->root) {
        fprintf(stderr, "loomsearch-index: --db is required (see --help)\n");
        return false;
    }
    return sources_usable(opt, reads_source);
}

/* The run on one index root. */
static int run_root(const index_options *opt, index_summary *sum)
{
    *sum = (index_summary){0};
    if (opt->mode == MODE_ROLLBACK)
        return index_rollback(opt);
    if (opt->mode == MODE_LEXICON)
        return index_export_lexicon(opt);
    if (opt->mode == MODE_CHECK || opt->mode == MODE_LIST)
        return index_check(opt);
    return index_update(opt, sum);
}

static int index_run(const index_options *opt, index_summary *sum)
{
    if (opt->shard_count > 1 && !opt->in_shard && opt->mode != MODE_LEXICON &&
        opt->mode != MODE_CHECK && opt->mode != MODE_LIST)
        return partition_run(opt, sum, run_root);
    return run_root(opt, sum);
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
