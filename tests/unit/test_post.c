/* test_post.c — the post model (lib/post.c): a table of good and broken posts,
 * each with the status and line it must give, and checks of what good ones
 * yield; a table of what each generator's front matter must give (forms, dates,
 * slugs, keys that mean the same thing, skip rules); then the file reader's
 * refusals. */
#include "post.h"
#include "testutil.h"
#include "text.h"

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

static void check_unknown_keys(const post *p)
{
    assert_string_equal(p->title, "Extra keys");
}

static void check_last_image(const post *p)
{
    assert_string_equal(p->image_src, "/b.png");
}

static void check_last_title(const post *p)
{
    assert_string_equal(p->title, "Two");
}

#define FM(body) "---\ntitle: T\ndate: 2020-01-01\n---\n" body

/* Template syntax is gone from the text and headings, kept as written in code. */
static void check_templates(const post *p)
{
    assert_null(strstr(p->text, "{%"));
    assert_null(strstr(p->text, "{{<"));
    assert_null(strstr(p->headings, "{{"));
    assert_non_null(strstr(p->text, "See the guide for more."));
    assert_non_null(strstr(p->text, "A note kept"));
    assert_non_null(strstr(p->code, "{{ site.url }}"));
}

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
    {"template syntax stripped, code kept", "a.md",
     "---\ntitle: T\ndate: 2020-01-01\n---\n## Setup {{ page.version }}\n\n"
     "See {% link _docs/guide.md %}the guide for more.\n\n"
     "{{< note >}}A note kept{{< /note >}}\n\n```\n{{ site.url }}\n```\n",
     0, POST_OK, 0, check_templates},
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
    {"image given twice (found by fuzzing: it leaked): the last wins", "a.md",
     "---\ntitle: T\ndate: 2020-01-01\nimage: /a.png\nimage: /b.png\n---\n", 0, POST_OK, 0,
     check_last_image},
    {"title given twice: the last wins, as Jekyll reads it", "a.md",
     "---\ntitle: One\ndate: 2020-01-01\ntitle: Two\n---\n", 0, POST_OK, 0, check_last_title},
    {"JSON front matter with a key given twice", "a.md",
     "{\n  \"title\": \"T\",\n  \"title\": \"U\"\n}\nbody\n", 0, POST_EJSON, 0, NULL},
    {"front matter after blank lines is read, as Hugo reads it", "a.md",
     "\n  \n---\ntitle: Extra keys\ndate: 2020-01-01\n---\nBody.\n", 0, POST_OK, 0, check_unknown_keys},
    {"and after a tab before its fence (Hugo's lexer skips it too)", "a.md",
     "\t---\ntitle: Extra keys\ndate: 2020-01-01\n---\nBody.\n", 0, POST_OK, 0, check_unknown_keys},
    {"and its errors name the file's own lines", "a.md", "\n\n---\ntitle: T\ndate: last Tuesday\n---\n", 0,
     POST_EFIELD, 5, NULL},
    {"unknown keys ignored", "a.md", "---\ntitle: Extra keys\ndate: 2020-01-01\nlayout: post\n---\n", 0,
     POST_OK, 0, check_unknown_keys},


    {"front matter never closed", "a.md", "---\ntitle: T\ndate: 2020-01-01\nbody\n", 0,
     POST_EUNCLOSED, 1, NULL},
    {"front matter not a mapping", "a.md", "---\n- one\n- two\n---\n", 0, POST_EYAML, 1, NULL},
    {"front matter not YAML", "a.md", "---\ntitle: T\ndate: [2020\n---\n", 0, POST_EYAML, 0, NULL},
    {"date not a date", "a.md", "---\ntitle: T\ndate: last Tuesday\n---\n", 0, POST_EFIELD, 3, NULL},
    {"date that does not exist", "a.md", "---\ntitle: T\ndate: 2023-02-29\n---\n", 0, POST_EFIELD, 3,
     NULL},
    {"tags as a mapping", "a.md", "---\ntitle: T\ndate: 2020-01-01\ntags:\n  a: b\n---\n", 0,
     POST_EFIELD, 5, NULL},
    {"title as a list", "a.md", "---\ntitle: [a, b]\ndate: 2020-01-01\n---\n", 0, POST_EFIELD, 2, NULL},
    {"draft not a boolean", "a.md", "---\ntitle: T\ndate: 2020-01-01\ndraft: maybe\n---\n", 0,
     POST_EFIELD, 4, NULL},
    {"javascript url", "a.md", "---\ntitle: T\ndate: 2020-01-01\nurl: javascript:alert(1)\n---\n", 0,
     POST_EFIELD, 4, NULL},
    {"TOML that does not parse", "a.md", "+++\ntitle = \"ok\"\ndate = = 3\n+++\n", 0, POST_ETOML, 3,
     NULL},
    {"TOML never closed", "a.md", "+++\ntitle = \"ok\"\n", 0, POST_EUNCLOSED, 1, NULL},
    {"TOML field of the wrong shape", "a.md", "+++\ntitle = \"T\"\ntags = { a = 1 }\n+++\n", 0,
     POST_EFIELD, 3, NULL},
    {"JSON that does not parse", "a.md", "{\n  \"title\": \"T\",\n  \"date\": ,\n}\nbody\n", 0,
     POST_EJSON, 3, NULL},
    {"JSON never closed", "a.md", "{\n  \"title\": \"T\"\n", 0, POST_EJSON, 0, NULL},
    {"JSON date that is not a date", "a.md", "{\n  \"title\": \"T\",\n  \"date\": \"soon\"\n}\n", 0,
     POST_EFIELD, 3, NULL},
    {"YAML aliases that multiply", "a.md",
     "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n",
     0, POST_EYAML, 1, NULL},
    {"a published date that is not a date", "a.md", "---\npublished: someday\n---\n", 0, POST_EFIELD,
     2, NULL},
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

