/* eval.c — loomsearch-eval: how good are the rankings? Runs every query of a
 * judgments file through the same search path the server uses, against an
 * index root, and prints nDCG@10 and MRR@10 per kind of query and per half
 * (tune, test), beside plain BM25 over the same posts (anchor.h). With
 * --pool it prints, for judging, the posts three rankings find; with
 * --print-urls, each query's ranked URLs (to compare indexes of one archive). */
#include "anchor.h"
#include "indexroot.h"
#include "permalink.h"
#include "results.h"
#include "text.h"
#include "version.h"
#include "xap.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH 10 /* the first page: what a visitor sees */

/* The rankings a table can hold, in column order. */
enum ranking_kind { RANK_LOOMSEARCH, RANK_BM25, RANK_BM25_PHRASE, RANK_COUNT };
static const char *const ranking_names[RANK_COUNT] = {"loomsearch", "bm25", "bm25-phrase"};

typedef struct judgment {
    char *key; /* a post's slug, or its URL path when it starts with '/' */
    int grade;
} judgment;

typedef struct query_case {
    char *half, *kind, *query;
    judgment *judged;
    size_t n;
} query_case;

/* One post of a ranking, as much as judging and scoring need. */
typedef struct ranked {
    char *slug, *url, *title, *date, *authors, *excerpt;
} ranked;

typedef struct ranking {
    ranked *items;
    size_t n;
} ranking;

/* What one row of the table adds up. */
typedef struct totals {
    const char *kind, *half;
    double ndcg[RANK_COUNT], rr[RANK_COUNT];
    unsigned n;
} totals;

typedef struct eval_run {
    xap_db *db;
    anchor *plain;          /* NULL when only loomsearch is scored */
    search_config cfg;
    bool use[RANK_COUNT];
    const char *half;       /* only queries of this half, or NULL: all */
    bool verbose;
} eval_run;

static void usage(FILE *to)
{
    fputs("usage: loomsearch-eval --db DIR --judgments FILE [options]\n"
          "\n"
          "  --db DIR            index root to search\n"
          "  --judgments FILE    [half<TAB>]kind<TAB>query<TAB>key<TAB>grade lines; half is\n"
          "                      tune or test, key a slug or a URL path starting with /\n"
          "  --half H            only the queries of half H (tune or test)\n"
          "  --anchor            also score plain BM25 and BM25 with adjacent-pair phrases\n"
          "  --recency W         the recency prior's weight per year (default 0.01; 0 off)\n"
          "  --min-ndcg X        exit 1 when loomsearch's overall nDCG@10 is below X\n"
          "  --min-mrr X         exit 1 when loomsearch's overall MRR@10 is below X\n"
          "  --beat-anchor X     exit 1 unless loomsearch's nDCG@10 is at least X above BM25's\n"
          "  --kind-slack X      exit 1 when loomsearch's nDCG@10 is more than X below BM25's\n"
          "                      on any kind\n"
          "  --pool N            print the union of each query's top N in the three rankings,\n"
          "                      sorted by URL, for judging (query, url, title, date, authors,\n"
          "                      excerpt); the judgments file may then hold queries only\n"
          "  --print-urls N      print each query's first N results in loomsearch's ranking,\n"
          "                      one line each: query, rank, URL path; nothing is scored\n"
          "  --verbose           each query's scores and first results\n",
          to);
}

static bool is_half(const char *s)
{
    return s && (strcmp(s, "tune") == 0 || strcmp(s, "test") == 0);
}

/* Split line on tabs into at most max fields; the count. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line; p && n < max; n++) {
        fields[n] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = '\0';
    }
    return n;
}

/* Add one line's query and judgment, grouping consecutive lines of one query. */
static void add_line(query_case **cases, size_t *n, char **f, size_t nf)
{
    const char *half = is_half(f[0]) ? f[0] : "";
    char **rest = is_half(f[0]) ? f + 1 : f;
    size_t nr = is_half(f[0]) ? nf - 1 : nf;
    if (nr < 2)
        return;
    query_case *c = *n ? &(*cases)[*n - 1] : NULL;
    if (!c || strcmp(c->query, rest[1]) != 0 || strcmp(c->kind, rest[0]) != 0 ||
        strcmp(c->half, half) != 0) {
        *cases = xrealloc(*cases, (*n + 1) * sizeof **cases);
        c = &(*cases)[(*n)++];
        *c = (query_case){.half = xstrdup(half), .kind = xstrdup(rest[0]), .query = xstrdup(rest[1])};
    }
    if (nr < 4)
        return;
    c->judged = xrealloc(c->judged, (c->n + 1) * sizeof *c->judged);
    c->judged[c->n++] = (judgment){.key = xstrdup(rest[2]), .grade = atoi(rest[3])};
}

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
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[5] = {0};
        add_line(&cases, n, fields, split_tabs(line, fields, 5));
    }
    free(line);
    fclose(f);
    return cases;
}

