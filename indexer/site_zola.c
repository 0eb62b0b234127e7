/* site_zola.c — Zola's rules (site.h). A Zola site has zola.toml, or a
 * config.toml with Zola's own required key base_url (Hugo writes baseURL). Its
 * posts are under content/; a page's URL is, as Zola makes it:
 *
 *   front matter `path`   "/" + path + "/" (a leading and trailing slash added)
 *   otherwise             "/" + its folders under content/ + "/" + slug + "/"
 *   slug                  front matter `slug`, else the file name (a bundle
 *                         NAME/index.md: NAME) without a leading date
 *                         "YYYY-MM-DD-" or "YYYY-MM-DD_"; either one made a
 *                         slug by [slugify] paths: "on" (default: lower-case
 *                         ASCII), "safe" (characters a path cannot hold
 *                         dropped) or "off" (as written)
 *   language              NAME.LANG.md on a site with [languages.LANG]: "/LANG"
 *                         first, unless LANG is default_language
 *
 * and base_url before it: the absolute URL when base_url is http(s), else its
 * path part. Sections' own _index.md (transparent, page_template, paginate_by)
 * change no page's URL. */
#include "site.h"

#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum zola_slugify { ZOLA_SLUG_ON, ZOLA_SLUG_SAFE, ZOLA_SLUG_OFF } zola_slugify;

typedef struct zola_state {
    char *base;            /* base_url without its trailing slash */
    zola_slugify paths;    /* [slugify] paths */
    const char *lang;      /* default_language, "en" by default */
} zola_state;

static const char *const config_names[] = {"zola.toml", "config.toml", NULL};

/* Zola's config file in root with its keys in *cfg (a new object), or NULL. */
static const char *zola_config(const char *root, json_t **cfg)
{
    char why[256];
    for (size_t i = 0; config_names[i]; i++) {
        bool found;
        *cfg = json_object();
        if (site_merge_config(*cfg, root, config_names[i], &found, why, sizeof why) && found)
            return config_names[i];
        json_decref(*cfg);
    }
    *cfg = NULL;
    return NULL;
}

static bool zola_detect(const char *root)
{
    if (site_has(root, "zola.toml"))
        return true;
    json_t *cfg;
    if (!zola_config(root, &cfg))
        return false;
    /* base_url is the one key every Zola config has; baseURL is Hugo's. */
    bool zola = json_object_get(cfg, "base_url") && !site_config_value(cfg, "baseurl");
    json_decref(cfg);
    return zola;
}

static bool zola_open(site *s, char *why, size_t why_len)
{
    for (size_t i = 0; config_names[i]; i++) {
        bool found;
        if (!site_merge_config(s->config, s->root, config_names[i], &found, why, why_len))
            return false;
        if (found) {
            s->config_path = xstrdup(config_names[i]);
            break;
        }
    }
    strbuf content = {0};
    sb_printf(&content, "%s/content", s->root);
    s->content = sb_take(&content);
    zola_state *z = xcalloc(1, sizeof *z);
    const char *base = site_config_string(s->config, "base_url");
    if (base && (strncmp(base, "http://", 7) == 0 || strncmp(base, "https://", 8) == 0)) {
        size_t n = strlen(base);
        while (n && base[n - 1] == '/')
            n--;
        z->base = xstrndup(base, n);
    } else {
        z->base = site_base_path(base);
    }
    const char *paths = site_config_string(s->config, "slugify.paths");
    z->paths = !paths || strcmp(paths, "on") == 0 ? ZOLA_SLUG_ON
               : strcmp(paths, "safe") == 0      ? ZOLA_SLUG_SAFE
                                                 : ZOLA_SLUG_OFF;
    z->lang = site_config_string(s->config, "default_language");
    if (!z->lang)
        z->lang = "en";
    s->rules_state = z;
    return true;
}

/* Zola's slugify_paths: "on" is the slug crate's (lower-case ASCII words
 * joined by '-'), "safe" drops what a file name cannot hold. */
static char *zola_slug(const char *s, zola_slugify how)
{
    if (how == ZOLA_SLUG_ON)
        return slugify(s);
    size_t n = strlen(s);
    if (how == ZOLA_SLUG_SAFE)
        while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
            n--;
    strbuf out = {0};
    for (size_t i = 0; i < n; i++)
        if (how == ZOLA_SLUG_OFF || !strchr("<>:/|?*#", s[i]))
            sb_putc(&out, s[i]);
    return sb_take(&out);
}

/* The length of a leading date "YYYY-MM-DD" followed by '-', '_' or a space
 * (Zola's file-name date), 0 when name has none. */
static size_t date_prefix_len(const char *name)
{
    for (size_t i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? name[i] != '-' : !isdigit((unsigned char)name[i]))
            return 0;
    }
    int month = atoi(name + 5), day = atoi(name + 8);
    if (month < 1 || month > 12 || day < 1 || day > 31 || !strchr("-_ ", name[10]) || !name[10] ||
        !name[11])
        return 0;
    return 11;
}

static void zola_apply(const site *s, const post_place *at, post *p)
{
    const zola_state *z = s->rules_state;
    json_t *fm = site_front_matter(s, at);
    const char *path = json_string_value(json_object_get(fm, "path"));
    const char *slug = json_string_value(json_object_get(fm, "slug"));
    char *dir, *name, *lang;
    site_page_place(at->rel, json_object_get(s->config, "languages"), &dir, &name, &lang);
    strbuf url = {0};
    sb_puts(&url, z->base);
    if (lang && strcmp(lang, z->lang) != 0)
        sb_printf(&url, "/%s", lang);
    if (path) {
        while (isspace((unsigned char)*path))
            path++;
        sb_printf(&url, "%s%s", *path == '/' ? "" : "/", path);
    } else {
        char *page = zola_slug(slug ? slug : name + date_prefix_len(name), z->paths);
        sb_printf(&url, "%s%s/%s", *dir ? "/" : "", dir, page);
        free(page);
    }
    while (url.len && isspace((unsigned char)url.data[url.len - 1]))
        url.data[--url.len] = '\0';
    if (!url.len || url.data[url.len - 1] != '/')
        sb_putc(&url, '/');
    free(p->url);
    p->url = sb_take(&url);
    free(dir);
    free(name);
    free(lang);
    json_decref(fm);
}

static void zola_close(site *s)
{
    zola_state *z = s->rules_state;
    if (z)
        free(z->base);
    free(z);
    s->rules_state = NULL;
}

const site_rules zola_rules = {
    .generator = SITE_ZOLA, .name = "zola", .detect = zola_detect, .open = zola_open,
    .apply = zola_apply, .close = zola_close,
};
