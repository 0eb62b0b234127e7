/* test_site_eleventy.c — Eleventy's rules (indexer/site_eleventy.c): the input
 * and content folders, the data cascade, permalink patterns and the default
 * URL, on small sites written here. */
#include "site_testutil.h"

#include "eleventy_slug.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define CONFIG "export const config = { dir: { input: \"src\" } };\n"

typedef struct url_case {
    const char *name;
    site_file files[4]; /* the config first */
    const char *rel;    /* the post under the content folder (src/blog) */
    const char *url;
    bool guessed;
    post_skip skip;
    const char *tags, *authors; /* joined with "|" */
} url_case;

static const url_case url_cases[] = {
    {"default: the path as a folder, date kept",
     {{"eleventy.config.js", CONFIG}, {"src/blog/2020-01-02-hello.md", "---\ntitle: H\n---\nx\n"}},
     "2020-01-02-hello.md", "/blog/2020-01-02-hello/", false, POST_INDEXED, "", ""},
    {"index.md and a file named as its folder give the folder",
     {{"eleventy.config.js", CONFIG}, {"src/blog/2020/index.md", "---\ntitle: H\n---\nx\n"}},
     "2020/index.md", "/blog/2020/", false, POST_INDEXED, "", ""},
    {"a file named as its folder",
     {{"eleventy.config.js", CONFIG}, {"src/blog/news/news.md", "---\ntitle: H\n---\nx\n"}},
     "news/news.md", "/blog/news/", false, POST_INDEXED, "", ""},
    {"directory data: permalink, tags and author",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.json", "{\"permalink\": \"/blog/{{ page.fileSlug }}/\", \"tags\": [\"blog\"],"
                             " \"postAuthor\": \"zach\"}"},
      {"src/blog/2020-01-02-hello.md", "---\ntitle: H\ntags: [Mine]\n---\nx\n"}},
     "2020-01-02-hello.md", "/blog/hello/", false, POST_INDEXED, "blog|mine", "zach"},
    {"the post's own author wins; override:tags keeps its own",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.json", "{\"tags\": \"blog\", \"author\": \"zach\"}"},
      {"src/blog/a.md", "---\ntitle: H\nauthor: Ann\noverride:tags: [x]\ntags: [x]\n---\nx\n"}},
     "a.md", "/blog/a/", false, POST_INDEXED, "x", "Ann"},
    {"a string of tags in the data splits on commas only, as in the front matter",
     {{"eleventy.config.js", CONFIG}, {"src/blog/blog.json", "{\"tags\": \"Film review, b\"}"},
      {"src/blog/a.md", "---\ntitle: H\n---\nx\n"}},
     "a.md", "/blog/a/", false, POST_INDEXED, "film review|b", ""},
    {"front-matter permalink wins over the data's",
     {{"eleventy.config.js", CONFIG}, {"src/blog/blog.json", "{\"permalink\": \"/d/\"}"},
      {"src/blog/a.md", "---\ntitle: H\npermalink: \"/p/{{ title | slugify }}/index.html\"\n---\nx\n"}},
     "a.md", "/p/h/", false, POST_INDEXED, "", ""},
    {"eleventyComputed.permalink in the front matter, rendered as permalink is",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/2022-04-24-pg.md", "---\ntitle: H\npermalink: /no/\neleventyComputed:\n"
                                    "  permalink: \"/articles/{{ page.fileSlug }}/\"\n---\nx\n"}},
     "2022-04-24-pg.md", "/articles/pg/", false, POST_INDEXED, "", ""},
    {"the data's eleventyComputed.permalink wins over the front matter's permalink",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.json", "{\"eleventyComputed\": {\"permalink\": \"/c/{{ title | slugify }}/\"}}"},
      {"src/blog/a.md", "---\ntitle: Two Words\npermalink: /p/\n---\nx\n"}},
     "a.md", "/c/two-words/", false, POST_INDEXED, "", ""},
    {"an eleventyComputed.permalink we cannot render: the default, guessed",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/a.md", "---\ntitle: H\neleventyComputed:\n  permalink: \"{% if x %}/x/{% endif %}\"\n---\nx\n"}},
     "a.md", "/blog/a/", true, POST_INDEXED, "", ""},
    {"eleventyComputed.permalink false: no page",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/a.md", "---\ntitle: H\neleventyComputed:\n  permalink: false\n---\nx\n"}},
     "a.md", NULL, false, POST_SKIP_NO_PAGE, "", ""},
    {"slugify as Eleventy's: the ' of don't dropped, & and, ü ue",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/a.md", "---\ntitle: \"Don't Panic: it's Über & C++\"\npermalink: \"/p/{{ title | slugify }}/\"\n---\nx\n"}},
     "a.md", "/p/dont-panic-its-ueber-and-c/", false, POST_INDEXED, "", ""},
    {"slug as Eleventy's: ' and : kept, & and",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/a.md", "---\ntitle: \"Don't Panic & relax: now\"\npermalink: \"/s/{{ title | slug }}/\"\n---\nx\n"}},
     "a.md", "/s/don't-panic-and-relax:-now/", false, POST_INDEXED, "", ""},
    {"a title in a script slugify transliterates by a table we lack: the default, guessed",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/a.md", "---\ntitle: Привет\npermalink: \"/p/{{ title | slugify }}/\"\n---\nx\n"}},
     "a.md", "/blog/a/", true, POST_INDEXED, "", ""},
    {"JS directory data: literal tags and author read; a computed permalink function: guessed",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.js", "module.exports = {\n  tags: [\"blog\", 'notes'],\n"
                                    "  author: \"Ann Bee\",\n  eleventyComputed: {\n"
                                    "    permalink: (data) => `/blog/${data.page.fileSlug}/`,\n  },\n};\n"},
      {"src/blog/2022-04-10-a.md", "---\ntitle: H\n---\nx\n"}},
     "2022-04-10-a.md", "/blog/2022-04-10-a/", true, POST_INDEXED, "blog|notes", "Ann Bee"},
    {"JS directory data: a literal permalink, over the folder's JSON data",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.mjs", "// permalink: each post by its slug\n"
                                     "export default { permalink: \"/j/{{ page.fileSlug }}/\" };\n"},
      {"src/blog/blog.json", "{\"permalink\": \"/d/\"}"},
      {"src/blog/2022-04-10-a.md", "---\ntitle: H\n---\nx\n"}},
     "2022-04-10-a.md", "/j/a/", false, POST_INDEXED, "", ""},
    {"JS data exporting a function that names a permalink (after a URL, quoted): guessed",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.cjs",
       "module.exports = () => ({ home: \"https://a.example/\", \"permalink\": '/x/' });\n"},
      {"src/blog/a.md", "---\ntitle: H\n---\nx\n"}},
     "a.md", "/blog/a/", true, POST_INDEXED, "", ""},
    {"JS data without a permalink: the URL stands; its plain permalink function loses to the front matter's",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.11tydata.js", "module.exports = async () => ({ layout: 'post.njk' });\n"},
      {"src/blog/a/a.11tydata.js", "module.exports = { permalink: function (d) { return '/f/'; } };\n"},
      {"src/blog/a/b.md", "---\ntitle: H\npermalink: /mine/\n---\nx\n"}},
     "a/b.md", "/mine/", false, POST_INDEXED, "", ""},
    {"filePathStem and the date",
     {{"eleventy.config.js", CONFIG},
      {"src/blog/blog.json", "{\"permalink\": \"{{ page.date | date: '%Y/%m' }}{{ page.filePathStem }}/\"}"},
      {"src/blog/2020-01-02-hello.md", "---\ntitle: H\n---\nx\n"}},
     "2020-01-02-hello.md", "/2020/01/blog/hello/", false, POST_INDEXED, "", ""},
    {"a pattern we cannot evaluate: the default, guessed",
     {{"eleventy.config.js", CONFIG}, {"src/blog/blog.json", "{\"permalink\": \"/{{ collections.x }}/\"}"},
      {"src/blog/a.md", "---\ntitle: H\n---\nx\n"}},
     "a.md", "/blog/a/", true, POST_INDEXED, "", ""},
    {"permalink false in the data: no page",
     {{"eleventy.config.js", CONFIG}, {"src/blog/blog.json", "{\"permalink\": false}"},
      {"src/blog/a.md", "---\ntitle: H\n---\nx\n"}},
     "a.md", NULL, false, POST_SKIP_NO_PAGE, "", ""},
    {"pathPrefix, input from src/ when the config names none",
     {{".eleventy.js", "module.exports = function () { return { pathPrefix: '/docs/' }; };\n"},
      {"src/posts/a.md", "---\ntitle: H\n---\nx\n"}},
     "a.md", "/docs/posts/a/", false, POST_INDEXED, "", ""},
};

