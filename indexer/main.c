/* main.c — loomsearch-index: the command line. The work is in build.c. */
#include "build.h"

#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *to)
{
    fputs("usage: loomsearch-index --corpus DIR --db DIR [options]\n"
          "\n"
          "Bring the index under the index root --db up to date with the posts under\n"
          "--corpus. By default only what changed is read, and the changes become\n"
          "visible together, in one commit; the first run (or a schema change) makes\n"
          "a full build.\n"
          "\n"
          "  --corpus DIR        folder of posts (*.md, searched recursively)\n"
          "  --db DIR            index root: builds/, current, lock (created if missing)\n"
          "  --rebuild           write a new build, verify it, then switch to it\n"
          "  --rollback          serve the previous build again\n"
          "  --shard-by hash:N   N index roots under --db (shard-0 ...), each holding the\n"
          "                      posts whose path hashes to it, and DB/shards listing\n"
          "                      them for loomsearch-serve --db DB/shards\n"
          "  --export-lexicon DIR  write the current build's spelling and synonyms (no\n"
          "                      posts) to a new database, for servers of remote shards\n"
          "  --force             publish even when fewer than 90% of the posts remain\n"
          "  --dry-run           do all the work, make none of it visible\n"
          "  --synonyms FILE     'abbreviation = words' lines, found both ways\n"
          "  --max-size BYTES    skip posts larger than this (default 10485760)\n"
          "  --parse-timeout S   CPU seconds one post may take to parse (default 5)\n"
          "  --jobs N            parse workers, and index writers in a full build\n"
          "                      (default: the number of cores)\n"
          "  --keep N            finished builds to keep for rollback (default 3)\n"
          "  --quiet             report only failures and the summary\n"
          "  --verbose           report every post added, updated or removed\n"
          "  --help              this text\n"
          "  --version           the version\n"
          "\n"
          "Exit status: 0 the index is up to date (some posts may have failed),\n"
          "1 nothing usable was written, 2 bad usage, 3 another indexer is running,\n"
          "4 the result failed verification (the served index is untouched).\n",
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

static bool bad_number(const char *option, const char *value, const char *want)
{
    fprintf(stderr, "loomsearch-index: %s wants %s, not '%s'\n", option, want, value);
    return false;
}

static bool parse_args(int argc, char **argv, index_options *opt)
{
    enum {
        OPT_CORPUS = 256, OPT_DB, OPT_REBUILD, OPT_ROLLBACK, OPT_FORCE, OPT_DRY_RUN, OPT_SYNONYMS,
        OPT_MAX_SIZE, OPT_PARSE_TIMEOUT, OPT_JOBS, OPT_KEEP, OPT_QUIET, OPT_VERBOSE, OPT_HELP,
        OPT_VERSION, OPT_LEXICON, OPT_SHARD_BY,
    };
    static const struct option options[] = {
        {"corpus", required_argument, NULL, OPT_CORPUS},
        {"db", required_argument, NULL, OPT_DB},
        {"rebuild", no_argument, NULL, OPT_REBUILD},
        {"rollback", no_argument, NULL, OPT_ROLLBACK},
        {"force", no_argument, NULL, OPT_FORCE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"synonyms", required_argument, NULL, OPT_SYNONYMS},
        {"max-size", required_argument, NULL, OPT_MAX_SIZE},
        {"parse-timeout", required_argument, NULL, OPT_PARSE_TIMEOUT},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"keep", required_argument, NULL, OPT_KEEP},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"export-lexicon", required_argument, NULL, OPT_LEXICON},
        {"shard-by", required_argument, NULL, OPT_SHARD_BY},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case OPT_CORPUS: opt->corpus = optarg; break;
        case OPT_DB: opt->root = optarg; break;
        case OPT_REBUILD: opt->mode = MODE_REBUILD; break;
        case OPT_ROLLBACK: opt->mode = MODE_ROLLBACK; break;
        case OPT_LEXICON: opt->mode = MODE_LEXICON, opt->lexicon_path = optarg; break;
        case OPT_SHARD_BY:
            opt->shard_count = strncmp(optarg, "hash:", 5) == 0 ? (unsigned)parse_count(optarg + 5, 64) : 0;
            if (opt->shard_count < 2)
                return bad_number("--shard-by", optarg, "hash:N with N from 2 to 64");
            break;
        case OPT_FORCE: opt->force = true; break;
        case OPT_DRY_RUN: opt->dry_run = true; break;
        case OPT_SYNONYMS: opt->synonyms_path = optarg; break;
        case OPT_QUIET: opt->quiet = true; break;
        case OPT_VERBOSE: opt->verbose = true; break;
        case OPT_MAX_SIZE:
            if (!(opt->max_post_bytes = parse_count(optarg, 1ull << 32)))
                return bad_number("--max-size", optarg, "a number of bytes");
            break;
        case OPT_PARSE_TIMEOUT:
            if (!(opt->parse_cpu_seconds = (unsigned)parse_count(optarg, 3600)))
                return bad_number("--parse-timeout", optarg, "seconds from 1 to 3600");
            break;
        case OPT_JOBS:
            if (!(opt->jobs = (unsigned)parse_count(optarg, 64)))
                return bad_number("--jobs", optarg, "a number from 1 to 64");
            break;
        case OPT_KEEP:
            if (!(opt->keep_builds = (int)parse_count(optarg, 100)))
                return bad_number("--keep", optarg, "a number from 1 to 100");
            break;
        case OPT_HELP:
            usage(stdout);
            exit(EXIT_INDEX_OK);
        case OPT_VERSION:
            printf("loomsearch-index %s\n", LOOM_VERSION);
            exit(EXIT_INDEX_OK);
        default:
            usage(stderr);
            return false;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "loomsearch-index: unexpected argument '%s'\n", argv[optind]);
        return false;
    }
    if (!opt->root || (!opt->corpus && opt->mode != MODE_ROLLBACK && opt->mode != MODE_LEXICON)) {
        fprintf(stderr, "loomsearch-index: --corpus and --db are both required\n");
        usage(stderr);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    index_options opt = {
        .mode = MODE_UPDATE,
        .max_post_bytes = 10 * 1024 * 1024,
        .keep_builds = 3,
        .jobs = cores > 0 ? (unsigned)cores : 1,
        .parse_cpu_seconds = 5,
        .progress = isatty(2),
    };
    if (!parse_args(argc, argv, &opt))
        return EXIT_INDEX_USAGE;
    /* A write past a file-size limit should fail with an error we report, not
     * end the process. */
    signal(SIGXFSZ, SIG_IGN);
    index_summary summary;
    return index_run(&opt, &summary);
}
