/* test_render.c — the JSON answer's facet lists (server/render.c), which are
 * written as text around names jansson escapes: every name that is UTF-8 comes
 * back as it went in, whatever it holds (quotes, backslashes, markup, line
 * separators, control bytes, names longer than the escaping buffer), a name
 * that is not UTF-8 is left out, the lists keep their order and counts, and
 * the body stays safe to inline in a page; and the plain-text answer's
 * snippets are characters, not HTML escapes. */
#include "config.h"
#include "render.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static server_config cfg = {.max_depth = 1000};
const server_config *config = &cfg;

/* A page with one hit and the facets given, rendered as JSON and parsed back. */
static json_t *answer(search_facet *facets[XAP_FACET_COUNT], const size_t counts[XAP_FACET_COUNT],
                      bool has_facets, char **body)
{
    search_hit hit = {.id = "a-post", .title = "A post", .title_html = "A post", .url = "/a-post/",
                      .snippet_html = "text", .section = "", .anchor = ""};
    search_results r = {.total_estimate = 1, .hits = &hit, .n_hits = 1, .has_facets = has_facets};
    for (int f = 0; f < XAP_FACET_COUNT; f++) {
        r.facets[f] = facets ? facets[f] : NULL;
        r.n_facets[f] = counts ? counts[f] : 0;
    }
    search_request req = {.q = "post", .q_len = 4, .page = 1, .per_page = 10};
    page_view v = {.query = "post", .req = &req, .page = 1, .per_page = 10};
    *body = render_results(FORMAT_JSON, &r, &v);
    assert_non_null(*body);
    json_error_t err;
    json_t *j = json_loads(*body, 0, &err);
    if (!j)
        fail_msg("the answer is not JSON (%s): %s", err.text, *body);
    return j;
}

static void hostile_names_come_back_as_they_went_in(void **state)
{
    (void)state;
    char long_name[1400];
    for (size_t i = 0; i < sizeof long_name - 1; i++)
        long_name[i] = "\"<\\>&x"[i % 6]; /* escapes to several times its length */
    long_name[sizeof long_name - 1] = '\0';
    search_facet tags[] = {
        {"C++", 9},           {"say \"hi\"", 8},       {"back\\slash", 7}, {"</script><b>", 6},
        {"AT&T", 5},          {"line\xE2\x80\xA8sep", 4}, {"bell\x01", 3},     {"caf\xC3\xA9", 2},
        {"bad \xFF byte", 2}, {long_name, 1},
    };
    search_facet authors[] = {{"Ada", 3}, {"\xC0\xAF", 2}}, years[] = {{"2024", 5}, {"2023", 1}};
    search_facet *facets[XAP_FACET_COUNT] = {0};
    size_t counts[XAP_FACET_COUNT] = {0};
    facets[XAP_FACET_TAG] = tags, counts[XAP_FACET_TAG] = sizeof tags / sizeof tags[0];
    facets[XAP_FACET_AUTHOR] = authors, counts[XAP_FACET_AUTHOR] = 2;
    facets[XAP_FACET_YEAR] = years, counts[XAP_FACET_YEAR] = 2;
    char *body;
    json_t *j = answer(facets, counts, true, &body);

    json_t *list = json_object_get(json_object_get(j, "facets"), "tags");
    assert_int_equal(json_array_size(list), 9); /* "bad \xFF byte" left out */
    size_t k = 0;
    for (size_t i = 0; i < counts[XAP_FACET_TAG]; i++) {
        if (strcmp(tags[i].value, "bad \xFF byte") == 0)
            continue;
        json_t *entry = json_array_get(list, k++);
        assert_string_equal(json_string_value(json_object_get(entry, "value")), tags[i].value);
        assert_int_equal(json_integer_value(json_object_get(entry, "count")), tags[i].count);
        assert_int_equal(json_object_size(entry), 2);
    }
    json_t *names = json_object_get(json_object_get(j, "facets"), "authors");
    assert_int_equal(json_array_size(names), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(names, 0), "value")), "Ada");
    json_t *y = json_object_get(json_object_get(j, "facets"), "years");
    assert_string_equal(json_string_value(json_object_get(json_array_get(y, 1), "value")), "2023");
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "facets"), "categories")), 0);
    assert_int_equal(json_object_size(json_object_get(j, "facets")), 4);
    /* The rest of the answer is whole beside them. */
    assert_string_equal(json_string_value(json_object_get(j, "query")), "post");
    assert_int_equal(json_array_size(json_object_get(j, "results")), 1);
    /* Safe to inline: no raw markup or line separator in the body. */
    assert_null(strpbrk(body, "<>&"));
    assert_null(strstr(body, "\xE2\x80\xA8"));
    json_decref(j);
    free(body);
}

static void no_facets_asked_none_written(void **state)
{
    (void)state;
    char *body;
    json_t *j = answer(NULL, NULL, false, &body);
    assert_null(json_object_get(j, "facets"));
    assert_int_equal(json_array_size(json_object_get(j, "results")), 1);
    json_decref(j);
    free(body);
}

static void facets_asked_of_an_empty_page_are_empty_lists(void **state)
{
    (void)state;
    char *body;
    json_t *j = answer(NULL, NULL, true, &body);
    json_t *facets = json_object_get(j, "facets");
    const char *key;
    json_t *list;
    assert_int_equal(json_object_size(facets), 4);
    json_object_foreach (facets, key, list)
        assert_int_equal(json_array_size(list), 0);
    json_decref(j);
    free(body);
}

/* curl's plain text shows a snippet's characters, not the HTML escapes of
 * them (a post's opening text is escaped with quotes and apostrophes too). */
static void text_answer_unescapes_snippets(void **state)
{
    (void)state;
    search_hit hit = {.id = "a", .title = "A post", .title_html = "A post", .url = "/a/",
                      .snippet_html = "I&#39;d say &quot;<mark>yes</mark>&quot; &lt;b&gt; &amp;amp;",
                      .section = "", .anchor = ""};
    search_results r = {.total_estimate = 1, .hits = &hit, .n_hits = 1};
    search_request req = {.q = "yes", .q_len = 3, .page = 1, .per_page = 10};
    page_view v = {.query = "yes", .req = &req, .page = 1, .per_page = 10};
    char *text = render_results(FORMAT_TEXT, &r, &v);
    assert_non_null(strstr(text, "I'd say \"*yes*\" <b> &amp;"));
    assert_null(strstr(text, "&#39;"));
    assert_null(strstr(text, "&quot;"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_names_come_back_as_they_went_in),
        cmocka_unit_test(no_facets_asked_none_written),
        cmocka_unit_test(facets_asked_of_an_empty_page_are_empty_lists),
        cmocka_unit_test(text_answer_unescapes_snippets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
