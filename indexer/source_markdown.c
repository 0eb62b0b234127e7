/* source_markdown.c — the Markdown folder: every *.md, *.mdx and *.markdown file
 * under a folder is a post (YAML front matter, then Markdown: see post.h; Astro,
 * Gatsby and Docusaurus write .mdx); on a Jekyll site so is every *.html file in
 * a _posts folder (front matter, then HTML). An item's id is "md:" and its path relative
 * to the folder (the kind first, so no other source's ids can meet these); its
 * stamp the file's size and mtime.
 * The folder is walked by source_walk (source.c). */
#include "source.h"

#include "fdio.h"
#include "html_text.h"
#include "text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ID_KIND "md:" /* what every item id of this source starts with */

typedef struct markdown_source {
    source base;
    char *dir;  /* as given: names removed posts as today's messages do */
    char *root; /* dir without trailing slashes: the prefix of every path opened */
    site *site; /* the site dir belongs to (URLs, site data), or NULL */
    const char *permalink; /* --permalink: every post's URL from this pattern */
} markdown_source;

/* Hidden files, editor backups and lock files are not posts. */
static bool is_post_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || name[0] == '#' || name[n - 1] == '~')
        return false;
    return ends_with(name, ".md") || ends_with(name, ".mdx") || ends_with(name, ".markdown");
}

/* Jekyll also publishes .html files in a _posts folder as posts. */
static bool is_jekyll_post_name(const char *name)
{
    return is_post_name(name) || (name[0] != '.' && ends_with(name, ".html"));
}

/* Is this .html item in a _posts folder (or the walk's root one)? Other .html
 * files of a Jekyll site are layouts, includes and pages, not posts. */
static bool html_in_posts(void *ctx, const source_item *item)
{
    const markdown_source *m = ctx;
    if (!ends_with(item->id, ".html"))
        return true;
    const char *rel = item->id + strlen(ID_KIND);
    return ends_with(m->root, "/_posts") || strncmp(rel, "_posts/", 7) == 0 || strstr(rel, "/_posts/");
}

static bool is_jekyll(const markdown_source *m)
{
    return m->site && m->site->generator == SITE_JEKYLL;
}

/* How the site's generator names its headings' ids (markdown-it, Eleventy's,
 * has no ids unless a plugin adds them: the project's own slugs then). */
static post_anchor_style anchor_style(site_generator g)
{
    switch (g) {
    case SITE_HUGO:
        return POST_ANCHOR_GOLDMARK;
    case SITE_JEKYLL:
        return POST_ANCHOR_KRAMDOWN;
    case SITE_ASTRO:
    case SITE_GATSBY:
        return POST_ANCHOR_GITHUB;
    case SITE_ZOLA:
        return POST_ANCHOR_SLUG_1;
    default:
        return POST_ANCHOR_SLUG;
    }
}

/* Which ids written after a heading the generator takes (goldmark's heading
 * attributes are on by default in Hugo; kramdown's header ids and attribute
 * lists in Jekyll; pulldown-cmark's in Zola). A folder of posts with no
 * generator takes "{#id}" too: the author asked for it. */
static post_heading_ids heading_ids(const markdown_source *m)
{
    if (!m->site)
        return POST_IDS_ATTRIBUTE;
    switch (m->site->generator) {
    case SITE_HUGO:
    case SITE_ZOLA:
        return POST_IDS_ATTRIBUTE;
    case SITE_JEKYLL:
        return POST_IDS_KRAMDOWN;
    default:
        return POST_IDS_NONE;
    }
}

/* The date keys a generator's sites name beyond the common ones. Astro has
 * none of its own (a collection's schema names the date), but AstroPaper, the
 * most used blog theme, dates every post with pubDatetime (and modDatetime,
 * the last change, which is no post's date). */
static const char *const *own_date_keys(const markdown_source *m)
{
    static const char *const astro[] = {"pubDatetime", NULL};
    return m->site && m->site->generator == SITE_ASTRO ? astro : NULL;
}

