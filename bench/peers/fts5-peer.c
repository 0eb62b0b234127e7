/* fts5-peer - the same job as xapian-peer, with SQLite's FTS5.
 *
 *   fts5-peer index CORPUS_DIR DB_FILE [--optimize]
 *   fts5-peer query DB_FILE QUERIES_FILE [--repeat R] [--no-snippet]
 *
 * DB_FILE is replaced by "index".  The table is
 *   posts(slug UNINDEXED, title, body, tokenize = 'porter unicode61')
 * filled in one transaction.  --optimize merges FTS5's segments afterwards
 * (roughly what a Xapian compaction does); it is off by default.
 */
#define _POSIX_C_SOURCE 200809L
#include "frontmatter.h"

#include <sqlite3.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: fts5-peer index CORPUS_DIR DB_FILE [--optimize]\n"
    "       fts5-peer query DB_FILE QUERIES_FILE [--repeat R] [--no-snippet]\n";

static void usage(void)
{
    fputs(USAGE, stderr);
    exit(2);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5-peer: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fts5-peer: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

/* ---- index ------------------------------------------------------------- */

static int cmd_index(int argc, char **argv)
{
    if (argc < 4)
        usage();
    int optimize = 0;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--optimize") == 0)
            optimize = 1;
        else
            usage();
    }
    const char *corpus = argv[2], *file = argv[3];

    double start = now_seconds();
    char **paths;
    long npaths = find_posts(corpus, &paths);
    if (npaths < 0) {
        fprintf(stderr, "fts5-peer: cannot read %s: %s\n", corpus, strerror(errno));
        return 1;
    }
    if (unlink(file) != 0 && errno != ENOENT) {
        fprintf(stderr, "fts5-peer: cannot replace %s: %s\n", file, strerror(errno));
        return 1;
    }
    sqlite3 *db;
    if (sqlite3_open(file, &db) != SQLITE_OK)
        die_db(db, file);
    exec(db, "CREATE VIRTUAL TABLE posts USING fts5("
             "slug UNINDEXED, title, body, tokenize = 'porter unicode61')");
    exec(db, "BEGIN");
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(db, "INSERT INTO posts(slug, title, body) VALUES (?1, ?2, ?3)",
                           -1, &ins, NULL) != SQLITE_OK)
        die_db(db, "prepare insert");
    long n = 0;
    for (long i = 0; i < npaths; i++) {
        struct post p;
        int rc = post_read(paths[i], &p);
        if (rc != 0) {
            fprintf(stderr, "fts5-peer: skipping %s: %s\n", paths[i],
                    rc < 0 ? strerror(errno) : "no front matter");
        } else if (!p.draft && *p.slug) {
            /* SQLITE_STATIC: the strings live until post_free, after step. */
            sqlite3_bind_text(ins, 1, p.slug, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 2, p.title, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, p.body, (int)p.body_len, SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE)
                die_db(db, "insert");
            sqlite3_reset(ins);
            n++;
        }
        post_free(&p);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT");
    if (optimize)
        exec(db, "INSERT INTO posts(posts) VALUES ('optimize')");
    if (sqlite3_close(db) != SQLITE_OK)
        die_db(db, "close");
    paths_free(paths, npaths);
    printf("posts=%ld seconds=%.3f\n", n, now_seconds() - start);
    return 0;
}

/* ---- query ------------------------------------------------------------- */

/* Our query language -> FTS5 MATCH syntax.  Bare words become "word" (so
 * FTS5 operators and punctuation are taken literally), word* becomes
 * "word"*, a "quoted phrase" stays a phrase; FTS5 ANDs them implicitly.
 * A double quote inside a string is doubled, as FTS5 requires. */
static void translate(const char *q, char *out, size_t cap)
{
    size_t w = 0;
#define PUT(ch) do { if (w + 1 < cap) out[w++] = (ch); } while (0)
    const char *c = q;
    while (*c) {
        while (*c == ' ' || *c == '\t')
            c++;
        if (!*c)
            break;
        if (w)
            PUT(' ');
        PUT('"');
        if (*c == '"') {                       /* phrase: up to the next quote */
            for (c++; *c && *c != '"'; c++)
                PUT(*c);
            if (*c)
                c++;
            PUT('"');
            continue;
        }
        const char *end = c;
        while (*end && *end != ' ' && *end != '\t')
            end++;
        int prefix = end - c > 1 && end[-1] == '*';
        for (; c < end - prefix; c++) {
            if (*c == '"')
                PUT('"');
            PUT(*c);
        }
        c = end;
        PUT('"');
        if (prefix)
            PUT('*');
    }
#undef PUT
    out[w] = '\0';
}

struct query_context {
    sqlite3_stmt *stmt;
    int snippets;
    char match[4096];
    char *out;               /* the rendered result lines for one query */
    size_t out_len, out_cap;
    uint64_t checksum;
};

static void append(struct query_context *ctx, const char *s, size_t n)
{
    if (ctx->out_len + n + 1 > ctx->out_cap) {
        size_t cap = ctx->out_cap ? ctx->out_cap : 4096;
        while (ctx->out_len + n + 1 > cap)
            cap *= 2;
        char *bigger = realloc(ctx->out, cap);
        if (!bigger) {
            fputs("fts5-peer: out of memory\n", stderr);
            exit(1);
        }
        ctx->out = bigger;
        ctx->out_cap = cap;
    }
    memcpy(ctx->out + ctx->out_len, s, n);
    ctx->out_len += n;
}

