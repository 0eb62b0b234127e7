/* test_site_hugo.c — Hugo's rules (indexer/site_hugo.c): which sites are
 * Hugo's, where their posts are, and each rule of a post's URL, one small
 * site per case. The URLs wanted are what Hugo 0.111 itself gives such a
 * page (checked with `hugo` on the same files, except :contentbasename and
 * [permalinks.page], which came after 0.111). */
#include "sitetest.h"

#define BASE "baseURL = \"https://example.org/\"\n"
#define POST(fm) "---\n" fm "---\nText.\n"
#define DATED "date: 2021-03-04T23:30:00-08:00\n"

static const site_case url_cases[] = {
    {"no permalink: folders and file name, lower-cased",
     {{"config.toml", BASE}, {"content/notes/Deep/My Note.md", POST("title: T\n")}},
     "notes/Deep/My Note.md", "https://example.org/notes/deep/my-note/"},
    {"a page at the top",
     {{"hugo.toml", BASE}, {"content/About.md", POST("title: About\n")}},
     "About.md", "https://example.org/about/"},
    {"slug replaces the file name",
     {{"config.toml", BASE}, {"content/notes/a.md", POST("title: T\nslug: Sl.ug\n")}},
     "notes/a.md", "https://example.org/notes/sl.ug/"},
    {"bundle: the folder names the page",
     {{"config.toml", BASE}, {"content/b/My-Bundle/index.md", POST("title: T\n")}},
     "b/My-Bundle/index.md", "https://example.org/b/my-bundle/"},
    {"bundle with a slug",
     {{"config.toml", BASE}, {"content/b/Bun/index.md", POST("title: T\nslug: Bun Slug\n")}},
     "b/Bun/index.md", "https://example.org/b/bun-slug/"},
    {":year :month :day :slug from slug",
     {{"config.toml", BASE "[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n"},
      {"content/post/a.md", POST("title: T\nslug: My Slug!\n" DATED)}},
     "post/a.md", "https://example.org/2021/03/04/my-slug/"},
    {":slug falls back to the title, urlized",
     {{"config.toml", BASE "[permalinks]\npost = \"/:year/:slug/\"\n"},
      {"content/post/a.md", POST("title: \"Vim (text editor): Ça va? C++ & C# 1.2 — ok_yes\"\n" DATED)}},
     "post/a.md", "https://example.org/2021/vim-text-editor-%C3%A7a-va-c-c#-1.2-ok_yes/"},
    {":section :monthname :filename :title",
     {{"config.toml", BASE "[permalinks]\npost = \"/:section/:monthname/:filename/:title/\"\n"},
      {"content/post/Hello.World.md", POST("title: A B\ndate: 2022-12-01\n")}},
     "post/Hello.World.md", "https://example.org/post/december/hello.world/a-b/"},
    {":weekday :weekdayname :yearday",
     {{"config.toml", BASE "[permalinks]\npost = \"/:weekday/:weekdayname/:yearday/\"\n"},
      {"content/post/a.md", POST("title: T\ndate: 2024-03-01\n")}},
     "post/a.md", "https://example.org/5/friday/61/"},
    {":sections follows folders with _index.md; :slugorfilename of a bundle",
     {{"config.toml", BASE "[permalinks]\ndocs = \"/d/:sections/:slugorfilename/\"\n"},
      {"content/docs/x/_index.md", POST("title: X\n")},
      {"content/docs/x/y/index.md", POST("title: Y\n")}},
     "docs/x/y/index.md", "https://example.org/d/docs/x/y/"},
    {":sections stops at a folder that is no section",
     {{"config.toml", BASE "[permalinks]\nnotes = \"/n/:sections/:filename/\"\n"},
      {"content/notes/deep/N1.md", POST("title: T\n")}},
     "notes/deep/N1.md", "https://example.org/n/notes/n1/"},
    {":contentbasename and the newer [permalinks.page] form",
     {{"config.toml", BASE "[permalinks.page]\npost = \"/p/:contentbasename/\"\n"},
      {"content/post/Name.md", POST("title: T\n")}},
     "post/Name.md", "https://example.org/p/name/"},
    {"undated: Go's zero time",
     {{"config.toml", BASE "[permalinks]\npost = \"/:year/:month/:day/:filename/\"\n"},
      {"content/post/a.md", POST("title: T\n")}},
     "post/a.md", "https://example.org/1/01/01/a/"},
    {"lastmod when no date",
     {{"config.toml", BASE "[permalinks]\npost = \"/:year/:filename/\"\n"},
      {"content/post/q.md", POST("title: T\nlastmod: 2018-05-05\n")}},
     "post/q.md", "https://example.org/2018/q/"},
    {"uglyURLs for the whole site",
     {{"config.toml", BASE "uglyURLs = true\n"}, {"content/notes/a.md", POST("title: T\n")}},
     "notes/a.md", "https://example.org/notes/a.html"},
    {"uglyURLs for its section, with a permalink",
     {{"config.toml", BASE "[uglyURLs]\npost = true\n[permalinks]\npost = \"/:year/:slug/\"\n"},
      {"content/post/a.md", POST("title: T\nslug: s\n" DATED)}},
     "post/a.md", "https://example.org/2021/s.html"},
    {"uglyURLs for another section only",
     {{"config.toml", BASE "[uglyURLs]\npost = true\n"}, {"content/notes/a.md", POST("title: T\n")}},
     "notes/a.md", "https://example.org/notes/a/"},
    {"disablePathToLower keeps the case; a '+' of a permalink is a space",
     {{"config.toml", BASE "disablePathToLower = true\n[permalinks]\npost = \"/:year/:slug/\"\n"},
      {"content/post/b.md", POST("title: T\nslug: A  B + C\ndate: 2020-01-02\n")}},
     "post/b.md", "https://example.org/2020/A-B--C/"},
    {"front matter url wins, after baseURL's path",
     {{"config.toml", "baseURL = \"https://example.org/Blog/\"\n[permalinks]\npost = \"/:slug/\"\n"},
      {"content/post/c.md", POST("title: T\nurl: /Custom/Path\n")}},
     "post/c.md", "https://example.org/Blog/Custom/Path/"},
    {"front matter url without its first slash: from the site's root",
     {{"config.toml", BASE "[permalinks]\npost = \"/:year/:slug/\"\n"},
      {"content/post/c.md", POST("title: T\ndate: 2020-01-02\nurl: notes/ai\n")}},
     "post/c.md", "https://example.org/notes/ai/"},
    {"an empty front matter url is no url",
     {{"config.toml", BASE}, {"content/post/c.md", POST("title: T\nurl: \"\"\n")}},
     "post/c.md", "https://example.org/post/c/"},
    {"a space in a front matter url is escaped",
     {{"config.toml", BASE}, {"content/post/tee.md", POST("title: T\nurl: tee command\n")}},
     "post/tee.md", "https://example.org/tee%20command/"},
    {"front matter url naming a file",
     {{"config.toml", BASE "uglyURLs = true\n"}, {"content/post/c.md", POST("title: T\nurl: /Foo/Bar.html\n")}},
     "post/c.md", "https://example.org/Foo/Bar.html"},
    {"baseURL with a path",
     {{"config.toml", "baseURL = \"https://example.org/Blog/\"\n"}, {"content/Top.md", POST("title: T\n")}},
     "Top.md", "https://example.org/Blog/top/"},
    {"baseURL without a host: a path",
     {{"config.toml", "baseURL = \"/sub/\"\n"}, {"content/b/x.md", POST("title: T\n")}},
     "b/x.md", "/sub/b/x/"},
    {"multilingual: the default language's contentDir, from config/_default",
     {{"config/_default/hugo.toml", BASE "defaultContentLanguage = \"fr\"\n"},
      {"config/_default/languages.fr.toml", "contentDir = \"content/fr\"\nweight = 1\n"},
      {"config/_default/permalinks.toml", "post = \"/:year/:slug/\"\n"},
      {"content/fr/post/a.md", POST("title: Été\n" DATED)}},
     "post/a.md", "https://example.org/2021/%C3%A9t%C3%A9/"},
#define LANGS "languages:\n  en: {weight: 1}\n  de: {weight: 2}\n"
    {"config/production over config/_default; a translation: its language first",
     {{"config/_default/config.yaml", "baseURL: https://example.org/\n" LANGS},
      {"config/production/permalinks.yaml", "post: /live/:filename/\n"},
      {"content/post/a.de.md", POST("title: T\n")}},
     "post/a.de.md", "https://example.org/de/live/a/"},
    {"defaultContentLanguageInSubdir on a multilingual site",
     {{"hugo.yaml", "baseURL: https://example.org/\ndefaultContentLanguageInSubdir: true\n" LANGS},
      {"content/post/a.md", POST("title: T\n")}},
     "post/a.md", "https://example.org/en/post/a/"},
    {"defaultContentLanguageInSubdir with one language: no subfolder",
     {{"hugo.yaml", "baseURL: https://example.org/\ndefaultContentLanguageInSubdir: true\n"},
      {"content/post/a.md", POST("title: T\n")}},
     "post/a.md", "https://example.org/post/a/"},
};