/* ---- Fields from every generator's front matter ------------------------------ */

/* What a post must hold: NULL is not checked; date "-" is undated; lists are
 * joined with '|'. */
typedef struct field_case {
    const char *name;
    const char *path;
    const char *content;
    const char *title, *date, *slug, *authors, *tags, *categories, *summary;
    post_skip skip;
} field_case;

#define YAML_T(rest) "---\ntitle: T\n" rest "---\nbody\n"

static const field_case field_cases[] = {
    /* each form of front matter */
    {"TOML", "post/pipes.md",
     "+++\ndate = \"2019-01-21T09:00:00-07:00\"\ntitle = \"Pipes and filters\"\n"
     "author = \"Ada Byron\"\ndescription = \"On pipes.\"\n+++\n\nA pipe.\n",
     "Pipes and filters", "2019-01-21", "pipes", "Ada Byron", "", "", "On pipes.", POST_INDEXED},
    {"TOML date value and taxonomies", "content/release-notes.md",
     "+++\ntitle = \"Notes\"\ndate = 2024-07-25\n[taxonomies]\ntags = [\"Release\", \"compiler\"]\n"
     "categories = [\"News\"]\nauthors = [\"Crew A\", \"Crew B\"]\n+++\n",
     "Notes", "2024-07-25", "release-notes", "Crew A|Crew B", "release|compiler", "News", NULL,
     POST_INDEXED},
    {"TOML date from a path field", "content/Shipping-1.80@0.md",
     "+++\npath = \"2024/07/25/Shipping-1.80\"\ntitle = \"Shipping 1.80\"\n"
     "authors = [\"The Release Crew\"]\n[extra]\nrelease = true\n+++\n",
     "Shipping 1.80", "2024-07-25", "shipping-1.80-0", "The Release Crew", "", "", NULL, POST_INDEXED},
    {"Hugo's params block (since 0.123) names the author", "blog/vault.md",
     "---\ntitle: Vault\ndate: 2024-02-06\nparams:\n  author: william\n---\nx\n", "Vault", "2024-02-06",
     "vault", "william", "", "", NULL, POST_INDEXED},
    {"TOML string of tags is one tag", "a.md", "+++\ntitle = \"T\"\ntags = \"open source\"\n+++\n", "T",
     "-", "a", "", "open source", "", NULL, POST_INDEXED},
    {"JSON", "notes/json-first.md",
     "{\n  \"title\": \"JSON at the top\",\n  \"date\": \"2021-03-04\",\n  \"tags\": [\"JSON\"]\n}\n"
     "The body.\n",
     "JSON at the top", "2021-03-04", "json-first", "", "json", "", NULL, POST_INDEXED},
    {"none: title from the first level-1 heading", "notes/plain.md",
     "Intro words.\n\n## Not this\n\n# A heading title\n\n# Nor this\n", "A heading title", "-", "plain",
     "", "", "", NULL, POST_INDEXED},
    {"none: title and date from the file name", "posts/2020-4-9-spring-clean.md", "Just words.\n",
     "Spring clean", "2020-04-09", "spring-clean", "", "", "", NULL, POST_INDEXED},
    {"none: a template tag at the top is not JSON", "x/liquid-top.md", "{% raw %}text{% endraw %}\n",
     "Liquid top", "-", "liquid-top", "", "", "", NULL, POST_INDEXED},
    {"empty YAML", "a/empty-front.md", "---\n---\nbody\n", "Empty front", "-", "empty-front", "", "",
     "", NULL, POST_INDEXED},
    /* dates */
    {"publishDate", "a.md", YAML_T("publishDate: 2022-02-03\n"), "T", "2022-02-03", NULL, NULL, NULL,
     NULL, NULL, POST_INDEXED},
    {"pubDate with a named month", "a.md", YAML_T("pubDate: 'Jul 08 2022'\n"), "T", "2022-07-08", NULL,
     NULL, NULL, NULL, NULL, POST_INDEXED},
    {"day, then named month", "a.md", YAML_T("date: 8 July 2022\n"), "T", "2022-07-08", NULL, NULL,
     NULL, NULL, NULL, POST_INDEXED},
    {"published as a date", "a.md", YAML_T("published: \"2016-07-20\"\n"), "T", "2016-07-20", NULL,
     NULL, NULL, NULL, NULL, POST_INDEXED},
    {"date wins over publishDate", "a.md", YAML_T("publishDate: 2001-01-01\ndate: 2002-02-02\n"), "T",
     "2002-02-02", NULL, NULL, NULL, NULL, NULL, POST_INDEXED},
    {"front matter date wins over the file name", "2025-05-29-x.md", YAML_T("date: 2025-04-29\n"), "T",
     "2025-04-29", "x", NULL, NULL, NULL, NULL, POST_INDEXED},
    {"date not padded", "a.md", YAML_T("date: 2024-4-09\n"), "T", "2024-04-09", NULL, NULL, NULL, NULL,
     NULL, POST_INDEXED},
    {"date-time with an offset, as written", "a.md", YAML_T("date: \"2013-05-06 02:12:52 +0200\"\n"), "T",
     "2013-05-06", NULL, NULL, NULL, NULL, NULL, POST_INDEXED},
    {"date-time late in a western zone, as written", "a.md",
     YAML_T("date: 2016-07-01T23:30:00-07:00\n"), "T", "2016-07-01", NULL, NULL, NULL, NULL, NULL,
     POST_INDEXED},
    {"date from YYYY/MM/DD folders", "blog/2019/05/02/trip.md", YAML_T(""), "T", "2019-05-02", "trip",
     NULL, NULL, NULL, NULL, POST_INDEXED},
    {"year and month folders are no date", "blog/2019/05/trip.md", YAML_T(""), "T", "-", "trip", NULL,
     NULL, NULL, NULL, POST_INDEXED},
    {"date from a bundle's folder", "posts/2018-03-01-trip/index.md", YAML_T(""), "T", "2018-03-01",
     "trip", NULL, NULL, NULL, NULL, POST_INDEXED},
    {"day-month-year folder is no date", "posts/02-05-2017-name/index.md", YAML_T(""), "T", "-",
     "02-05-2017-name", NULL, NULL, NULL, NULL, POST_INDEXED},
    {"date from a url", "a.md", YAML_T("url: /2015/10/8/sponsor.html\n"), "T", "2015-10-08", NULL, NULL,
     NULL, NULL, NULL, POST_INDEXED},
    {"undated", "a.md", YAML_T(""), "T", "-", "a", "", "", "", NULL, POST_INDEXED},
    /* slugs */
    {"a slug past 200 bytes is cut, not at a separator", "a.md",
     YAML_T("slug: " "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww" "-tail and more\n"), "T", NULL, "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww", NULL, NULL,
     NULL, NULL, POST_INDEXED},
    {"slug normalised", "a.md", YAML_T("slug: Has Spaces & Ümlauts!\n"), "T", NULL,
     "has-spaces-umlauts", NULL, NULL, NULL, NULL, POST_INDEXED},
    {"slug that is only punctuation: from the file", "b.md", YAML_T("slug: \"***\"\n"), "T", NULL, "b",
     NULL, NULL, NULL, NULL, POST_INDEXED},
    {"slug of a bundle (mdx)", "posts/001-Nvm/index.mdx", YAML_T(""), "T", NULL, "001-nvm", NULL, NULL,
     NULL, NULL, POST_INDEXED},
    {"slug from a name with accents and dots", "content/Zürich-1.0.md", YAML_T(""), "T", NULL,
     "zurich-1.0", NULL, NULL, NULL, NULL, POST_INDEXED},
    {"slug from a name of no letters", "content/\xe6\x97\xa5.md", YAML_T(""), "T", NULL, "post-94ca9c86",
     NULL, NULL, NULL, NULL, POST_INDEXED},
    /* keys that mean the same thing */
    {"description", "a.md", YAML_T("description: D\n"), "T", NULL, NULL, NULL, NULL, NULL, "D",
     POST_INDEXED},
    {"excerpt", "a.md", YAML_T("excerpt: E\n"), "T", NULL, NULL, NULL, NULL, NULL, "E", POST_INDEXED},
    {"ogSummary", "a.md", YAML_T("ogSummary: O\n"), "T", NULL, NULL, NULL, NULL, NULL, "O", POST_INDEXED},
    {"subtitle", "a.md", YAML_T("subtitle: S\n"), "T", NULL, NULL, NULL, NULL, NULL, "S", POST_INDEXED},
    {"summary before description before excerpt", "a.md",
     YAML_T("excerpt: E\ndescription: D\nsummary: S\n"), "T", NULL, NULL, NULL, NULL, NULL, "S",
     POST_INDEXED},
    {"keys in any case", "a.md", "---\nTitle: Big\nDate: 2020-02-02\nTags: [A]\n---\n", "Big",
     "2020-02-02", NULL, NULL, "a", NULL, NULL, POST_INDEXED},
    {"an author string is one name", "a.md", YAML_T("author: Jo Ames, Executive Director\n"), "T",
     NULL, NULL, "Jo Ames, Executive Director", NULL, NULL, NULL, POST_INDEXED},
    {"an author list is several", "a.md", YAML_T("authors:\n  - Ann Lee\n  - Tom Ashby\n"), "T", NULL,
     NULL, "Ann Lee|Tom Ashby", NULL, NULL, NULL, POST_INDEXED},
    {"an author table", "a.md", YAML_T("author:\n  name: Ann Lee\n  url: https://a.example\n"), "T",
     NULL, NULL, "Ann Lee", NULL, NULL, NULL, POST_INDEXED},
    {"a list of author tables", "a.md", YAML_T("authors:\n  - name: Ann\n  - name: Tom\n    x: 1\n"),
     "T", NULL, NULL, "Ann|Tom", NULL, NULL, NULL, POST_INDEXED},
    {"an author as a Markdown link", "a.md",
     YAML_T("by: \"[Jane Doe](https://jane.example/about)\"\n"), "T", NULL, NULL, "Jane Doe", NULL, NULL,
     NULL, POST_INDEXED},
    {"categories list", "a.md", YAML_T("categories: [Community, Release Notes]\n"), "T", NULL, NULL,
     NULL, NULL, "Community|Release Notes", NULL, POST_INDEXED},
    {"category string", "a.md", YAML_T("category: release\n"), "T", NULL, NULL, NULL, NULL, "release",
     NULL, POST_INDEXED},
    {"categories space-separated", "a.md", YAML_T("categories: news meetup\n"), "T", NULL, NULL, NULL,
     NULL, "news|meetup", NULL, POST_INDEXED},
    {"tags space-separated when unquoted", "a.md", YAML_T("tags: Ruby jekyll  release\n"), "T", NULL,
     NULL, NULL, "ruby|jekyll|release", NULL, NULL, POST_INDEXED},
    {"a repeated tag, category or author counts once (the first kept)", "a.md",
     YAML_T("tags: [Data, data, maps]\ncategories: [News, news]\nauthors: [Ann, ANN]\n"), "T", NULL,
     NULL, "Ann", "data|maps", "News", NULL, POST_INDEXED},
    {"a quoted tag string is one tag", "a.md", YAML_T("tags: \"open source\"\n"), "T", NULL, NULL,
     NULL, "open source", NULL, NULL, POST_INDEXED},
    {"a title key by another name", "a.md", "---\nnewstitle: News of the day\nlayout: x\n---\n",
     "News of the day", NULL, NULL, NULL, NULL, NULL, NULL, POST_INDEXED},
    {"redirect_from is not a stub", "a.md", YAML_T("redirect_from: [/old/]\n"), "T", NULL, NULL, NULL,
     NULL, NULL, NULL, POST_INDEXED},
    /* skip rules */
    {"draft", "a.md", YAML_T("draft: yes\n"), "T", NULL, NULL, NULL, NULL, NULL, NULL, POST_SKIP_DRAFT},
    {"TOML draft", "a.md", "+++\ntitle = \"T\"\ndraft = true\n+++\n", "T", NULL, NULL, NULL, NULL, NULL,
     NULL, POST_SKIP_DRAFT},
    {"published: false", "a.md", YAML_T("published: false\n"), "T", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_DRAFT},
    {"section index", "content/post/_index.md", YAML_T(""), "T", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_SECTION_INDEX},
    {"a translation's section index", "content/events/_index.ca.md", YAML_T(""), "T", NULL, NULL, NULL,
     NULL, NULL, NULL, POST_SKIP_SECTION_INDEX},
    {"a post whose name begins _index_", "content/post/_index_of_terms.md", YAML_T(""), "T", NULL, NULL,
     NULL, NULL, NULL, NULL, POST_INDEXED},
    {"section index in capitals", "content/_INDEX.markdown", "+++\ntitle = \"Blog\"\n+++\n", "Blog",
     NULL, NULL, NULL, NULL, NULL, NULL, POST_SKIP_SECTION_INDEX},
    {"redirect_to", "a.md", YAML_T("redirect_to: https://elsewhere.example/\n"), "T", NULL, NULL, NULL,
     NULL, NULL, NULL, POST_SKIP_REDIRECT},
    {"redirect", "a.md", YAML_T("redirect: /new/\n"), "T", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_REDIRECT},
    {"layout redirect", "a.md", YAML_T("layout: redirect\n"), "T", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_REDIRECT},
    {"Hugo _build render never", "a.md", YAML_T("_build:\n  render: never\n  list: always\n"), "T",
     NULL, NULL, NULL, NULL, NULL, NULL, POST_SKIP_NO_PAGE},
    {"Hugo headless", "a.md", YAML_T("headless: true\n"), "T", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_NO_PAGE},
    {"Eleventy permalink false", "a.md", YAML_T("permalink: false\n"), "T", NULL, NULL, NULL, NULL, NULL,
     NULL, POST_SKIP_NO_PAGE},
    {"README", "docs/README.md", "# Read me\n", "Read me", NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_NOT_A_POST},
    {"CONTRIBUTING", "Contributing.markdown", "How to help.\n", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     POST_SKIP_NOT_A_POST},
    {"excluded from collections", "a.md", YAML_T("eleventyExcludeFromCollections: true\n"), "T", NULL,
     NULL, NULL, NULL, NULL, NULL, POST_SKIP_NOT_A_POST},
    {"a listing page", "blog.md", "---\nheaderTitle: All posts\npagination:\n  data: posts\n---\n",
     "All posts", NULL, NULL, NULL, NULL, NULL, NULL, POST_SKIP_NOT_A_POST},
    {"a template's page", "releases/latest.md", "+++\ntemplate = \"latest.html\"\n+++\n", "Latest", "-",
     "latest", NULL, NULL, NULL, NULL, POST_SKIP_NOT_A_POST},
};