static void assert_joined(char **list, size_t n, const char *want, const char *what)
{
    char got[512] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "|" : "", list[i]);
    if (strcmp(got, want) != 0)
        fail_msg("%s: %s, want %s", what, got, want);
}

static void test_urls(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof url_cases / sizeof url_cases[0]; i++) {
        const url_case *c = &url_cases[i];
        site_run r;
        const char *bad = site_run_open(&r, c->files, 4, SITE_ELEVENTY, c->rel, NULL, c->url);
        if (bad)
            fail_msg("%s: %s", c->name, bad);
        post *p = r.p;
        if (p->skip != c->skip || p->url_guessed != c->guessed)
            fail_msg("%s: skip %s, guessed %d", c->name, post_skip_name(p->skip), p->url_guessed);
        assert_joined(p->tags, p->n_tags, c->tags, c->name);
        assert_joined(p->authors, p->n_authors, c->authors, c->name);
        site_run_free(&r);
    }
}

/* Each filter against what Eleventy 3 makes of the same text
 * (@sindresorhus/slugify 2.2.1 and slugify 1.6.9, Eleventy's options). */
static void test_slugs(void **state)
{
    (void)state;
    static const struct {
        const char *in, *slugify, *slug;
    } cases[] = {
        {"Don't Panic: it's fine", "dont-panic-its-fine", "don't-panic:-it's-fine"},
        {"C++ & Rust: 2x faster", "c-and-rust-2x-faster", "c++-and-rust:-2x-faster"},
        {"Über Größe", "ueber-groesse", "uber-grosse"},
        {"Don’t stop", "don-t-stop", "don't-stop"},
        {"Tom & Jerry's CAT'S", "tom-and-jerrys-cats", "tom-and-jerry's-cat's"},
        {"rock 'n' roll", "rock-n-roll", "rock-'n'-roll"},
        {"What's new in Eleventy 3.0?", "whats-new-in-eleventy-3-0", "what's-new-in-eleventy-3.0"},
        {"  Déjà Vu!  ", "deja-vu", "deja-vu!"},
        {"Œuvre complète", "uvre-complete", "oeuvre-complete"},
        {"Ærøskøbing, Łódź, Việt Nam", "aeroskobing-lodz-viet-nam", "aeroskobing-lodz-viet-nam"},
        {"100% $5 <b>", "100-5-b", "100percent-dollar5-lessbgreater"},
        {"a - b -- c", "a-b-c", "a-b-c"},
        {"__init__.py", "init-py", "__init__.py"},
        {"I ♥ 🦄, hello 世界", "i-love-unicorn-hello", "i-love-hello"},
        {"en–dash (and) [more]", "en-dash-and-more", "en-dash-(and)-more"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *a = eleventy_slugify(cases[i].in), *b = eleventy_slug(cases[i].in);
        if (!a || strcmp(a, cases[i].slugify) != 0 || !b || strcmp(b, cases[i].slug) != 0)
            fail_msg("%s: slugify %s, slug %s", cases[i].in, a ? a : "(null)", b ? b : "(null)");
        free(a);
        free(b);
    }
    char *greek = eleventy_slugify("Καλημέρα"), *cyrillic = eleventy_slug("Привет");
    if (greek || cyrillic)
        fail_msg("a script we cannot transliterate has no slug");
}

static void test_content(void **state)
{
    (void)state;
    static const content_case cases[] = {
        {{{"eleventy.config.js", CONFIG}, {"src/blog/a.md", "x"}}, "src/blog"},
        {{{"eleventy.config.mjs", "export default { dir: { input: 'site' } }"},
          {"site/post/a.md", "x"}}, "site/post"},
        {{{"eleventy.config.cjs", "module.exports = {}"}, {"a.md", "x"}}, ""},
        {{{"eleventy.config.ts", "export default {}"}, {"src/a.md", "x"}}, "src"},
    };
    const char *bad = site_content_check(cases, sizeof cases / sizeof cases[0], SITE_ELEVENTY);
    if (bad)
        fail_msg("%s", bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_slugs),
        cmocka_unit_test(test_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
