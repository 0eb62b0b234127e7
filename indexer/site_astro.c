/* site_astro.c — Astro's rules (site.h): a site with astro.config.*. Astro
 * routes pages in the site's own code, so every URL here is a guess, marked
 * so. The posts are src/content/docs for a Starlight site (routed from the
 * site's root), else src/content (each first folder a collection), else
 * src/pages (file routes). A post's URL is the front matter's permalink or
 * path as written, else its slug exactly as written (Astro takes it as the
 * entry's id; %-escaped where a URL needs it), else --permalink, else the
 * entry's id as content collections make it (each folder and the name
 * slugified, index dropped), under its collection's route. That route is
 * read from src/pages: the folder of the dynamic .astro page whose
 * getStaticPaths asks for the collection by name (getCollection("blog"), a
 * literal) and names each page by the entry's id or slug (posts/[...slug]
 * serves "blog" at /posts/ID/); a collection asked for only in another shape
 * keeps the guess /COLLECTION/ID/. When every dynamic page route could be
 * read so, a collection none asks for has no pages (skipped, no-page); when
 * one could not (its entries come from the site's own helper), nothing is
 * skipped for want of a route. An authors collection holds profiles, not
 * posts (skipped, not-a-post); each one's name names the posts that give
 * its id as an author. The config is read as text, never run: its site and
 * base literals, and the starlight-blog authors map (key -> name), which
 * names the post's authors too. */
#include "site.h"

#include "text.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct astro_state {
    char *base;      /* site: "https://x.org", or NULL */
    char *base_path; /* base: "" or "/docs" */
    json_t *authors; /* starlight-blog: key -> name */
    /* What src/pages says of each collection a dynamic route asks for: the
     * route's folder ("posts/", "" at the root), or null when it is routed
     * in a shape not followed here. */
    json_t *routes;
    bool routes_read; /* every dynamic page route was read, and one names a collection */
} astro_state;

enum { PAGES_DEPTH = 8 }; /* folders under src/pages looked into */

static const char *const config_names[] = {"astro.config.mjs", "astro.config.js",
                                           "astro.config.ts", "astro.config.mts", NULL};

static bool astro_detect(const char *root)
{
    return site_first_of(root, config_names) != NULL;
}

/* The property name at *p (bare or quoted), malloc'd; *p moves past it. */
static char *property_name(const char **p, const char *end)
{
    const char *k = *p;
    if (k < end && (*k == '"' || *k == '\'')) {
        const char *close = memchr(k + 1, *k, (size_t)(end - k - 1));
        *p = close ? close + 1 : end;
        return close ? xstrndup(k + 1, (size_t)(close - k - 1)) : NULL;
    }
    while (*p < end && (isalnum((unsigned char)**p) || **p == '_' || **p == '$' || **p == '-'))
        (*p)++;
    return *p > k ? xstrndup(k, (size_t)(*p - k)) : NULL;
}

/* Where the value at v (ending before end) ends. */
static const char *value_end(const char *v, const char *end)
{
    size_t block = site_js_block(v, end);
    if (block)
        return v + block;
    if (*v == '"' || *v == '\'' || *v == '`') {
        const char *close = memchr(v + 1, *v, (size_t)(end - v - 1));
        return close ? close + 1 : end;
    }
    return v + strcspn(v, ",}");
}

/* starlightBlog({ authors: { key: { name: "..." }, ... } }) as key -> name. */
static json_t *blog_authors(const char *js)
{
    json_t *map = json_object();
    const char *end = js ? js + strlen(js) : NULL;
    const char *call = js ? strstr(js, "starlightBlog(") : NULL;
    size_t call_len = call ? site_js_block(call + 13, end) : 0;
    const char *v = call_len ? site_js_value(call + 13, call_len, "authors") : NULL;
    size_t n = v ? site_js_block(v, end) : 0;
    const char *stop = n ? v + n - 1 : NULL;
    for (const char *p = n ? v + 1 : NULL; p && p < stop;) {
        p = site_js_skip_blank(p, stop);
        const char *at = p;
        char *key = p < stop ? property_name(&p, stop) : NULL;
        const char *value = key ? site_js_value(at, (size_t)(stop - at), key) : NULL;
        char *name = value ? site_js_name(value, stop) : NULL;
        if (name)
            json_object_set_new(map, key, json_string(name));
        p = value ? value_end(value, stop) : stop;
        free(key);
        free(name);
    }
    return map;
}

static char *entry_route(const char *root_rel, const char *rel);
static int visible(const struct dirent *e);

/* The name in the author's file rel under the content folder: a Markdown
 * file's front matter, or a data file (.json, .yaml, .yml); NULL for none. */
