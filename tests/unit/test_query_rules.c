/* test_query_rules.c — the rules that shape a visitor's query beyond Xapian's
 * QueryParser (lib/xap_query.cc, run by search_text() in lib/xap_search.cc;
 * the reasons in docs/ranking.md), through search_run() against a small real
 * index of a civic-data blog that the group set-up writes and indexes.
 *
 * One table per rule: names typed alone, corrections (inside longer queries,
 * never of names or numbers, of rare words), the last word read as a prefix
 * before any correction, words typed together, stop words capitalised in a
 * name, versions typed short or with a "v", and where an undated post stands
 * under the recency prior. */
#include "results.h"
#include "testutil.h"
#include "xap.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Sixteen posts. The three heron posts are word for word the same (so BM25
 * gives them the same weight) and the dated two are the archive's oldest and
 * newest: the undated one's prior is their middle. */
static const test_post POSTS[] = {
    {"2021/flood.md",
     "---\ntitle: \"Mapping flood risk by street\"\ndate: 2021-02-10\n"
     "author: Harriet Okonjo-Birch\nslug: flood\n---\n"
     "We joined river gauge readings to the street register. Deprivation scores sat beside "
     "each ward, so the borough could see who lives closest to the water.\n"},
    {"2022/budget.md",
     "---\ntitle: \"Reading the borough budget\"\ndate: 2022-11-03\n"
     "author: Harriet Okonjo-Birch\nslug: budget\n---\n"
     "Every spending line is now a row in one table. The climate targets for 2030 get their "
     "own column.\n"},
    {"2023/interview.md",
     "---\ntitle: \"Ten years of open data: an interview\"\ndate: 2023-05-18\n"
     "author: Declan Maybury\nslug: interview\n---\n"
     "Harriet Okonjo-Birch told me how a spreadsheet of broken streetlights became a weekly "
     "habit.\n"},
    {"2024/toolkit.md",
     "---\ntitle: \"Announcing Toolkit 1.80.0\"\ndate: 2024-03-01\n"
     "author: Priya Salt\nslug: toolkit-release\n---\n"
     "Toolkit 1.80.0 is out. It reads ward boundaries faster and ships a new importer.\n"},
    {"2024/sprint.md",
     "---\ntitle: \"Notes from the importer sprint\"\ndate: 2024-06-12\n"
     "author: Priya Salt\nslug: importer-notes\n---\n"
     "Since 1.80 the toolkit importer skips empty rows, so we spent the sprint writing tests "
     "for the loaders.\n"},
    {"2023/geocoder.md",
     "---\ntitle: \"Upgrading the geocoder\"\ndate: 2023-08-08\n"
     "author: Priya Salt\nslug: geocoder\n---\n"
     "The geocoder moved to v8.4 and now matches partial postcodes.\n"},
    {"2020/database.md",
     "---\ntitle: \"Database upgrade notes\"\ndate: 2020-09-09\n"
     "author: Priya Salt\nslug: database\n---\n"
     "The archive database moved to release 8.4 over the weekend.\n"},
    {"2022/earth.md",
     "---\ntitle: \"Volunteering for a tree count\"\ndate: 2022-04-22\n"
     "author: Declan Maybury\nslug: earth\n---\n"
     "Friends of The Earth asked us to count street trees across the borough.\n"},
    {"2022/soil.md",
     "---\ntitle: \"Soil samples from twelve plots\"\ndate: 2022-07-14\n"
     "author: Priya Salt\nslug: soil\n---\n"
     "Our friends at the soil lab sampled earth from twelve allotments.\n"},
    {"2021/printworks.md",
     "---\ntitle: \"Open data night\"\ndate: 2021-10-10\n"
     "author: Priya Salt\nslug: printworks\n---\n"
     "We met at The Printworks to draw a map of every bus stop.\n"},
    {"2021/corner.md",
     "---\ntitle: \"A corner building\"\ndate: 2021-12-01\n"
     "author: Priya Salt\nslug: printworks-other\n---\n"
     "The old printworks on the corner is flats now; we traced its history in the rate books.\n"},
    {"2023/gates.md",
     "---\ntitle: \"School gate readings\"\ndate: 2023-03-03\n"
     "author: Priya Salt\nslug: sensors-together\n---\n"
     "Pupils fitted air quality sensors to the school gates in March and logged a reading "
     "every hour.\n"},
    {"2023/damp.md",
     "---\ntitle: \"A damp week at the gates\"\ndate: 2023-03-20\n"
     "author: Priya Salt\nslug: sensors-apart\n---\n"
     "Pupils fitted sensors to the school gates; the air was damp and the quality of each "
     "reading varied.\n"},
    {"2019/herons.md",
     "---\ntitle: \"Heron count\"\ndate: 2019-04-02\n"
     "author: Priya Salt\nslug: herons-2019\n---\n"
     "We counted herons along the canal towpath.\n"},
    {"2025/herons.md",
     "---\ntitle: \"Heron count\"\ndate: 2025-04-02\n"
     "author: Priya Salt\nslug: herons-2025\n---\n"
     "We counted herons along the canal towpath.\n"},
    {"undated/herons.md",
     "---\ntitle: \"Heron count\"\n"
     "author: Priya Salt\nslug: herons-undated\n---\n"
     "We counted herons along the canal towpath.\n"},
};

