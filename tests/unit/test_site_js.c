/* test_site_js.c — the rules of the generators that route in the site's own
 * JS code (indexer/site_astro.c, site_gatsby.c): detection, the content
 * folder, guessed URLs from front matter, --permalink or the file's place, and
 * what the config names (authors, the site's address), on sites written here. */
#include "site_testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define STARLIGHT                                                                          \
    "import starlight from \"@astrojs/starlight\";\n"                                      \
    "const plugins = [starlightBlog({ title: 'Blog', authors: {\n"                         \
    "  ema: { name: \"Ema S\", url: \"https://e.x\" }, // the lead\n"                      \
    "  'core': { picture: '/a.png', name: 'Core Team' }, plain: \"Plain Name\" } })];\n"   \
    "export default defineConfig({ site: 'https://x.org', integrations: [starlight({\n"    \
    "  plugins, base: 'not/this' })] });\n"
#define ASTRO "export default defineConfig({ base: '/b' });\n"
/* Page routes, as Astro sites write them. */
#define ROUTE(collection)                                                                  \
    "---\nimport { getCollection } from 'astro:content';\n"                                \
    "export async function getStaticPaths({ paginate }) {\n"                               \
    "  const all = await getCollection(" collection ");\n"                                 \
    "  return all.map((post) => ({ params: { slug: post.id } }));\n}\n"                    \
    "const people = await getCollection('people');\n---\n"
#define ARROW_ROUTE                                                                        \
    "---\nexport const getStaticPaths = (async () => {\n"                                  \
    "  return (await getCollection(\"blog\")).map((e) => ({ params: { slug: e.slug } }));\n" \
    "}) satisfies GetStaticPaths;\n---\n"
#define HELPER_ROUTE                                                                       \
    "---\nexport async function getStaticPaths() {\n"                                      \
    "  return (await sortedPosts()).map((post) => ({ params: { slug: post.id } }));\n}\n---\n"
#define GATSBY_CONFIG                                                                      \
    "module.exports = { siteMetadata: { author: { name: 'Jane Doe' } }, plugins: [\n"      \
    "  { resolve: 'gatsby-source-filesystem', options: { path: `${__dirname}/static`, name: 'static' } },\n" \
    "  { resolve: 'gatsby-source-filesystem', options: { name: 'blog', path: `${__dirname}/content/posts` } } ] }\n"
#define BY_FRONT "exports.createPages = () => graphql(`{ allMdx { frontmatter { slug } } }`)\n"
#define BY_FILE "const { createFilePath } = require('gatsby-source-filesystem')\n"
#define BY_INDEX BY_FILE "const isPost = getNode(node.parent).base === `index.md`\n"

typedef struct js_case {
    const char *name;
    site_file files[4];
    site_generator generator;
    const char *content; /* under the site */
    const char *rel;     /* the post under the content folder */
    const char *permalink;
    const char *url;     /* NULL: none */
    post_skip skip;
    const char *authors; /* joined with "|" */
} js_case;