static char *author_name(const site *s, const char *rel)
{
    static const char *const data_ext[] = {".json", ".yaml", ".yml", NULL};
    const char *dot = strrchr(rel, '.');
    json_t *data = NULL;
    if (dot && (strcmp(dot, ".md") == 0 || strcmp(dot, ".mdx") == 0))
        data = site_front_matter(s, &(post_place){.rel = rel});
    for (size_t i = 0; dot && !data && data_ext[i]; i++) {
        char why[256];
        bool found;
        if (strcmp(dot, data_ext[i]) == 0) {
            data = json_object();
            site_merge_config(data, s->content, rel, &found, why, sizeof why);
        }
    }
    const char *name = site_config_string(data, "name");
    char *out = name && *name ? xstrdup(name) : NULL;
    json_decref(data);
    return out;
}

/* The authors collection (src/content/authors/ID.md, or .json, .yaml: the
 * profiles astro-erudite keeps, which posts name by their id, as a
 * reference("authors") schema asks) as id -> name, added to map where
 * starlight-blog's config has not named the id. */
static void collection_authors(json_t *map, const site *s)
{
    strbuf dir = {0};
    sb_printf(&dir, "%s/authors", s->content);
    struct dirent **names;
    int n = scandir(dir.data, &names, visible, alphasort);
    for (int i = 0; i < n; i++) {
        strbuf rel = {0};
        sb_printf(&rel, "authors/%s", names[i]->d_name);
        char *id = entry_route("", names[i]->d_name); /* Astro's id, and a "/" */
        if (*id)
            id[strlen(id) - 1] = '\0';
        char *name = *id && !json_object_get(map, id) ? author_name(s, rel.data) : NULL;
        if (name)
            json_object_set_new(map, id, json_string(name));
        free(name);
        free(id);
        sb_free(&rel);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    sb_free(&dir);
}

/* ---- Page routes: which src/pages file makes each collection's pages --------------- */

/* The body of getStaticPaths in text (the block its entries come from, not
 * the page's own code, which may ask for other collections: a post page
 * reading the authors), or NULL with *len 0 when there is none. */
static const char *static_paths_body(const char *text, size_t *len)
{
    const char *end = text + strlen(text);
    const char *p = strstr(text, "getStaticPaths");
    *len = 0;
    if (!p)
        return NULL;
    p = site_js_skip_blank(p + strlen("getStaticPaths"), end);
    if (p < end && *p == '(') /* function getStaticPaths(...) { */
        p += site_js_block(p, end);
    else if (p < end && (*p == '=' || *p == ':')) /* const getStaticPaths = (...) => { */
        p = strstr(p, "=>") ? strstr(p, "=>") : end;
    else /* imported, re-exported or only named: its body is elsewhere */
        return NULL;
    const char *open = p < end ? strchr(p, '{') : NULL;
    *len = open ? site_js_block(open, end) : 0;
    return *len ? open : NULL;
}

/* Does the route name each page by an entry's id (Astro 5) or slug (Astro
 * 2-4)? A page that lists entries names its pages by a tag or a number. */
static bool names_entries(const char *body, size_t len)
{
    const char *v = site_js_value(body, len, "params");
    size_t n = v ? site_js_block(v, body + len) : 0;
    static const char *const fields[] = {".id", ".slug", NULL};
    for (size_t i = 0; fields[i]; i++) {
        size_t k = strlen(fields[i]);
        for (const char *f = n ? memmem(v, n, fields[i], k) : NULL; f;
             f = memmem(f + 1, n - (size_t)(f + 1 - v), fields[i], k))
            if (f + k == v + n || !(isalnum((unsigned char)f[k]) || f[k] == '_'))
                return true;
    }
    return false;
}

/* The folder of a route whose one dynamic part ends it: "posts/" for
 * posts/[...slug].astro or posts/[slug]/index.astro; NULL for another shape
 * (a parameter before the end, /en/blog/[slug]/, cannot be followed). */
static char *route_folder(const char *rel)
{
    const char *open = strchr(rel, '[');
    if (open && open != rel && open[-1] != '/')
        return NULL;
    const char *close = open ? strchr(open, ']') : NULL;
    if (!close || (strcmp(close + 1, ".astro") != 0 && strcmp(close + 1, "/index.astro") != 0))
        return NULL;
    return xstrndup(rel, (size_t)(open - rel));
}

/* Note what the dynamic route rel (under src/pages) with this text says of
 * the collections it asks for; false when it cannot be read (its entries
 * come from a helper, or a collection's name is not a literal). */
static bool read_route(astro_state *st, const char *rel, const char *text)
{
    size_t len;
    const char *body = static_paths_body(text, &len);
    if (!body)
        return false; /* pages made on request, or some other way */
    const char *end = body + len;
    bool any = false;
    char *folder = names_entries(body, len) ? route_folder(rel) : NULL;
    for (const char *p = memmem(body, len, "getCollection(", 14); p;
         p = memmem(p + 1, (size_t)(end - p - 1), "getCollection(", 14)) {
        char *name = site_js_string(site_js_skip_blank(p + 14, end), end);
        if (!name) {
            free(folder);
            return false;
        }
        if (folder && !json_is_string(json_object_get(st->routes, name)))
            json_object_set_new(st->routes, name, json_string(folder));
        else if (!json_object_get(st->routes, name))
            json_object_set_new(st->routes, name, json_null());
        free(name);
        any = true;
    }
    free(folder);
    return any;
}

static bool is_astro_page(const char *name)
{
    size_t n = strlen(name);
    return n > 6 && strcmp(name + n - 6, ".astro") == 0;
}

static int visible(const struct dirent *e)
{
    /* Astro makes no page of a name starting with "_". */
    return e->d_name[0] != '.' && e->d_name[0] != '_';
}

/* Read the dynamic .astro routes under src/pages/rel, in name order (the
 * first route for a collection wins); false when one cannot be read, but
 * every one is read still, so what is found does not hang on names. */
static bool read_routes(astro_state *st, const char *root, const char *rel, int depth)
{
    strbuf dir = {0};
    sb_printf(&dir, "%s/src/pages%s%s", root, *rel ? "/" : "", rel);
    struct dirent **names;
    int n = depth < PAGES_DEPTH ? scandir(dir.data, &names, visible, alphasort) : -1;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        strbuf sub = {0}, file = {0};
        sb_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]->d_name);
        sb_printf(&file, "%s/%s", dir.data, names[i]->d_name);
        struct stat sbuf;
        if (stat(file.data, &sbuf) == 0 && S_ISDIR(sbuf.st_mode)) {
            ok = read_routes(st, root, sub.data, depth + 1) && ok;
        } else if (strchr(sub.data, '[') && is_astro_page(sub.data)) {
            char *text = site_read_text(dir.data, names[i]->d_name);
            ok = text && read_route(st, sub.data, text) && ok;
            free(text);
        }
        sb_free(&sub);
        sb_free(&file);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    sb_free(&dir);
    return ok && n >= 0;
}