static void join(strbuf *sb, char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_putc(sb, '|');
        sb_puts(sb, items[i]);
    }
}

static void expect_list(const field_case *c, const char *what, const char *want, char **items,
                        size_t n)
{
    if (!want)
        return;
    strbuf sb = {0};
    join(&sb, items, n);
    char *got = sb_take(&sb);
    if (strcmp(got, want) != 0)
        fail_msg("case '%s': %s '%s', want '%s'", c->name, what, got, want);
    free(got);
}

static void expect_text(const field_case *c, const char *what, const char *want, const char *got)
{
    if (want && strcmp(got ? got : "-", want) != 0)
        fail_msg("case '%s': %s '%s', want '%s'", c->name, what, got ? got : "(null)", want);
}

static void table_of_fields(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof field_cases / sizeof field_cases[0]; i++) {
        const field_case *c = &field_cases[i];
        post *p = NULL;
        post_error err;
        post_status rc = post_parse(&p, c->path, c->content, strlen(c->content), &err);
        if (rc != POST_OK)
            fail_msg("case '%s': got %s (%s)", c->name, post_status_name(rc), err.message);
        expect_text(c, "title", c->title, p->title);
        assert_true(p->title && *p->title);
        expect_text(c, "date", c->date, p->date);
        expect_text(c, "slug", c->slug, p->slug);
        assert_true(slug_valid(p->slug));
        expect_text(c, "summary", c->summary, p->summary);
        expect_list(c, "authors", c->authors, p->authors, p->n_authors);
        expect_list(c, "tags", c->tags, p->tags, p->n_tags);
        expect_list(c, "categories", c->categories, p->categories, p->n_categories);
        if (p->skip != c->skip)
            fail_msg("case '%s': skip %s, want %s", c->name, post_skip_name(p->skip),
                     post_skip_name(c->skip));
        /* every field survives the trip through JSON that the parse workers make */
        char *json = post_to_json(p);
        post *back = post_from_json(json, strlen(json));
        assert_non_null(back);
        char *again = post_to_json(back);
        assert_string_equal(json, again);
        free(again);
        free(json);
        post_free(back);
        post_free(p);
    }
}

