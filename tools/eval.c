/* eval.c — loomsearch-eval: how good are the rankings? Runs every query of a
 * judgments file through the same search path the server uses, against an
 * index root, and prints nDCG@10 and MRR, per kind of query and overall. */
#include "indexroot.h"
#include "results.h"
#include "text.h"
#include "version.h"
#include "xap.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH 10 /* the first page: what a visitor sees */

typedef struct judgment {
    char *slug;
    int grade;
} judgment;

typedef struct query_case {
    char *kind, *query;
    judgment *judged;
    size_t n;
} query_case;

typedef struct totals {
    char *kind;
    double ndcg, rr;
    unsigned n;
} totals;

static void usage(FILE *to)
{
    fputs("usage: loomsearch-eval --db DIR --judgments FILE [options]\n"
          "\n"
          "  --db DIR           index root to search\n"
          "  --judgments FILE   kind<TAB>query<TAB>slug<TAB>grade lines\n"
          "  --recency W        the recency prior's weight per year (default 0.01; 0 off)\n"
          "  --min-ndcg X       exit 1 when overall nDCG@10 is below X\n"
          "  --min-mrr X        exit 1 when overall MRR is below X\n"
          "  --verbose          each query's scores and first results\n",
          to);
}

/* Read the judgments, grouping consecutive lines of one query. */
static query_case *read_judgments(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    query_case *cases = NULL;
    *n = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *kind = strtok(line, "\t"), *query = strtok(NULL, "\t"), *slug = strtok(NULL, "\t"),
             *grade = strtok(NULL, "\t");
        if (!kind || !query || !slug || !grade)
            continue;
        query_case *c = *n ? &cases[*n - 1] : NULL;
        if (!c || strcmp(c->query, query) != 0 || strcmp(c->kind, kind) != 0) {
            cases = xrealloc(cases, (*n + 1) * sizeof *cases);
            c = &cases[(*n)++];
            *c = (query_case){.kind = xstrdup(kind), .query = xstrdup(query)};
        }
        c->judged = xrealloc(c->judged, (c->n + 1) * sizeof *c->judged);
        c->judged[c->n++] = (judgment){.slug = xstrdup(slug), .grade = atoi(grade)};
    }
    free(line);
    fclose(f);
    return cases;
}

static int grade_of(const query_case *c, const char *slug)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->judged[i].slug, slug) == 0)
            return c->judged[i].grade;
    return 0;
}

static int by_grade_desc(const void *a, const void *b)
{
    return ((const judgment *)b)->grade - ((const judgment *)a)->grade;
}

/* nDCG@DEPTH with gains 2^grade - 1, and the reciprocal rank of the first
 * relevant hit. */
static void score(const query_case *c, const search_results *r, double *ndcg, double *rr)
{
    double dcg = 0, ideal = 0;
    *rr = 0;
    for (size_t i = 0; i < r->n_hits && i < DEPTH; i++) {
        int g = grade_of(c, r->hits[i].id);
        dcg += (pow(2, g) - 1) / log2((double)i + 2);
        if (g > 0 && *rr == 0)
            *rr = 1.0 / ((double)i + 1);
    }
    judgment *sorted = xmalloc(c->n * sizeof *sorted);
    memcpy(sorted, c->judged, c->n * sizeof *sorted);
    qsort(sorted, c->n, sizeof *sorted, by_grade_desc);
    for (size_t i = 0; i < c->n && i < DEPTH; i++)
        ideal += (pow(2, sorted[i].grade) - 1) / log2((double)i + 2);
    free(sorted);
    *ndcg = ideal > 0 ? dcg / ideal : 0;
}

static totals *totals_for(totals *t, size_t *n, const char *kind)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].kind, kind) == 0)
            return &t[i];
    t[*n] = (totals){.kind = (char *)kind};
    return &t[(*n)++];
}

/* Run every judged query, print nDCG@10 and MRR per kind and in all; the
 * overall figures in *ndcg and *mrr. False when a search fails. */
