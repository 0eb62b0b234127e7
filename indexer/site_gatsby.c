/* site_gatsby.c — Gatsby's rules (site.h): a site with gatsby-config.* or
 * gatsby-node.* (.js, .ts or .mjs). Gatsby routes pages in the site's own
 * gatsby-node, which is read as text and never run, so every URL here is a
 * guess, marked so. The posts are the folder the first
 * gatsby-source-filesystem (not static files or images) names as a literal
 * path, else content/blog, content/posts, content or posts. A post's URL is
 * its front matter's path as written, else /SLUG/ from its slug, else
 * --permalink; with none of them, a site whose gatsby-node routes by front
 * matter (it queries frontmatter slug or path and never calls
 * createFilePath) publishes no page for it (skipped by rule), and any other
 * site is guessed to route it as createFilePath does: the file's path as a
 * folder. A site whose gatsby-node compares a file's name with a literal
 * ("index.md") makes posts only of files so named: another file, with no
 * path or slug of its own, gets no page. The site's author (siteMetadata
 * author or authorInfo, a literal, read from the config or the file it
 * requires for siteMetadata) names a post that names none. */
#include "site.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

typedef struct gatsby_state {
    char *base;          /* siteMetadata.siteUrl literal, or NULL */
    char *base_path;     /* pathPrefix: "" or "/blog" */
    char *author;        /* the site's author, or NULL */
    bool routes_by_front; /* gatsby-node makes pages from front-matter slug/path */
    const char *post_file; /* the one file name gatsby-node makes posts of, or NULL */
} gatsby_state;

static const char *const config_names[] = {"gatsby-config.js", "gatsby-config.ts",
                                           "gatsby-config.mjs", "gatsby-node.js",
                                           "gatsby-node.ts", "gatsby-node.mjs", NULL};
/* Gatsby loads gatsby-node in any of these forms; a site has one. */
static const char *const node_names[] = {"gatsby-node.js", "gatsby-node.ts", "gatsby-node.mjs",
                                         NULL};

static bool gatsby_detect(const char *root)
{
    return site_first_of(root, config_names) != NULL;
}

/* The folder of the first gatsby-source-filesystem whose literal path exists
 * and is not for static files or images; NULL when none. */
static char *source_folder(const char *root, const char *js)
{
    static const char *const not_posts[] = {"static", "images", "assets", "data", NULL};
    const char *end = js + strlen(js);
    for (const char *p = strstr(js, "gatsby-source-filesystem"); p;
         p = strstr(p + 1, "gatsby-source-filesystem")) {
        const char *options = site_js_value(p, (size_t)(end - p), "options");
        size_t n = options ? site_js_block(options, end) : 0;
        const char *path_v = n ? site_js_value(options, n, "path") : NULL;
        const char *name_v = n ? site_js_value(options, n, "name") : NULL;
        char *path = path_v ? site_js_string(path_v, options + n) : NULL;
        char *name = name_v ? site_js_string(name_v, options + n) : NULL;
        bool skip = false;
        for (size_t i = 0; not_posts[i] && name; i++)
            skip = skip || strcmp(name, not_posts[i]) == 0;
        free(name);
        if (path && *path && !skip && site_has(root, path))
            return path;
        free(path);
    }
    return NULL;
}

/* The site's author: siteMetadata's author or authorInfo, in the config or in
 * the file siteMetadata requires ("./site-metadata"). */
static char *site_author(const char *root, const char *js)
{
    char *text = NULL;
    const char *meta = site_js_value(js, strlen(js), "siteMetadata");
    if (meta && strncmp(meta, "require(", 8) == 0) {
        char *file = site_js_string(meta + 8, js + strlen(js));
        strbuf name = {0};
        sb_printf(&name, "%s%s", file ? file : "", file && !strstr(file, ".js") ? ".js" : "");
        text = file ? site_read_text(root, name.data) : NULL;
        free(file);
        sb_free(&name);
    }
    const char *in = text ? text : js;
    static const char *const keys[] = {"author", "authorInfo", NULL};
    char *author = NULL;
    for (size_t i = 0; keys[i] && !author; i++) {
        const char *v = site_js_value(in, strlen(in), keys[i]);
        author = v ? site_js_name(v, in + strlen(in)) : NULL;
    }
    free(text);
    return author;
}

/* The one file name gatsby-node makes posts of, when it compares a file's
 * name with it as a literal (fileNode.base === `index.md`, or
 * endsWith("/index.md")); else NULL. Such a site gives a bundle's other
 * Markdown files (notes beside a post) no page. */
