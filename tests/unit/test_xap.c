/* test_xap.c — the Xapian C wrapper (lib/xap.cc), against real databases on disk.
 *
 * Each error code the wrapper can be driven to here is reached: missing index ->
 * not_found, second writer -> locked, unknown id -> no_document, wildcard flood ->
 * limit, junk files -> io, overlong term -> invalid_argument. Not reached here:
 * modified (Glass reuses a reader's blocks only under a heavier write load than a
 * unit test makes: six rewrites of 3,000 documents left a reader untouched),
 * query (a query that does not parse is searched again as plain words, tested
 * below), network and timeout (remote shards), no_memory and internal. */
#include "testutil.h"
#include "schema.h"
#include "xap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

static void put_doc(xap_writer *w, const char *id, const char *title, const char *body)
{
    xap_doc *doc;
    xap_error err;
    assert_int_equal(xap_doc_new(&doc, w, &err), XAP_OK);
    assert_int_equal(xap_doc_index_text(doc, title, strlen(title), 5, "S", &err), XAP_OK);
    assert_int_equal(xap_doc_index_text(doc, title, strlen(title), 5, "", &err), XAP_OK);
    assert_int_equal(xap_doc_index_text(doc, body, strlen(body), 1, "", &err), XAP_OK);
    assert_int_equal(xap_doc_set_data(doc, body, strlen(body), &err), XAP_OK);
    assert_int_equal(xap_writer_put(w, id, doc, &err), XAP_OK);
    xap_doc_free(doc);
}

/* A database at dir/db with the given documents, committed. */
static const char *make_db(const char *dir)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/db", dir);
    xap_writer *w;
    xap_error err;
    assert_int_equal(xap_writer_open(&w, path, 0, &err), XAP_OK);
    put_doc(w, "looms", "Looms and algorithms", "Weaving machines changed Manchester for ever.");
    put_doc(w, "buses", "Bus data", "Timetables for buses <b>and</b> trams & more.");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    return path;
}

static xap_status run_query(xap_hits **out, xap_db *db, const char *text, xap_error *err)
{
    xap_query q = {.text = text, .text_len = strlen(text), .limit = 10, .max_expansion = 100};
    return xap_search(out, db, &q, err);
}

static void open_missing_is_not_found(void **state)
{
    (void)state;
    xap_db *db = (xap_db *)1;
    xap_error err;
    assert_int_equal(xap_db_open(&db, "/nonexistent/loomsearch/db", &err), XAP_ENOTFOUND);
    assert_null(db);
    assert_int_equal(err.code, XAP_ENOTFOUND);
    assert_non_null(strstr(err.message, "DatabaseNotFoundError"));
}

/* A synonym for a word longer than a term is left out, not refused at the
 * commit (which stopped a whole build over one unbroken Japanese sentence);
 * a short one still finds its word. */
static void accent_synonym_past_a_term_is_left_out(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    const char *path = make_db(dir);
    xap_writer *w;
    xap_error err;
    char word[300], folded[300];
    for (size_t i = 0; i < 130; i++)
        memcpy(word + 2 * i, "\xC3\xA9", 2), folded[i] = 'e'; /* é x 130: 260 bytes */
    word[260] = folded[130] = '\0';
    assert_int_equal(xap_writer_open(&w, path, 0, &err), XAP_OK);
    assert_int_equal(xap_writer_add_accent_synonym(w, word, folded, &err), XAP_OK);
    assert_int_equal(xap_writer_add_accent_synonym(w, "z\xC3\xBCrich", "zurich", &err), XAP_OK);
    put_doc(w, "zurich", "Z\xC3\xBCrich", "Trams in Z\xC3\xBCrich.");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *db;
    xap_hits *hits;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    xap_query q = {.text = "zurich", .text_len = 6, .limit = 10, .max_expansion = 100};
    assert_int_equal(xap_search(&hits, db, &q, &err), XAP_OK);
    assert_int_equal(xap_hits_count(hits), 1);
    xap_hits_free(hits);
    xap_db_close(db);
    scratch_remove(dir);
}

static void second_writer_is_locked(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    const char *path = make_db(dir);
    xap_writer *first, *second = NULL;
    xap_error err;
    assert_int_equal(xap_writer_open(&first, path, 0, &err), XAP_OK);
    assert_int_equal(xap_writer_open(&second, path, 0, &err), XAP_ELOCKED);
    assert_null(second);
    xap_writer_close(first);
    /* The lock goes with the writer. */
    assert_int_equal(xap_writer_open(&second, path, 0, &err), XAP_OK);
    xap_writer_close(second);
    scratch_remove(dir);
}

