/* report.c — loomsearch-report: what people search for, from the server's
 * query log (--query-log): the most frequent queries, and the most frequent
 * ones that found nothing — the posts staff might write, or the synonyms to add. */
#include "text.h"
#include "version.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally {
    char *query;
    unsigned long searches, empty;
} tally;

static int by_searches(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return x->searches < y->searches ? 1 : x->searches > y->searches ? -1 : strcmp(x->query, y->query);
}

static int by_empty(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    return x->empty < y->empty ? 1 : x->empty > y->empty ? -1 : strcmp(x->query, y->query);
}

/* Queries that differ only in case and spacing are one query. */
static char *normalise(const char *q)
{
    char *folded = casefold(q);
    strbuf sb = {0};
    for (const char *p = folded; *p; p++)
        if (*p != ' ' || (sb.len && sb.data[sb.len - 1] != ' '))
            sb_putc(&sb, *p);
    if (sb.len && sb.data[sb.len - 1] == ' ')
        sb.data[--sb.len] = '\0';
    free(folded);
    return sb_take(&sb);
}

static void read_log(FILE *f, strmap *seen, tally **all, size_t *n, unsigned long *lines,
                     unsigned long *bad)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        const char *q = json_string_value(json_object_get(o, "q"));
        if (!q) {
            (*bad)++;
            json_decref(o);
            continue;
        }
        (*lines)++;
        char *key = normalise(q);
        size_t *slot = map_get(seen, key);
        if (!slot) {
            *all = xrealloc(*all, (*n + 1) * sizeof **all);
            (*all)[*n] = (tally){.query = xstrdup(key)};
            slot = xmalloc(sizeof *slot);
            *slot = (*n)++;
            map_put(seen, key, slot);
        }
        tally *t = &(*all)[*slot];
        t->searches++;
        if (json_integer_value(json_object_get(o, "hits")) == 0)
            t->empty++;
        free(key);
        json_decref(o);
    }
    free(line);
}

int main(int argc, char **argv)
{
    int top = 20, first = 1;
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: loomsearch-report [--top N] [QUERY_LOG...]\n\n"
             "The most frequent searches, and the most frequent that found nothing,\n"
             "from loomsearch-serve's --query-log files (standard input without one).");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("loomsearch-report %s\n", LOOM_VERSION);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--top") == 0) {
        top = atoi(argv[2]);
        first = 3;
        if (top < 1) {
            fprintf(stderr, "loomsearch-report: --top wants a number from 1\n");
            return 2;
        }
    }
    strmap seen = {0};
    tally *all = NULL;
    size_t n = 0;
    unsigned long lines = 0, bad = 0;
    if (first >= argc)
        read_log(stdin, &seen, &all, &n, &lines, &bad);
    for (int i = first; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "loomsearch-report: cannot read %s\n", argv[i]);
            return 1;
        }
        read_log(f, &seen, &all, &n, &lines, &bad);
        fclose(f);
    }
    printf("%lu searches, %zu different queries%s\n", lines, n, bad ? " (some lines unreadable)" : "");
    if (n)
        qsort(all, n, sizeof *all, by_searches);
    printf("\nMost searched:\n");
    for (size_t i = 0; i < n && (int)i < top; i++)
        printf("%6lu  %s\n", all[i].searches, all[i].query);
    if (n)
        qsort(all, n, sizeof *all, by_empty);
    printf("\nFound nothing:\n");
    for (size_t i = 0; i < n && (int)i < top && all[i].empty; i++)
        printf("%6lu  %s\n", all[i].empty, all[i].query);
    for (size_t i = 0; i < seen.cap; i++)
        free(seen.values[i]);
    map_free(&seen);
    for (size_t i = 0; i < n; i++)
        free(all[i].query);
    free(all);
    return 0;
}
