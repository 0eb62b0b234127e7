/* source.c — what every source shares: its item list (see source.h). */
#include "source.h"

#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void source_close(source *s)
{
    if (s)
        s->ops->close(s);
}

void source_list_add(source_list *l, const char *id, const char *where, long long size,
                     const char *mtime)
{
    l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    source_item *it = &l->items[l->n++];
    *it = (source_item){.id = xstrdup(id), .where = xstrdup(where), .size = size};
    snprintf(it->mtime, sizeof it->mtime, "%s", mtime);
}

static int compare_id(const void *a, const void *b)
{
    return strcmp(((const source_item *)a)->id, ((const source_item *)b)->id);
}

void source_list_sort(source_list *l)
{
    if (l->n > 1) /* qsort may not be given NULL, even for nothing */
        qsort(l->items, l->n, sizeof *l->items, compare_id);
}

const source_item *source_find(const source_list *l, const char *id)
{
    if (l->n == 0)
        return NULL;
    source_item key = {.id = (char *)id};
    return bsearch(&key, l->items, l->n, sizeof *l->items, compare_id);
}

static void item_free(source_item *it)
{
    free(it->id);
    free(it->where);
}

void source_list_filter(source_list *l, bool (*keep)(void *ctx, const source_item *item),
                        void *ctx)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (keep(ctx, &l->items[i]))
            l->items[kept++] = l->items[i];
        else
            item_free(&l->items[i]);
    }
    l->n = kept; /* still sorted */
}

void source_list_free(source_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        item_free(&l->items[i]);
    free(l->items);
    *l = (source_list){0};
}

typedef struct partition {
    unsigned index, count;
} partition;

static bool in_partition(void *ctx, const source_item *item)
{
    const partition *p = ctx;
    return hash_bucket(item->id, p->count) == p->index;
}

void source_list_keep_partition(source_list *l, unsigned index, unsigned count)
{
    partition p = {index, count};
    source_list_filter(l, in_partition, &p);
}