static void unknown_id_is_no_document(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_db *db;
    xap_error err;
    assert_int_equal(xap_db_open(&db, make_db(dir), &err), XAP_OK);
    char *data;
    size_t len;
    assert_int_equal(xap_db_document_data(&data, &len, db, "no-such-post", &err), XAP_ENODOC);
    assert_null(data);
    assert_int_equal(xap_db_document_data(&data, &len, db, "looms", &err), XAP_OK);
    assert_string_equal(data, "Weaving machines changed Manchester for ever.");
    free(data);
    xap_db_close(db);
    scratch_remove(dir);
}

/* A writer of a new database at dir/db, whose path goes to path. */
static xap_writer *new_writer(char *path, size_t size, const char *dir)
{
    snprintf(path, size, "%s/db", dir);
    xap_writer *w;
    xap_error err;
    assert_int_equal(xap_writer_open(&w, path, 0, &err), XAP_OK);
    return w;
}

static void wildcard_flood_is_limit(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    xap_error err;
    char body[4096] = "";
    for (int i = 0; i < 150; i++) /* 150 distinct words that start with "w" */
        snprintf(body + strlen(body), sizeof body - strlen(body), "w%dx ", i);
    put_doc(w, "flood", "many words", body);
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);

    xap_db *db;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    xap_hits *hits = NULL;
    assert_int_equal(run_query(&hits, db, "w*", &err), XAP_ELIMIT);
    assert_null(hits);
    assert_int_equal(run_query(&hits, db, "w14*", &err), XAP_OK); /* w14x, w140x..w149x */
    assert_int_equal(xap_hits_count(hits), 1);
    xap_hits_free(hits);
    xap_db_close(db);
    scratch_remove(dir);
}

static void junk_files_are_io(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    FILE *f = fopen(scratch_path(dir, "iamglass"), "w");
    assert_non_null(f);
    fputs("this is not a glass version file", f);
    fclose(f);
    xap_db *db;
    xap_error err;
    assert_int_equal(xap_db_open(&db, dir, &err), XAP_EIO);
    scratch_remove(dir);
}

