/* test_results.c — one search from request to page (lib/results.c), against a
 * small real index: the group set-up writes four posts and runs the real
 * indexer (its path in LOOM_INDEX, which ctest sets) on them.
 *
 * Covered: URLs from front matter and from permalink patterns, with the
 * section's anchor; snippets with <mark>, from the best section, or the summary
 * when only the title or a tag matched; highlighted titles; matched fields;
 * facets; paging and sorting; an empty query with and without filters;
 * spelling corrections, widened and relaxed queries; explain; similar posts.
 * Errors: every code results.c returns of its own (XAP_EIO: stored data that is
 * not a JSON object) and those the wrapper hands on from a search here
 * (XAP_ELIMIT: a wildcard past its expansion limit; XAP_ENODOC: similar posts
 * of no post). The wrapper's other codes are test_xap.c's. */
#include "permalink.h"
#include "results.h"
#include "testutil.h"
#include "text.h"
#include "xap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static const test_post POSTS[] = {
    {"2021/looms.md", "---\ntitle: \"Looms and algorithms\"\ndate: 2021-03-14\nauthor: Ada Brindle\n"
                      "tags: [history, weaving]\nslug: looms\nsummary: \"How punched cards ran the looms.\"\n"
                      "---\nManchester's mills ran on steam and cotton.\n\n## Jacquard cards\n\n"
                      "The Jacquard loom read punched cards, a program for weaving patterns.\n\n"
                      "## Later machines\n\nPower looms replaced hand weavers across Lancashire.\n"},
    {"2022/buses.md", "---\ntitle: \"Bus data in Salford\"\ndate: 2022-06-01\nauthor: Ben Crane\n"
                      "tags: [transport]\nslug: buses\nurl: \"https://example.org/special/buses/\"\n"
                      "summary: \"Timetables as open data.\"\n---\n"
                      "Twelve volunteers typed up printed timetables for three routes.\n"},
    {"2023/mills.md", "---\ntitle: \"Cotton mills of Ancoats\"\ndate: 2023-09-20\nauthor: Ada Brindle\n"
                      "tags: [history]\nslug: mills\nsummary: \"A walk past the old spinning mills.\"\n---\n"
                      "Spinning mills lined the canal; weaving sheds stood behind them.\n"},
    {"2024/knitting.md", "---\ntitle: \"Knitting circle\"\ndate: 2024-01-05\nauthor: Cara Dee\n"
                         "tags: [crafts]\nslug: knitting\nsummary: \"Our Tuesday group meets <here>.\"\n---\n"
                         "Bring needles and yarn; tea is provided.\n"},
};

static const search_config CFG = {
    .permalink = "/{yyyy}/{mm}/{slug}/", .snippet_bytes = 240, .max_expansion = 100, .recency = 0};

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

/* Run req against the fixture's index (q's length, page 1 and 10 a page
 * filled in when unset) and return the code; *out filled on XAP_OK. */
static xap_status search_with(search_results *out, void **state, search_request req)
{
    test_index *f = *state;
    req.q_len = strlen(req.q);
    req.page = req.page ? req.page : 1;
    req.per_page = req.per_page ? req.per_page : 10;
    xap_error err;
    return search_run(out, f->db, &req, &CFG, &err);
}

static xap_status search(search_results *out, void **state, const char *q)
{
    return search_with(out, state, (search_request){.q = q});
}

