/* test_site_jekyll.c — Jekyll's rules (indexer/site_jekyll.c): detection, the
 * content folder, and each permalink rule on small sites written here. */
#include "site_testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define POST "---\ntitle: Hello\n---\nText.\n"

typedef struct url_case {
    const char *name;
    site_file files[4]; /* the config first; the post is files[post] */
    size_t post;
    const char *rel;    /* the post under the content folder */
    const char *url;    /* NULL: no URL */
    post_skip skip;
} url_case;

static const url_case url_cases[] = {
    {"default style is date, with categories",
     {{"_config.yml", "title: t\n"},
      {"_posts/2020-01-02-hello-world.md", "---\ncategories: [Foo Bar, News]\n---\nx\n"}},
     1, "2020-01-02-hello-world.md", "/foo%20bar/news/2020/01/02/hello-world.html", POST_INDEXED},
    {"a post dated after today is not published (Jekyll's future: false)",
     {{"_config.yml", "permalink: pretty\n"}, {"_posts/2099-01-02-later.md", POST}},
     1, "2099-01-02-later.md", "/2099/01/02/later/", POST_SKIP_FUTURE},
    {"its front matter date decides",
     {{"_config.yml", "permalink: pretty\n"}, {"_posts/2020-01-02-later.md", "---\ndate: 2099-05-06\n---\nx\n"}},
     1, "2020-01-02-later.md", "/2099/05/06/later/", POST_SKIP_FUTURE},
    {"future: true publishes it",
     {{"_config.yml", "permalink: pretty\nfuture: true\n"}, {"_posts/2099-01-02-later.md", POST}},
     1, "2099-01-02-later.md", "/2099/01/02/later/", POST_INDEXED},
    {"posts two folders down are categories too (Ruby's en/news/_posts)",
     {{"_config.yml", "permalink: pretty\n"}, {"en/news/_posts/2020-01-02-a.md", POST}},
     1, "en/news/_posts/2020-01-02-a.md", "/en/news/2020/01/02/a/", POST_INDEXED},
    {"source: the site is read from that folder (Bootstrap's src)",
     {{"_config.yml", "permalink: pretty\nsource: src\n"}, {"src/_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/2020/01/02/a/", POST_INDEXED},
    {"source: ./src/ is the same folder",
     {{"_config.yml", "permalink: pretty\nsource: ./src/\n"}, {"src/blog/_posts/2020-01-02-a.md", POST}},
     1, "blog/_posts/2020-01-02-a.md", "/blog/2020/01/02/a/", POST_INDEXED},
    {"pretty", {{"_config.yml", "permalink: pretty\n"}, {"_posts/2020-01-02-hello-world.md", POST}},
     1, "2020-01-02-hello-world.md", "/2020/01/02/hello-world/", POST_INDEXED},
    {"ordinal", {{"_config.yml", "permalink: ordinal\n"}, {"_posts/2020-02-03-a.md", POST}},
     1, "2020-02-03-a.md", "/2020/034/a.html", POST_INDEXED},
    {"weekdate", {{"_config.yml", "permalink: weekdate\n"}, {"_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/2020/W01/Thu/a.html", POST_INDEXED},
    {"none", {{"_config.yml", "permalink: none\n"}, {"_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/a.html", POST_INDEXED},
    {"pattern tokens, front-matter slug",
     {{"_config.yml", "permalink: /:year/:i_month/:i_day/:short_year/:y_day/:slug/:title/:name\n"},
      {"_posts/2020-01-02-a.md", "---\nslug: My Slug!\n---\nx\n"}},
     1, "2020-01-02-a.md", "/2020/1/2/20/002/my-slug/My-Slug!/2020-01-02-a", POST_INDEXED},
    {"front-matter permalink wins",
     {{"_config.yml", "permalink: pretty\n"},
      {"_posts/2020-01-02-a.md", "---\ntitle: A\npermalink: /custom/:title/\n---\nx\n"}},
     1, "2020-01-02-a.md", "/custom/a/", POST_INDEXED},
    {"url and baseurl",
     {{"_config.yml", "url: https://x.org\nbaseurl: /blog/\npermalink: pretty\n"},
      {"_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "https://x.org/blog/2020/01/02/a/", POST_INDEXED},
    {"a zoned time moves to the site's zone, across midnight",
     {{"_config.yml", "timezone: America/Los_Angeles\npermalink: pretty\n"},
      {"_posts/2013-05-06-a.md", "---\ndate: 2013-05-06 02:12:52 +0200\n---\nx\n"}},
     1, "2013-05-06-a.md", "/2013/05/05/a/", POST_INDEXED},
    {"an unquoted time without zone is UTC (SafeYAML)",
     {{"_config.yml", "timezone: America/Los_Angeles\npermalink: pretty\n"},
      {"_posts/2013-05-06-a.md", "---\ndate: 2013-05-06 02:12:52\n---\nx\n"}},
     1, "2013-05-06-a.md", "/2013/05/05/a/", POST_INDEXED},
    {"a quoted time without zone is the site's own",
     {{"_config.yml", "timezone: America/Los_Angeles\npermalink: pretty\n"},
      {"_posts/2013-05-06-a.md", "---\ndate: \"2013-05-06 02:12:52\"\n---\nx\n"}},
     1, "2013-05-06-a.md", "/2013/05/06/a/", POST_INDEXED},
    {"no timezone: UTC",
     {{"_config.yml", "permalink: pretty\n"},
      {"_posts/2013-05-06-a.md", "---\ndate: 2013-05-05 23:00:00 -0200\n---\nx\n"}},
     1, "2013-05-06-a.md", "/2013/05/06/a/", POST_INDEXED},
    {"categories from the folders above _posts and front matter",
     {{"_config.yml", "permalink: date\n"},
      {"news/_posts/2020-01-02-x.md", "---\ncategory: Rel\n---\nx\n"}},
     1, "news/_posts/2020-01-02-x.md", "/news/rel/2020/01/02/x.html", POST_INDEXED},
    {"a page beside category folders is not a post",
     {{"_config.yml", "permalink: date\n"}, {"news/_posts/2020-01-02-x.md", POST},
      {"about.md", POST}},
     2, "about.md", NULL, POST_SKIP_NOT_A_POST},
    {"collections.posts.permalink",
     {{"_config.yml", "permalink: pretty\ncollections:\n  posts:\n    permalink: /n/:year/:title/\n"},
      {"_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/n/2020/a/", POST_INDEXED},
    {"front-matter defaults",
     {{"_config.yml", "defaults:\n- scope: {path: _posts, type: posts}\n  values: {permalink: /d/:title}\n"},
      {"_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/d/a", POST_INDEXED},
    {"a dated file in _posts whose front matter is only a layout is a post (kubevirt's)",
     {{"_config.yml", "permalink: pretty\n"}, {"_posts/2018-05-16-ovn-plugin.md", "---\nlayout: post\n---\nText.\n"}},
     1, "2018-05-16-ovn-plugin.md", "/2018/05/16/ovn-plugin/", POST_INDEXED},
    {"a file without a date is no post of Jekyll's",
     {{"_config.yml", ""}, {"_posts/notes.md", POST}}, 1, "notes.md", NULL, POST_SKIP_NO_PAGE},
    {"collections_dir", {{"_config.yml", "collections_dir: my\n"}, {"my/_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/2020/01/02/a.html", POST_INDEXED},
    {"docs/ is the site", {{"docs/_config.yml", "permalink: pretty\n"},
                           {"docs/_posts/2020-01-02-a.md", POST}},
     1, "2020-01-02-a.md", "/2020/01/02/a/", POST_INDEXED},
};

static void test_urls(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof url_cases / sizeof url_cases[0]; i++) {
        const url_case *c = &url_cases[i];
        site_run r;
        const char *bad = site_run_open(&r, c->files, 4, SITE_JEKYLL, c->rel, NULL, c->url);
        if (bad)
            fail_msg("%s: %s", c->name, bad);
        post *p = r.p;
        if (p->skip != c->skip)
            fail_msg("%s: skip %s, want %s", c->name, post_skip_name(p->skip),
                     post_skip_name(c->skip));
        assert_false(p->url_guessed);
        if (strstr(c->name, "midnight")) /* the post keeps its date as written */
            assert_string_equal(p->date, "2013-05-06");
        site_run_free(&r);
    }
}

static void test_content(void **state)
{
    (void)state;
    static const content_case cases[] = {
        {{{"_config.yml", ""}, {"_posts/2020-01-02-a.md", POST}}, "_posts"},
        {{{"_config.yaml", ""}, {"_posts/2020-01-02-a.md", POST}}, "_posts"},
        {{{"_config.yml", ""}, {"cat/_posts/2020-01-02-a.md", POST}}, ""},
        {{{"_config.yml", "collections_dir: coll\n"}, {"coll/_posts/2020-01-02-a.md", POST}},
         "coll/_posts"},
        {{{"docs/_config.yml", ""}, {"docs/_posts/2020-01-02-a.md", POST}}, "docs/_posts"},
    };
    const char *bad = site_content_check(cases, sizeof cases / sizeof cases[0], SITE_JEKYLL);
    if (bad)
        fail_msg("%s", bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