static void overlong_term_is_invalid(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_writer *w;
    xap_error err;
    assert_int_equal(xap_writer_open(&w, scratch_path(dir, "db"), 0, &err), XAP_OK);
    char longword[300];
    memset(longword, 'x', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    xap_doc *doc;
    assert_int_equal(xap_doc_new(&doc, w, &err), XAP_OK);
    assert_int_equal(xap_doc_add_boolean(doc, "K", longword, &err), XAP_EINVAL);
    assert_int_equal(xap_writer_put(w, longword, doc, &err), XAP_EINVAL);
    xap_doc_free(doc);
    xap_writer_close(w);
    scratch_remove(dir);
}

/* The correction offered for text in the database at path, or "" . */
static char *correction_in(const char *path, const char *text)
{
    static char out[64];
    xap_db *db;
    xap_hits *hits;
    xap_error err;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    xap_query q = {.text = text, .text_len = strlen(text), .limit = 10, .max_expansion = 100,
                   .spelling = true};
    assert_int_equal(xap_search(&hits, db, &q, &err), XAP_OK);
    unsigned long total;
    const char *c = xap_hits_correction(hits, &total);
    snprintf(out, sizeof out, "%s", c ? c : "");
    xap_hits_free(hits);
    xap_db_close(db);
    return out;
}

/* Spelling entries come from each document as it is put, or, deferred, from
 * the whole database at once: the same corrections either way. */
static void spelling_per_post_or_deferred(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char paths[2][4096];
    snprintf(paths[0], sizeof paths[0], "%s", scratch_path(dir, "per-post"));
    snprintf(paths[1], sizeof paths[1], "%s", scratch_path(dir, "deferred"));
    for (int deferred = 0; deferred < 2; deferred++) {
        xap_writer *w;
        xap_error err;
        assert_int_equal(xap_writer_open(&w, paths[deferred], 0, &err), XAP_OK);
        if (deferred)
            assert_int_equal(xap_writer_defer_spelling(w), XAP_OK);
        put_doc(w, "looms", "Looms", "Weaving machines changed Manchester in 1850.");
        put_doc(w, "mills", "Mills", "Weaving sheds and spinning mills.");
        assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
        if (deferred) {
            assert_string_equal(correction_in(paths[deferred], "weavng"), "");
            assert_int_equal(xap_writer_spell_from_terms(w, &err), XAP_OK);
            assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
        }
        xap_writer_close(w);
        assert_string_equal(correction_in(paths[deferred], "weavng"), "weaving");
        assert_string_equal(correction_in(paths[deferred], "manchestr"), "manchester");
    }
    scratch_remove(dir);
}

static void transaction_is_all_or_nothing(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    const char *path = make_db(dir);
    xap_db *db;
    xap_db_stats stats;
    xap_error err;
    bool changed;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    xap_writer *w;
    assert_int_equal(xap_writer_open(&w, path, 0, &err), XAP_OK);
    assert_int_equal(xap_writer_begin(w, &err), XAP_OK);
    put_doc(w, "third", "Third post", "text");
    put_doc(w, "fourth", "Fourth post", "text");
    assert_int_equal(xap_writer_delete(w, "looms", &err), XAP_OK);
    assert_int_equal(xap_db_reopen(&changed, db, &err), XAP_OK);
    assert_int_equal(xap_db_stats_get(&stats, db, &err), XAP_OK);
    assert_int_equal(stats.doccount, 2); /* nothing visible before the commit */
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    assert_int_equal(xap_db_reopen(&changed, db, &err), XAP_OK);
    assert_true(changed);
    assert_int_equal(xap_db_stats_get(&stats, db, &err), XAP_OK);
    assert_int_equal(stats.doccount, 3);
    /* An abandoned transaction leaves nothing behind. */
    assert_int_equal(xap_writer_begin(w, &err), XAP_OK);
    put_doc(w, "fifth", "Fifth post", "text");
    xap_writer_close(w);
    assert_int_equal(xap_db_reopen(&changed, db, &err), XAP_OK);
    assert_int_equal(xap_db_stats_get(&stats, db, &err), XAP_OK);
    assert_int_equal(stats.doccount, 3);
    xap_db_close(db);
    scratch_remove(dir);
}

static void search_finds_ranks_and_escapes(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_db *db;
    xap_error err;
    assert_int_equal(xap_db_open(&db, make_db(dir), &err), XAP_OK);
    xap_hits *hits;
    assert_int_equal(run_query(&hits, db, "timetables", &err), XAP_OK);
    assert_int_equal(xap_hits_count(hits), 1);
    assert_int_equal(xap_hits_estimate(hits), 1);
    xap_hit hit;
    assert_int_equal(xap_hits_get(&hit, hits, 0, &err), XAP_OK);
    assert_true(hit.weight > 0);
    char *snippet;
    assert_int_equal(xap_hits_snippet(&snippet, hits, hit.data, hit.data_len, 200, "<mark>",
                                      "</mark>", "...", false, &err),
                     XAP_OK);
    assert_non_null(strstr(snippet, "<mark>Timetables</mark>"));
    assert_non_null(strstr(snippet, "&lt;b&gt;and&lt;/b&gt;"));
    assert_non_null(strstr(snippet, "&amp; more"));
    assert_null(strstr(snippet, "<b>"));
    free(snippet);
    assert_int_equal(xap_hits_get(&hit, hits, 1, &err), XAP_EINVAL);
    xap_hits_free(hits);

    /* A stemmed form finds the word as written: "weave" -> "weaving". */
    assert_int_equal(run_query(&hits, db, "weave", &err), XAP_OK);
    assert_int_equal(xap_hits_count(hits), 1);
    xap_hits_free(hits);
    xap_db_close(db);
    scratch_remove(dir);
}

static void unparsable_query_is_searched_as_words(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_db *db;
    xap_error err;
    assert_int_equal(xap_db_open(&db, make_db(dir), &err), XAP_OK);
    xap_hits *hits;
    assert_int_equal(run_query(&hits, db, "buses AND", &err), XAP_OK);
    assert_true(xap_hits_relaxed(hits));
    assert_int_equal(xap_hits_count(hits), 1);
    xap_hits_free(hits);
    assert_int_equal(run_query(&hits, db, "buses", &err), XAP_OK);
    assert_false(xap_hits_relaxed(hits));
    xap_hits_free(hits);
    xap_db_close(db);
    scratch_remove(dir);
}

/* A post with this text, a date (or none) and tags joined as the indexer joins them. */
static void put_post(xap_writer *w, const char *id, const char *ymd, const char *tags, const char *text)
{
    xap_doc *doc;
    xap_error err;
    assert_int_equal(xap_doc_new(&doc, w, &err), XAP_OK);
    assert_int_equal(xap_doc_index_text(doc, text, strlen(text), 1, "", &err), XAP_OK);
    assert_int_equal(xap_doc_set_data(doc, id, strlen(id), &err), XAP_OK);
    assert_int_equal(xap_doc_set_value(doc, SLOT_TAGS, tags, strlen(tags), &err), XAP_OK);
    /* Several shards find a page's posts again by this (see posts_of()). */
    assert_int_equal(xap_doc_set_value(doc, SLOT_PATH, id, strlen(id), &err), XAP_OK);
    for (const char *tag = tags; *tag;) { /* each tag a filter term too, as the indexer writes it */
        size_t n = strcspn(tag, FACET_SEPARATOR);
        char one[64];
        snprintf(one, sizeof one, "%.*s", (int)n, tag);
        assert_int_equal(xap_doc_add_boolean(doc, PREFIX_TAG, one, &err), XAP_OK);
        tag += n + (tag[n] != '\0');
    }
    if (*ymd) {
        int y = 0, m = 0, d = 0;
        assert_int_equal(sscanf(ymd, "%4d%2d%2d", &y, &m, &d), 3);
        assert_int_equal(xap_doc_set_value(doc, SLOT_DATE, ymd, 8, &err), XAP_OK);
        assert_int_equal(xap_doc_set_value(doc, SLOT_YEAR, ymd, 4, &err), XAP_OK);
        assert_int_equal(xap_doc_set_number(doc, SLOT_DAYS, (y - 1970) * 365.25 + (m - 1) * 30.5 + d, &err),
                         XAP_OK);
    }
    assert_int_equal(xap_writer_put(w, id, doc, &err), XAP_OK);
    xap_doc_free(doc);
}

/* A post about looms. */
static void put_dated(xap_writer *w, const char *id, const char *ymd, const char *tags)
{
    put_post(w, id, ymd, tags, "looms and weaving in the old mills");
}

/* The database at path opened as two shards (itself twice): Xapian's stock
 * sources and spies, each post found twice. */
static xap_db *open_twice(const char *path)
{
    xap_shard shards[2] = {{.path = path}, {.path = path}};
    bool opened[2];
    xap_db *two;
    xap_error err;
    assert_int_equal(xap_db_open_shards(&two, shards, 2, 1000, opened, &err), XAP_OK);
    return two;
}

/* The posts a facet counts for one value, or for all its values (NULL). */
static unsigned long facet_count(const xap_hits *hits, xap_facet facet, const char *only)
{
    unsigned long total = 0;
    for (size_t i = 0; i < xap_hits_facet_size(hits, facet); i++) {
        const char *value;
        unsigned long count;
        xap_hits_facet(hits, facet, i, &value, &count);
        if (!only || strcmp(value, only) == 0)
            total += count;
    }
    return total;
}

/* The ids of a search's hits in order, joined by spaces, and one facet's counts. */
static void search_looms(xap_db *db, char *order, size_t size, unsigned long *tag_a, unsigned long *years)
{
    xap_query q = {.text = "looms", .text_len = 5, .limit = 10, .max_expansion = 100,
                   .facets = true, .recency = 5};
    xap_hits *hits;
    xap_error err;
    assert_int_equal(xap_search(&hits, db, &q, &err), XAP_OK);
    order[0] = '\0';
    for (size_t i = 0; i < xap_hits_count(hits); i++) {
        xap_hit hit;
        assert_int_equal(xap_hits_get(&hit, hits, i, &err), XAP_OK);
        snprintf(order + strlen(order), size - strlen(order), "%s%.*s", i ? " " : "", (int)hit.data_len, hit.data);
    }
    *tag_a = facet_count(hits, XAP_FACET_TAG, "a");
    *years = facet_count(hits, XAP_FACET_YEAR, NULL);
    xap_hits_free(hits);
}

/* One local shard reads days and facets from tables in memory (xap_tables.cc),
 * several shards from Xapian's stock sources: both rank and count alike, and
 * the tables follow the database to its next revision. */
static void tables_match_stock_sources_and_follow_revisions(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    xap_error err;
    put_dated(w, "old", "20100301", "a" FACET_SEPARATOR "b");
    put_dated(w, "gone", "20240101", "a");
    put_dated(w, "new", "20230601", "b");
    put_dated(w, "undated", "", "a");
    /* Between the middle of the posts left (2016-10-17) and the middle the
     * value statistics keep after the deletion below (2017-01-31): which one an
     * undated post weighs says which middle was taken. */
    put_dated(w, "mid", "20161201", "c");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    assert_int_equal(xap_writer_delete(w, "gone", &err), XAP_OK); /* a gap in the document ids */
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);

    xap_db *one, *two;
    assert_int_equal(xap_db_open(&one, path, &err), XAP_OK);
    two = open_twice(path);
    char order[256], twice[256];
    unsigned long tag_a, years, tag_a2, years2;
    search_looms(one, order, sizeof order, &tag_a, &years);
    /* Newest first; the undated post weighs the archive's middle day, the one
     * Xapian's value statistics give, on one shard as on several. */
    assert_string_equal(order, "new undated mid old");
    assert_int_equal(tag_a, 2);
    assert_int_equal(years, 3);
    search_looms(two, twice, sizeof twice, &tag_a2, &years2);
    assert_string_equal(twice, "new new undated undated mid mid old old");
    assert_int_equal(tag_a2, 2 * tag_a);
    assert_int_equal(years2, 2 * years);

    /* A newer post and one more tagged "a", committed: the same handle sees both. */
    put_dated(w, "newest", "20250101", "a");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    bool changed;
    assert_int_equal(xap_db_reopen(&changed, one, &err), XAP_OK);
    assert_true(changed);
    search_looms(one, order, sizeof order, &tag_a, &years);
    assert_string_equal(order, "newest new undated mid old");
    assert_int_equal(tag_a, 3);
    assert_int_equal(years, 4);
    xap_db_close(one);
    xap_db_close(two);
    scratch_remove(dir);
}

