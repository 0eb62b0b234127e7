/* cache.c — recent answers, shared by the worker threads.
 *
 * A search's answer is fixed by the build and revision it was read from and by
 * the request once normalised, so that string is the key, and a new revision
 * simply stops matching the old entries (no invalidation to get wrong). A fixed
 * number of slots in pairs (two-way set-associative): a key may live in either
 * slot of its pair, and a new answer replaces the one used least recently.
 * Memory is bounded: --cache slots, each answer at most CACHE_MAX_BODY bytes.
 * One mutex: what it guards is a hash compare and a copy. */
#include "cache.h"

#include "text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CACHE_MAX_BODY (64 * 1024) /* larger answers are not kept */

typedef struct slot {
    uint64_t hash;
    char *key;
    char *body;
    size_t len;
    cache_note note;
    unsigned long used; /* the tick of its last use */
} slot;

static slot *slots;
static size_t n_pairs;
static unsigned long tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong hits, misses;

void cache_init(size_t entries)
{
    n_pairs = entries / 2;
    slots = NULL;
    if (!n_pairs)
        return;
    slots = xmalloc(n_pairs * 2 * sizeof *slots);
    for (size_t i = 0; i < n_pairs * 2; i++)
        slots[i] = (slot){0};
}

static void slot_clear(slot *s)
{
    free(s->key);
    free(s->body);
    free(s->note.corrected);
    *s = (slot){0};
}

void cache_free(void)
{
    for (size_t i = 0; i < n_pairs * 2; i++)
        slot_clear(&slots[i]);
    free(slots);
    slots = NULL;
    n_pairs = 0;
}

static slot *pair_of(uint64_t hash)
{
    return &slots[(hash % n_pairs) * 2];
}

bool cache_get(const char *key, char **body, size_t *len, cache_note *note)
{
    if (!n_pairs)
        return false;
    uint64_t hash = XXH3_64bits(key, strlen(key));
    bool found = false;
    pthread_mutex_lock(&lock);
    slot *pair = pair_of(hash);
    for (int i = 0; i < 2 && !found; i++) {
        slot *s = &pair[i];
        if (s->key && s->hash == hash && strcmp(s->key, key) == 0) {
            s->used = ++tick;
            *body = xmalloc(s->len + 1);
            memcpy(*body, s->body, s->len + 1);
            *len = s->len;
            *note = (cache_note){.total = s->note.total,
                                 .corrected = s->note.corrected ? xstrdup(s->note.corrected) : NULL};
            found = true;
        }
    }
    pthread_mutex_unlock(&lock);
    atomic_fetch_add(found ? &hits : &misses, 1);
    return found;
}

void cache_put(const char *key, const char *body, size_t len, const cache_note *note)
{
    if (!n_pairs || len > CACHE_MAX_BODY)
        return;
    uint64_t hash = XXH3_64bits(key, strlen(key));
    /* Copies made outside the lock. */
    slot fresh = {.hash = hash, .key = xstrdup(key), .body = xmalloc(len + 1), .len = len,
                  .note = {.total = note->total,
                           .corrected = note->corrected ? xstrdup(note->corrected) : NULL}};
    memcpy(fresh.body, body, len);
    fresh.body[len] = '\0';
    slot old;
    pthread_mutex_lock(&lock);
    slot *pair = pair_of(hash);
    slot *victim = pair[0].used <= pair[1].used ? &pair[0] : &pair[1];
    for (int i = 0; i < 2; i++) /* another thread may have put the same answer */
        if (pair[i].key && pair[i].hash == hash && strcmp(pair[i].key, key) == 0)
            victim = &pair[i];
    old = *victim;
    fresh.used = ++tick;
    *victim = fresh;
    pthread_mutex_unlock(&lock);
    slot_clear(&old);
}

void cache_counts(unsigned long *hit_count, unsigned long *miss_count)
{
    *hit_count = atomic_load(&hits);
    *miss_count = atomic_load(&misses);
}