static const char *post_file_name(const char *node)
{
    static const char *const names[] = {"index.md", "index.mdx", NULL};
    for (size_t i = 0; names[i]; i++) {
        size_t n = strlen(names[i]);
        for (const char *f = strstr(node, names[i]); f; f = strstr(f + 1, names[i]))
            if (f > node && strchr("'\"`/", f[-1]) && f[n] && strchr("'\"`", f[n]))
                return names[i];
    }
    return NULL;
}

static bool gatsby_open(site *s, char *why, size_t why_len)
{
    (void)why, (void)why_len;
    gatsby_state *st = xcalloc(1, sizeof *st);
    s->rules_state = st;
    const char *name = site_first_of(s->root, config_names);
    s->config_path = xstrdup(name);
    char *js = site_read_text(s->root, name);
    char *folder = js ? source_folder(s->root, js) : NULL;
    if (js) {
        const char *url = site_js_value(js, strlen(js), "siteUrl");
        const char *prefix = site_js_value(js, strlen(js), "pathPrefix");
        char *prefix_s = prefix ? site_js_string(prefix, js + strlen(js)) : NULL;
        st->base = url ? site_js_string(url, js + strlen(js)) : NULL;
        st->base_path = site_base_path(prefix_s);
        st->author = site_author(s->root, js);
        free(prefix_s);
    } else {
        st->base_path = xstrdup("");
    }
    free(js);
    const char *node_name = site_first_of(s->root, node_names);
    char *node = node_name ? site_read_text(s->root, node_name) : NULL;
    st->routes_by_front = node && !strstr(node, "createFilePath") && strstr(node, "frontmatter") &&
                          (strstr(node, "slug") || strstr(node, "path"));
    st->post_file = node ? post_file_name(node) : NULL;
    free(node);
    static const char *const folders[] = {"content/blog", "content/posts", "content", "posts", NULL};
    const char *fallback = folder ? folder : site_first_of(s->root, folders);
    strbuf path = {0};
    sb_printf(&path, fallback ? "%s/%s" : "%s", s->root, fallback);
    s->content = sb_take(&path);
    free(folder);
    return true;
}

static void gatsby_close(site *s)
{
    gatsby_state *st = s->rules_state;
    if (!st)
        return;
    free(st->base);
    free(st->base_path);
    free(st->author);
    free(st);
    s->rules_state = NULL;
}

/* createFilePath's route: the file's path without extension, as a folder,
 * NAME/index giving NAME/. */
static char *file_route(const char *rel)
{
    strbuf out = {0};
    const char *dot = strrchr(rel, '.');
    size_t n = dot && !strchr(dot, '/') ? (size_t)(dot - rel) : strlen(rel);
    sb_putc(&out, '/');
    sb_append(&out, rel, n);
    if (out.len >= 6 && strcmp(out.data + out.len - 6, "/index") == 0)
        out.data[out.len -= 5] = '\0';
    else
        sb_putc(&out, '/');
    return sb_take(&out);
}

/* The post's route, or NULL when the site publishes no page for it. */
static char *gatsby_path(const gatsby_state *st, const post_place *at, const post *p)
{
    const char *path = site_config_string(at->front, "path");
    if (path && *path)
        return xstrdup(path);
    const char *slug = site_config_string(at->front, "slug");
    if (slug && *slug) {
        strbuf out = {0};
        sb_printf(&out, "/%s/", slug + strspn(slug, "/"));
        while (out.len > 2 && out.data[out.len - 2] == '/')
            out.data[--out.len] = '\0';
        return sb_take(&out);
    }
    const char *name = strrchr(at->rel, '/') ? strrchr(at->rel, '/') + 1 : at->rel;
    if (st->post_file && strcmp(name, st->post_file) != 0)
        return NULL;
    if (at->permalink)
        return site_permalink_url(at->permalink, at->rel, p);
    return st->routes_by_front ? NULL : file_route(at->rel);
}

static void gatsby_apply(const site *s, const post_place *at, post *p)
{
    const gatsby_state *st = s->rules_state;
    char *path = gatsby_path(st, at, p);
    if (path)
        site_set_url(p, site_url_join(st->base, st->base_path, path), true);
    else if (p->skip == POST_INDEXED)
        p->skip = POST_SKIP_NO_PAGE;
    free(path);
    if (!p->n_authors && st->author) {
        p->authors = xmalloc(sizeof *p->authors);
        p->authors[p->n_authors++] = xstrdup(st->author);
    }
}

const site_rules gatsby_rules = {
    .generator = SITE_GATSBY, .name = "gatsby", .detect = gatsby_detect, .open = gatsby_open,
    .apply = gatsby_apply, .close = gatsby_close,
};