/* One facet's names and counts, each count times scale, as text. */
static void facet_text(const xap_hits *hits, xap_facet facet, unsigned long scale, char *out, size_t size)
{
    for (size_t i = 0; i < xap_hits_facet_size(hits, facet); i++) {
        const char *value;
        unsigned long count;
        xap_hits_facet(hits, facet, i, &value, &count);
        snprintf(out + strlen(out), size - strlen(out), " %s:%lu", value, count * scale);
    }
}

/* A search's total (exact, or "?") and its tag and year counts, each number
 * times scale, and the page's first hit, as text. */
static void count_query(xap_db *db, xap_query q, unsigned long scale, char *out, size_t size)
{
    q.text_len = strlen(q.text);
    q.max_expansion = 100;
    q.facets = true;
    xap_hits *hits;
    xap_error err;
    assert_int_equal(xap_search(&hits, db, &q, &err), XAP_OK);
    unsigned long total;
    if (xap_hits_exact(hits, &total))
        snprintf(out, size, "%lu |", total * scale);
    else
        snprintf(out, size, "? |");
    facet_text(hits, XAP_FACET_TAG, scale, out, size);
    snprintf(out + strlen(out), size - strlen(out), " |");
    facet_text(hits, XAP_FACET_YEAR, scale, out, size);
    xap_hit hit;
    if (q.offset == 0 && xap_hits_count(hits) > 0 && xap_hits_get(&hit, hits, 0, &err) == XAP_OK)
        snprintf(out + strlen(out), size - strlen(out), " | first %.*s", (int)hit.data_len, hit.data);
    xap_hits_free(hits);
}

