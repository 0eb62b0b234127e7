/* bench_query.c — loomsearch-bench-query: our query path without HTTP, for
 * bench/run and the instruction-count guard (tests/bench/test_instructions.sh).
 * Runs every query of a file through search_run and the renderer the server
 * uses, against the current build of an index root, and prints one line per
 * query: microseconds, matches, query. The work of one query sits in
 * bench_one_query so that callgrind can count it alone:
 *   valgrind --tool=callgrind --toggle-collect=bench_one_query ...
 * --repeat 0 runs each query once (the untimed pass alone), as the reference
 * harness's xap_query --passes 0 does, so that a whole run's count under
 * callgrind divided by the number of queries compares with its. */
#include "clock.h"
#include "indexroot.h"
#include "options.h"
#include "results.h"
#include "render.h"
#include "serve_options.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bench_options {
    const char *root, *queries;
    unsigned repeat;
    render_format format;
    bool facets, partial;
} bench_options;

static void usage(FILE *to)
{
    fputs("usage: loomsearch-bench-query ROOT QUERIES [--repeat N] [--format json|text]\n"
          "                              [--facets] [--partial]\n"
          "Time each query of QUERIES (one per line, '#' lines skipped) against the\n"
          "current build of ROOT, as the server would run and render it: 10 hits.\n"
          "Prints 'microseconds<TAB>matches<TAB>query' per query, after one untimed pass.\n"
          "--repeat 0: only the untimed pass, each query once and nothing printed per\n"
          "query (for counting a whole run's instructions).\n",
          to);
}

static bool parse_options(int argc, char **argv, bench_options *o)
{
    *o = (bench_options){.repeat = 1, .format = FORMAT_JSON};
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long n;
        if (strcmp(a, "--repeat") == 0 && i + 1 < argc) {
            if (!opt_parse_uint(argv[++i], 0, 1000000, &n))
                return false;
            o->repeat = (unsigned)n;
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0)
                o->format = FORMAT_JSON;
            else if (strcmp(f, "text") == 0)
                o->format = FORMAT_TEXT;
            else
                return false;
        } else if (strcmp(a, "--facets") == 0)
            o->facets = true;
        else if (strcmp(a, "--partial") == 0)
            o->partial = true;
        else if (a[0] == '-')
            return false;
        else if (positional == 0)
            o->root = a, positional++;
        else if (positional == 1)
            o->queries = a, positional++;
        else
            return false;
    }
    return positional == 2;
}

/* The query file's lines, '#' comments and blank lines left out. */
static char **read_queries(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char **qs = NULL, *line = NULL;
    size_t cap = 0, len_cap = 0;
    *n = 0;
    ssize_t len;
    while ((len = getline(&line, &len_cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            qs = realloc(qs, cap * sizeof *qs);
            if (!qs)
                abort();
        }
        qs[(*n)++] = strdup(line);
    }
    free(line);
    fclose(f);
    return qs;
}

/* One query, searched and rendered as the server would answer it. Returns the
 * number of matches (0 on error, which is reported). */
__attribute__((noinline)) unsigned long bench_one_query(xap_db *db, const char *q,
                                                        const bench_options *o, size_t *bytes)
{
    search_request req = {.q = q, .q_len = strlen(q), .page = 1, .per_page = 10,
                          .facets = o->facets, .partial = o->partial};
    search_results r;
    xap_error err = {0};
    if (search_run(&r, db, &req, &config->search, &err) != XAP_OK) {
        fprintf(stderr, "query %s: %s\n", q, err.message);
        return 0;
    }
    page_view view = {.query = q, .req = &req, .page = 1, .per_page = 10};
    char *body = render_results(o->format, &r, &view);
    *bytes += strlen(body);
    free(body);
    unsigned long total = r.total_known ? r.total_exact : r.total_estimate;
    search_results_free(&r);
    return total;
}

static double now_us(void)
{
    return monotonic_seconds() * 1e6;
}

int main(int argc, char **argv)
{
    bench_options o;
    if (!parse_options(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    static server_config cfg;
    cfg = server_config_defaults();
    cfg.root = o.root;
    config = &cfg;

    size_t n;
    char **qs = read_queries(o.queries, &n);
    char *path = NULL, *id = NULL;
    xap_db *db = NULL;
    xap_error err = {0};
    if (!qs || indexroot_current(&path, &id, o.root) != 0 || xap_db_open(&db, path, &err) != XAP_OK) {
        fprintf(stderr, "loomsearch-bench-query: cannot read %s or open the index under %s\n",
                o.queries, o.root);
        return 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) /* warm the page cache and the reader */
        bench_one_query(db, qs[i], &o, &bytes);
    for (unsigned rep = 0; rep < o.repeat; rep++)
        for (size_t i = 0; i < n; i++) {
            double t0 = now_us();
            unsigned long total = bench_one_query(db, qs[i], &o, &bytes);
            printf("%.0f\t%lu\t%s\n", now_us() - t0, total, qs[i]);
        }
    fprintf(stderr, "%zu queries x %u, %zu bytes rendered\n", n, o.repeat, bytes);
    xap_db_close(db);
    free(path);
    free(id);
    for (size_t i = 0; i < n; i++)
        free(qs[i]);
    free(qs);
    return 0;
}