/* Front matter's url: a path without its first slash is read from the site's
 * root (Hugo's reading), an empty one is no url, and one that could leave
 * the site or run script is refused with the value quoted, whole characters. */
static void urls_from_front_matter(void **state)
{
    (void)state;
    const struct {
        const char *url, *want; /* want NULL: no url; "!": refused */
    } urls[] = {
        {"/about/", "/about/"},     {"ai", "/ai"},
        {"notes/2024/x/", "/notes/2024/x/"}, {"\"\"", NULL},
        {"https://a.example/x/", "https://a.example/x/"},
        {"javascript:alert(1)", "!"}, {"data:text/html,x", "!"}, {"mailto:a@b.example", "!"},
        {"//evil.example/", "!"},   {"/\\evil.example/", "!"}, {"\\evil.example", "!"},
        {"\"javascript:\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"", "!"},
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "---\ntitle: T\nurl: %s\n---\nbody\n", urls[i].url);
        post *p = NULL;
        post_error err;
        post_status rc = post_parse(&p, "a.md", text, strlen(text), &err);
        if (urls[i].want && strcmp(urls[i].want, "!") == 0) {
            if (rc != POST_EFIELD)
                fail_msg("url %s: not refused", urls[i].url);
            assert_true(utf8_valid(err.message, strlen(err.message), NULL));
            assert_non_null(strstr(err.message, "'url'"));
        } else {
            if (rc != POST_OK)
                fail_msg("url %s: refused: %s", urls[i].url, err.message);
            if (urls[i].want)
                assert_string_equal(p->url, urls[i].want);
            else
                assert_null(p->url);
        }
        post_free(p);
    }
}