/* With facets, one local shard counts every match from posting lists where
 * the query reads from them alone (xap_matchset.cc), and through the matcher
 * where not (phrases, wildcards, date ranges); several shards always through
 * the matcher. Every shape of query counts the same posts either way. */
static void facet_counts_from_posting_lists_match_the_matcher(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    static const char *const words[] = {"looms", "cotton", "mills", "weaving", "canals", "steam"};
    xap_error err;
    for (int i = 0; i < 40; i++) {
        char id[16], text[256] = "", ymd[16], tags[64];
        snprintf(id, sizeof id, "p%d", i);
        for (int k = 0; k < 6; k++)
            if ((i >> (k % 5)) & 1 || i % 7 == k)
                snprintf(text + strlen(text), sizeof text - strlen(text), "%s the old %s. ", words[k], words[(k + 1) % 6]);
        snprintf(ymd, sizeof ymd, "%04d0%d1%d", 2010 + i % 9, 1 + i % 9, i % 10);
        snprintf(tags, sizeof tags, "t%d" FACET_SEPARATOR "u%d", i % 3, i % 4);
        put_post(w, id, ymd, tags, text);
    }
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    assert_int_equal(xap_writer_delete(w, "p5", &err), XAP_OK);
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *one, *two;
    assert_int_equal(xap_db_open(&one, path, &err), XAP_OK);
    two = open_twice(path);
    static const char *const queries[] = {
        "looms", "looms cotton", "looms OR canals", "looms -cotton", "looms NOT steam", "tag:t1",
        "cotton tag:u2", "cotton mills weaving", "looms cotton mills steam canals", "\"old cotton\"",
        "-steam", "weav*", "canals date:2012..2014", "nothingatall", "looms nothingatall", "Looms Cotton",
    };
    xap_filters tagged = {.tags = (const char *[]){"u1"}, .n_tags = 1};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        /* As asked, on the third page, newest first, and with a tag filter. */
        xap_query asked[] = {
            {.text = queries[i], .limit = 3, .recency = 5},
            {.text = queries[i], .offset = 6, .limit = 3, .recency = 5},
            {.text = queries[i], .limit = 3, .sort = XAP_SORT_NEWEST},
            {.text = queries[i], .limit = 3, .recency = 5, .filters = &tagged},
        };
        for (size_t k = 0; k < sizeof asked / sizeof asked[0]; k++) {
            char a[1024], b[1024];
            count_query(one, asked[k], 2, a, sizeof a);
            count_query(two, asked[k], 1, b, sizeof b);
            if (strcmp(a, b) != 0)
                fail_msg("%s (%zu): one shard, counts doubled: %s; two shards: %s", queries[i], k, a, b);
        }
    }
    char some[1024];
    count_query(one, (xap_query){.text = "looms", .limit = 3}, 1, some, sizeof some);
    assert_true(some[0] != '0' && some[0] != '?');
    xap_db_close(one);
    xap_db_close(two);
    scratch_remove(dir);
}