static const search_config CFG = {
    .permalink = "/{yyyy}/{mm}/{slug}/", .snippet_bytes = 240, .max_expansion = 100, .recency = 0};

/* A row that fails is reported and counted, and the test goes on to the next
 * row; rows_done() fails the test when any did. */
static int failed_rows;
#define row_fail(...) (print_error(__VA_ARGS__), print_error("\n"), failed_rows++)

static void rows_done(const char *what)
{
    int n = failed_rows;
    failed_rows = 0;
    if (n)
        fail_msg("%s: %d failing row(s), above", what, n);
}

/* Where id stands on the page: 0 first, -1 not on it. */
static int rank_of(const search_results *r, const char *id)
{
    for (size_t i = 0; i < r->n_hits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Run q against the index with cfg (and explain, so the bonuses are filled). */
static void search_as(search_results *out, void **state, const char *q, bool partial,
                      const search_config *cfg)
{
    test_index *t = *state;
    search_request req = {.q = q, .q_len = strlen(q), .page = 1, .per_page = 20,
                          .partial = partial, .explain = true};
    xap_error err;
    xap_status rc = search_run(out, t->db, &req, cfg, &err);
    if (rc != XAP_OK)
        fail_msg("%s: %s (%s)", q, xap_status_name(rc), err.message);
}

static void search(search_results *out, void **state, const char *q, bool partial)
{
    search_as(out, state, q, partial, &CFG);
}

/* The page's first hit is id, or (id2 set) the first two are id and id2 in
 * either order. */
static void assert_first(const search_results *r, const char *q, const char *id, const char *id2)
{
    int a = rank_of(r, id), b = id2 ? rank_of(r, id2) : -2;
    bool ok = id2 ? (a == 0 && b == 1) || (a == 1 && b == 0) : a == 0;
    if (!ok)
        row_fail("%s: %s at %d, %s at %d; first hit %s", q, id, a, id2 ? id2 : "-", b,
                 r->n_hits ? r->hits[0].id : "(none)");
}

/* A name typed alone, without author:, finds its author's posts; typed whole,
 * it puts all of them first (the interview mentions Harriet's whole name in
 * its text), the name's bonus shown by explain. A name is never corrected. */
static void names(void **state)
{
    const struct {
        const char *q, *first, *second; /* the first hit(s); second may be NULL */
        bool whole;                     /* a whole name: name_weight > 0 on them */
    } cases[] = {
        {"Harriet Okonjo-Birch", "flood", "budget", true},
        {"harriet okonjo-birch", "flood", "budget", true},
        {"Declan Maybury", "interview", "earth", true},
        {"Harriet", "flood", "budget", false},
        {"Okonjo-Birch", "flood", "budget", false},
        {"maybury", "interview", "earth", false},
        {"Declan", "interview", "earth", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_results r;
        search(&r, state, cases[i].q, false);
        assert_first(&r, cases[i].q, cases[i].first, cases[i].second);
        if (r.corrected_query)
            row_fail("%s: corrected to \"%s\"", cases[i].q, r.corrected_query);
        for (size_t h = 0; h < 2 && h < r.n_hits; h++)
            if ((r.hits[h].name_weight > 0) != cases[i].whole)
                row_fail("%s: %s has name_weight %g", cases[i].q, r.hits[h].id, r.hits[h].name_weight);
        if (cases[i].whole && rank_of(&r, "interview") >= 0 && strcmp(cases[i].first, "interview") != 0 &&
            r.hits[rank_of(&r, "interview")].name_weight != 0)
            row_fail("%s: the interview, by another author, has a name weight", cases[i].q);
        search_results_free(&r);
    }
    rows_done("names");
}

/* What the page says about the query: its correction, whether the hits are
 * the correction's, the last word read as a prefix; and a post it finds. */
typedef struct query_row {
    const char *q;
    bool partial;
    const char *corrected; /* NULL: none */
    bool showing_corrected;
    const char *prefix;    /* NULL: none */
    const char *found;     /* a post on the page, or NULL */
} query_row;

static void check_query_rows(void **state, const query_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const query_row *c = &rows[i];
        search_results r;
        search(&r, state, c->q, c->partial);
        const char *got = r.corrected_query ? r.corrected_query : "(none)";
        if (c->corrected ? !r.corrected_query || strcmp(r.corrected_query, c->corrected) != 0
                         : r.corrected_query != NULL)
            row_fail("%s: corrected_query %s, want %s", c->q, got, c->corrected ? c->corrected : "(none)");
        if (r.showing_corrected != c->showing_corrected)
            row_fail("%s: showing_corrected %d, want %d", c->q, r.showing_corrected, c->showing_corrected);
        if (c->prefix ? !r.prefix || strcmp(r.prefix, c->prefix) != 0 : r.prefix != NULL)
            row_fail("%s: prefix %s, want %s", c->q, r.prefix ? r.prefix : "(none)",
                     c->prefix ? c->prefix : "(none)");
        if (c->found && rank_of(&r, c->found) < 0)
            row_fail("%s: %s not found (%zu hits)", c->q, c->found, r.n_hits);
        search_results_free(&r);
    }
}

/* A typo is corrected inside a query of several words as well as alone. The
 * correction's hits are shown for a short query; a query of three words or
 * more, whose other words still find posts, keeps its own hits and offers the
 * correction as "did you mean" (docs/ranking.md).
 * Numbers, and names of the archive however rare, are never corrected. */
static void corrections(void **state)
{
    const query_row rows[] = {
        {"air qualty sensors", false, "air quality sensors", false, NULL, "sensors-together"},
        {"qualty", false, "quality", true, NULL, "sensors-together"},
        {"qualty sensors", false, "quality sensors", true, NULL, "sensors-together"},
        {"2031", false, NULL, false, NULL, NULL},
        {"targets 2031", false, NULL, false, NULL, NULL},
        {"Harriet", false, NULL, false, NULL, "flood"},
        {"Okonjo-Birch", false, NULL, false, NULL, "budget"},
        {"maybury", false, NULL, false, NULL, "interview"},
        {"Printworks", false, NULL, false, NULL, "printworks"},
    };
    check_query_rows(state, rows, sizeof rows / sizeof rows[0]);
    rows_done("corrections");
}

/* The last word, when the archive lacks it but has words it begins, is read
 * as a prefix even on a plain request (partial unset), and is not corrected;
 * a hyphenated one too. A whole word nothing begins is corrected instead. */
static void prefix_before_correction(void **state)
{
    const query_row rows[] = {
        {"deprivat", false, NULL, false, "deprivat", "flood"},
        {"deprivat", true, NULL, false, "deprivat", "flood"},
        {"flood deprivat", false, NULL, false, "deprivat", "flood"},
        {"Okonjo-Bir", false, NULL, false, "bir", "flood"},
        {"Okonjo-Bir", true, NULL, false, "bir", "budget"},
        {"okonjo-bir", false, NULL, false, "bir", "budget"},
        {"sensers", false, "sensors", true, NULL, "sensors-together"},
        {"school sensers", false, "school sensors", true, NULL, "sensors-apart"},
    };
    check_query_rows(state, rows, sizeof rows / sizeof rows[0]);
    /* Both of Harriet's posts, unfinished name or not. */
    const char *unfinished[] = {"Okonjo-Bir", "Okonjo-Birc"};
    for (size_t i = 0; i < sizeof unfinished / sizeof unfinished[0]; i++)
        for (int partial = 0; partial <= 1; partial++) {
            search_results r;
            search(&r, state, unfinished[i], partial);
            if (rank_of(&r, "flood") < 0 || rank_of(&r, "budget") < 0)
                row_fail("%s (partial=%d): flood at %d, budget at %d", unfinished[i], partial,
                         rank_of(&r, "flood"), rank_of(&r, "budget"));
            search_results_free(&r);
        }
    rows_done("prefix_before_correction");
}

/* Ranking rows: `above` ranks above `below` (both found), `above` first when
 * first is set, and with explain the adjacency bonus is > 0 on `above` and 0
 * on `below` when adjacency is set. */
typedef struct rank_row {
    const char *q, *above, *below;
    bool first, adjacency;
} rank_row;

static void check_rank_rows(void **state, const rank_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rank_row *c = &rows[i];
        search_results r;
        search(&r, state, c->q, false);
        int a = rank_of(&r, c->above), b = rank_of(&r, c->below);
        if (a < 0 || b < 0 || a > b || (c->first && a != 0))
            row_fail("%s: %s at %d, %s at %d; first hit %s", c->q, c->above, a, c->below, b,
                     r.n_hits ? r.hits[0].id : "(none)");
        else if (c->adjacency && !(r.hits[a].adjacency_weight > 0 && r.hits[b].adjacency_weight == 0))
            row_fail("%s: adjacency_weight %g on %s, %g on %s", c->q, r.hits[a].adjacency_weight,
                     c->above, r.hits[b].adjacency_weight, c->below);
        search_results_free(&r);
    }
}

/* Words typed together rank the post where they stand together above the one
 * where they stand apart. */
static void adjacency(void **state)
{
    const rank_row rows[] = {
        {"air quality sensors", "sensors-together", "sensors-apart", true, true},
        {"air quality", "sensors-together", "sensors-apart", true, true},
        {"quality sensors", "sensors-together", "sensors-apart", true, true},
    };
    check_rank_rows(state, rows, sizeof rows / sizeof rows[0]);
    rows_done("adjacency");
}

/* A stop word capitalised inside a name is kept: the post with the name
 * ranks above one with its other words but not the name. */
static void capitalised_stop_words(void **state)
{
    const rank_row rows[] = {
        {"Friends of The Earth", "earth", "soil", true, false},
        {"at The Printworks", "printworks", "printworks-other", true, false},
        {"map at The Printworks", "printworks", "printworks-other", true, false},
    };
    check_rank_rows(state, rows, sizeof rows / sizeof rows[0]);
    rows_done("capitalised_stop_words");
}

/* A version typed short finds the release it names first; "v8.4" and "8.4"
 * find each other. */
static void versions(void **state)
{
    const rank_row rows[] = {
        {"Toolkit 1.80", "toolkit-release", "importer-notes", true, false},
        {"1.80", "toolkit-release", "importer-notes", true, false},
        {"1.80.0", "toolkit-release", "toolkit-release", true, false},
    };
    check_rank_rows(state, rows, sizeof rows / sizeof rows[0]);
    const query_row found[] = {
        {"v8.4", false, NULL, false, NULL, "database"},
        {"v8.4", false, NULL, false, NULL, "geocoder"},
        {"8.4", false, NULL, false, NULL, "geocoder"},
        {"8.4", false, NULL, false, NULL, "database"},
        {"geocoder 8.4", false, NULL, false, NULL, "geocoder"},
        {"database v8.4", false, NULL, false, NULL, "database"},
    };
    check_query_rows(state, found, sizeof found / sizeof found[0]);
    rows_done("versions");
}

static double score_of(const search_results *r, const char *q, const char *id)
{
    int at = rank_of(r, id);
    if (at < 0)
        fail_msg("%s: %s not found", q, id);
    return r->hits[at].score;
}

/* docs/ranking.md: an undated post is given the prior of the archive's middle
 * day, halfway between its oldest and newest post. The heron posts match
 * equally and the dated two are the archive's ends, so the undated one scores
 * halfway between them: found, neither last nor lifted above the newest. With
 * the prior off the three score the same. */
static void undated_posts(void **state)
{
    const double recency[] = {0, 0.01, 0.5, 2};
    for (size_t i = 0; i < sizeof recency / sizeof recency[0]; i++) {
        search_config cfg = CFG;
        cfg.recency = recency[i];
        search_results r;
        search_as(&r, state, "herons", false, &cfg);
        assert_int_equal(r.n_hits, 3);
        double newest = score_of(&r, "herons", "herons-2025"), oldest = score_of(&r, "herons", "herons-2019"),
               undated = score_of(&r, "herons", "herons-undated");
        assert_null(r.hits[rank_of(&r, "herons-undated")].date);
        double middle = (newest + oldest) / 2, slack = 1e-6 * (1 + fabs(middle));
        if (recency[i] > 0 && !(oldest < undated && undated < newest))
            row_fail("recency %g: undated %.9g, not between oldest %.9g and newest %.9g", recency[i],
                     undated, oldest, newest);
        if (recency[i] > 0 && rank_of(&r, "herons-undated") != 1)
            row_fail("recency %g: undated post at %d, want 1", recency[i], rank_of(&r, "herons-undated"));
        if (fabs(undated - middle) > slack || (recency[i] == 0 && fabs(newest - oldest) > slack))
            row_fail("recency %g: undated %.9g, oldest %.9g, newest %.9g: want the middle", recency[i],
                     undated, oldest, newest);
        search_results_free(&r);
    }
    rows_done("undated_posts");
}

/* The rare-word rule needs a word in RARE_RATIO (20) times as many posts as
 * its typo: its own index of 21 posts, 20 with "council" and one with
 * "counsil". A rare word of the archive is offered its correction but the
 * page stays its own (it found something); a word the archive lacks is
 * corrected and shown. */
static void rare_words(void **state)
{
    (void)state;
    static char paths[21][32], texts[21][160];
    test_post posts[21];
    for (int i = 0; i < 21; i++) {
        snprintf(paths[i], sizeof paths[i], "p/post%02d.md", i);
        snprintf(texts[i], sizeof texts[i],
                 "---\ntitle: \"Meeting %d\"\ndate: 2022-01-%02d\nslug: m%d\n---\n"
                 "Notes from the %s meeting on parking.\n", i, i + 1, i, i ? "council" : "counsil");
        posts[i] = (test_post){paths[i], texts[i]};
    }
    test_index *t = test_index_open(posts, 21);
    assert_non_null(t);
    const query_row rows[] = {
        {"counsil", false, "council", false, NULL, "m0"},
        {"counsil parking", false, "council parking", false, NULL, "m0"},
        {"councel", false, "council", true, NULL, "m1"},
        {"parking councel", false, "parking council", true, NULL, "m1"},
        {"council", false, NULL, false, NULL, "m1"},
    };
    check_query_rows((void **)&t, rows, sizeof rows / sizeof rows[0]);
    test_index_close(t);
    rows_done("rare_words");
}

static int setup_index(void **state)
{
    *state = test_index_open(POSTS, sizeof POSTS / sizeof POSTS[0]);
    return *state ? 0 : -1;
}

static int teardown_index(void **state)
{
    test_index_close(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(corrections),
        cmocka_unit_test(prefix_before_correction),
        cmocka_unit_test(adjacency),
        cmocka_unit_test(capitalised_stop_words),
        cmocka_unit_test(versions),
        cmocka_unit_test(undated_posts),
        cmocka_unit_test(rare_words),
    };
    return cmocka_run_group_tests(tests, setup_index, teardown_index);
}