/* A URL without its scheme and host and without its #fragment: the form the
 * judgments use. */
static char *url_path(const char *url)
{
    const char *p = url ? url : "";
    const char *scheme = strstr(p, "://");
    if (scheme) {
        const char *slash = strchr(scheme + 3, '/');
        p = slash ? slash : "/";
    }
    return xstrndup(p, strcspn(p, "#"));
}

static int grade_of(const query_case *c, const ranked *r)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *key = c->judged[i].key;
        const char *have = key[0] == '/' || strstr(key, "://") ? r->url : r->slug;
        char *want = key[0] == '/' || strstr(key, "://") ? url_path(key) : xstrdup(key);
        bool same = have && strcmp(have, want) == 0;
        free(want);
        if (same)
            return c->judged[i].grade;
    }
    return 0;
}

static int by_grade_desc(const void *a, const void *b)
{
    return ((const judgment *)b)->grade - ((const judgment *)a)->grade;
}

/* nDCG@DEPTH with gains 2^grade - 1, and the reciprocal rank of the first
 * relevant hit within DEPTH. */
static void score(const query_case *c, const ranking *r, double *ndcg, double *rr)
{
    double dcg = 0, ideal = 0;
    *rr = 0;
    for (size_t i = 0; i < r->n && i < DEPTH; i++) {
        int g = grade_of(c, &r->items[i]);
        dcg += (pow(2, g) - 1) / log2((double)i + 2);
        if (g > 0 && *rr == 0)
            *rr = 1.0 / ((double)i + 1);
    }
    judgment *sorted = xmalloc((c->n + 1) * sizeof *sorted);
    memcpy(sorted, c->judged, c->n * sizeof *sorted);
    qsort(sorted, c->n, sizeof *sorted, by_grade_desc);
    for (size_t i = 0; i < c->n && i < DEPTH; i++)
        ideal += (pow(2, sorted[i].grade) - 1) / log2((double)i + 2);
    free(sorted);
    *ndcg = ideal > 0 ? dcg / ideal : 0;
}

static char *joined(char **names, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + 2;
    char *s = xcalloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, names[i]);
    }
    return s;
}

static void ranking_free(ranking *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ranked *p = &r->items[i];
        free(p->slug), free(p->url), free(p->title), free(p->date), free(p->authors);
        free(p->excerpt);
    }
    free(r->items);
    *r = (ranking){0};
}

/* loomsearch's own ranking: the search the server runs. */
static bool rank_loomsearch(ranking *out, const eval_run *run, const query_case *q, unsigned n)
{
    search_request req = {.q = q->query, .q_len = strlen(q->query), .page = 1, .per_page = n,
                          .partial = strcmp(q->kind, "partial") == 0};
    search_results r;
    xap_error err;
    if (search_run(&r, run->db, &req, &run->cfg, &err) != XAP_OK) {
        fprintf(stderr, "loomsearch-eval: '%s': %s\n", q->query, err.message);
        return false;
    }
    out->items = xcalloc(r.n_hits + 1, sizeof *out->items);
    for (size_t i = 0; i < r.n_hits; i++) {
        search_hit *h = &r.hits[i];
        out->items[out->n++] = (ranked){
            .slug = xstrdup(h->id), .url = url_path(h->url), .title = xstrdup(h->title),
            .date = xstrdup(h->date ? h->date : ""), .authors = joined(h->authors, h->n_authors),
            .excerpt = xstrdup(h->snippet_html ? h->snippet_html : "")};
    }
    search_results_free(&r);
    return true;
}

static char *head_string(json_t *head, const char *key)
{
    const char *s = json_string_value(json_object_get(head, key));
    return xstrdup(s ? s : "");
}