/* An archive with no date at all, on several shards, is found and counted:
 * its empty day slot gives no recency prior (its bounds read as -inf, and a
 * prior whose greatest weight was -inf emptied the match in fuzz_query). */
static void undated_archive_is_found_on_several_shards(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    xap_error err;
    put_dated(w, "a", "", "x");
    put_dated(w, "b", "", "y");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *two;
    two = open_twice(path);
    char order[256];
    unsigned long tag_a, years;
    search_looms(two, order, sizeof order, &tag_a, &years);
    assert_string_equal(order, "a a b b");
    char counted[1024];
    count_query(two, (xap_query){.text = "looms weaving mills", .limit = 3, .recency = 5}, 1, counted, sizeof counted);
    assert_string_equal(counted, "4 | x:2 y:2 | | first a");
    xap_db_close(two);
    scratch_remove(dir);
}

/* Posts dated before 1970 have a day below zero. Xapian's matcher drops a
 * post whose weight is below zero, so the recency prior must not make one:
 * a filter alone (no word weighs) must still find the old posts, and the
 * total must be what the pages hold, on one shard and on several. */
static void posts_before_1970_are_found_and_counted(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    xap_error err;
    put_dated(w, "war", "19440606", "history");
    put_dated(w, "sixties", "19640301", "history");
    put_dated(w, "recent", "20240101", "history");
    put_dated(w, "undated", "", "history");
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *one, *two;
    assert_int_equal(xap_db_open(&one, path, &err), XAP_OK);
    two = open_twice(path);
    char counted[1024];
    xap_query none = {.text = "-zzzz", .limit = 10, .recency = 5}; /* no word weighs */
    count_query(one, none, 1, counted, sizeof counted);
    assert_string_equal(counted, "4 | history:4 | 1944:1 1964:1 2024:1 | first recent");
    count_query(two, none, 1, counted, sizeof counted);
    assert_string_equal(counted, "8 | history:8 | 1944:2 1964:2 2024:2 | first recent");
    /* Every post the total counts is on the page, newest first. */
    xap_query q = {.text = "-zzzz", .text_len = 5, .limit = 10, .max_expansion = 100, .recency = 5};
    xap_hits *hits;
    assert_int_equal(xap_search(&hits, one, &q, &err), XAP_OK);
    assert_int_equal(xap_hits_count(hits), 4);
    xap_hits_free(hits);
    char order[256];
    unsigned long tag_a, years;
    search_looms(two, order, sizeof order, &tag_a, &years);
    assert_string_equal(order, "recent recent undated undated sixties sixties war war");
    xap_db_close(one);
    xap_db_close(two);
    scratch_remove(dir);
}

/* Paging through a two-word query: the first 50 (rounded up to whole pages)
 * are re-ranked by whether the words stand together, and the pages after them
 * go on in the order that chose them, so no post shows twice and none is
 * skipped, whatever the page size. */