/* GitHub's tables, strikethrough and task lists are read as GitHub shows
 * them: cells are words, markers are not text. */
static void github_markdown(void **state)
{
    (void)state;
    const char text[] = "---\ntitle: T\n---\nIntro.\n\n| Setting | Default |\n|---|:-:|\n"
                        "| zebrafield | `true` |\n\n- [x] done task\n- [ ] open task\n\n"
                        "Was ~~wrong~~ right.\n";
    post *p;
    post_error err;
    assert_int_equal(post_parse(&p, "a.md", text, strlen(text), &err), POST_OK);
    assert_non_null(strstr(p->text, "Setting Default"));
    assert_non_null(strstr(p->text, "zebrafield true"));
    assert_non_null(strstr(p->text, "done task"));
    assert_non_null(strstr(p->text, "Was wrong right."));
    assert_null(strchr(p->text, '|'));
    assert_null(strstr(p->text, "~~"));
    assert_null(strstr(p->text, "[x]"));
    assert_null(strstr(p->text, "[ ]"));
    assert_null(strstr(p->text, "---"));
    assert_non_null(strstr(p->code, "true")); /* a cell's code is code */
    post_free(p);
}

/* Sections' anchors as each generator names its headings' ids. */
static void anchors_by_generator(void **state)
{
    (void)state;
    const char text[] = "---\ntitle: T\n---\n## Setup\n\nx\n\n## Setup\n\ny\n\n## What's new?\n\nz\n\n"
                        "## ???\n\nw\n";
    const struct {
        post_anchor_style style;
        const char *want[4];
    } styles[] = {
        {POST_ANCHOR_SLUG, {"setup", "setup-2", "what-s-new", "section"}},
        {POST_ANCHOR_GITHUB, {"setup", "setup-1", "whats-new", "heading"}},
        {POST_ANCHOR_SLUG_1, {"setup", "setup-1", "what-s-new", "section"}},
    };
    for (size_t c = 0; c < sizeof styles / sizeof styles[0]; c++) {
        post *p;
        post_error err;
        post_reading how = {.anchors = styles[c].style};
        assert_int_equal(post_parse_as(&p, "a.md", text, strlen(text), &how, &err), POST_OK);
        assert_int_equal(p->n_sections, 4);
        for (size_t i = 0; i < 4; i++)
            assert_string_equal(p->sections[i].anchor, styles[c].want[i]);
        post_free(p);
    }
}

