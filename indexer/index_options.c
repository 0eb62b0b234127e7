/* index_options.c — loomsearch-index's options: one table, from which the command
 * line, LOOMSEARCH_* variables, the config file (--config or LOOMSEARCH_CONFIG),
 * the defaults and --help all come. The check that --corpus and --db are given
 * is main.c's. */
#include "index_options.h"

#include "index.h"
#include "version.h"

#include <stddef.h>
#include <string.h>

static bool set_rebuild(void *settings, const char *value)
{
    (void)value;
    ((index_options *)settings)->mode = MODE_REBUILD;
    ((index_options *)settings)->modes_given++;
    return true;
}

static bool set_rollback(void *settings, const char *value)
{
    (void)value;
    ((index_options *)settings)->mode = MODE_ROLLBACK;
    ((index_options *)settings)->modes_given++;
    return true;
}

static bool set_check(void *settings, const char *value)
{
    (void)value;
    ((index_options *)settings)->mode = MODE_CHECK;
    ((index_options *)settings)->modes_given++;
    return true;
}

static bool set_list(void *settings, const char *value)
{
    (void)value;
    ((index_options *)settings)->mode = MODE_LIST;
    ((index_options *)settings)->modes_given++;
    return true;
}

static bool set_lexicon(void *settings, const char *value)
{
    index_options *opt = settings;
    opt->mode = MODE_LEXICON;
    opt->modes_given++;
    opt->lexicon_path = value;
    return true;
}

/* "hash:N", N from 2 to 64. */
static bool set_shard_by(void *settings, const char *value)
{
    unsigned long n;
    if (strncmp(value, "hash:", 5) != 0 || !opt_parse_uint(value + 5, 2, 64, &n))
        return false;
    ((index_options *)settings)->shard_count = (unsigned)n;
    return true;
}

#define AT(field) offsetof(index_options, field)
#define UINT(nm, t, field, lo, hi, d, meta, text) \
    {.name = nm, .kind = OPT_UINT, .type = t, .offset = AT(field), .min = lo, .max = hi, \
     .def = d, .metavar = meta, .help = text}
#define STRING(nm, field, meta, text) \
    {.name = nm, .kind = OPT_STRING, .offset = AT(field), .metavar = meta, .help = text}
#define FLAG(nm, field, text) {.name = nm, .kind = OPT_FLAG, .offset = AT(field), .help = text}
#define ACTION(nm, fn, text) {.name = nm, .kind = OPT_CUSTOM, .set = fn, .help = text}

