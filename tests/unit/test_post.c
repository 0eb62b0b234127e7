/* test_post.c — the post model (lib/post.c): a table of good and broken posts,
 * each with the status and line it must give, and checks of what good ones
 * yield; then the file reader's refusals. */
#include "post.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef void (*post_check)(const post *p);

typedef struct post_case {
    const char *name;
    const char *path;
    const char *content;
    size_t len;          /* 0: strlen(content) */
    post_status expect;
    size_t line;         /* line the error names (0: not checked) */
    post_check check;    /* for POST_OK: what the post must hold */
} post_case;

static void check_full(const post *p)
{
    assert_string_equal(p->title, "Looms & Algorithms: a history");
    assert_string_equal(p->date, "2024-05-01");
    assert_int_equal(p->n_authors, 1);
    assert_string_equal(p->authors[0], "Hana Q. Mossley");
    assert_int_equal(p->n_tags, 2);
    assert_string_equal(p->tags[0], "history");
    assert_string_equal(p->tags[1], "open-data");
    assert_string_equal(p->slug, "looms");
    assert_string_equal(p->url, "https://example.org/looms/");
    assert_string_equal(p->summary, "Weaving then, data now.");
    assert_string_equal(p->image_src, "/img/loom.jpg");
    assert_string_equal(p->image_alt, "A wooden loom");
    assert_int_equal(p->skip, POST_INDEXED);
    assert_non_null(strstr(p->text, "The mills of Ancoats"));
    assert_non_null(strstr(p->text, "What changed"));
    assert_non_null(strstr(p->text, "the archive"));
    assert_non_null(strstr(p->text, "SELECT 1"));
    assert_string_equal(p->headings, "What changed\n");
    assert_string_equal(p->link_text, "the archive\n");
    assert_string_equal(p->alt_text, "a spinning mule\n");
    assert_null(strstr(p->text, "a spinning mule")); /* alt text is not page text */
    assert_non_null(strstr(p->code, "SELECT 1"));
    assert_non_null(strstr(p->code, "wdf"));
}

static void check_two_authors(const post *p)
{
    assert_int_equal(p->n_authors, 2);
    assert_string_equal(p->authors[1], "Tom Ashby");
}

static void check_tags_from_string(const post *p)
{
    assert_int_equal(p->n_tags, 2);
    assert_string_equal(p->tags[0], "events");
    assert_string_equal(p->tags[1], "open data");
}

static void check_date_with_time(const post *p)
{
    assert_string_equal(p->date, "2019-12-31");
}

static void check_empty_body(const post *p)
{
    assert_string_equal(p->text, "");
    assert_string_equal(p->headings, "");
}

static void check_slug_from_name(const post *p)
{
    assert_string_equal(p->slug, "my-first-post");
}

static void check_draft(const post *p)
{
    assert_int_equal(p->skip, POST_SKIP_DRAFT);
}

static void check_raw_html(const post *p)
{
    assert_non_null(strstr(p->text, "Visible"));
    assert_non_null(strstr(p->text, "words"));
    assert_non_null(strstr(p->text, "inline kept"));
    assert_null(strstr(p->text, "hidden"));
    assert_null(strstr(p->text, "secret"));
    assert_null(strstr(p->text, "<div"));
    assert_null(strstr(p->text, "comment"));
}

static void check_no_controls(const post *p)
{
    assert_string_equal(p->title, "[31mRed title");
    assert_null(strchr(p->text, '\x01'));
    assert_null(strchr(p->text, '\x1b'));
}

static void check_undated(const post *p)
{
    assert_null(p->date);
}

static void check_categories(const post *p)
{
    assert_int_equal(p->n_categories, 2);
    assert_string_equal(p->categories[0], "Open Data");
    assert_string_equal(p->categories[1], "Events");
}

static void check_unknown_keys(const post *p)
{
    assert_string_equal(p->title, "Extra keys");
}

#define FM(body) "---\ntitle: T\ndate: 2020-01-01\n---\n" body