static bool evaluate(double *ndcg, double *mrr, xap_db *db, const search_config *cfg,
                     query_case *cases, size_t n_cases, bool verbose)
{
    totals *kinds = xmalloc((n_cases + 1) * sizeof *kinds);
    size_t n_kinds = 0;
    totals all = {.kind = "all"};
    xap_error err;
    bool ok = true;
    for (size_t i = 0; i < n_cases && ok; i++) {
        query_case *q = &cases[i];
        search_request req = {.q = q->query, .q_len = strlen(q->query), .page = 1,
                              .per_page = DEPTH, .partial = strcmp(q->kind, "partial") == 0};
        search_results r;
        if (search_run(&r, db, &req, cfg, &err) != XAP_OK) {
            fprintf(stderr, "loomsearch-eval: '%s': %s\n", q->query, err.message);
            ok = false;
            break;
        }
        double one_ndcg, rr;
        score(q, &r, &one_ndcg, &rr);
        totals *t = totals_for(kinds, &n_kinds, q->kind);
        t->ndcg += one_ndcg, t->rr += rr, t->n++;
        all.ndcg += one_ndcg, all.rr += rr, all.n++;
        if (verbose) {
            printf("%-8s %-40s nDCG %.3f RR %.3f:", q->kind, q->query, one_ndcg, rr);
            for (size_t h = 0; h < r.n_hits && h < 3; h++)
                printf(" %s(%d)", r.hits[h].id, grade_of(q, r.hits[h].id));
            printf("\n");
        }
        search_results_free(&r);
    }
    for (size_t i = 0; ok && i < n_kinds; i++)
        printf("%-8s queries %2u  nDCG@10 %.3f  MRR %.3f\n", kinds[i].kind, kinds[i].n,
               kinds[i].ndcg / kinds[i].n, kinds[i].rr / kinds[i].n);
    *ndcg = all.n ? all.ndcg / all.n : 0, *mrr = all.n ? all.rr / all.n : 0;
    if (ok)
        printf("%-8s queries %2u  nDCG@10 %.3f  MRR %.3f\n", "all", all.n, *ndcg, *mrr);
    free(kinds);
    return ok;
}

static void free_cases(query_case *cases, size_t n_cases)
{
    for (size_t i = 0; i < n_cases; i++) {
        for (size_t j = 0; j < cases[i].n; j++)
            free(cases[i].judged[j].slug);
        free(cases[i].judged);
        free(cases[i].kind);
        free(cases[i].query);
    }
    free(cases);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},       {"judgments", required_argument, NULL, 'j'},
        {"recency", required_argument, NULL, 'r'},  {"min-ndcg", required_argument, NULL, 'n'},
        {"min-mrr", required_argument, NULL, 'm'},  {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    const char *root = NULL, *judgments = NULL;
    double recency = 0.01, min_ndcg = 0, min_mrr = 0;
    bool verbose = false;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': root = optarg; break;
        case 'j': judgments = optarg; break;
        case 'r': recency = atof(optarg); break;
        case 'n': min_ndcg = atof(optarg); break;
        case 'm': min_mrr = atof(optarg); break;
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("loomsearch-eval %s\n", LOOM_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!root || !judgments) {
        usage(stderr);
        return 2;
    }
    size_t n_cases;
    query_case *cases = read_judgments(judgments, &n_cases);
    char *path;
    xap_db *db;
    xap_error err;
    if (!cases || indexroot_current(&path, NULL, root) != 0 || xap_db_open(&db, path, &err) != XAP_OK) {
        fprintf(stderr, "loomsearch-eval: cannot read %s or open the index under %s\n", judgments, root);
        return 1;
    }
    search_config cfg = {.permalink = "/{slug}/", .snippet_bytes = 240, .max_expansion = 100,
                         .recency = recency};
    double ndcg, mrr;
    bool ran = evaluate(&ndcg, &mrr, db, &cfg, cases, n_cases, verbose);
    xap_db_close(db);
    free(path);
    free_cases(cases, n_cases);
    if (!ran)
        return 1;
    if (ndcg < min_ndcg || mrr < min_mrr) {
        fprintf(stderr, "loomsearch-eval: below the recorded level (nDCG@10 %.3f < %.3f or MRR %.3f < %.3f)\n",
                ndcg, min_ndcg, mrr, min_mrr);
        return 1;
    }
    return 0;
}