static void pages_past_the_rerank_repeat_no_post(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    for (int i = 0; i < 120; i++) {
        char id[16], text[1024] = "";
        snprintf(id, sizeof id, "p%d", i);
        /* Every post has both words; a third have them side by side; the
         * padding spreads their BM25 weights. */
        if (i % 3 == 0)
            strcat(text, "cotton mills. ");
        else
            strcat(text, "cotton in the old mills. ");
        for (int k = 0; k < i % 17; k++)
            strcat(text, "weaving sheds and canals. ");
        put_post(w, id, "20200101", "t", text);
    }
    xap_error err;
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *db;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    static const unsigned limits[] = {10, 30, 100}; /* 30: a page would have held posts 31-60 */
    for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
        bool seen[120] = {false};
        size_t shown = 0;
        for (unsigned offset = 0; offset < 120; offset += limits[l]) {
            xap_query q = {.text = "cotton mills", .text_len = 12, .offset = offset, .limit = limits[l],
                           .max_expansion = 100, .recency = 5};
            xap_hits *hits;
            assert_int_equal(xap_search(&hits, db, &q, &err), XAP_OK);
            for (size_t i = 0; i < xap_hits_count(hits); i++) {
                xap_hit hit;
                assert_int_equal(xap_hits_get(&hit, hits, i, &err), XAP_OK);
                int n = atoi(hit.data + 1);
                if (seen[n])
                    fail_msg("p%d shown twice (%u a page, the page from %u)", n, limits[l], offset);
                seen[n] = true;
                shown++;
            }
            xap_hits_free(hits);
        }
        assert_int_equal(shown, 120);
    }
    xap_db_close(db);
    scratch_remove(dir);
}

/* A database at dir/db holding one post with this text, opened. */
static xap_db *open_one_post(const char *dir, const char *text)
{
    char path[4096];
    xap_writer *w = new_writer(path, sizeof path, dir);
    xap_error err;
    put_doc(w, "post", "Post", text);
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *db;
    assert_int_equal(xap_db_open(&db, path, &err), XAP_OK);
    return db;
}

/* The window the scan chooses in text (one piece) for query holds text[at]. */
static void assert_window_holds(xap_db *db, const char *query, const char *text, size_t at)
{
    xap_hits *hits;
    xap_error err;
    assert_int_equal(run_query(&hits, db, query, &err), XAP_OK);
    assert_int_equal(xap_hits_count(hits), 1);
    size_t starts[2] = {0, strlen(text)};
    xap_passage out[1];
    assert_int_equal(xap_hits_find_passages(hits, text, starts, 1, 120, out), 1);
    if (!(out[0].from <= at && at < out[0].to))
        fail_msg("%s: window %zu..%zu, not at %zu", query, out[0].from, out[0].to, at);
    xap_hits_free(hits);
}

/* With a phrase, the window is where the phrase stands, not where its words
 * crowd alone: a snippet marks a phrase only whole. */
static void passage_of_a_phrase_is_where_it_stands(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char text[4096] = "";
    for (int i = 0; i < 12; i++) /* the phrase's words, crowded but never in order */
        strcat(text, "was not one, a day or great times. ");
    for (int i = 0; i < 30; i++)
        strcat(text, "looms weave cloth in mills. ");
    strcat(text, "It was a great day, and everyone else \u2014 men and women \u2014 came.");
    xap_db *db = open_one_post(dir, text);
    assert_window_holds(db, "\"was a great\"", text, (size_t)(strstr(text, "was a great day") - text));
    assert_window_holds(db, "\"else men\"", text, (size_t)(strstr(text, "else \u2014 men") - text));
    xap_db_close(db);
    scratch_remove(dir);
}

/* The marked words of a snippet, in order, each ended by '|'. */
static void marked_words(char *out, size_t size, const char *snippet)
{
    out[0] = '\0';
    for (const char *p = strstr(snippet, "[["); p; p = strstr(p, "[[")) {
        const char *end = strstr(p, "]]");
        assert_non_null(end);
        snprintf(out + strlen(out), size - strlen(out), "%.*s|", (int)(end - p - 2), p + 2);
        p = end;
    }
}

/* A window already chosen is marked by reading its words, not by Xapian's
 * snippet: the same words (and phrases, whole) are marked as the snippet marks
 * them, over words glued by apostrophes, hyphens, dashes and dots, in text
 * that needs escaping; and a query it cannot read (a wildcard) still gets the
 * snippet's own marks. */
static void marks_agree_with_the_snippet(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_error err;
    xap_db *db =
        open_one_post(dir, "stay alive was a great day, don't stop, c++ at example.com, well-known caf\u00e9 staying "
                           "make use sky during die nasa paris london");
    const char *queries[] = {"stay alive", "\"was a great\"", "great \"was a great\"", "don't", "well known",
                             "example", "caf*", "stays", "make use", "sky during", "die", "nasa", "\"paris london\""};
    const char *texts[] = {
        "We stay alive, stay. alive! Staying alive & <b>stay</b> Stay-alive stay\u2014alive stay\u2019s it's",
        "it was a great day and was, a great one; was not a great: a great was \u201cwas a great\u201d",
        "I don't know, Don't you? dont do\u2019nt known well-known well known wells unknown",
        "see example.com or an example; examples of c++ and caf\u00e9 or cafe < > & done",
        "Making and using tools, skies grey during the dying light; the N.A.S.A. team",
        "from Paris \u2192 London by train, Paris London, paris \U0001F682 london",
    };
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        xap_hits *hits;
        assert_int_equal(run_query(&hits, db, queries[q], &err), XAP_OK);
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            size_t len = strlen(texts[t]);
            char *ours, *theirs, a[1024], b[1024];
            assert_int_equal(xap_hits_mark(&ours, hits, texts[t], len, "[[", "]]", "~", false, &err), XAP_OK);
            assert_int_equal(xap_hits_snippet(&theirs, hits, texts[t], len, len, "[[", "]]", "~", false, &err), XAP_OK);
            marked_words(a, sizeof a, ours);
            marked_words(b, sizeof b, theirs);
            if (strcmp(a, b) != 0)
                fail_msg("query %s, text %zu: marked %s, the snippet %s", queries[q], t, a, b);
            assert_null(strstr(ours, "<b>"));
            free(ours);
            free(theirs);
        }
        xap_hits_free(hits);
    }
    xap_db_close(db);
    scratch_remove(dir);
}

