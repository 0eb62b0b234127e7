/* site_astro.c — Astro's rules (site.h): a site with astro.config.*. Astro
 * routes pages in the site's own code, so every URL here is a guess, marked
 * so: the front matter's permalink or path as written, else its slug as
 * written (Astro takes it as the entry's id; %-escaped where a URL needs
 * it), else --permalink, else the entry's id as content collections make it
 * (each folder and the name slugified, index dropped). The posts are
 * src/content/docs for a Starlight site (routed from the site's root), else
 * src/content (routed as /COLLECTION/ID/), else src/pages (file routes). The
 * config is read as text, never run: its site and base literals, and the
 * starlight-blog authors map (key -> name), which names the post's authors. */
#include "site.h"

#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct astro_state {
    char *base;      /* site: "https://x.org", or NULL */
    char *base_path; /* base: "" or "/docs" */
    json_t *authors; /* starlight-blog: key -> name */
} astro_state;

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

/* The post's URL path, as the front matter says or the file's place guesses. */
static char *astro_path(const site *s, const post_place *at, const post *p)
{
    static const char *const verbatim[] = {"permalink", "path", NULL};
    for (size_t i = 0; verbatim[i]; i++) {
        const char *v = site_config_string(at->front, verbatim[i]);
        if (v && *v)
            return xstrdup(v);
    }
    /* Under src/content (not Starlight's docs) the first folder is the collection. */
    const char *in = strstr(s->content, "/src/content");
    bool collections = in && strcmp(in, "/src/content") == 0;
    const char *slug = site_config_string(at->front, "slug");
    if (slug && *slug) {
        strbuf out = {0};
        sb_putc(&out, '/');
        if (collections && strchr(at->rel, '/'))
            sb_printf(&out, "%.*s/", (int)strcspn(at->rel, "/"), at->rel);
        put_slug(&out, slug);
        return sb_take(&out);
    }
    if (at->permalink)
        return site_permalink_url(at->permalink, at->rel, p);
    return entry_route("/", at->rel);
}

static void astro_apply(const site *s, const post_place *at, post *p)
{
    const astro_state *st = s->rules_state;
    char *path = astro_path(s, at, p);
    site_set_url(p, site_url_join(st->base, st->base_path, path), true);
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