static const post_case cases[] = {
    {"full post", "posts/looms.md",
     "---\n"
     "title: \"Looms & Algorithms: a history\"\n"
     "date: 2024-05-01\n"
     "author: Hana Q. Mossley\n"
     "tags: [History, open-data]\n"
     "slug: looms\n"
     "url: https://example.org/looms/\n"
     "summary: Weaving then, data now.\n"
     "image:\n  src: /img/loom.jpg\n  alt: A wooden loom\n"
     "---\n"
     "The mills of Ancoats ran on steam. See [the archive](https://example.org/a).\n\n"
     "## What changed\n\n"
     "![a spinning mule](/img/mule.png) and `wdf` counts.\n\n"
     "```sql\nSELECT 1;\n```\n",
     0, POST_OK, 0, check_full},
    {"authors list", "a.md", "---\ntitle: T\ndate: 2020-01-01\nauthors: [Ann Lee, Tom Ashby]\n---\nx\n", 0,
     POST_OK, 0, check_two_authors},
    {"tags as a string", "a.md", "---\ntitle: T\ndate: 2020-01-01\ntags: Events, Open Data\n---\n", 0,
     POST_OK, 0, check_tags_from_string},
    {"date with a time", "a.md", "---\ntitle: T\ndate: 2019-12-31T23:59:00Z\n---\n", 0, POST_OK, 0,
     check_date_with_time},
    {"empty body", "a.md", "---\ntitle: T\ndate: 2020-01-01\n---\n", 0, POST_OK, 0, check_empty_body},
    {"BOM and CRLF", "a.md", "\xEF\xBB\xBF---\r\ntitle: T\r\ndate: 2020-01-01\r\n---\r\nbody\r\n", 0,
     POST_OK, 0, NULL},
    {"slug from file name", "posts/2020-01-01-My First Post.md", FM("x\n"), 0, POST_OK, 0,
     check_slug_from_name},
    {"draft", "a.md", "---\ntitle: T\ndate: 2020-01-01\ndraft: true\n---\n", 0, POST_OK, 0,
     check_draft},
    {"raw html dropped", "a.md",
     FM("<div>Visible <script>hidden()</script> words</div>\n\n"
        "Some <b>inline kept</b> and <script>secret()</script> more.\n\n<!-- comment -->\n"),
     0, POST_OK, 0, check_raw_html},
    {"control characters removed", "a.md",
     "---\ntitle: \"\\e[31mRed title\"\ndate: 2020-01-01\n---\nA\x01 b\x1b[0m c\n", 0, POST_OK, 0,
     check_no_controls},
    {"an empty heading first (found by fuzzing)", "a.md", FM("#\n# Part two\n"), 0, POST_OK, 0,
     NULL},
    {"image given twice (found by fuzzing)", "a.md",
     "---\ntitle: T\ndate: 2020-01-01\nimage: /a.png\nimage: /b.png\n---\n", 0, POST_OK, 0, NULL},
    {"unknown keys ignored", "a.md", "---\ntitle: Extra keys\ndate: 2020-01-01\nlayout: post\n---\n", 0,
     POST_OK, 0, check_unknown_keys},

    {"no front matter", "a.md", "# Just markdown\n", 0, POST_ENOFRONT, 1, NULL},
    {"front matter never closed", "a.md", "---\ntitle: T\ndate: 2020-01-01\nbody\n", 0,
     POST_EUNCLOSED, 1, NULL},
    {"front matter not a mapping", "a.md", "---\n- one\n- two\n---\n", 0, POST_EYAML, 1, NULL},
    {"front matter not YAML", "a.md", "---\ntitle: T\ndate: [2020\n---\n", 0, POST_EYAML, 0, NULL},
    {"date not a date", "a.md", "---\ntitle: T\ndate: last Tuesday\n---\n", 0, POST_EFIELD, 1, NULL},
    {"date that does not exist", "a.md", "---\ntitle: T\ndate: 2023-02-29\n---\n", 0, POST_EFIELD, 1,
     NULL},
    {"missing date: undated", "a.md", "---\ntitle: T\n---\n", 0, POST_OK, 0, check_undated},
    {"empty date: undated", "a.md", "---\ntitle: T\ndate:\n---\n", 0, POST_OK, 0, check_undated},
    {"categories", "a.md", "---\ntitle: T\ncategories: [Open Data, Events]\n---\n", 0, POST_OK, 0,
     check_categories},
    {"missing title", "a.md", "---\ndate: 2020-01-01\n---\n", 0, POST_EFIELD, 1, NULL},
    {"tags as a mapping", "a.md", "---\ntitle: T\ndate: 2020-01-01\ntags:\n  a: b\n---\n", 0,
     POST_EFIELD, 5, NULL},
    {"title as a list", "a.md", "---\ntitle: [a, b]\ndate: 2020-01-01\n---\n", 0, POST_EFIELD, 2, NULL},
    {"draft not a boolean", "a.md", "---\ntitle: T\ndate: 2020-01-01\ndraft: maybe\n---\n", 0,
     POST_EFIELD, 4, NULL},
    {"javascript url", "a.md", "---\ntitle: T\ndate: 2020-01-01\nurl: javascript:alert(1)\n---\n", 0,
     POST_EFIELD, 1, NULL},
    {"slug with spaces", "a.md", "---\ntitle: T\ndate: 2020-01-01\nslug: Has Spaces\n---\n", 0,
     POST_EFIELD, 1, NULL},
    {"binary file", "a.md", "---\ntitle: T\n\0\x01\x02", 15, POST_EBINARY, 3, NULL},
    {"invalid UTF-8", "a.md", FM("fine\nbad \xC3\x28 here\n"), 0, POST_EUTF8, 6, NULL},
    {"overlong UTF-8", "a.md", FM("\xC0\xAF\n"), 0, POST_EUTF8, 5, NULL},
};