/* A generator's own date keys come before the common ones, are checked as
 * dates are (the key's line named), and date nothing where not asked for. */
static void date_keys_of_a_generator(void **state)
{
    (void)state;
    static const char *const astro[] = {"pubDatetime", NULL};
    const struct {
        const char *text;
        const char *const *keys;
        post_status rc;
        const char *date; /* NULL: undated */
    } reads[] = {
        {"---\ntitle: T\npubDatetime: 2025-03-09T08:30:00Z\n---\nx\n", astro, POST_OK, "2025-03-09"},
        {"---\ntitle: T\npubDatetime: 2025-03-09T08:30:00Z\n---\nx\n", NULL, POST_OK, NULL},
        {"---\ntitle: T\ndate: 2020-01-01\npubDatetime: 2025-03-09\n---\nx\n", astro, POST_OK, "2025-03-09"},
        {"---\ntitle: T\npubDatetime: soon\n---\nx\n", astro, POST_EFIELD, NULL},
    };
    for (size_t c = 0; c < sizeof reads / sizeof reads[0]; c++) {
        post *p = NULL;
        post_error err;
        post_reading how = {.date_keys = reads[c].keys};
        assert_int_equal(post_parse_as(&p, "a.md", reads[c].text, strlen(reads[c].text), &how, &err),
                         reads[c].rc);
        if (reads[c].rc != POST_OK) {
            assert_int_equal(err.line, 3);
            continue;
        }
        if (reads[c].date)
            assert_string_equal(p->date, reads[c].date);
        else
            assert_null(p->date);
        post_free(p);
    }
}

