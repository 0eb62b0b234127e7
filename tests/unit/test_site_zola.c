/* test_site_zola.c — Zola's rules (indexer/site_zola.c): which sites are
 * Zola's and each rule of a page's URL, one small site per case. Zola is not
 * in Debian: the URLs wanted follow its documented rules (content/page.rs:
 * `path` wins, else the folders and the slug of the file name). */
#include "sitetest.h"

#define BASE "base_url = \"https://blog.example.org\"\n"
#define PAGE(fm) "+++\n" fm "+++\nText.\n"

static const site_case url_cases[] = {
    {"path front matter wins, slashes added",
     {{"config.toml", BASE}, {"content/1.0-Timeline.md", PAGE("title = \"T\"\npath = \"2014/12/12/1.0-Timeline\"\n")}},
     "1.0-Timeline.md", "https://blog.example.org/2014/12/12/1.0-Timeline/"},
    {"path with its own leading slash",
     {{"config.toml", BASE}, {"content/a/b.md", PAGE("title = \"T\"\npath = \"/inside/x/\"\n")}},
     "a/b.md", "https://blog.example.org/inside/x/"},
    {"no path: the folders and the file name as a slug",
     {{"config.toml", BASE}, {"content/Blog/2024-01-15-My Post.md", PAGE("title = \"T\"\n")}},
     "Blog/2024-01-15-My Post.md", "https://blog.example.org/Blog/my-post/"},
    {"a date prefix with '_'",
     {{"config.toml", BASE}, {"content/2024-01-15_hello.md", PAGE("title = \"T\"\n")}},
     "2024-01-15_hello.md", "https://blog.example.org/hello/"},
    {"no date: month 13",
     {{"config.toml", BASE}, {"content/2024-13-01-x.md", PAGE("title = \"T\"\n")}},
     "2024-13-01-x.md", "https://blog.example.org/2024-13-01-x/"},
    {"slug front matter replaces the file name, slugified",
     {{"config.toml", BASE}, {"content/blog/a.md", PAGE("title = \"T\"\nslug = \"Custom Slug!\"\n")}},
     "blog/a.md", "https://blog.example.org/blog/custom-slug/"},
    {"bundle: the folder names the page",
     {{"config.toml", BASE}, {"content/blog/Rust.1.12/index.md", PAGE("title = \"T\"\n")}},
     "blog/Rust.1.12/index.md", "https://blog.example.org/blog/rust-1-12/"},
    {"bundle with a date prefix",
     {{"config.toml", BASE}, {"content/2023-05-01-bundle/index.md", PAGE("title = \"T\"\n")}},
     "2023-05-01-bundle/index.md", "https://blog.example.org/bundle/"},
    {"slugify paths = safe",
     {{"config.toml", BASE "[slugify]\npaths = \"safe\"\n"}, {"content/blog/Hi: There?.md", PAGE("title = \"T\"\n")}},
     "blog/Hi: There?.md", "https://blog.example.org/blog/Hi There/"},
    {"slugify paths = off",
     {{"config.toml", BASE "[slugify]\npaths = \"off\"\n"}, {"content/blog/Hello.World.md", PAGE("title = \"T\"\n")}},
     "blog/Hello.World.md", "https://blog.example.org/blog/Hello.World/"},
    {"base_url with a path",
     {{"zola.toml", "base_url = \"https://example.org/blog/\"\n"}, {"content/x.md", PAGE("title = \"T\"\n")}},
     "x.md", "https://example.org/blog/x/"},
    {"a translation: its language first",
     {{"config.toml", BASE "default_language = \"en\"\n[languages.fr]\ntitle = \"F\"\n"},
      {"content/blog/post.fr.md", PAGE("title = \"T\"\n")}},
     "blog/post.fr.md", "https://blog.example.org/fr/blog/post/"},
    {"a dotted name that is no language",
     {{"config.toml", BASE}, {"content/Rust.1.43.1.md", PAGE("title = \"T\"\n")}},
     "Rust.1.43.1.md", "https://blog.example.org/rust-1-43-1/"},
    {"a section's _index.md changes no page's URL",
     {{"config.toml", BASE},
      {"content/blog/_index.md", PAGE("title = \"B\"\ntransparent = true\npage_template = \"p.html\"\n")},
      {"content/blog/a.md", PAGE("title = \"T\"\n")}},
     "blog/a.md", "https://blog.example.org/blog/a/"},
};

/* Which folder is Zola's: a config.toml with base_url, not Hugo's baseURL. */
static const site_detect_case detect_cases[] = {
    {"config.toml with base_url", {{"config.toml", BASE "compile_sass = true\n[markdown]\n"}}, SITE_ZOLA, "content"},
    {"zola.toml", {{"zola.toml", BASE}}, SITE_ZOLA, "content"},
    {"config.toml with baseURL: Hugo's", {{"config.toml", "baseURL = \"https://x.org/\"\n"}}, SITE_HUGO, NULL},
    {"config.toml with both: Hugo's", {{"config.toml", BASE "baseurl = \"https://x.org/\"\n"}}, SITE_HUGO, NULL},
    {"config.toml with neither: Hugo's", {{"config.toml", "title = \"x\"\n"}}, SITE_HUGO, NULL},
};

int main(void)
{
    /* The config file last: one that cannot be read refuses the site. */
    return site_suite_run(SITE_SUITE(SITE_ZOLA, url_cases, detect_cases, "zola.toml", "base_url = [\n"));
}
