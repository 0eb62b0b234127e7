/* test_text.c — the shared text helpers (lib/text.c) and the permalink pattern
 * (lib/results.c), as tables of input and expected output. */
#include "permalink.h"
#include "results.h"
#include "text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void utf8_validation(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        bool valid;
        size_t bad;
    } cases[] = {
        {"plain ascii", 11, true, 0},
        {"caf\xC3\xA9 Z\xC3\xBCrich", 13, true, 0},
        {"ab\xFF", 3, false, 2},
        {"\xC0\xAF", 2, false, 0},              /* overlong '/' */
        {"\xED\xA0\x80", 3, false, 0},          /* a UTF-16 surrogate */
        {"a\0b", 3, false, 1},                  /* NUL */
        {"\xE2\x82", 2, false, 0},              /* cut short */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad = 99;
        assert_int_equal(utf8_valid(cases[i].s, cases[i].len, &bad), cases[i].valid);
        if (!cases[i].valid)
            assert_int_equal(bad, cases[i].bad);
    }
}

static void utf8_cleaning(void **state)
{
    (void)state;
    size_t len;
    char *s = utf8_clean("a\xFF" "b\x1b[31mc\td\ne\x7f", 14, &len);
    assert_string_equal(s, "a\xEF\xBF\xBD" "b[31mc\td\ne");
    assert_int_equal(len, strlen(s));
    free(s);
}

static void visible_text_of_html(void **state)
{
    (void)state;
    static const struct {
        const char *html, *text;
    } cases[] = {
        {"<p>Hello <b>world</b></p>", " Hello  world  "},
        {"<script>alert(1)</script>after", " after"},
        {"<STYLE>p{}</STYLE>x", " x"},
        {"a<!-- hidden -->b", "ab"},
        {"fish &amp; chips &lt;3", "fish & chips <3"},
        {"unclosed <b", "unclosed  "},
        {"<script>never closed", " "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf sb = {0};
        html_visible_text(&sb, cases[i].html, strlen(cases[i].html));
        char *got = sb_take(&sb);
        assert_string_equal(got, cases[i].text);
        free(got);
    }
}

static void escaping_for_html(void **state)
{
    (void)state;
    strbuf sb = {0};
    const char *s = "<a href=\"x\">Tom & Jerry's</a>";
    html_escape(&sb, s, strlen(s));
    assert_string_equal(sb.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    sb_free(&sb);
}

static void slugs(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"My First Post", "my-first-post"},
        {"  --Café & Zürich!! ", "cafe-zurich"},
        {"2024 report", "2024-report"},
        {"???", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = slugify(cases[i].in);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    assert_true(slug_valid("lcr-data-community_2025.v2"));
    assert_false(slug_valid(""));
    assert_false(slug_valid(".hidden"));
    assert_false(slug_valid("Upper"));
    assert_false(slug_valid("with space"));
    assert_false(slug_valid("a/b"));
}

static void permalinks(void **state)
{
    (void)state;
    char *s = permalink_expand("https://example.org/{yyyy}/{mm}/{dd}/{slug}/",
                                &(permalink_fields){.slug = "looms", .date = "2024-05-09"});
    assert_string_equal(s, "https://example.org/2024/05/09/looms/");
    free(s);
    s = permalink_expand("/{unknown}/{slug}", &(permalink_fields){.slug = "x", .date = "2024-05-09"});
    assert_string_equal(s, "/{unknown}/x");
    free(s);
    /* Every token; an unknown field expands to nothing. */
    s = permalink_expand("/{section}/{filename}/{title}/{dd}",
                         &(permalink_fields){.date = "2024-05-09", .title = "Café & Co",
                                             .filename = "Rust.1.43.1", .section = "releases"});
    assert_string_equal(s, "/releases/Rust.1.43.1/cafe-co/09");
    free(s);
    s = permalink_expand("/{section}/{slug}/", &(permalink_fields){.slug = "x"});
    assert_string_equal(s, "//x/");
    free(s);
}

static void string_buffer(void **state)
{
    (void)state;
    strbuf sb = {0};
    for (int i = 0; i < 1000; i++)
        sb_printf(&sb, "%d,", i);
    assert_int_equal(sb.len, strlen(sb.data));
    assert_memory_equal(sb.data, "0,1,2,", 6);
    char *s = sb_take(&sb);
    assert_null(sb.data);
    free(s);
    s = sb_take(&sb);
    assert_string_equal(s, "");
    free(s);
    /* Numbers written without a format: as printf writes them. */
    const unsigned long numbers[] = {0, 7, 10, 99, 1000001, 4294967296UL, (unsigned long)-1};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "x%lu", numbers[i]);
        sb_putc(&sb, 'x');
        sb_put_unsigned(&sb, numbers[i]);
        assert_string_equal(sb.data, want);
        sb_free(&sb);
    }
}