/* One post of the anchor's ranking from its stored JSON head. */
static ranked ranked_from_head(const char *text, const search_config *cfg)
{
    json_t *head = json_loads(text, 0, NULL);
    ranked p = {.slug = head_string(head, "id"), .title = head_string(head, "title"),
                .date = head_string(head, "date"), .excerpt = head_string(head, "summary")};
    const char *url = json_string_value(json_object_get(head, "url"));
    const char *slug = json_string_value(json_object_get(head, "slug"));
    char *made = url ? NULL
                     : permalink_expand(cfg->permalink,
                                        &(permalink_fields){.slug = slug ? slug : p.slug,
                                                            .date = p.date[0] ? p.date : NULL,
                                                            .title = p.title});
    p.url = url_path(url ? url : made);
    free(made);
    json_t *authors = json_object_get(head, "authors");
    size_t n = json_array_size(authors);
    char **names = xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++)
        {
        const char *name = json_string_value(json_array_get(authors, i));
        names[i] = (char *)(name ? name : "");
    }
    p.authors = joined(names, n);
    free(names);
    json_decref(head);
    return p;
}

static bool rank_anchor(ranking *out, const eval_run *run, const query_case *q, bool phrase,
                        unsigned n)
{
    char **heads, err[256];
    size_t n_heads;
    if (!anchor_search(run->plain, q->query, phrase, n, &heads, &n_heads, err)) {
        fprintf(stderr, "loomsearch-eval: '%s' (BM25): %s\n", q->query, err);
        return false;
    }
    out->items = xcalloc(n_heads + 1, sizeof *out->items);
    for (size_t i = 0; i < n_heads; i++) {
        out->items[out->n++] = ranked_from_head(heads[i], &run->cfg);
        free(heads[i]);
    }
    free(heads);
    return true;
}

static bool rank(ranking *out, const eval_run *run, const query_case *q, int which, unsigned n)
{
    *out = (ranking){0};
    if (which == RANK_LOOMSEARCH)
        return rank_loomsearch(out, run, q, n);
    return rank_anchor(out, run, q, which == RANK_BM25_PHRASE, n);
}

static totals *row_for(totals *rows, size_t *n, const char *kind, const char *half)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(rows[i].kind, kind) == 0 && strcmp(rows[i].half, half) == 0)
            return &rows[i];
    rows[*n] = (totals){.kind = kind, .half = half};
    return &rows[(*n)++];
}

static void print_verbose(const query_case *q, int which, const ranking *r, double ndcg, double rr)
{
    printf("%-11s %-4s %-40s %-11s nDCG %.3f RR %.3f:", q->kind, q->half, q->query,
           ranking_names[which], ndcg, rr);
    for (size_t h = 0; h < r->n && h < 3; h++)
        printf(" %s(%d)", r->items[h].slug, grade_of(q, &r->items[h]));
    printf("\n");
}

/* Score one query in every ranking asked for, into its kind's rows and the
 * overall rows (by half, and both halves). */
static bool score_query(totals *rows, size_t *n_rows, const eval_run *run, const query_case *q)
{
    const char *halves[] = {q->half[0] ? q->half : "all", "all"};
    totals *targets[4] = {row_for(rows, n_rows, q->kind, halves[0]),
                          row_for(rows, n_rows, q->kind, halves[1]),
                          row_for(rows, n_rows, "all", halves[0]),
                          row_for(rows, n_rows, "all", halves[1])};
    size_t n_targets = strcmp(halves[0], "all") == 0 ? 2 : 4;
    for (int k = 0; k < RANK_COUNT; k++) {
        if (!run->use[k])
            continue;
        ranking r;
        if (!rank(&r, run, q, k, DEPTH))
            return false;
        double ndcg, rr;
        score(q, &r, &ndcg, &rr);
        if (run->verbose)
            print_verbose(q, k, &r, ndcg, rr);
        ranking_free(&r);
        for (size_t t = 0; t < n_targets; t++)
            targets[t]->ndcg[k] += ndcg, targets[t]->rr[k] += rr;
    }
    for (size_t t = 0; t < n_targets; t++)
        targets[t]->n++;
    return true;
}

static void print_table(const totals *rows, size_t n_rows, const eval_run *run)
{
    printf("%-11s %-4s %4s", "kind", "half", "n");
    for (int k = 0; k < RANK_COUNT; k++)
        if (run->use[k])
            printf("  %-11s nDCG@10 MRR@10", ranking_names[k]);
    printf("\n");
    for (size_t i = 0; i < n_rows; i++) {
        const totals *t = &rows[i];
        printf("%-11s %-4s %4u", t->kind, t->half, t->n);
        for (int k = 0; k < RANK_COUNT; k++)
            if (run->use[k])
                printf("  %-11s %7.3f %6.3f", "", t->ndcg[k] / t->n, t->rr[k] / t->n);
        printf("\n");
    }
}