/* Append column COL of the current row as the inside of a JSON string. */
static void append_column(struct query_context *ctx, int col)
{
    const unsigned char *s = sqlite3_column_text(ctx->stmt, col);
    int n = sqlite3_column_bytes(ctx->stmt, col);
    if (!s)
        return;
    int from = 0;
    for (int i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        append(ctx, (const char *)s + from, (size_t)(i - from));
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            strcpy(esc, "\\n");
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        append(ctx, esc, strlen(esc));
        from = i + 1;
    }
    append(ctx, (const char *)s + from, (size_t)(n - from));
}

/* All the work for one query: translate, run, fetch the top 10 with
 * snippets and render.  Out of line so callgrind --toggle-collect can
 * isolate it.  *rows gets the number of rows returned (at most 10): FTS5
 * gives no cheap estimate of the total matches, so unlike xapian-peer's
 * "matches_estimated" this column is capped at 10. */
__attribute__((noinline)) void bench_one_query(struct query_context *ctx, const char *query,
                                               unsigned *rows);
__attribute__((noinline)) void bench_one_query(struct query_context *ctx, const char *query,
                                               unsigned *rows)
{
    ctx->out_len = 0;
    *rows = 0;
    translate(query, ctx->match, sizeof ctx->match);
    if (!ctx->match[0])
        return;
    sqlite3_bind_text(ctx->stmt, 1, ctx->match, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(ctx->stmt)) == SQLITE_ROW) {
        append(ctx, "{\"id\":\"", 7);
        append_column(ctx, 0);
        append(ctx, "\",\"title\":\"", 11);
        append_column(ctx, 1);
        if (ctx->snippets) {
            append(ctx, "\",\"snippet\":\"", 13);
            append_column(ctx, 2);
        }
        append(ctx, "\"}\n", 3);
        (*rows)++;
    }
    /* A malformed MATCH string is an error here; count it as no matches. */
    (void)rc;
    sqlite3_reset(ctx->stmt);
    sqlite3_clear_bindings(ctx->stmt);
    uint64_t h = ctx->checksum;              /* FNV-1a over the output */
    for (size_t i = 0; i < ctx->out_len; i++)
        h = (h ^ (unsigned char)ctx->out[i]) * 1099511628211ull;
    ctx->checksum = h;
}

static char **read_queries(const char *file, long *n)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "fts5-peer: cannot read %s: %s\n", file, strerror(errno));
        exit(1);
    }
    char **v = NULL;
    long cap = 0;
    *n = 0;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        while (len > 0 && strchr("\r\n \t", line[len - 1]))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            v = realloc(v, (size_t)cap * sizeof *v);
            if (!v) {
                fputs("fts5-peer: out of memory\n", stderr);
                exit(1);
            }
        }
        v[(*n)++] = strdup(line);
    }
    free(line);
    fclose(f);
    return v;
}

static int cmd_query(int argc, char **argv)
{
    if (argc < 4)
        usage();
    long repeat = 1;
    struct query_context ctx = {.snippets = 1};
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            char *end;
            repeat = strtol(argv[++i], &end, 10);
            if (*end || repeat <= 0)
                usage();
        } else if (strcmp(argv[i], "--no-snippet") == 0) {
            ctx.snippets = 0;
        } else {
            usage();
        }
    }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die_db(db, argv[2]);
    const char *sql = ctx.snippets
        ? "SELECT slug, title, snippet(posts, 2, '<mark>', '</mark>', '\xe2\x80\xa6', 24) "
          "FROM posts WHERE posts MATCH ?1 ORDER BY bm25(posts, 0, 5.0, 1.0) LIMIT 10"
        : "SELECT slug, title "
          "FROM posts WHERE posts MATCH ?1 ORDER BY bm25(posts, 0, 5.0, 1.0) LIMIT 10";
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ctx.stmt, NULL) != SQLITE_OK)
        die_db(db, "prepare query");

    long nq;
    char **queries = read_queries(argv[3], &nq);
    unsigned rows;
    for (long i = 0; i < nq; i++)            /* warm-up, untimed */
        bench_one_query(&ctx, queries[i], &rows);
    for (long r = 0; r < repeat; r++) {
        for (long i = 0; i < nq; i++) {
            double t0 = now_seconds();
            bench_one_query(&ctx, queries[i], &rows);
            double t1 = now_seconds();
            printf("%.0f\t%u\t%s\n", (t1 - t0) * 1e6, rows, queries[i]);
        }
    }
    fprintf(stderr, "checksum=%016llx\n", (unsigned long long)ctx.checksum);
    sqlite3_finalize(ctx.stmt);
    sqlite3_close(db);
    for (long i = 0; i < nq; i++)
        free(queries[i]);
    free(queries);
    free(ctx.out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    if (strcmp(argv[1], "index") == 0)
        return cmd_index(argc, argv);
    if (strcmp(argv[1], "query") == 0)
        return cmd_query(argc, argv);
    usage();
    return 2;
}