static const js_case cases[] = {
    {"starlight: the docs collection from the root, the site's address, authors mapped",
     {{"astro.config.mjs", STARLIGHT},
      {"src/content/docs/zh-CN/blog/My Post.v2.md", "---\ntitle: T\nauthors: [ema, core, plain, other]\n---\nx\n"}},
     SITE_ASTRO, "src/content/docs", "zh-CN/blog/My Post.v2.md", NULL,
     "https://x.org/zh-cn/blog/my-postv2/" /* github-slugger drops "." */, POST_INDEXED, "Ema S|Core Team|Plain Name|other"},
    {"astro collections: /COLLECTION/ID/, index dropped, base",
     {{"astro.config.ts", ASTRO}, {"src/content/blog/a/index.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a/index.md", NULL, "/b/blog/a/", POST_INDEXED, ""},
    {"astro: slug replaces the id in its collection",
     {{"astro.config.js", ASTRO}, {"src/content/blog/a.md", "---\ntitle: T\nslug: New One\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/blog/New%20One/", POST_INDEXED, ""},
    {"astro: slug as written, in folders, case and _ kept",
     {{"astro.config.js", ASTRO}, {"src/content/blog/2024/a.md", "---\ntitle: T\nslug: /2024/Release_Notes\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/2024/a.md", NULL, "/b/blog/2024/Release_Notes/", POST_INDEXED, ""},
    {"astro: a collection at the folder of the route that asks for it in getStaticPaths",
     {{"astro.config.ts", ASTRO}, {"src/pages/posts/[slug]/index.astro", ROUTE("\"blog\"")},
      {"src/pages/people/[id].astro", ROUTE("'people'")}, {"src/content/blog/a/b.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a/b.md", NULL, "/b/posts/a/b/", POST_INDEXED, ""},
    {"astro: an arrow getStaticPaths, an Astro 4 slug",
     {{"astro.config.ts", ASTRO}, {"src/pages/articles/[...slug].astro", ARROW_ROUTE},
      {"src/content/blog/a.md", "---\ntitle: T\nslug: x/Y z\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/articles/x/Y%20z/", POST_INDEXED, ""},
    {"astro: a collection no route asks for has no page",
     {{"astro.config.ts", ASTRO}, {"src/pages/posts/[slug].astro", ROUTE("\"blog\"")},
      {"src/content/notes/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "notes/a.md", NULL, NULL, POST_SKIP_NO_PAGE, ""},
    {"astro: author profiles are not posts, routed or not",
     {{"astro.config.ts", ASTRO}, {"src/pages/posts/[slug].astro", ROUTE("\"blog\"")},
      {"src/pages/authors/[slug].astro", ROUTE("\"authors\"")},
      {"src/content/authors/ann.md", "---\nname: Ann\n---\nx\n"}},
     SITE_ASTRO, "src/content", "authors/ann.md", NULL, NULL, POST_SKIP_NOT_A_POST, ""},
    {"astro: a route that gets entries from a helper: routes not read, nothing skipped",
     {{"astro.config.ts", ASTRO}, {"src/pages/posts/[slug].astro", ROUTE("\"blog\"")},
      {"src/pages/notes/[slug].astro", HELPER_ROUTE}, {"src/content/notes/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "notes/a.md", NULL, "/b/notes/a/", POST_INDEXED, ""},
    {"astro: routes read past one that cannot be, whatever their names",
     {{"astro.config.ts", ASTRO}, {"src/pages/a/[slug].astro", HELPER_ROUTE},
      {"src/pages/posts/[slug].astro", ROUTE("\"blog\"")}, {"src/content/blog/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/posts/a/", POST_INDEXED, ""},
    {"astro: author profiles are not posts, routes read or not",
     {{"astro.config.ts", ASTRO}, {"src/pages/notes/[slug].astro", HELPER_ROUTE},
      {"src/content/authors/ann.md", "---\nname: Ann\n---\nx\n"}},
     SITE_ASTRO, "src/content", "authors/ann.md", NULL, NULL, POST_SKIP_NOT_A_POST, ""},
    {"astro: a post's authors named by the authors collection",
     {{"astro.config.ts", ASTRO}, {"src/content/authors/Ann Lee.md", "---\nname: Ann Lee\n---\nx\n"},
      {"src/content/authors/bo.json", "{\"name\": \"Bo Ek\"}"},
      {"src/content/blog/a.md", "---\ntitle: T\nauthors: [ann-lee, bo, cy]\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/blog/a/", POST_INDEXED, "Ann Lee|Bo Ek|cy"},
    {"astro: a getStaticPaths imported from elsewhere is not read",
     {{"astro.config.ts", ASTRO}, {"src/pages/posts/[slug].astro", ROUTE("\"blog\"")},
      {"src/pages/notes/[slug].astro", "---\nexport { getStaticPaths } from '../../paths';\n---\n{getCollection('x')}\n"},
      {"src/content/notes/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "notes/a.md", NULL, "/b/notes/a/", POST_INDEXED, ""},
    {"astro: a route with a parameter before its end is not followed: /COLLECTION/ID/",
     {{"astro.config.ts", ASTRO}, {"src/pages/[lang]/posts/[...slug].astro", ROUTE("\"blog\"")},
      {"src/content/blog/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/blog/a/", POST_INDEXED, ""},
    {"astro: path as written",
     {{"astro.config.mts", ASTRO}, {"src/content/blog/a.md", "---\ntitle: T\npath: /x/y\n---\nx\n"}},
     SITE_ASTRO, "src/content", "blog/a.md", NULL, "/b/x/y", POST_INDEXED, ""},
    {"astro: --permalink before the guess; src/pages",
     {{"astro.config.mjs", "export default {}"}, {"src/pages/posts/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_ASTRO, "src/pages", "posts/a.md", "/p/{slug}/", "/p/a/", POST_INDEXED, ""},
    {"gatsby: the filesystem source's folder, slug as /SLUG/, the site's author",
     {{"gatsby-config.js", GATSBY_CONFIG}, {"gatsby-node.js", BY_FRONT},
      {"content/posts/001/index.md", "---\ntitle: T\nslug: hello-there\n---\nx\n"}},
     SITE_GATSBY, "content/posts", "001/index.md", NULL, "/hello-there/", POST_INDEXED,
     "Jane Doe"},
    {"gatsby: path as written",
     {{"gatsby-config.js", GATSBY_CONFIG}, {"content/posts/a.md", "---\ntitle: T\npath: /x/\nauthor: Ann\n---\nx\n"}},
     SITE_GATSBY, "content/posts", "a.md", NULL, "/x/", POST_INDEXED, "Ann"},
    {"gatsby routing by front matter: no slug, no page",
     {{"gatsby-config.js", GATSBY_CONFIG}, {"gatsby-node.js", BY_FRONT},
      {"content/posts/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_GATSBY, "content/posts", "a.md", NULL, NULL, POST_SKIP_NO_PAGE, "Jane Doe"},
    {"gatsby-node in TypeScript, routing by front matter: no slug, no page",
     {{"gatsby-config.ts", GATSBY_CONFIG}, {"gatsby-node.ts", BY_FRONT},
      {"content/posts/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_GATSBY, "content/posts", "a.md", NULL, NULL, POST_SKIP_NO_PAGE, "Jane Doe"},
    {"gatsby-node.mjs alone: the site is Gatsby's, and routes by front matter",
     {{"gatsby-node.mjs", BY_FRONT}, {"content/blog/a.md", "---\ntitle: T\n---\nx\n"}},
     SITE_GATSBY, "content/blog", "a.md", NULL, NULL, POST_SKIP_NO_PAGE, ""},
    {"gatsby routing by file path: createFilePath's route",
     {{"gatsby-node.js", BY_FILE}, {"content/blog/hello/index.md", "---\ntitle: T\n---\nx\n"}},
     SITE_GATSBY, "content/blog", "hello/index.md", NULL, "/hello/", POST_INDEXED, ""},
    {"gatsby-node making posts of index.md only: a bundle's index.md is a post",
     {{"gatsby-node.js", BY_INDEX}, {"content/blog/hello/index.md", "---\ntitle: T\n---\nx\n"}},
     SITE_GATSBY, "content/blog", "hello/index.md", NULL, "/hello/", POST_INDEXED, ""},
    {"gatsby-node making posts of index.md only: notes beside it have no page",
     {{"gatsby-node.js", BY_INDEX}, {"content/blog/hello/notes.md", "Notes on a book.\n"}},
     SITE_GATSBY, "content/blog", "hello/notes.md", NULL, NULL, POST_SKIP_NO_PAGE, ""},
    {"gatsby-node making posts of index.md only: a path of its own still routes",
     {{"gatsby-node.js", BY_INDEX}, {"content/blog/about.md", "---\ntitle: T\npath: /about/\n---\nx\n"}},
     SITE_GATSBY, "content/blog", "about.md", NULL, "/about/", POST_INDEXED, ""},
    {"gatsby-node naming index.md otherwise (a regular expression): every file a post",
     {{"gatsby-node.js", BY_FILE "slug.replace(/index\\.md$/, '')\n"},
      {"content/blog/hello/notes.md", "Notes.\n"}},
     SITE_GATSBY, "content/blog", "hello/notes.md", NULL, "/hello/notes/", POST_INDEXED, ""},
};

static void assert_authors(const post *p, const char *want, const char *what)
{
    char got[512] = "";
    for (size_t i = 0; i < p->n_authors; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "|" : "", p->authors[i]);
    if (strcmp(got, want) != 0)
        fail_msg("%s: authors %s, want %s", what, got, want);
}

static void test_sites(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const js_case *c = &cases[i];
        site_run r;
        char content[4096];
        const char *bad = site_run_open(&r, c->files, 4, c->generator, c->rel, c->permalink, c->url);
        if (bad)
            fail_msg("%s: %s", c->name, bad);
        snprintf(content, sizeof content, "%s/%s", r.dir, c->content);
        assert_string_equal(r.s->content, content);
        post *p = r.p;
        if (p->url && !p->url_guessed)
            fail_msg("%s: not marked guessed", c->name);
        if (p->skip != c->skip)
            fail_msg("%s: skip %s", c->name, post_skip_name(p->skip));
        assert_authors(p, c->authors, c->name);
        site_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