static int by_kind_then_half(const void *a, const void *b)
{
    const totals *x = a, *y = b;
    int all_x = strcmp(x->kind, "all") == 0, all_y = strcmp(y->kind, "all") == 0;
    if (all_x != all_y)
        return all_x - all_y;
    int c = strcmp(x->kind, y->kind);
    return c ? c : strcmp(x->half, y->half);
}

/* Run every judged query of the chosen half and print the table; the rows in
 * *out (kind "all", half "all" is the overall row). */
static bool evaluate(totals **out, size_t *n_out, const eval_run *run, query_case *cases,
                     size_t n_cases)
{
    totals *rows = xcalloc(2 * n_cases + 4, sizeof *rows);
    size_t n_rows = 0;
    for (size_t i = 0; i < n_cases; i++) {
        if (run->half && strcmp(cases[i].half, run->half) != 0)
            continue;
        if (!score_query(rows, &n_rows, run, &cases[i])) {
            free(rows);
            return false;
        }
    }
    qsort(rows, n_rows, sizeof *rows, by_kind_then_half);
    print_table(rows, n_rows, run);
    *out = rows, *n_out = n_rows;
    return true;
}

static int by_url(const void *a, const void *b)
{
    return strcmp(((const ranked *)a)->url, ((const ranked *)b)->url);
}