static const opt_spec index_specs[] = {
    STRING("corpus", corpus, "DIR", "folder of posts (*.md, *.markdown, *.mdx, searched recursively)"),
    STRING("site", site, "ROOT",
           "a Hugo, Jekyll, Zola, Eleventy, Astro or Gatsby site: its posts, read with the "
           "generator's rules, each with its public URL (--corpus then narrows the folder)"),
    STRING("wordpress", wordpress, "FILE",
           "a WordPress export (WXR, Tools > Export or wp export): its published posts, each "
           "with its own link as URL"),
    STRING("wordpress-json", wordpress_json, "DIR",
           "saved pages of the WordPress REST API (posts-*.json, and ids.json: the site's "
           "id list; docs/sources.md): its published posts"),
    FLAG("wordpress-pages", wordpress_pages,
         "with --wordpress or --wordpress-json: published pages are posts too"),
    STRING("html", html, "DIR",
           "a generator's built output (public/, _site/): every *.html page but listings, "
           "home, 404 and pages missing from its sitemap.xml; only the main content is text"),
    STRING("base-url", base_url, "URL", "with --html: the site's public address, for URLs"),
    STRING("content-selector", content_selector, "SELECTOR",
           "with --html: the element holding a page's text, \"#id\" or \".class\" "
           "(else <main>, <article>, the body)"),
    STRING("permalink", permalink, "PATTERN",
           "every post's URL from this pattern (front matter's own url still wins): {yyyy} "
           "{mm} {dd} {slug} {title} {filename} {section}"),
    STRING("db", root, "DIR", "index root: builds/, current, lock (created if missing)"),
    ACTION("rebuild", set_rebuild, "write a new build, verify it, then switch to it"),
    ACTION("rollback", set_rollback, "serve the previous build again"),
    ACTION("check", set_check,
           "read and parse every post as a run would, write nothing, and say what would be "
           "indexed, skipped and refused (--verbose: every file skipped or refused, and why)"),
    ACTION("list", set_list,
           "the same, one tab-separated line per file: id, status, title, date, authors, "
           "tags, categories, summary, url, words, template markers left outside code"),
    {.name = "shard-by", .kind = OPT_CUSTOM, .type = OPT_T_UNSIGNED, .offset = AT(shard_count),
     .set = set_shard_by, .want = "hash:N with N from 2 to 64", .metavar = "hash:N",
     .help = "N index roots under --db (shard-0 ...), each holding the posts whose path "
             "hashes to it, and DB/shards listing them for loomsearch-serve --db DB/shards"},
    {.name = "export-lexicon", .kind = OPT_CUSTOM, .type = OPT_T_STRING,
     .offset = AT(lexicon_path), .set = set_lexicon, .metavar = "DIR",
     .help = "write the current build's spelling and synonyms (no posts) to a new database, "
             "for servers of remote shards"},
    FLAG("force", force, "publish even when fewer than 90% of the posts remain"),
    FLAG("dry-run", dry_run, "do all the work, make none of it visible"),
    STRING("synonyms", synonyms_path, "FILE", "'abbreviation = words' lines, found both ways"),
    UINT("max-size", OPT_T_SIZE, max_post_bytes, 1, 1ul << 32, "10485760", "BYTES",
         "skip posts larger than this"),
    UINT("parse-timeout", OPT_T_UNSIGNED, parse_cpu_seconds, 1, 3600, "5", "S",
         "CPU seconds one post may take to parse"),
    {.name = "jobs", .kind = OPT_UINT, .type = OPT_T_UNSIGNED, .offset = AT(jobs), .min = 1,
     .max = 64, .def_fn = opt_cores, .def = "the number of cores", .metavar = "N",
     .help = "parse workers, and index writers in a full build"},
    UINT("keep", OPT_T_INT, keep_builds, 1, 100, "3", "N",
         "finished builds to keep for rollback"),
    FLAG("quiet", quiet, "report only failures and the summary"),
    FLAG("verbose", verbose, "report every post added, updated or removed"),
    OPT_LAST_ENTRIES,
};

/* loomsearch-serve's settings, which a shared environment or file may hold. */
static const char *const serve_only[] = {
    "shard-timeout", "on-shard-failure", "listen", "threads", "snippet-bytes",
    "public-url", "site-root", "site-url", "metrics-listen", "access-log", "query-log", "log-full-ip", "allow-origin",
    "cache", "max-query-bytes", "max-terms", "max-per-page", "max-depth", "rate", "burst",
    "trusted-proxy", "connection-limit", "per-ip-limit", "header-deadline", "timeout", "deadline",
    "wait-for-index", NULL,
};

static const opt_program indexer = {
    .name = "loomsearch-index",
    .version = LOOM_VERSION,
    .env_prefix = "LOOMSEARCH_",
    .specs = index_specs,
    .sibling = serve_only,
    .synopsis = "usage: loomsearch-index (--site ROOT | --corpus DIR | --wordpress FILE |\n"
                "                         --wordpress-json DIR | --html DIR --base-url URL) --db DIR [options]\n"
                "\n"
                "Bring the index under the index root --db up to date with the posts of the\n"
                "site ROOT (or the folder DIR). By default only what changed is read, and the changes become\n"
                "visible together, in one commit; the first run (or a schema change) makes\n"
                "a full build.\n"
                "\n",
    .epilogue = "Every option can also be set in the environment (LOOMSEARCH_CORPUS for\n"
                "--corpus) or the config file; the command line wins over the environment,\n"
                "which wins over the file. LOOMSEARCH_CONFIG names the file too. The\n"
                "variables and the file may be loomsearch-serve's: LOOMSEARCH_DB names the\n"
                "same index root for both, and the server's own settings are passed over.\n"
                "\n"
                "Exit status: 0 the index is up to date (some posts may have failed),\n"
                "1 nothing usable was written, 2 bad usage, 3 another indexer is running,\n"
                "4 the result failed verification (the served index is untouched).\n",
};

const opt_program *index_program(void)
{
    return &indexer;
}