/* A string of tags as each generator splits it: Jekyll (and a folder of
 * posts) on spaces when unquoted, Eleventy on commas only
 * (TemplateData.getCleanedTagsImmutable: "Film review" is one tag). */
static void tags_by_generator(void **state)
{
    (void)state;
    static const struct {
        const char *tags;
        bool commas_only;
        const char *want[3];
    } splits[] = {
        {"Film review", false, {"film", "review", NULL}},
        {"Film review", true, {"film review", NULL}},
        {"Computing, privacy", true, {"computing", "privacy", NULL}},
        {"\"open source\"", false, {"open source", NULL}},
        {"[Film review, x]", true, {"film review", "x", NULL}},
    };
    for (size_t c = 0; c < sizeof splits / sizeof splits[0]; c++) {
        char text[256];
        snprintf(text, sizeof text, "---\ntitle: T\ntags: %s\n---\nx\n", splits[c].tags);
        post *p;
        post_error err;
        post_reading how = {.tags_on_commas_only = splits[c].commas_only};
        assert_int_equal(post_parse_as(&p, "a.md", text, strlen(text), &how, &err), POST_OK);
        size_t n = 0;
        while (n < 3 && splits[c].want[n])
            n++;
        assert_int_equal(p->n_tags, n);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(p->tags[i], splits[c].want[i]);
        post_free(p);
    }
}

/* Ids written after headings, against the generators' own pages: the body
 * below was built with Debian's hugo 0.111.3 and jekyll 4.3.1 (kramdown), and
 * these are the ids of their <h1>/<h2> elements. */
static void heading_ids_as_written(void **state)
{
    (void)state;
    const char text[] = "---\ntitle: T\n---\n## Setup {#install}\n\nx\n\n## Setup\n\ny\n\n"
                        "Plain heading {#plain-id}\n=========================\n\nw\n\n"
                        "## Intro\n{: #first-steps}\n\nv\n\n## Install\n\nu\n\n"
                        "## Odd {#\"bad\"}\n\nt\n";
    const struct {
        post_heading_ids ids;
        const char *want[6];
    } wanted[] = {
        /* goldmark: an id of its own is taken, so the later "Install" is numbered;
         * "{: #first-steps}" is no attribute of the heading above it */
        {POST_IDS_ATTRIBUTE, {"install", "setup", "plain-id", "intro", "install-1", "odd-bad"}},
        /* kramdown: the next line's attribute list counts; its ids are not
         * remembered when it numbers repeats */
        {POST_IDS_KRAMDOWN, {"install", "setup", "plain-id", "first-steps", "install", "odd-bad"}},
        /* remark and markdown-it: every id from the words */
        {POST_IDS_NONE, {"setup", "setup-1", "plain-heading", "intro", "install", "odd-bad"}},
    };
    for (size_t c = 0; c < sizeof wanted / sizeof wanted[0]; c++) {
        post *p;
        post_error err;
        post_reading how = {.anchors = POST_ANCHOR_GITHUB, .heading_ids = wanted[c].ids};
        assert_int_equal(post_parse_as(&p, "a.md", text, strlen(text), &how, &err), POST_OK);
        assert_int_equal(p->n_sections, 6);
        for (size_t i = 0; i < 6; i++)
            assert_string_equal(p->sections[i].anchor, wanted[c].want[i]);
        assert_string_equal(p->sections[0].heading, "Setup"); /* the attribute is no text */
        post_free(p);
    }
    /* goldmark's attributes may hold classes too; an id of bytes a URL cannot
     * hold as written is not taken */
    const char more[] = "## Notes {#notes .wide}\n\n## Quote {#a\"b}\n";
    post *p;
    post_error err;
    post_reading how = {.anchors = POST_ANCHOR_GITHUB, .heading_ids = POST_IDS_ATTRIBUTE};
    assert_int_equal(post_parse_as(&p, "b.md", more, strlen(more), &how, &err), POST_OK);
    assert_int_equal(p->n_sections, 2);
    assert_string_equal(p->sections[0].anchor, "notes");
    assert_string_not_equal(p->sections[1].anchor, "a\"b");
    post_free(p);
}

