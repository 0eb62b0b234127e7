/* main.c — loomsearch-index: the command line. The work is in build.c. */
#include "build.h"

#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *to)
{
    fputs("usage: loomsearch-index --corpus DIR --db DIR [options]\n"
          "\n"
          "Index every Markdown post under --corpus into a new build under the index\n"
          "root --db, then make it the one served (ROOT/current).\n"
          "\n"
          "  --corpus DIR       folder of posts (*.md, searched recursively)\n"
          "  --db DIR           index root: builds/, current, lock (created if missing)\n"
          "  --max-size BYTES   skip posts larger than this (default 10485760)\n"
          "  --keep N           finished builds to keep for rollback (default 3)\n"
          "  --quiet            report only failures and the summary\n"
          "  --help             this text\n"
          "  --version          the version\n"
          "\n"
          "Exit status: 0 a build was published (some posts may have failed),\n"
          "1 nothing usable was written, 2 bad usage, 3 another indexer is running.\n",
          to);
}

/* A whole positive number no larger than max, or 0. */
static unsigned long long parse_count(const char *s, unsigned long long max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max)
        return 0;
    return v;
}

int main(int argc, char **argv)
{
    enum { OPT_CORPUS = 256, OPT_DB, OPT_MAX_SIZE, OPT_KEEP, OPT_QUIET, OPT_HELP, OPT_VERSION };
    static const struct option options[] = {
        {"corpus", required_argument, NULL, OPT_CORPUS},
        {"db", required_argument, NULL, OPT_DB},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"keep", required_argument, NULL, OPT_KEEP},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {0, 0, 0, 0},
    };
    index_options opt = {.max_post_bytes = 10 * 1024 * 1024, .keep_builds = 3};
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case OPT_CORPUS:
            opt.corpus = optarg;
            break;
        case OPT_DB:
            opt.root = optarg;
            break;
        case OPT_MAX_SIZE:
            if (!(opt.max_post_bytes = parse_count(optarg, 1ull << 32))) {
                fprintf(stderr, "loomsearch-index: --max-size wants a number of bytes, not '%s'\n",
                        optarg);
                return EXIT_INDEX_USAGE;
            }
            break;
        case OPT_KEEP:
            if (!(opt.keep_builds = (int)parse_count(optarg, 100))) {
                fprintf(stderr, "loomsearch-index: --keep wants a number from 1 to 100, not '%s'\n",
                        optarg);
                return EXIT_INDEX_USAGE;
            }
            break;
        case OPT_QUIET:
            opt.quiet = true;
            break;
        case OPT_HELP:
            usage(stdout);
            return EXIT_INDEX_OK;
        case OPT_VERSION:
            printf("loomsearch-index %s\n", LOOM_VERSION);
            return EXIT_INDEX_OK;
        default:
            usage(stderr);
            return EXIT_INDEX_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "loomsearch-index: unexpected argument '%s'\n", argv[optind]);
        return EXIT_INDEX_USAGE;
    }
    if (!opt.corpus || !opt.root) {
        fprintf(stderr, "loomsearch-index: --corpus and --db are both required\n");
        usage(stderr);
        return EXIT_INDEX_USAGE;
    }
    index_summary summary;
    return index_run(&opt, &summary);
}