/* Headings' ids as GitHub, Hugo and Jekyll make them. */
static void github_anchors(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"What's new in v1.2?", "whats-new-in-v12"}, {"Warum das für uns", "warum-das-für-uns"},
        {"七个工具不是七百个", "七个工具不是七百个"},   {"a  b", "a--b"},
        {"snake_case-Name", "snake_case-name"},      {"Ünïcode ÉTÉ", "ünïcode-été"},
        {"???", ""},                                 {"C++ & C#: 2024", "c--c-2024"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = github_anchor(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
}

/* Which words have East Asian letters: no accents to fold (indexer/document.c). */
static void east_asian_scripts(void **state)
{
    (void)state;
    const char *yes[] = {"バックアップ", "数据库", "데이터", "ＡＢＣ", "x。", "𠀋"};
    const char *no[] = {"", "Zürich", "naïve", "Ελλάδα", "Москва", "עברית", "ascii"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(has_east_asian(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(has_east_asian(no[i]));
}

/* One safe line for a log or a terminal, whatever the bytes. */
static void percent_decoding_and_words(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/p/caf%C3%A9/", "/p/café/"}, {"a%20b%2fc", "a b/c"}, {"100%", "100%"},
        {"%zz%4", "%zz%4"}, {"%+1", "%+1"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        strbuf out = {0};
        percent_decode(&out, cases[i][0]);
        assert_string_equal(out.data, cases[i][1]);
        sb_free(&out);
    }
    assert_int_equal(word_count("  one two\tthree\n"), 3);
    assert_int_equal(word_count(""), 0);
    assert_int_equal(word_count(NULL), 0);
}

static void escaping_for_logs(void **state)
{
    (void)state;
    const struct {
        const char *in;
        size_t len;
        bool quoted;
        const char *out;
    } rows[] = {
#define ROW(in, quoted, out) {in, sizeof in - 1, quoted, out}
        ROW("plain words", true, "plain words"),
        ROW("caf\xc3\xa9 \xe2\x80\x94 ok", false, "caf\xc3\xa9 \xe2\x80\x94 ok"),
        ROW("a\nforged line", true, "a\\x0aforged line"),
        ROW("\x1b[31mred\x07", false, "\\x1b[31mred\\x07"),
        ROW("tab\there", false, "tab\\x09here"),
        ROW("say \"hi\" \\", true, "say \\\"hi\\\" \\\\"),
        ROW("say \"hi\"", false, "say \"hi\""),
        ROW("bad \xff byte", false, "bad \\xff byte"),
        ROW("c1 \xc2\x9b csi", false, "c1 \\xc2\\x9b csi"),
        ROW("nul\0x", false, "nul\\x00x"),
        ROW("del\x7f", false, "del\\x7f"),
    };
#undef ROW
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        strbuf sb = {0};
        log_escape(&sb, rows[i].in, rows[i].len, rows[i].quoted);
        assert_non_null(sb.data);
        assert_string_equal(sb.data, rows[i].out);
        sb_free(&sb);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_validation),   cmocka_unit_test(utf8_cleaning),
        cmocka_unit_test(visible_text_of_html), cmocka_unit_test(escaping_for_html),
        cmocka_unit_test(slugs),             cmocka_unit_test(permalinks),
        cmocka_unit_test(string_buffer),     cmocka_unit_test(escaping_for_logs),
        cmocka_unit_test(east_asian_scripts), cmocka_unit_test(github_anchors),
        cmocka_unit_test(percent_decoding_and_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