/* Hugo's goldmark makes a heading's id from its line as written, not from the
 * text it renders: a link keeps its URL's letters, an entity its name, a tag
 * its name and attributes, emphasis its underscores. The ids below are those
 * of the page Debian's hugo 0.111.3 built from this body. */
static void goldmark_ids_from_source(void **state)
{
    (void)state;
    const char text[] = "Intro.\n\n## [JSHint](https://jshint.com/)\n\nx\n\n"
                        "### Packages <a id=\"packages\"></a>\n\nx\n\n"
                        "## `grpc-vtctld` &mdash; New in v14\n\nx\n\n"
                        "## <span style=\"color:red\"> 1. From the repository </span>\n\nx\n\n"
                        "## Download a _previous_ OS release\n\nx\n\n"
                        "## A *star* and **bold** {#given}\n\nx\n\n## Same ##\n\nx\n\n## Same\n\nx\n\n"
                        "Setext [link](http://x.y/z) heading\n-----------------------------------\n\nx\n\n"
                        "## Tabs\tand   spaces  ##   \n\nx\n\n> ## Quoted [x](http://a.b)\n\n- ## Listed `y`\n\n"
                        "## \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 & \xce\xa9 \xe2\x80\x94 dash\n\nx\n";
    static const char *const want[] = {
        "jshinthttpsjshintcom", "packages-a-idpackagesa", "grpc-vtctld-mdash-new-in-v14",
        "span-stylecolorred-1-from-the-repository-span", "download-a-_previous_-os-release", "given",
        "same", "same-1", "setext-linkhttpxyz-heading", "tabsand---spaces", "quoted-xhttpab", "listed-y",
        "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9--\xcf\x89--dash"};
    post *p;
    post_error err;
    post_reading how = {.anchors = POST_ANCHOR_GOLDMARK, .heading_ids = POST_IDS_ATTRIBUTE};
    assert_int_equal(post_parse_as(&p, "a.md", text, strlen(text), &how, &err), POST_OK);
    assert_int_equal(p->n_sections, sizeof want / sizeof *want);
    for (size_t i = 0; i < p->n_sections; i++)
        assert_string_equal(p->sections[i].anchor, want[i]);
    assert_string_equal(p->sections[0].heading, "JSHint"); /* the heading's text is as shown */
    post_free(p);
}

/* kramdown's GFM ids come from its text after typography: "--" and "---"
 * are dashes, dropped; inline HTML in a heading is nothing, spaces included.
 * The ids are those of the page Debian's jekyll 4.3.1 built from this body. */
static void kramdown_ids(void **state)
{
    (void)state;
    const char text[] = "### CPU -- 600 ms\n\nx\n\n## Always use the --local-directory flag\n\nx\n\n"
                        "## <a name=\"issues\"></a>Issues\n\nx\n\n## A---B - C\n\nx\n"
                        "## Using `--dry-run` -- now\n\nx\n";
    static const char *const want[] = {"cpu--600-ms", "always-use-the-local-directory-flag", "issues", "ab---c",
                                       "using---dry-run--now"}; /* a code span is as written */
    post *p;
    post_error err;
    post_reading how = {.anchors = POST_ANCHOR_KRAMDOWN, .heading_ids = POST_IDS_KRAMDOWN};
    assert_int_equal(post_parse_as(&p, "a.md", text, strlen(text), &how, &err), POST_OK);
    assert_int_equal(p->n_sections, sizeof want / sizeof *want);
    for (size_t i = 0; i < p->n_sections; i++)
        assert_string_equal(p->sections[i].anchor, want[i]);
    assert_string_equal(p->sections[2].heading, "Issues"); /* no spaces where the tag stood */
    post_free(p);
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
        cmocka_unit_test(table_of_fields),
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(urls_from_front_matter), cmocka_unit_test(github_markdown), cmocka_unit_test(anchors_by_generator), cmocka_unit_test(date_keys_of_a_generator), cmocka_unit_test(tags_by_generator), cmocka_unit_test(heading_ids_as_written), cmocka_unit_test(goldmark_ids_from_source), cmocka_unit_test(kramdown_ids), cmocka_unit_test(five_megabyte_body),
        cmocka_unit_test(file_reader_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