static void print_field(const char *s)
{
    for (; s && *s; s++)
        putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* The union of one query's top n in every ranking, by URL, one line each. */
static bool pool_query(const eval_run *run, const query_case *q, unsigned n)
{
    ranking all = {0};
    for (int k = 0; k < RANK_COUNT; k++) {
        ranking r;
        if (!rank(&r, run, q, k, n))
            return false;
        all.items = xrealloc(all.items, (all.n + r.n + 1) * sizeof *all.items);
        memcpy(all.items + all.n, r.items, r.n * sizeof *r.items);
        all.n += r.n;
        free(r.items);
    }
    qsort(all.items, all.n, sizeof *all.items, by_url);
    for (size_t i = 0; i < all.n; i++) {
        ranked *p = &all.items[i];
        if (i && strcmp(p->url, all.items[i - 1].url) == 0)
            continue;
        const char *f[] = {q->query, p->url, p->title, p->date, p->authors, p->excerpt};
        for (size_t j = 0; j < 6; j++) {
            if (j)
                putchar('\t');
            print_field(f[j]);
        }
        putchar('\n');
    }
    ranking_free(&all);
    return true;
}

/* One query's first n URL paths in loomsearch's ranking, one line each. */
static bool print_urls(const eval_run *run, const query_case *q, unsigned n)
{
    ranking r;
    if (!rank(&r, run, q, RANK_LOOMSEARCH, n))
        return false;
    for (size_t i = 0; i < r.n; i++) {
        print_field(q->query);
        printf("\t%zu\t", i + 1);
        print_field(r.items[i].url);
        putchar('\n');
    }
    ranking_free(&r);
    return true;
}

static void free_cases(query_case *cases, size_t n_cases)
{
    for (size_t i = 0; i < n_cases; i++) {
        for (size_t j = 0; j < cases[i].n; j++)
            free(cases[i].judged[j].key);
        free(cases[i].judged);
        free(cases[i].half), free(cases[i].kind), free(cases[i].query);
    }
    free(cases);
}

typedef struct eval_options {
    const char *root, *judgments;
    double min_ndcg, min_mrr, beat_anchor, kind_slack;
    bool gate_anchor, gate_kinds;
    unsigned pool, print_urls;
} eval_options;

/* Parse argv into *o and *run; 0 to go on, else the exit code. */
static int parse_args(eval_options *o, eval_run *run, int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},        {"judgments", required_argument, NULL, 'j'},
        {"recency", required_argument, NULL, 'r'},   {"min-ndcg", required_argument, NULL, 'n'},
        {"min-mrr", required_argument, NULL, 'm'},   {"verbose", no_argument, NULL, 'v'},
        {"half", required_argument, NULL, 'H'},      {"anchor", no_argument, NULL, 'a'},
        {"beat-anchor", required_argument, NULL, 'b'}, {"kind-slack", required_argument, NULL, 'k'},
        {"pool", required_argument, NULL, 'p'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},         {"print-urls", required_argument, NULL, 'u'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': o->root = optarg; break;
        case 'j': o->judgments = optarg; break;
        case 'r': run->cfg.recency = atof(optarg); break;
        case 'n': o->min_ndcg = atof(optarg); break;
        case 'm': o->min_mrr = atof(optarg); break;
        case 'v': run->verbose = true; break;
        case 'H': run->half = optarg; break;
        case 'a': run->use[RANK_BM25] = run->use[RANK_BM25_PHRASE] = true; break;
        case 'b': o->beat_anchor = atof(optarg), o->gate_anchor = true; break;
        case 'k': o->kind_slack = atof(optarg), o->gate_kinds = true; break;
        case 'p': o->pool = (unsigned)atoi(optarg); break;
        case 'u': o->print_urls = (unsigned)atoi(optarg); break;
        case 'h': usage(stdout); return -1;
        case 'V': printf("loomsearch-eval %s\n", LOOM_VERSION); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (!o->root || !o->judgments || (run->half && !is_half(run->half))) {
        usage(stderr);
        return 2;
    }
    if (o->gate_anchor || o->gate_kinds || o->pool)
        run->use[RANK_BM25] = run->use[RANK_BM25_PHRASE] = true;
    return 0;
}

/* The gates on the overall row and, against BM25, on every kind's row. */
static bool passes(const totals *rows, size_t n_rows, const eval_options *o)
{
    bool ok = true;
    for (size_t i = 0; i < n_rows; i++) {
        const totals *t = &rows[i];
        if (strcmp(t->half, "all") != 0)
            continue;
        double ours = t->ndcg[RANK_LOOMSEARCH] / t->n, bm25 = t->ndcg[RANK_BM25] / t->n;
        bool overall = strcmp(t->kind, "all") == 0;
        if (overall && (ours < o->min_ndcg || t->rr[RANK_LOOMSEARCH] / t->n < o->min_mrr)) {
            fprintf(stderr, "loomsearch-eval: below the recorded level (nDCG@10 %.3f, MRR %.3f)\n",
                    ours, t->rr[RANK_LOOMSEARCH] / t->n);
            ok = false;
        }
        if (overall && o->gate_anchor && ours < bm25 + o->beat_anchor) {
            fprintf(stderr, "loomsearch-eval: nDCG@10 %.3f is not %.3f above BM25's %.3f\n", ours,
                    o->beat_anchor, bm25);
            ok = false;
        }
        if (!overall && o->gate_kinds && ours < bm25 - o->kind_slack) {
            fprintf(stderr, "loomsearch-eval: kind %s: nDCG@10 %.3f is more than %.3f below BM25's %.3f\n",
                    t->kind, ours, o->kind_slack, bm25);
            ok = false;
        }
    }
    return ok;
}

/* Open the index and, when a ranking needs it, the anchor over it. */
static bool open_index(eval_run *run, const char *root)
{
    char *path;
    xap_error err;
    if (indexroot_current(&path, NULL, root) != 0 || xap_db_open(&run->db, path, &err) != XAP_OK) {
        fprintf(stderr, "loomsearch-eval: cannot open the index under %s\n", root);
        return false;
    }
    char message[256];
    if (run->use[RANK_BM25] && !(run->plain = anchor_open(path, message)))
        fprintf(stderr, "loomsearch-eval: BM25 over %s: %s\n", path, message);
    free(path);
    return !run->use[RANK_BM25] || run->plain;
}

int main(int argc, char **argv)
{
    eval_options o = {0};
    eval_run run = {.cfg = {.permalink = "/{slug}/", .snippet_bytes = 240, .max_expansion = 100,
                            .recency = 0.01},
                    .use = {[RANK_LOOMSEARCH] = true}};
    int rc = parse_args(&o, &run, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    size_t n_cases;
    query_case *cases = read_judgments(o.judgments, &n_cases);
    if (!cases) {
        fprintf(stderr, "loomsearch-eval: cannot read %s\n", o.judgments);
        return 1;
    }
    bool ok = open_index(&run, o.root);
    totals *rows = NULL;
    size_t n_rows = 0;
    for (size_t i = 0; ok && o.pool && i < n_cases; i++)
        ok = pool_query(&run, &cases[i], o.pool);
    for (size_t i = 0; ok && o.print_urls && !o.pool && i < n_cases; i++)
        ok = print_urls(&run, &cases[i], o.print_urls);
    if (ok && !o.pool && !o.print_urls)
        ok = evaluate(&rows, &n_rows, &run, cases, n_cases) && passes(rows, n_rows, &o);
    free(rows);
    anchor_free(run.plain);
    xap_db_close(run.db);
    free_cases(cases, n_cases);
    return ok ? 0 : 1;
}
