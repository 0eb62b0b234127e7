/* site.c — which generator built a site, its config, and the dispatch to that
 * generator's rules (site.h). The rules themselves are in site_*.c. */
#include "site.h"

#include "fdio.h"
#include "permalink.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

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

const char *site_first_of(const char *root, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return names[i];
    return NULL;
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

int site_day_vs_today(const char *date)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (!date[i] || (shape[i] == 'd' ? !isdigit((unsigned char)date[i]) : date[i] != '-'))
            return 0;
    time_t now = time(NULL);
    struct tm tm;
    char today[16];
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    int c = strncmp(date, today, 10);
    return (c > 0) - (c < 0);
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
    if (at->front) /* the worker read it already, from the same text */
        return json_incref((json_t *)at->front);
    strbuf path = {0};
    sb_printf(&path, "%s/%s", s->content, at->rel);
    char *buf = NULL, why[256];
    size_t len = 0;
    json_t *fm = NULL;
    if (fd_read_file(&buf, &len, path.data, CONFIG_MAX_BYTES, why, sizeof why) != FD_OK ||
        post_front_matter(&fm, NULL, path.data, buf, len, NULL) != POST_OK)
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

void site_set_url(post *p, char *url, bool guessed)
{
    if (!url)
        return;
    free(p->url);
    p->url = url;
    p->url_guessed = guessed;
}

char *site_permalink_url(const char *pattern, const char *rel, const post *p)
{
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    const char *dot = strrchr(base, '.');
    char *filename = xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
    char *section = strchr(rel, '/') ? xstrndup(rel, (size_t)(strchr(rel, '/') - rel)) : xstrdup("");
    char *url = permalink_expand(pattern, &(permalink_fields){.slug = p->slug, .date = p->date,
                                                              .title = p->title,
                                                              .filename = filename,
                                                              .section = section});
    free(filename);
    free(section);
    return url;
}

void site_apply_permalink(const char *pattern, const char *rel, post *p)
{
    if (pattern && !p->url)
        p->url = site_permalink_url(pattern, rel, p);
}

char *site_url_join(const char *base, const char *base_path, const char *path)
{
    strbuf out = {0};
    if (base && (strncmp(base, "http://", 7) == 0 || strncmp(base, "https://", 8) == 0)) {
        const char *host_end = strchr(strstr(base, "://") + 3, '/');
        sb_append(&out, base, host_end ? (size_t)(host_end - base) : strlen(base));
    }
    sb_puts(&out, base_path ? base_path : "");
    if (path[0] != '/')
        sb_putc(&out, '/');
    sb_puts(&out, path);
    return sb_take(&out);
}

char *site_read_text(const char *root, const char *name)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", root, name);
    char *buf = NULL, why[256];
    size_t len = 0;
    if (fd_read_file(&buf, &len, path.data, CONFIG_MAX_BYTES, why, sizeof why) != FD_OK) {
        free(buf);
        buf = NULL;
    }
    sb_free(&path);
    return buf;
}

/* ---- JS configs, read as text ------------------------------------------------------ */

/* Where the string literal or comment starting at p ends; p when none starts. */
static const char *js_skip(const char *p, const char *end)
{
    if (*p == '"' || *p == '\'' || *p == '`') {
        char quote = *p++;
        while (p < end && *p != quote)
            p += *p == '\\' && p + 1 < end ? 2 : 1;
        return p < end ? p + 1 : end;
    }
    if (p + 1 < end && p[0] == '/' && p[1] == '/') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        return nl ? nl : end;
    }
    if (p + 1 < end && p[0] == '/' && p[1] == '*') {
        for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
            ;
        return p + 1 < end ? p + 2 : end;
    }
    return p;
}

const char *site_js_skip(const char *p, const char *end)
{
    return js_skip(p, end);
}

const char *site_js_skip_blank(const char *p, const char *end)
{
    while (p < end) {
        if (isspace((unsigned char)*p) || *p == ',')
            p++;
        else if (*p == '/' && js_skip(p, end) != p)
            p = js_skip(p, end);
        else
            break;
    }
    return p;
}