/* Which folder is Hugo's, and where it keeps its posts. */
static const site_detect_case detect_cases[] = {
    {"config.toml with baseURL", {{"config.toml", BASE}}, SITE_HUGO, "content"},
    {"config.toml with baseurl and Zola's base_url too",
     {{"config.toml", "baseurl = \"https://x.org/\"\nbase_url = \"https://x.org/\"\n"}}, SITE_HUGO,
     "content"},
    {"config.toml without Zola's keys", {{"config.toml", "title = \"x\"\n"}}, SITE_HUGO, "content"},
    {"config.toml with base_url: Zola's", {{"config.toml", "base_url = \"https://x.org\"\n"}}, SITE_ZOLA, NULL},
    {"zola.toml beside a hugo.toml", {{"zola.toml", "base_url = \"https://x.org\"\n"}, {"hugo.toml", BASE}},
     SITE_ZOLA, NULL},
    {"hugo.json with contentDir", {{"hugo.json", "{\"contentDir\": \"posts/\"}"}}, SITE_HUGO, "posts"},
    {"config/_default alone", {{"config/_default/params.toml", "x = 1\n"}}, SITE_HUGO, "content"},
    {"languages.en.contentDir inside hugo.toml",
     {{"hugo.toml", BASE "[languages.en]\ncontentDir = \"./content/en/\"\n"}}, SITE_HUGO, "content/en"},
    {"a module mount of content/en at content (Hugo's own documentation)",
     {{"hugo.toml", BASE "[module]\n[[module.mounts]]\nsource = 'assets'\ntarget = 'assets'\n"
                    "[[module.mounts]]\nsource = 'content/en'\ntarget = 'content'\n"
                    "[module.mounts.sites.matrix]\nlanguages = ['en']\n"}},
     SITE_HUGO, "content/en"},
    {"the mount for the default language, not another's",
     {{"hugo.toml", BASE "defaultContentLanguage = 'fr'\n[[module.mounts]]\nsource = 'content/en'\n"
                    "target = 'content'\nlang = 'en'\n[[module.mounts]]\nsource = 'content/fr'\n"
                    "target = 'content'\nlang = 'fr'\n"}},
     SITE_HUGO, "content/fr"},
    {"no config at all", {{"notes.txt", "x"}}, SITE_UNKNOWN, NULL},
};