static void markdown_list(source *s, source_list *out)
{
    markdown_source *m = (markdown_source *)s;
    *out = (source_list){0};
    source_walk(out, m->root, ID_KIND, is_jekyll(m) ? is_jekyll_post_name : is_post_name);
    if (is_jekyll(m))
        source_list_filter(out, html_in_posts, m);
}

static post_status markdown_read(const source *s, const char *where, size_t max_bytes, char **buf,
                                 size_t *len, post_error *err)
{
    (void)s;
    fd_status rc = fd_read_file(buf, len, where, max_bytes, err->message, sizeof err->message);
    err->line = 0;
    err->code = rc == FD_OK ? POST_OK : rc == FD_ETOOBIG ? POST_ETOOBIG : POST_EIO;
    return err->code;
}

/* path relative to folder when it lies under it, else path. */
static const char *path_under(const char *path, const char *folder)
{
    size_t n = strlen(folder);
    return strncmp(path, folder, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

static post_status markdown_parse(const source *s, const char *where, const char *buf, size_t len,
                                  post **out, post_error *err)
{
    const markdown_source *m = (const markdown_source *)s;
    post_reading how = {.liquid_in_code = is_jekyll(m),
                        .shortcodes_in_code = m->site && m->site->generator == SITE_HUGO,
                        .dated_by_name = is_jekyll(m),
                        .anchors = m->site ? anchor_style(m->site->generator) : POST_ANCHOR_SLUG,
                        .heading_ids = heading_ids(m),
                        .date_keys = own_date_keys(m),
                        .tags_on_commas_only = m->site && m->site->generator == SITE_ELEVENTY,
                        .read_html = is_jekyll(m) && ends_with(where, ".html") ? html_to_post : NULL};
    post_status rc = post_parse_as(out, where, buf, len, &how, err);
    if (rc != POST_OK)
        return rc;
    const char *rel = path_under(where, m->root);
    if (!m->site) {
        site_apply_permalink(m->permalink, rel, *out);
        return POST_OK;
    }
    /* The site's rules want the path from its content folder, which a --corpus
     * inside it (content/post) does not start at; and keys the post model does
     * not keep (permalink, a date's time and zone): the front matter again,
     * from the same text. */
    const char *in_site = path_under(where, m->site->content);
    json_t *front = NULL, *plain = NULL;
    post_front_matter(&front, &plain, where, buf, len, NULL);
    site_apply(m->site,
               &(post_place){.rel = in_site != where ? in_site : rel, .permalink = m->permalink,
                             .front = front, .plain = plain},
               *out);
    json_decref(front);
    json_decref(plain);
    return POST_OK;
}

static void markdown_name(const source *s, const char *id, strbuf *out)
{
    if (strncmp(id, ID_KIND, strlen(ID_KIND)) == 0)
        id += strlen(ID_KIND);
    sb_printf(out, "%s/%s", ((const markdown_source *)s)->dir, id);
}

static void markdown_close(source *s)
{
    markdown_source *m = (markdown_source *)s;
    free(m->dir);
    free(m->root);
    site_free(m->site);
    free(m);
}

static const source_ops markdown_ops = {
    .list = markdown_list,
    .read = markdown_read,
    .parse = markdown_parse,
    .name = markdown_name,
    .close = markdown_close,
};

source *source_markdown_open(const char *dir, site *in_site, const char *permalink, char *why,
                             size_t why_len)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "corpus %s is not a folder", dir);
        site_free(in_site);
        return NULL;
    }
    markdown_source *m = xmalloc(sizeof *m);
    size_t root_len = strlen(dir);
    while (root_len > 1 && dir[root_len - 1] == '/')
        root_len--; /* "corpus/" and "corpus" give the same ids */
    *m = (markdown_source){.base = {.ops = &markdown_ops}, .dir = xstrdup(dir),
                           .root = xstrndup(dir, root_len), .site = in_site,
                           .permalink = permalink};
    m->base.label = m->dir;
    return &m->base;
}

const site *source_site(const source *s)
{
    return s && s->ops == &markdown_ops ? ((const markdown_source *)s)->site : NULL;
}