static bool astro_open(site *s, char *why, size_t why_len)
{
    (void)why, (void)why_len;
    astro_state *st = xcalloc(1, sizeof *st);
    s->rules_state = st;
    const char *name = site_first_of(s->root, config_names);
    s->config_path = xstrdup(name);
    char *js = site_read_text(s->root, name);
    const char *end = js ? js + strlen(js) : NULL;
    /* site and base are keys of the config object itself, not of a plugin's. */
    const char *call = js ? strstr(js, "defineConfig(") : NULL;
    call = call ? call : js ? strstr(js, "export default") : NULL;
    const char *obj = call ? strchr(call, '{') : NULL;
    size_t n = obj ? site_js_block(obj, end) : 0;
    const char *site_v = n ? site_js_member(obj, n, "site") : NULL;
    const char *base_v = n ? site_js_member(obj, n, "base") : NULL;
    st->base = site_v ? site_js_string(site_v, end) : NULL;
    char *base = base_v ? site_js_string(base_v, end) : NULL;
    st->base_path = site_base_path(base);
    st->authors = blog_authors(js);
    bool starlight = js && strstr(js, "@astrojs/starlight");
    free(base);
    free(js);
    static const char *const folders[] = {"src/content/docs", "src/content", "src/pages", NULL};
    const char *content = site_first_of(s->root, folders + !starlight);
    strbuf path = {0};
    sb_printf(&path, content ? "%s/%s" : "%s", s->root, content);
    s->content = sb_take(&path);
    st->routes = json_object();
    if (content && strcmp(content, "src/content") == 0) {
        st->routes_read = read_routes(st, s->root, "", 0) && json_object_size(st->routes) > 0;
        collection_authors(st->authors, s);
    }
    return true;
}

static void astro_close(site *s)
{
    astro_state *st = s->rules_state;
    if (!st)
        return;
    free(st->base);
    free(st->base_path);
    json_decref(st->authors);
    json_decref(st->routes);
    free(st);
    s->rules_state = NULL;
}

/* The route of a file in a collection, as Astro's id: each part slugified as
 * github-slugger does (lower case, blanks to "-", punctuation but - and _
 * dropped), the extension and a last "index" dropped. */