/* Which posts Hugo publishes by their dates: none not yet due (publishDate,
 * else date) unless buildFuture, none past expiryDate unless buildExpired. */
static void scheduled_posts(void **state)
{
    (void)state;
    static const struct {
        const char *config, *front;
        post_skip want;
    } cases[] = {
        {BASE, "date: 2020-01-02\n", POST_INDEXED},
        {BASE, "date: 2099-01-02T10:00:00+01:00\n", POST_SKIP_FUTURE},
        {BASE, "date: 2020-01-02\npublishDate: 2099-01-02\n", POST_SKIP_FUTURE},
        {BASE, "date: 2099-01-02\npublishDate: 2020-01-02\n", POST_INDEXED},
        {BASE "buildFuture = true\n", "date: 2099-01-02\n", POST_INDEXED},
        {BASE, "date: 2020-01-02\nexpiryDate: 2021-01-02\n", POST_SKIP_EXPIRED},
        {BASE, "date: 2020-01-02\nunpublishdate: 2021-01-02\n", POST_SKIP_EXPIRED},
        {BASE, "date: 2020-01-02\nexpiryDate: 2099-01-02\n", POST_INDEXED},
        {BASE "buildExpired = true\n", "date: 2020-01-02\nexpiryDate: 2021-01-02\n", POST_INDEXED},
        {BASE, "draft: true\ndate: 2099-01-02\n", POST_SKIP_DRAFT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char front[256];
        snprintf(front, sizeof front, "---\ntitle: T\n%s---\nText.\n", cases[i].front);
        site_file files[] = {{"config.toml", cases[i].config}, {"content/post/a.md", front}, {NULL, NULL}};
        char *root = site_build(files);
        site *s = site_open_as(root, cases[i].front, SITE_HUGO);
        post *p = site_post(s, "post/a.md", NULL);
        if (!p || p->skip != cases[i].want)
            fail_msg("%s%s: %s, want %s", cases[i].config, cases[i].front,
                     p ? post_skip_name(p->skip) : "no post", post_skip_name(cases[i].want));
        post_free(p);
        site_free(s);
        scratch_remove(root);
    }
}

/* A section's cascade of build options reaches the pages below it, as Hugo
 * cascades them: render never is no page; a page's own options win, and the
 * nearest section that says anything. */
static void cascaded_build_options(void **state)
{
    (void)state;
    static const struct {
        const char *top, *section, *page;
        post_skip want;
    } cases[] = {
        {"", "cascade:\n  _build:\n    render: never\n", "", POST_SKIP_NO_PAGE},
        {"", "cascade:\n  - build:\n      render: false\n", "", POST_SKIP_NO_PAGE},
        {"cascade:\n  build:\n    render: never\n", "", "", POST_SKIP_NO_PAGE},
        {"", "cascade:\n  _target:\n    path: /x/**\n  _build:\n    render: never\n", "", POST_INDEXED},
        {"", "cascade:\n  _build:\n    render: never\n", "_build:\n  render: always\n", POST_INDEXED},
        {"cascade:\n  build:\n    render: never\n", "cascade:\n  build:\n    render: always\n", "",
         POST_INDEXED},
        {"", "", "", POST_INDEXED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char top[256], section[256], page[256];
        snprintf(top, sizeof top, "---\ntitle: Home\n%s---\n", cases[i].top);
        snprintf(section, sizeof section, "---\ntitle: Docs\n%s---\n", cases[i].section);
        snprintf(page, sizeof page, "---\ntitle: T\n%s---\nText.\n", cases[i].page);
        site_file files[] = {{"config.toml", BASE},
                             {"content/_index.md", top},
                             {"content/docs/_index.md", section},
                             {"content/docs/part/a.md", page},
                             {NULL, NULL}};
        char *root = site_build(files);
        site *s = site_open_as(root, "cascade", SITE_HUGO);
        post *p = site_post(s, "docs/part/a.md", NULL);
        if (!p || p->skip != cases[i].want)
            fail_msg("case %zu: %s, want %s", i, p ? post_skip_name(p->skip) : "no post",
                     post_skip_name(cases[i].want));
        post_free(p);
        site_free(s);
        scratch_remove(root);
    }
}

/* Hugo makes no page of a leaf bundle's other content files (its
 * resources, at any depth below the folder with index.md) nor of a file
 * ignoreFiles names; a branch's _index.md makes no bundle of its folder. */
static void bundles_and_ignored_files(void **state)
{
    (void)state;
    site_file files[] = {{"config.toml", BASE "ignoreFiles = [\"\\\\.Rmd$\", \"(^|/)hw-\", \"(\"]\n"},
                         {"content/blog/_index.md", POST("title: Blog\n")},
                         {"content/blog/one.md", POST("title: One\n")},
                         {"content/blog/two/index.md", POST("title: Two\n")},
                         {"content/blog/two/notes.md", POST("title: Notes\n")},
                         {"content/blog/two/deep/more.md", POST("title: More\n")},
                         {"content/blog/two/deep/index.md", POST("title: Nested\n")},
                         {"content/blog/three/index.en.md", POST("title: Three\n")},
                         {"content/blog/three/data.md", POST("title: Data\n")},
                         {"content/blog/hw-template.md", POST("title: Template\n")},
                         {"content/blog/four.Rmd.md", POST("title: Four\n")},
                         {NULL, NULL}};
    static const struct {
        const char *rel;
        post_skip want;
    } cases[] = {
        {"blog/one.md", POST_INDEXED},           {"blog/two/index.md", POST_INDEXED},
        {"blog/two/notes.md", POST_SKIP_NO_PAGE}, {"blog/two/deep/more.md", POST_SKIP_NO_PAGE},
        {"blog/two/deep/index.md", POST_SKIP_NO_PAGE}, {"blog/three/index.en.md", POST_INDEXED},
        {"blog/three/data.md", POST_SKIP_NO_PAGE}, {"blog/hw-template.md", POST_SKIP_NO_PAGE},
        {"blog/four.Rmd.md", POST_INDEXED},
    };
    char *root;
    site *s = site_make(&root, files, sizeof files / sizeof files[0]);
    assert_non_null(s);
    assert_int_equal(s->generator, SITE_HUGO);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        post *p = site_post(s, cases[i].rel, NULL);
        if (!p || p->skip != cases[i].want)
            fail_msg("%s: %s, want %s", cases[i].rel, p ? post_skip_name(p->skip) : "no post",
                     post_skip_name(cases[i].want));
        post_free(p);
    }
    site_free(s);
    scratch_remove(root);
}

int main(void)
{
    /* The config file last: one that cannot be read refuses the site. */
    int failed = site_suite_run(SITE_SUITE(SITE_HUGO, url_cases, detect_cases, "hugo.toml", "baseURL = \n"));
    const struct CMUnitTest tests[] = {cmocka_unit_test(scheduled_posts), cmocka_unit_test(cascaded_build_options),
                                       cmocka_unit_test(bundles_and_ignored_files)};
    return failed + cmocka_run_group_tests(tests, NULL, NULL);
}