static bool js_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* After a key ending at p: the value's start when a colon follows, else NULL. */
static const char *js_after_colon(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end || *p != ':')
        return NULL;
    for (p++; p < end && isspace((unsigned char)*p); p++)
        ;
    return p;
}

/* The value of key in js[0..len) at bracket depth want (-1: any depth). */
static const char *js_find(const char *js, size_t len, const char *key, int want)
{
    const char *end = js + len, *p = js;
    size_t key_len = strlen(key);
    int depth = 0;
    while (p < end) {
        if (*p == '{' || *p == '[' || *p == '(')
            depth++;
        else if (*p == '}' || *p == ']' || *p == ')')
            depth--;
        if (want >= 0 && depth != want) {
            const char *q = js_skip(p, end);
            p = q != p ? q : p + 1;
            continue;
        }
        const char *q = js_skip(p, end);
        const char *value = NULL;
        if (q != p) {
            bool quoted_key = (*p == '"' || *p == '\'') && (size_t)(q - p) == key_len + 2 &&
                              strncmp(p + 1, key, key_len) == 0;
            value = quoted_key ? js_after_colon(q, end) : NULL;
        } else if (js_ident_char(*p) && (p == js || !js_ident_char(p[-1]))) {
            for (q = p; q < end && js_ident_char(*q); q++)
                ;
            if ((size_t)(q - p) == key_len && strncmp(p, key, key_len) == 0)
                value = js_after_colon(q, end);
        } else {
            q = p + 1;
        }
        if (value)
            return value;
        p = q;
    }
    return NULL;
}

const char *site_js_value(const char *js, size_t len, const char *key)
{
    return js_find(js, len, key, -1);
}

const char *site_js_member(const char *block, size_t len, const char *key)
{
    return js_find(block, len, key, 1);
}

char *site_js_string(const char *p, const char *end)
{
    static const char *const dirname_calls[] = {"__dirname + ", "path.join(__dirname, ",
                                                "path.resolve(__dirname, ", NULL};
    bool folder = false;
    for (size_t i = 0; dirname_calls[i]; i++) {
        size_t n = strlen(dirname_calls[i]);
        if ((size_t)(end - p) > n && strncmp(p, dirname_calls[i], n) == 0) {
            p += n;
            folder = true;
        }
    }
    if (p >= end || (*p != '"' && *p != '\'' && *p != '`'))
        return NULL;
    const char *close = js_skip(p, end);
    if (close - p < 2 || close[-1] != *p || memchr(p, '\\', (size_t)(close - p)))
        return NULL;
    const char *text = p + 1;
    size_t n = (size_t)(close - 1 - text);
    static const char dirname_prefix[] = "${__dirname}";
    if (*p == '`' && n >= strlen(dirname_prefix) &&
        strncmp(text, dirname_prefix, strlen(dirname_prefix)) == 0) {
        text += strlen(dirname_prefix);
        n -= strlen(dirname_prefix);
        folder = true;
    }
    if (*p == '`' && memmem(text, n, "${", 2))
        return NULL; /* computed: not a literal */
    while (folder && n) { /* "${__dirname}/posts", "./posts": "posts" */
        size_t skip = *text == '/' ? 1 : n > 1 && text[0] == '.' && text[1] == '/' ? 2 : 0;
        if (!skip)
            break;
        text += skip;
        n -= skip;
    }
    return xstrndup(text, n);
}

size_t site_js_block(const char *p, const char *end)
{
    static const char open[] = "{[(", close[] = "}])";
    const char *kind = p < end ? strchr(open, *p) : NULL;
    if (!kind || !*p)
        return 0;
    int depth = 0;
    for (const char *q = p; q < end;) {
        const char *after = js_skip(q, end);
        if (after != q) {
            q = after;
            continue;
        }
        if (*q == *kind)
            depth++;
        else if (*q == close[kind - open] && --depth == 0)
            return (size_t)(q + 1 - p);
        q++;
    }
    return 0;
}

char *site_js_name(const char *p, const char *end)
{
    if (p < end && *p == '{') {
        size_t n = site_js_block(p, end);
        const char *v = n ? site_js_value(p + 1, n - 2, "name") : NULL;
        return v ? site_js_string(v, p + n - 1) : NULL;
    }
    return site_js_string(p, end);
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