static char *entry_route(const char *root_rel, const char *rel)
{
    strbuf out = {0};
    sb_puts(&out, root_rel);
    const char *dot = strrchr(rel, '.');
    size_t n = dot && !strchr(dot, '/') ? (size_t)(dot - rel) : strlen(rel);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)rel[i];
        if (c == ' ')
            sb_putc(&out, '-');
        else if (isalnum(c) || c >= 0x80 || c == '-' || c == '_' || c == '/')
            sb_putc(&out, (char)tolower(c));
    }
    sb_puts(&out, "");
    if (out.len >= 5 && strcmp(out.data + out.len - 5, "index") == 0 &&
        (out.len == 5 || out.data[out.len - 6] == '/'))
        out.data[out.len -= 5] = '\0';
    if (out.len && out.data[out.len - 1] != '/')
        sb_putc(&out, '/');
    return sb_take(&out);
}

/* Append slug as Astro uses it, exactly as written (the glob loader, and
 * before it the legacy collections, take it as the entry's id, case, "_" and
 * all), a first "/" dropped and a last one added; the bytes a URL's path
 * cannot hold as they are %-escaped (a space as %20). */
static void put_slug(strbuf *out, const char *slug)
{
    for (const char *c = slug + (slug[0] == '/'); *c; c++) {
        unsigned char b = (unsigned char)*c;
        if (b <= 0x20 || b == 0x7f || strchr("\"#%<>?\\^`{|}", b))
            sb_printf(out, "%%%02X", b);
        else
            sb_putc(out, (char)b);
    }
    if (!out->len || out->data[out->len - 1] != '/')
        sb_putc(out, '/');
}

/* The route a collection's entries are under ("/posts/"), or NULL when the
 * site makes none for them, with *skip saying why. Read from src/pages when
 * its routes could be read; else guessed as /COLLECTION/. */
static char *collection_route(const astro_state *st, const char *collection, post_skip *skip)
{
    json_t *route = json_object_get(st->routes, collection);
    strbuf out = {0};
    if (strcmp(collection, "authors") == 0) {
        *skip = POST_SKIP_NOT_A_POST; /* profiles that posts name, routed or not */
        return NULL;
    }
    if (st->routes_read && !route) {
        *skip = POST_SKIP_NO_PAGE; /* no route asks for the collection */
        return NULL;
    }
    sb_printf(&out, "/%s", json_is_string(route) ? json_string_value(route) : collection);
    if (out.data[out.len - 1] != '/')
        sb_putc(&out, '/');
    return sb_take(&out);
}

/* The post's URL path, as the front matter says or the file's place
 * guesses; NULL when the site makes no page for it (*skip says why). */
static char *astro_path(const site *s, const post_place *at, const post *p, post_skip *skip)
{
    /* Under src/content (not Starlight's docs) the first folder is the collection. */
    const char *in = strstr(s->content, "/src/content");
    const char *slash = strchr(at->rel, '/');
    bool collections = in && strcmp(in, "/src/content") == 0 && slash;
    char *collection = collections ? xstrndup(at->rel, (size_t)(slash - at->rel)) : NULL;
    char *route = collections ? collection_route(s->rules_state, collection, skip) : xstrdup("/");
    free(collection);
    static const char *const verbatim[] = {"permalink", "path", NULL};
    for (size_t i = 0; route && verbatim[i]; i++) {
        const char *v = site_config_string(at->front, verbatim[i]);
        if (v && *v) {
            free(route);
            return xstrdup(v);
        }
    }
    if (!route)
        return NULL;
    const char *slug = site_config_string(at->front, "slug");
    char *path;
    if (slug && *slug) {
        strbuf out = {0};
        sb_puts(&out, route);
        put_slug(&out, slug);
        path = sb_take(&out);
    } else if (at->permalink) {
        path = site_permalink_url(at->permalink, at->rel, p);
    } else {
        path = entry_route(route, collections ? slash + 1 : at->rel);
    }
    free(route);
    return path;
}

static void astro_apply(const site *s, const post_place *at, post *p)
{
    const astro_state *st = s->rules_state;
    post_skip skip = POST_INDEXED;
    char *path = astro_path(s, at, p, &skip);
    if (path)
        site_set_url(p, site_url_join(st->base, st->base_path, path), true);
    else if (p->skip == POST_INDEXED)
        p->skip = skip;
    free(path);
    for (size_t i = 0; i < p->n_authors; i++) {
        const char *name = json_string_value(json_object_get(st->authors, p->authors[i]));
        if (name) {
            free(p->authors[i]);
            p->authors[i] = xstrdup(name);
        }
    }
}

const site_rules astro_rules = {
    .generator = SITE_ASTRO, .name = "astro", .detect = astro_detect, .open = astro_open,
    .apply = astro_apply, .close = astro_close,
};
