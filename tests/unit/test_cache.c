/* test_cache.c — the server's answer cache (server/cache.c): what is kept and
 * handed back, what is evicted from a two-way set, keys that share a set, no
 * cache at all, and the hit and miss counts /metrics reports. Most of it is a
 * table of scripts: puts and gets, and what each get must find. */
#include "cache.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef enum step_kind { END, PUT, HIT, MISS } step_kind;

/* PUT key body; HIT key body: the get finds body; MISS key: the get finds nothing. */
typedef struct step {
    step_kind kind;
    const char *key, *body;
} step;

static const struct {
    const char *name;
    size_t entries;
    step steps[10];
} scripts[] = {
    {"an answer put comes back", 4, {{PUT, "a", "answer a"}, {HIT, "a", "answer a"}}},
    {"a key never put misses", 4, {{MISS, "a", NULL}, {PUT, "a", "answer a"}, {MISS, "b", NULL}}},
    {"zero entries: no cache", 0, {{PUT, "a", "answer a"}, {MISS, "a", NULL}}},
    {"one entry: no cache (slots come in pairs)", 1, {{PUT, "a", "answer a"}, {MISS, "a", NULL}}},
    {"a set holds two keys", 2,
     {{PUT, "a", "answer a"}, {PUT, "b", "answer b"}, {HIT, "a", "answer a"}, {HIT, "b", "answer b"}}},
    {"the older put is evicted first", 2,
     {{PUT, "a", "answer a"}, {PUT, "b", "answer b"}, {PUT, "c", "answer c"}, {MISS, "a", NULL},
      {HIT, "b", "answer b"}, {HIT, "c", "answer c"}}},
    {"a get makes an answer recent: the other is evicted", 2,
     {{PUT, "a", "answer a"}, {PUT, "b", "answer b"}, {HIT, "a", "answer a"}, {PUT, "c", "answer c"},
      {HIT, "a", "answer a"}, {MISS, "b", NULL}, {HIT, "c", "answer c"}}},
    {"a key put again replaces its answer, not its neighbour", 2,
     {{PUT, "a", "first"}, {PUT, "b", "answer b"}, {PUT, "a", "second"}, {HIT, "a", "second"},
      {HIT, "b", "answer b"}}},
    {"keys in one set are compared whole", 2,
     {{PUT, "abc", "answer abc"}, {MISS, "ab", NULL}, {MISS, "abcd", NULL}, {MISS, "ABC", NULL},
      {HIT, "abc", "answer abc"}}},
    {"an empty answer is an answer", 4, {{PUT, "a", ""}, {HIT, "a", ""}}},
};

static void run_script(size_t i)
{
    unsigned long hits0, misses0, hits, misses, want_hits = 0, want_misses = 0;
    cache_counts(&hits0, &misses0);
    cache_init(scripts[i].entries);
    for (const step *s = scripts[i].steps; s->kind != END; s++) {
        cache_note note = {.total = 7};
        char *body = NULL;
        size_t len = 0;
        if (s->kind == PUT) {
            cache_put(s->key, s->body, strlen(s->body), &note);
            continue;
        }
        bool found = cache_get(s->key, &body, &len, &note);
        if (found != (s->kind == HIT))
            fail_msg("%s: get %s %s", scripts[i].name, s->key, found ? "found an answer" : "missed");
        if (found) {
            assert_int_equal(len, strlen(s->body));
            assert_string_equal(body, s->body);
            assert_int_equal(note.total, 7);
            assert_null(note.corrected);
            want_hits++;
        } else if (scripts[i].entries >= 2) { /* with no cache, nothing is counted */
            want_misses++;
        }
        free(body);
    }
    cache_free();
    cache_counts(&hits, &misses);
    assert_int_equal(hits - hits0, want_hits);
    assert_int_equal(misses - misses0, want_misses);
}

static void scripted(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        run_script(i);
}

/* n keys "key-N" that fall in pair `pair` of a cache of n_pairs pairs (the
 * cache's own placement: XXH3 of the key, modulo the pairs). */
static void keys_in_pair(char keys[][16], size_t n, size_t pair, size_t n_pairs)
{
    size_t found = 0;
    for (unsigned k = 0; found < n; k++) {
        char key[16];
        snprintf(key, sizeof key, "key-%u", k);
        if (XXH3_64bits(key, strlen(key)) % n_pairs == pair)
            memcpy(keys[found++], key, sizeof key);
    }
}

static bool kept(const char *key)
{
    char *body;
    size_t len;
    cache_note note;
    if (!cache_get(key, &body, &len, &note))
        return false;
    free(body);
    free(note.corrected);
    return true;
}

/* A third key evicts from its own pair only: the other pairs keep theirs. */
static void eviction_stays_in_its_set(void **state)
{
    (void)state;
    enum { PAIRS = 8 };
    char same[3][16], other[2][16];
    keys_in_pair(same, 3, 5, PAIRS);
    keys_in_pair(other, 2, 2, PAIRS);
    cache_init(PAIRS * 2);
    const cache_note note = {0};
    cache_put(other[0], "x", 1, &note);
    cache_put(other[1], "y", 1, &note);
    for (int i = 0; i < 3; i++)
        cache_put(same[i], "z", 1, &note);
    assert_false(kept(same[0]));
    assert_true(kept(same[1]));
    assert_true(kept(same[2]));
    assert_true(kept(other[0]));
    assert_true(kept(other[1]));
    cache_free();
}

/* The note comes back as a copy the caller frees; the answer is copied in and
 * out, so the caller's buffers are its own. */
static void answers_and_notes_are_copies(void **state)
{
    (void)state;
    cache_init(4);
    char body[] = "{\"results\":[]}", corrected[] = "transport";
    cache_put("q", body, strlen(body), &(cache_note){.total = 42, .corrected = corrected});
    body[0] = corrected[0] = '#';
    char *got;
    size_t len;
    cache_note note;
    assert_true(cache_get("q", &got, &len, &note));
    assert_string_equal(got, "{\"results\":[]}");
    assert_int_equal(note.total, 42);
    assert_string_equal(note.corrected, "transport");
    free(got);
    free(note.corrected);
    cache_free();
}

/* Answers over 64 KB are not kept; one at the limit is. */
static void large_answers_are_not_kept(void **state)
{
    (void)state;
    enum { LIMIT = 64 * 1024 };
    char *big = malloc(LIMIT + 2);
    memset(big, 'x', LIMIT + 1);
    big[LIMIT + 1] = '\0';
    cache_init(4);
    const cache_note note = {0};
    cache_put("over", big, LIMIT + 1, &note);
    cache_put("at", big, LIMIT, &note);
    assert_false(kept("over"));
    char *got;
    size_t len;
    cache_note back;
    assert_true(cache_get("at", &got, &len, &back));
    assert_int_equal(len, LIMIT);
    assert_int_equal(strlen(got), LIMIT);
    free(got);
    cache_free();
    free(big);
}

/* After cache_free() nothing is kept, and the cache can be made again. */
static void free_then_init_again(void **state)
{
    (void)state;
    const cache_note note = {0};
    cache_init(4);
    cache_put("a", "answer", 6, &note);
    cache_free();
    assert_false(kept("a"));
    cache_init(4);
    assert_false(kept("a"));
    cache_put("a", "answer", 6, &note);
    assert_true(kept("a"));
    cache_free();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scripted),
        cmocka_unit_test(eviction_stays_in_its_set),
        cmocka_unit_test(answers_and_notes_are_copies),
        cmocka_unit_test(large_answers_are_not_kept),
        cmocka_unit_test(free_then_init_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