static void table_of_posts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const post_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->content);
        post *p = NULL;
        post_error err;
        post_status rc = post_parse(&p, c->path, c->content, len, &err);
        if (rc != c->expect)
            fail_msg("case '%s': got %s (%s), want %s", c->name, post_status_name(rc),
                     rc ? err.message : "", post_status_name(c->expect));
        if (rc == POST_OK) {
            assert_non_null(p);
            if (c->check)
                c->check(p);
            post_free(p);
            continue;
        }
        assert_null(p);
        /* Every message names the file, and the line where one is known. */
        assert_int_equal(strncmp(err.message, c->path, strlen(c->path)), 0);
        if (c->line && err.line != c->line)
            fail_msg("case '%s': error on line %zu, want %zu (%s)", c->name, err.line, c->line,
                     err.message);
    }
}

static void five_megabyte_body(void **state)
{
    (void)state;
    const char head[] = "---\ntitle: Long\ndate: 2021-06-01\n---\n";
    size_t body = 5 * 1024 * 1024, len = sizeof head - 1 + body;
    char *buf = malloc(len);
    memcpy(buf, head, sizeof head - 1);
    for (size_t i = 0; i < body; i++)
        buf[sizeof head - 1 + i] = (i % 64 == 63) ? '\n' : "civic data "[i % 11];
    post *p;
    post_error err;
    assert_int_equal(post_parse(&p, "long.md", buf, len, &err), POST_OK);
    assert_true(strlen(p->text) > 4 * 1024 * 1024);
    post_free(p);
    free(buf);
}

static void file_reader_refusals(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    post *p = NULL;
    post_error err;
    assert_int_equal(post_load(&p, scratch_path(dir, "missing.md"), 1024, &err), POST_EIO);
    assert_non_null(strstr(err.message, "missing.md"));

    char path[4096];
    snprintf(path, sizeof path, "%s", scratch_path(dir, "big.md"));
    FILE *f = fopen(path, "w");
    fputs("---\ntitle: T\ndate: 2020-01-01\n---\n0123456789\n", f);
    fclose(f);
    assert_int_equal(post_load(&p, path, 16, &err), POST_ETOOBIG);
    assert_int_equal(post_load(&p, path, 1024, &err), POST_OK);
    assert_string_equal(p->slug, "big");
    post_free(p);

    assert_int_equal(symlink(path, scratch_path(dir, "link.md")), 0);
    assert_int_equal(post_load(&p, scratch_path(dir, "link.md"), 1024, &err), POST_EIO);
    assert_int_equal(mkdir(scratch_path(dir, "folder.md"), 0755), 0);
    assert_int_equal(post_load(&p, scratch_path(dir, "folder.md"), 1024, &err), POST_EIO);
    assert_null(p);
    scratch_remove(dir);
}

static void json_round_trip(void **state)
{
    (void)state;
    const post_case *full = &cases[0];
    post *p, *back;
    post_error err;
    assert_int_equal(post_parse(&p, full->path, full->content, strlen(full->content), &err), POST_OK);
    char *json = post_to_json(p);
    back = post_from_json(json, strlen(json));
    assert_non_null(back);
    check_full(back); /* everything the parser found survives the trip */
    free(json);
    post_free(back);
    post_free(p);
    assert_null(post_from_json("[1,2]", 5));
    assert_null(post_from_json("{\"title\":\"no slug or text\"}", 27));
    assert_null(post_from_json("not json", 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_of_posts),
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(five_megabyte_body),
        cmocka_unit_test(file_reader_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
