/* site.c — which generator built a site, its config, and the dispatch to that
 * generator's rules (site.h). The rules themselves are in site_*.c. */
#include "site.h"

#include "fdio.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CONFIG_MAX_BYTES (4 << 20) /* a site's config file is never this large */

extern const site_rules hugo_rules, jekyll_rules, zola_rules, eleventy_rules, astro_rules,
    gatsby_rules;

/* In the order they are tried: a Zola config.toml would also look like an old
 * Hugo config.toml, so Zola (which has its own keys) is asked first. */
static const site_rules *const all_rules[] = {
    &zola_rules, &hugo_rules, &jekyll_rules, &eleventy_rules, &astro_rules, &gatsby_rules,
};
enum { N_RULES = sizeof all_rules / sizeof all_rules[0] };

static const site_rules *rules_of(site_generator g)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (all_rules[i]->generator == g)
            return all_rules[i];
    return NULL;
}

const char *site_generator_name(site_generator g)
{
    const site_rules *r = rules_of(g);
    return r ? r->name : "unknown";
}

bool site_has(const char *root, const char *name)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", root, name);
    struct stat st;
    bool found = stat(path.data, &st) == 0;
    sb_free(&path);
    return found;
}

/* Merge src into dst: objects key by key (recursively), anything else replaced. */
static void merge_json(json_t *dst, json_t *src)
{
    const char *key;
    json_t *value;
    json_object_foreach(src, key, value) {
        json_t *old = json_object_get(dst, key);
        if (json_is_object(old) && json_is_object(value))
            merge_json(old, value);
        else
            json_object_set(dst, key, value);
    }
}

bool site_merge_config(json_t *into, const char *root, const char *name, bool *found, char *why,
                       size_t why_len)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", root, name);
    char *buf = NULL;
    size_t len = 0;
    bool ok = true;
    *found = false;
    fd_status st = fd_read_file(&buf, &len, path.data, CONFIG_MAX_BYTES, why, why_len);
    if (st == FD_OK) {
        json_t *tree;
        post_error err;
        *found = true;
        if (data_file_read(&tree, path.data, buf, len, &err) == POST_OK) {
            merge_json(into, tree);
            json_decref(tree);
        } else {
            snprintf(why, why_len, "%s", err.message);
            ok = false;
        }
    } else if (site_has(root, name)) {
        ok = false; /* there, but unreadable: why says so */
    }
    free(buf);
    sb_free(&path);
    return ok;
}

json_t *site_config_value(const json_t *obj, const char *dotted)
{
    char key[128];
    json_t *at = (json_t *)obj;
    while (at && *dotted) {
        size_t n = strcspn(dotted, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, dotted, n);
        key[n] = '\0';
        const char *k;
        json_t *v, *found = NULL;
        json_object_foreach(at, k, v) {
            if (strcasecmp(k, key) == 0) {
                found = v;
                break;
            }
        }
        at = found;
        dotted += n + (dotted[n] == '.');
    }
    return at;
}

const char *site_config_string(const json_t *obj, const char *dotted)
{
    return json_string_value(site_config_value(obj, dotted));
}

bool site_config_bool(const json_t *obj, const char *dotted, bool dflt)
{
    const json_t *v = site_config_value(obj, dotted);
    const char *word = json_string_value(v); /* YAML's plain scalars come as text */
    if (word && (strcasecmp(word, "true") == 0 || strcasecmp(word, "false") == 0))
        return strcasecmp(word, "true") == 0;
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

json_t *site_front_matter(const site *s, const post_place *at)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", s->content, at->rel);
    char *buf = NULL, why[256];
    size_t len = 0;
    json_t *fm = NULL;
    post_error err;
    if (fd_read_file(&buf, &len, path.data, CONFIG_MAX_BYTES, why, sizeof why) != FD_OK ||
        post_front_matter(&fm, path.data, buf, len, &err) != POST_OK)
        fm = json_object();
    free(buf);
    sb_free(&path);
    return fm;
}

void site_page_place(const char *rel, const json_t *languages, char **dir, char **name,
                     char **lang)
{
    const char *slash = strrchr(rel, '/');
    const char *base = slash ? slash + 1 : rel;
    const char *ext = strrchr(base, '.');
    char *stem = xstrndup(base, ext ? (size_t)(ext - base) : strlen(base));
    char *code = strrchr(stem, '.');
    *lang = NULL;
    if (code && code[1] && site_config_value(languages, code + 1)) {
        *lang = xstrdup(code + 1);
        for (char *c = *lang; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        *code = '\0';
    }
    size_t dir_len = slash ? (size_t)(slash - rel) : 0;
    if (strcmp(stem, "index") == 0 && dir_len) { /* a bundle: its folder names the page */
        const char *up = rel + dir_len;
        while (up > rel && up[-1] != '/')
            up--;
        free(stem);
        stem = xstrndup(up, (size_t)(rel + dir_len - up));
        dir_len = up > rel ? (size_t)(up - rel - 1) : 0;
    }
    *dir = xstrndup(rel, dir_len);
    *name = stem;
}

char *site_base_path(const char *base_url)
{
    const char *p = base_url ? base_url : "";
    const char *scheme = strstr(p, "://");
    if (scheme)
        p = strchr(scheme + 3, '/') ? strchr(scheme + 3, '/') : "";
    size_t n = strlen(p);
    while (n && p[n - 1] == '/')
        n--;
    strbuf out = {0};
    if (n && p[0] != '/')
        sb_putc(&out, '/');
    sb_append(&out, p, n);
    return out.data ? sb_take(&out) : xstrdup("");
}

site *site_open(const char *root, char *why, size_t why_len)
{
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "site %s is not a folder", root);
        return NULL;
    }
    site *s = xmalloc(sizeof *s);
    *s = (site){.root = xstrdup(root), .config = json_object()};
    for (size_t i = 0; i < N_RULES && s->generator == SITE_UNKNOWN; i++)
        if (all_rules[i]->detect(root))
            s->generator = all_rules[i]->generator;
    const site_rules *r = rules_of(s->generator);
    if (r && !r->open(s, why, why_len)) {
        site_free(s);
        return NULL;
    }
    if (!s->content)
        s->content = xstrdup(root);
    return s;
}

void site_apply(const site *s, const post_place *at, post *p)
{
    const site_rules *r = s ? rules_of(s->generator) : NULL;
    if (r)
        r->apply(s, at, p);
}

void site_free(site *s)
{
    if (!s)
        return;
    const site_rules *r = rules_of(s->generator);
    if (r && r->close)
        r->close(s);
    json_decref(s->config);
    free(s->root);
    free(s->content);
    free(s->config_path);
    free(s);
}