static const search_hit *hit_by_id(const search_results *r, const char *id)
{
    for (size_t i = 0; i < r->n_hits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return &r->hits[i];
    return NULL;
}

static void permalink_patterns(void **state)
{
    (void)state;
    const struct {
        const char *pattern, *slug, *date, *want;
    } cases[] = {
        {"/{yyyy}/{mm}/{slug}/", "looms", "2021-03-14", "/2021/03/looms/"},
        {"/{yyyy}/{mm}/{dd}/{slug}.html", "a-b", "2024-12-01", "/2024/12/01/a-b.html"},
        {"https://blog.example/p/{slug}", "x", "2020-01-02", "https://blog.example/p/x"},
        {"/{slug}/{slug}/", "twice", "2020-01-02", "/twice/twice/"},
        {"/{yyyy}/{slug}/", "nodate", "", "/nodate/"}, /* undated: the date's parts left out */
        {"/{yyyy}/{mm}/{slug}/", "nodate", NULL, "/nodate/"},
        {"/blog/{slug}-{yyyy}", "nodate", NULL, "/blog/nodate-"},
        {"/{unknown}/{slug", "s", "2020-01-02", "/{unknown}/{slug"},
        {"", "s", "2020-01-02", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = permalink_expand(
            cases[i].pattern, &(permalink_fields){.slug = cases[i].slug, .date = cases[i].date});
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

/* What one query's hit looks like: where it links, its section, its snippet,
 * its title and the fields the query matched. */
static void hits_are_decoded(void **state)
{
    const struct {
        const char *q, *id, *url, *section, *anchor, *snippet_has, *title_has;
        unsigned matched, not_matched;
    } cases[] = {
        /* From the section that matches, which the URL points into. */
        {"punched cards", "looms", "/2021/03/looms/#jacquard-cards", "Jacquard cards", "jacquard-cards",
         "<mark>punched cards</mark>", "Looms and algorithms", XAP_FIELD_TEXT | XAP_FIELD_HEADING,
         XAP_FIELD_TITLE},
        {"lancashire", "looms", "/2021/03/looms/#later-machines", "Later machines", "later-machines",
         "<mark>Lancashire</mark>", "Looms", XAP_FIELD_TEXT, XAP_FIELD_TITLE | XAP_FIELD_TAG},
        /* Before the first heading: no section, no anchor. */
        {"steam", "looms", "/2021/03/looms/", NULL, NULL, "<mark>steam</mark>", "Looms", XAP_FIELD_TEXT, 0},
        /* The URL of the front matter wins over the pattern. */
        {"timetables", "buses", "https://example.org/special/buses/", NULL, NULL, "printed <mark>timetables</mark>",
         "Bus data", XAP_FIELD_TEXT | XAP_FIELD_SUMMARY, XAP_FIELD_TITLE},
        /* A wildcard, whose words the cheap count cannot see: every section
         * is snippeted, and the one that matches is found. */
        {"jacq*", "looms", "/2021/03/looms/#jacquard-cards", "Jacquard cards", "jacquard-cards",
         "<mark>Jacquard</mark>", "Looms and algorithms", XAP_FIELD_TEXT, 0},
        /* Only the title matches: the snippet is the summary, escaped, unmarked. */
        {"knitting", "knitting", "/2024/01/knitting/", NULL, NULL, "meets &lt;here&gt;.",
         "<mark>Knitting</mark> circle", XAP_FIELD_TITLE, XAP_FIELD_TEXT},
        /* Only a tag matches. */
        {"tag:crafts", "knitting", "/2024/01/knitting/", NULL, NULL, "Our Tuesday group", "Knitting circle",
         XAP_FIELD_TAG, XAP_FIELD_TEXT | XAP_FIELD_TITLE},
        {"salford", "buses", "https://example.org/special/buses/", NULL, NULL, "Timetables as open data.",
         "Bus data in <mark>Salford</mark>", XAP_FIELD_TITLE, XAP_FIELD_TEXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_results r;
        assert_int_equal(search(&r, state, cases[i].q), XAP_OK);
        const search_hit *h = hit_by_id(&r, cases[i].id);
        if (!h)
            fail_msg("%s: no hit %s", cases[i].q, cases[i].id);
        assert_string_equal(h->url, cases[i].url);
        if (cases[i].section) {
            assert_string_equal(h->section, cases[i].section);
            assert_string_equal(h->anchor, cases[i].anchor);
        } else {
            assert_null(h->section);
            assert_null(h->anchor);
        }
        if (!strstr(h->snippet_html, cases[i].snippet_has) || !strstr(h->title_html, cases[i].title_has))
            fail_msg("%s: snippet \"%s\", title \"%s\"", cases[i].q, h->snippet_html, h->title_html);
        if ((h->matched & cases[i].matched) != cases[i].matched || (h->matched & cases[i].not_matched))
            fail_msg("%s: matched fields %#x", cases[i].q, h->matched);
        assert_true(h->score >= 0); /* 0 for a filter alone (tag:) */
        search_results_free(&r);
    }
}

/* The decoded head of a hit: date, authors, tags. */
static void hit_carries_its_front_matter(void **state)
{
    search_results r;
    assert_int_equal(search(&r, state, "steam"), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    const search_hit *h = &r.hits[0];
    assert_string_equal(h->title, "Looms and algorithms");
    assert_string_equal(h->date, "2021-03-14");
    assert_int_equal(h->n_authors, 1);
    assert_string_equal(h->authors[0], "Ada Brindle");
    assert_int_equal(h->n_tags, 2);
    assert_string_equal(h->tags[0], "history");
    assert_string_equal(h->tags[1], "weaving");
    assert_true(h->score > 0);
    assert_null(h->terms); /* no explain asked for */
    search_results_free(&r);
}

static unsigned long facet_count(const search_results *r, xap_facet facet, const char *value)
{
    for (size_t i = 0; i < r->n_facets[facet]; i++)
        if (strcmp(r->facets[facet][i].value, value) == 0)
            return r->facets[facet][i].count;
    return 0;
}

static void facets_count_over_all_matches(void **state)
{
    search_results r;
    assert_int_equal(search_with(&r, state, (search_request){.q = "weaving", .per_page = 1, .facets = true}),
                     XAP_OK);
    assert_true(r.has_facets);
    assert_int_equal(r.n_hits, 1); /* one a page, but facets count both matches */
    const struct {
        xap_facet facet;
        const char *value;
        unsigned long count;
    } cases[] = {
        {XAP_FACET_TAG, "history", 2},      {XAP_FACET_TAG, "weaving", 1},
        {XAP_FACET_TAG, "transport", 0},    {XAP_FACET_AUTHOR, "Ada Brindle", 2},
        {XAP_FACET_AUTHOR, "Ben Crane", 0}, {XAP_FACET_YEAR, "2021", 1},
        {XAP_FACET_YEAR, "2023", 1},        {XAP_FACET_YEAR, "2022", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (facet_count(&r, cases[i].facet, cases[i].value) != cases[i].count)
            fail_msg("facet %d %s: %lu, want %lu", cases[i].facet, cases[i].value,
                     facet_count(&r, cases[i].facet, cases[i].value), cases[i].count);
    search_results_free(&r);
    /* Not asked for: none. */
    assert_int_equal(search(&r, state, "weaving"), XAP_OK);
    assert_false(r.has_facets);
    assert_int_equal(r.n_facets[XAP_FACET_TAG], 0);
    search_results_free(&r);
}

/* "history" finds looms and mills; page by page, newest and oldest first. */
static void pages_and_order(void **state)
{
    const struct {
        unsigned page, per_page;
        xap_sort sort;
        const char *ids; /* the page's ids, space-separated */
    } cases[] = {
        {1, 10, XAP_SORT_NEWEST, "mills looms"}, {1, 10, XAP_SORT_OLDEST, "looms mills"},
        {1, 1, XAP_SORT_NEWEST, "mills"},        {2, 1, XAP_SORT_NEWEST, "looms"},
        {3, 1, XAP_SORT_NEWEST, ""},             {2, 10, XAP_SORT_NEWEST, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_request req = {.q = "history", .page = cases[i].page, .per_page = cases[i].per_page,
                              .sort = cases[i].sort};
        search_results r;
        assert_int_equal(search_with(&r, state, req), XAP_OK);
        char ids[256] = "";
        for (size_t h = 0; h < r.n_hits; h++)
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", h ? " " : "", r.hits[h].id);
        assert_string_equal(ids, cases[i].ids);
        assert_int_equal(r.total_estimate, 2);
        search_results_free(&r);
    }
}

/* An empty query lists what the filters let through; with none, every post. */
static void empty_query(void **state)
{
    const char *history[] = {"history"}, *ada[] = {"ada brindle"};
    const struct {
        xap_filters filters;
        size_t n_hits;
    } cases[] = {
        {{0}, 4},
        {{.tags = history, .n_tags = 1}, 2},
        {{.authors = ada, .n_authors = 1, .from = "20220101"}, 1},
        {{.from = "20220101", .to = "20231231"}, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_results r;
        assert_int_equal(search_with(&r, state, (search_request){.q = "", .filters = cases[i].filters}), XAP_OK);
        if (r.n_hits != cases[i].n_hits)
            fail_msg("empty query, case %zu: %zu hits, want %zu", i, r.n_hits, cases[i].n_hits);
        search_results_free(&r);
    }
}

/* What the page says about the query itself. */
static void corrections_widening_and_relaxing(void **state)
{
    const struct {
        const char *q, *corrected;
        bool showing_corrected, widened, relaxed;
        size_t n_hits;
    } cases[] = {
        {"weavng", "weaving", true, false, false, 2},
        {"weaving timetables", NULL, false, true, false, 3},
        {"weaving AND", NULL, false, false, true, 2},
        {"weaving", NULL, false, false, false, 2},
        {"zzyzx", NULL, false, false, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_results r;
        assert_int_equal(search(&r, state, cases[i].q), XAP_OK);
        if (cases[i].corrected)
            assert_string_equal(r.corrected_query, cases[i].corrected);
        else
            assert_null(r.corrected_query);
        assert_int_equal(r.showing_corrected, cases[i].showing_corrected);
        assert_int_equal(r.widened, cases[i].widened);
        assert_int_equal(r.relaxed, cases[i].relaxed);
        if (r.n_hits != cases[i].n_hits)
            fail_msg("%s: %zu hits, want %zu", cases[i].q, r.n_hits, cases[i].n_hits);
        search_results_free(&r);
    }
}

static void explain_lists_terms_and_weights(void **state)
{
    search_results r;
    assert_int_equal(search_with(&r, state, (search_request){.q = "jacquard loom", .explain = true}), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    const search_hit *h = &r.hits[0];
    assert_true(h->n_terms >= 2);
    for (size_t i = 0; i < h->n_terms; i++) {
        assert_true(h->terms[i].weight > 0);
        assert_true(h->terms[i].fields != 0);
        assert_int_equal(h->matched & h->terms[i].fields, h->terms[i].fields);
    }
    search_results_free(&r);
}

static void similar_posts_leave_the_post_out(void **state)
{
    test_index *f = *state;
    search_results r;
    xap_error err;
    assert_int_equal(search_similar(&r, f->db, "looms", 5, &CFG, &err), XAP_OK);
    assert_true(r.n_hits > 0);
    assert_null(hit_by_id(&r, "looms"));
    search_results_free(&r);
}

/* A database whose one document's data is not what the indexer stores. */
static xap_db *db_with_bad_data(const char *dir)
{
    xap_writer *w;
    xap_doc *doc;
    xap_error err;
    assert_int_equal(xap_writer_open(&w, scratch_path(dir, "db"), 0, &err), XAP_OK);
    assert_int_equal(xap_doc_new(&doc, w, &err), XAP_OK);
    assert_int_equal(xap_doc_index_text(doc, "weaving", 7, 1, "", &err), XAP_OK);
    assert_int_equal(xap_doc_set_data(doc, "[\"not an object\"]", 17, &err), XAP_OK);
    assert_int_equal(xap_writer_put(w, "bad", doc, &err), XAP_OK);
    xap_doc_free(doc);
    assert_int_equal(xap_writer_commit(w, &err), XAP_OK);
    xap_writer_close(w);
    xap_db *db;
    assert_int_equal(xap_db_open(&db, scratch_path(dir, "db"), &err), XAP_OK);
    return db;
}

/* Every code a search returns here, and the page left empty each time. */
static void errors(void **state)
{
    test_index *f = *state;
    char *dir = scratch_dir();
    xap_db *bad = db_with_bad_data(dir);
    search_config narrow = CFG;
    narrow.max_expansion = 1;
    const struct {
        xap_db *db;
        const search_config *cfg;
        const char *q, *similar_to; /* a search, or similar posts of a post */
        xap_status code;
    } cases[] = {
        {bad, &CFG, "weaving", NULL, XAP_EIO},
        {f->db, &narrow, "t*", NULL, XAP_ELIMIT},
        {f->db, &CFG, NULL, "no-such-post", XAP_ENODOC},
        {f->db, &narrow, "timetable*", NULL, XAP_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        search_results r;
        xap_error err = {0};
        xap_status rc;
        if (cases[i].q) {
            search_request req = {.q = cases[i].q, .q_len = strlen(cases[i].q), .page = 1, .per_page = 10};
            rc = search_run(&r, cases[i].db, &req, cases[i].cfg, &err);
        } else {
            rc = search_similar(&r, cases[i].db, cases[i].similar_to, 5, cases[i].cfg, &err);
        }
        if (rc != cases[i].code)
            fail_msg("case %zu: %s, want %s", i, xap_status_name(rc), xap_status_name(cases[i].code));
        if (rc != XAP_OK) {
            assert_int_equal(err.code, rc);
            assert_int_equal(r.n_hits, 0);
            assert_null(r.hits);
        }
        search_results_free(&r);
    }
    xap_db_close(bad);
    scratch_remove(dir);
}

/* A post with a long section, for the window a snippet is made from. */
static char *long_post(void)
{
    strbuf sb = {0};
    sb_puts(&sb, "---\ntitle: \"Notes & queries\"\ndate: 2020-02-02\nsummary: \"\"\n---\n"
                 "A short introduction about canals.\n\n## The long part\n\n");
    for (int i = 0; i < 60; i++) /* about 4,000 bytes */
        sb_printf(&sb, "Sentence %d of the long part talks about canals and towpaths. ", i);
    sb_puts(&sb, "Here a zeppelin crossed the sky. ");
    for (int i = 0; i < 30; i++)
        sb_printf(&sb, "Closing sentence %d about locks and barges. ", i);
    sb_puts(&sb, "\n\n## After\n\nA last word on canals.\n");
    return sb_take(&sb);
}

/* front matter, then `before`, n_filler sentences, `after`. */
static char *post_with(const char *title, const char *before, int n_filler, const char *filler,
                       const char *after)
{
    strbuf sb = {0};
    sb_printf(&sb, "---\ntitle: \"%s\"\ndate: 2020-03-03\nsummary: \"\"\n---\n%s", title, before);
    for (int i = 0; i < n_filler; i++)
        sb_puts(&sb, filler);
    sb_printf(&sb, "%s\n", after);
    return sb_take(&sb);
}

static int setup_long_index(void **state)
{
    char *texts[] = {
        long_post(),
        /* A script written without spaces after the match: one long "word". */
        post_with("Mixed", "Our workshop notes follow here: ", 300,
                  "\xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C", "."),
        /* The match right after a curly quote, deep in the text. */
        post_with("Notes\xE2\x80\x94hackday", "Rivers. ", 40, "Filler about rivers and bridges. ",
                  "In the end we called it a \xE2\x80\x9Chackday\xE2\x80\x9D and went home."),
        /* Words that begin like the match, denser than it. */
        post_with("Drive", "", 4, "Good care matters, and a career in careful card design needs care. ",
                  "Then a long stretch about rivers and bridges and towns and hills and roads and "
                  "fields and farms and mills and canals and locks and barges and boats and docks "
                  "and quays and harbours and lighthouses and cliffs and beaches and dunes and "
                  "marshes and moors and fells and dales and valleys and woods and forests and "
                  "glades and meadows and pastures and hedges and walls and gates and stiles and "
                  "paths and tracks and lanes and streets and squares and parks and gardens; and "
                  "at last we drove home in the car."),
        /* Only the title matches, and the whole text fits a snippet. */
        post_with("Ferry timetables", "A short note.", 0, "", ""),
        /* A phrase at the very end of a long text. */
        post_with("End", "", 30, "Filler about rivers and bridges. ", "They walked on and never saw it."),
    };
    test_post posts[] = {{"2020/notes.md", texts[0]},
                         {"2020/mixed.md", texts[1]},
                         {"2020/quote.md", texts[2]},
                         {"2020/drive.md", texts[3]},
                         {"2020/ferry.md", texts[4]},
                         {"2020/end.md", texts[5]}};
    *state = test_index_open(posts, 6);
    for (size_t i = 0; i < 6; i++)
        free(texts[i]);
    return *state ? 0 : -1;
}

/* The snippet scan's edge cases: a window in a script without spaces stays
 * about one snippet long; a word after a curly quote or a dash is found, in
 * the text and in the title; look-alike words ("card" for "car") do not hide
 * the real match. */
static void snippet_scan_edge_cases(void **state)
{
    search_results r;
    assert_int_equal(search(&r, state, "workshop"), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    if (!strstr(r.hits[0].snippet_html, "<mark>workshop</mark>") ||
        strlen(r.hits[0].snippet_html) > 3 * CFG.snippet_bytes)
        fail_msg("%zu bytes: %.300s", strlen(r.hits[0].snippet_html), r.hits[0].snippet_html);
    search_results_free(&r);

    assert_int_equal(search(&r, state, "hackday"), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    if (!strstr(r.hits[0].snippet_html, "<mark>hackday</mark>") || !(r.hits[0].matched & XAP_FIELD_TEXT))
        fail_msg("snippet \"%s\"", r.hits[0].snippet_html);
    if (!strstr(r.hits[0].title_html, "<mark>hackday</mark>"))
        fail_msg("title \"%s\"", r.hits[0].title_html);
    search_results_free(&r);

    assert_int_equal(search(&r, state, "car"), XAP_OK);
    const search_hit *h = hit_by_id(&r, "drive");
    if (!h || !strstr(h->snippet_html, "<mark>car</mark>"))
        fail_msg("snippet \"%s\"", h ? h->snippet_html : "(no hit)");
    search_results_free(&r);
}

/* A match deep in a long section: the snippet is one snippet's worth around
 * it, marked as cut at both ends, and names the section; a title no query
 * word can match comes back escaped and unmarked. */
static void snippet_window_in_a_long_section(void **state)
{
    search_results r;
    assert_int_equal(search(&r, state, "zeppelin"), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    const search_hit *h = &r.hits[0];
    if (!strstr(h->snippet_html, "<mark>zeppelin</mark>"))
        fail_msg("snippet \"%s\"", h->snippet_html);
    assert_string_equal(h->section, "The long part");
    assert_true(strncmp(h->snippet_html, "\xE2\x80\xA6", 3) == 0);
    assert_true(strcmp(h->snippet_html + strlen(h->snippet_html) - 3, "\xE2\x80\xA6") == 0);
    assert_true(strlen(h->snippet_html) < 2 * CFG.snippet_bytes);
    assert_string_equal(h->title_html, "Notes &amp; queries");
    search_results_free(&r);
    /* A word of the title: marked there. */
    assert_int_equal(search(&r, state, "queries"), XAP_OK);
    assert_int_equal(r.n_hits, 1);
    assert_string_equal(r.hits[0].title_html, "Notes &amp; <mark>queries</mark>");
    search_results_free(&r);
}

/* A text shown whole is not marked as cut, and a match at the very end of a
 * text still gets a whole snippet's worth of text before it. */
static void snippet_ends(void **state)
{
    search_results r;
    assert_int_equal(search(&r, state, "timetables"), XAP_OK);
    const search_hit *h = hit_by_id(&r, "ferry");
    assert_non_null(h);
    assert_string_equal(h->snippet_html, "A short note.");
    search_results_free(&r);
    assert_int_equal(search(&r, state, "\"and never\""), XAP_OK);
    h = hit_by_id(&r, "end");
    if (!h || !strstr(h->snippet_html, "<mark>and never</mark> saw it.") ||
        strlen(h->snippet_html) < CFG.snippet_bytes * 3 / 4)
        fail_msg("snippet \"%s\"", h ? h->snippet_html : "(no hit)");
    search_results_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(permalink_patterns),
        cmocka_unit_test(hits_are_decoded),
        cmocka_unit_test(hit_carries_its_front_matter),
        cmocka_unit_test(facets_count_over_all_matches),
        cmocka_unit_test(pages_and_order),
        cmocka_unit_test(empty_query),
        cmocka_unit_test(corrections_widening_and_relaxing),
        cmocka_unit_test(explain_lists_terms_and_weights),
        cmocka_unit_test(similar_posts_leave_the_post_out),
        cmocka_unit_test(errors),
    };
    const struct CMUnitTest long_tests[] = {
        cmocka_unit_test(snippet_window_in_a_long_section),
        cmocka_unit_test(snippet_scan_edge_cases),
        cmocka_unit_test(snippet_ends),
    };
    return cmocka_run_group_tests(tests, setup_index, teardown_index) +
           cmocka_run_group_tests(long_tests, setup_long_index, teardown_index);
}