/* The scan finds a query word where a word starts, in any case, also after a
 * character other than ASCII (a curly quote), and not inside another word. */
static void passage_is_where_words_start(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char text[4096] = "";
    for (int i = 0; i < 20; i++) /* "stay" and "alive" inside other words only */
        strcat(text, "outstay overstayed unalive outstays. ");
    for (int i = 0; i < 20; i++)
        strcat(text, "looms weave cloth in mills. ");
    strcat(text, "They \u2019Stay ALIVE\u2019 and stay alive.");
    xap_db *db = open_one_post(dir, text);
    assert_window_holds(db, "stay alive", text, (size_t)(strstr(text, "Stay ALIVE") - text));
    xap_db_close(db);
    scratch_remove(dir);
}

/* Xapian's snippet can stop inside a mark (after a phrase over a full stop):
 * the mark is closed, before the "…" that says the text was cut. */
static void snippet_marks_are_closed(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    xap_db *db = open_one_post(dir, "we stay alive, stay alive");
    xap_hits *hits;
    xap_error err;
    assert_int_equal(run_query(&hits, db, "stay alive", &err), XAP_OK);
    const char *text = "We stay alive, stay. alive! Sttay</b>";
    char *snippet;
    assert_int_equal(xap_hits_snippet(&snippet, hits, text, strlen(text), strlen(text), "[[", "]]", "~", false, &err),
                     XAP_OK);
    size_t open = 0, close = 0;
    for (const char *p = strstr(snippet, "[["); p; p = strstr(p + 2, "[["))
        open++;
    for (const char *p = strstr(snippet, "]]"); p; p = strstr(p + 2, "]]"))
        close++;
    if (open != close || open == 0 || strstr(snippet, "~]]"))
        fail_msg("snippet \"%s\"", snippet);
    free(snippet);
    xap_hits_free(hits);
    xap_db_close(db);
    scratch_remove(dir);
}

static void status_names_are_distinct(void **state)
{
    (void)state;
    for (int a = XAP_EINTERNAL; a <= XAP_OK; a++) {
        assert_string_not_equal(xap_status_name((xap_status)a), "unknown");
        for (int b = a + 1; b <= XAP_OK; b++)
            assert_string_not_equal(xap_status_name((xap_status)a), xap_status_name((xap_status)b));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_missing_is_not_found),
        cmocka_unit_test(second_writer_is_locked),
        cmocka_unit_test(accent_synonym_past_a_term_is_left_out),
        cmocka_unit_test(unknown_id_is_no_document),
        cmocka_unit_test(wildcard_flood_is_limit),
        cmocka_unit_test(junk_files_are_io),
        cmocka_unit_test(overlong_term_is_invalid),
            cmocka_unit_test(transaction_is_all_or_nothing),
        cmocka_unit_test(spelling_per_post_or_deferred),
        cmocka_unit_test(search_finds_ranks_and_escapes),
        cmocka_unit_test(unparsable_query_is_searched_as_words),
        cmocka_unit_test(tables_match_stock_sources_and_follow_revisions),
        cmocka_unit_test(facet_counts_from_posting_lists_match_the_matcher),
        cmocka_unit_test(undated_archive_is_found_on_several_shards),
        cmocka_unit_test(posts_before_1970_are_found_and_counted),
        cmocka_unit_test(pages_past_the_rerank_repeat_no_post),
        cmocka_unit_test(passage_of_a_phrase_is_where_it_stands),
        cmocka_unit_test(marks_agree_with_the_snippet),
        cmocka_unit_test(passage_is_where_words_start),
        cmocka_unit_test(snippet_marks_are_closed),
        cmocka_unit_test(status_names_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
