/* site_eleventy.c — Eleventy's rules (site.h): a site with .eleventy.js or
 * eleventy.config.*; its input folder is dir.input when the config names it as
 * a literal, else src/ when there is one, else the site's folder; the posts
 * are the input's blog/ (or posts/, post/) folder, else the whole input. A
 * post's data is its directory data files (DIR.json, DIR.11tydata.json,
 * DIR.11tydata.js from the input down) and its own (NAME.json...), merged as
 * Eleventy merges them (arrays joined, override: keeps the post's own); a JS
 * data file is never run: its literal values are read, and a permalink it
 * sets any other way marks the URL guessed. The post's URL is the permalink
 * of its front matter or data, eleventyComputed's first (a Nunjucks/Liquid
 * pattern of page.fileSlug, page.filePathStem, page.date, data keys,
 * | slugify, | slug), else Eleventy's default: the file's path without
 * extension, as a folder. A permalink we cannot render marks the URL guessed. */
#include "site.h"

#include "eleventy_slug.h"
#include "fdio.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DATA_MAX_BYTES (1 << 20)

typedef struct eleventy_state {
    char *input;       /* the input folder: root + "/" + dir.input, or root */
    char *content_rel; /* the posts' folder under the input: "blog", or "" */
    char *path_prefix; /* pathPrefix: "" or "/docs" */
} eleventy_state;

static const char *const config_names[] = {".eleventy.js", "eleventy.config.js",
                                           "eleventy.config.mjs", "eleventy.config.cjs",
                                           "eleventy.config.ts", NULL};

static const char *config_in(const char *dir)
{
    return site_first_of(dir, config_names);
}

static bool eleventy_detect(const char *root)
{
    return config_in(root) != NULL;
}

/* A literal string property of the config, or NULL. */
static char *config_literal(const char *js, const char *key)
{
    const char *v = js ? site_js_value(js, strlen(js), key) : NULL;
    return v ? site_js_string(v, js + strlen(js)) : NULL;
}

static bool eleventy_open(site *s, char *why, size_t why_len)
{
    (void)why, (void)why_len;
    eleventy_state *st = xcalloc(1, sizeof *st);
    s->rules_state = st;
    const char *name = config_in(s->root);
    s->config_path = xstrdup(name);
    char *js = site_read_text(s->root, name);
    char *input = config_literal(js, "input");
    char *prefix = config_literal(js, "pathPrefix");
    free(js);
    if (!input || !*input || strcmp(input, ".") == 0 || strcmp(input, "./") == 0) {
        free(input);
        input = site_has(s->root, "src") ? xstrdup("src") : xstrdup("");
    }
    strbuf path = {0};
    sb_printf(&path, *input ? "%s/%s" : "%s", s->root, input);
    st->input = sb_take(&path);
    free(input);
    st->path_prefix = site_base_path(prefix);
    free(prefix);
    static const char *const post_folders[] = {"blog", "posts", "post", NULL};
    st->content_rel = xstrdup("");
    for (size_t i = 0; post_folders[i]; i++) {
        if (site_has(st->input, post_folders[i])) {
            free(st->content_rel);
            st->content_rel = xstrdup(post_folders[i]);
            break;
        }
    }
    strbuf content = {0};
    sb_printf(&content, *st->content_rel ? "%s/%s" : "%s", st->input, st->content_rel);
    s->content = sb_take(&content);
    return true;
}

static void eleventy_close(site *s)
{
    eleventy_state *st = s->rules_state;
    if (!st)
        return;
    free(st->input);
    free(st->content_rel);
    free(st->path_prefix);
    free(st);
    s->rules_state = NULL;
}

/* ---- The data cascade ------------------------------------------------------------------ */

/* Eleventy's deep merge of src over dst: objects key by key, arrays joined,
 * anything else replaced; a key "override:K" replaces K whole. */
static void data_merge(json_t *dst, const json_t *src)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)src, key, value) {
        if (strncmp(key, "override:", 9) == 0) {
            json_object_set(dst, key + 9, value);
            continue;
        }
        json_t *old = json_object_get(dst, key);
        if (json_is_object(old) && json_is_object(value)) {
            json_t *copy = json_deep_copy(old);
            data_merge(copy, value);
            json_object_set_new(dst, key, copy);
        } else if (json_is_array(old) && json_is_array(value)) {
            json_t *joined = json_deep_copy(old);
            json_array_extend(joined, value);
            json_object_set_new(dst, key, joined);
        } else {
            json_object_set(dst, key, value);
        }
    }
}

/* ---- JavaScript data files, read without running them ----------------------------------- */

/* The object literal a JS data file exports (module.exports = {..}, export
 * default {..}): where its "{" is, or NULL when it exports anything else. */
static const char *exported_object(const char *js, const char *end)
{
    static const char *const exports[] = {"module.exports", "export default", NULL};
    for (size_t i = 0; exports[i]; i++) {
        const char *at = memmem(js, (size_t)(end - js), exports[i], strlen(exports[i]));
        const char *p = at ? site_js_skip_blank(at + strlen(exports[i]), end) : NULL;
        if (p && i == 0 && p < end && *p == '=')
            p = site_js_skip_blank(p + 1, end);
        if (p && p < end && *p == '{')
            return p;
    }
    return NULL;
}

/* The literal at v: a string, true or false, or a list of strings; NULL for
 * anything else (a function, a name, a template with ${}). */
static json_t *js_literal(const char *v, const char *end)
{
    char *text = site_js_string(v, end);
    if (text) {
        json_t *str = json_string(text);
        free(text);
        return str;
    }
    for (int b = 0; b < 2; b++) {
        const char *word = b ? "true" : "false";
        size_t n = strlen(word);
        if ((size_t)(end - v) >= n && strncmp(v, word, n) == 0 &&
            (v + n == end || !(isalnum((unsigned char)v[n]) || v[n] == '_' || v[n] == '$')))
            return json_boolean(b);
    }
    size_t len = *v == '[' ? site_js_block(v, end) : 0;
    json_t *list = len ? json_array() : NULL;
    for (const char *p = len ? site_js_skip_blank(v + 1, v + len - 1) : end; p < v + len - 1;) {
        bool quoted = *p == '"' || *p == '\'' || *p == '`';
        char *item = quoted ? site_js_string(p, v + len - 1) : NULL;
        const char *close = item ? memchr(p + 1, *p, (size_t)(v + len - 2 - p)) : NULL;
        if (!close) {
            free(item);
            json_decref(list);
            return NULL;
        }
        json_array_append_new(list, json_string(item));
        free(item);
        p = site_js_skip_blank(close + 1, v + len - 1);
    }
    return list;
}

/* How often word stands in the code js[0..len) as a name or a string of its
 * own ("word"), in neither comments nor other strings ("https://..."). */
static size_t count_in_code(const char *js, size_t len, const char *word)
{
    size_t n = 0, w = strlen(word);
    for (const char *p = js, *end = js + len; p < end;) {
        const char *q = site_js_skip(p, end);
        if (q != p) {
            n += *p != '/' && (size_t)(q - p) == w + 2 && strncmp(p + 1, word, w) == 0;
            p = q;
        } else if ((size_t)(end - p) >= w && strncmp(p, word, w) == 0) {
            n++;
            p += w;
        } else {
            p++;
        }
    }
    return n;
}

/* What a JS data file (DIR.11tydata.js) says that we can read as text: the
 * exported object's literal tags, author(s), permalink and
 * eleventyComputed.permalink. A permalink it sets some other way (a
 * function, an export that is no object literal) is null, an unknown that
 * marks the URL guessed: in eleventyComputed, which wins over all, unless
 * it is plainly the object's own permalink. A new object. */
static json_t *js_data(const char *js, size_t len)
{
    json_t *data = json_object();
    const char *end = js + len, *obj = exported_object(js, end);
    size_t n = obj ? site_js_block(obj, end) : 0;
    static const char *const keys[] = {"tags", "author", "authors", NULL};
    for (size_t i = 0; n && keys[i]; i++) {
        const char *v = site_js_member(obj, n, keys[i]);
        json_t *literal = v ? js_literal(v, obj + n) : NULL;
        if (literal)
            json_object_set_new(data, keys[i], literal);
    }
    const char *plain = n ? site_js_member(obj, n, "permalink") : NULL;
    if (plain) {
        json_t *literal = js_literal(plain, obj + n);
        json_object_set_new(data, "permalink", literal ? literal : json_null());
    }
    const char *c = n ? site_js_member(obj, n, "eleventyComputed") : NULL;
    size_t cn = c ? site_js_block(c, obj + n) : 0;
    const char *cv = cn ? site_js_member(c, cn, "permalink") : NULL;
    json_t *computed = cv ? js_literal(cv, c + cn) : NULL;
    if (!computed && (cv || count_in_code(js, len, "permalink") > (plain != NULL)))
        computed = json_null();
    if (computed)
        json_object_set_new(data, "eleventyComputed", json_pack("{s:o}", "permalink", computed));
    return data;
}

/* ---- The data cascade, continued ---------------------------------------------------------- */

/* Merge the data file folder/name into data, if there is one: JSON, or
 * JavaScript (.js, .cjs, .mjs) read by js_data. */
static void merge_data_file(json_t *data, const char *folder, const char *name)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", folder, name);
    char *buf = NULL, why[256];
    size_t len = 0;
    json_t *tree = NULL;
    bool js = !strstr(name, ".json");
    if (fd_read_file(&buf, &len, path.data, DATA_MAX_BYTES, why, sizeof why) == FD_OK) {
        if (js)
            tree = js_data(buf, len);
        else if (data_file_read(&tree, path.data, buf, len, NULL) != POST_OK)
            tree = NULL;
    }
    if (tree)
        data_merge(data, tree);
    json_decref(tree);
    free(buf);
    sb_free(&path);
}

/* Data file names after a folder's or a file's name, lowest priority first
 * (Eleventy: .11tydata.js over .11tydata.json over .json). */
static const char *const data_suffixes[] = {".json", ".11tydata.json", ".11tydata.js",
                                            ".11tydata.cjs", ".11tydata.mjs", NULL};

static void merge_data_files(json_t *data, const char *folder, const char *stem, int n)
{
    strbuf name = {0};
    for (size_t i = 0; data_suffixes[i]; i++) {
        name.len = 0;
        sb_printf(&name, "%.*s%s", n, stem, data_suffixes[i]);
        merge_data_file(data, folder, name.data);
    }
    sb_free(&name);
}

/* The data of the post at input_rel ("blog/2020-x.md") below its front
 * matter: each folder's data files (blog/blog.json...) from the input down,
 * then the file's own (NAME.json...). A new object. */
static json_t *cascade(const char *input, const char *input_rel)
{
    json_t *data = json_object();
    strbuf folder = {0};
    sb_puts(&folder, input);
    for (const char *p = input_rel; strchr(p, '/');) {
        size_t n = strcspn(p, "/");
        sb_printf(&folder, "/%.*s", (int)n, p);
        merge_data_files(data, folder.data, p, (int)n);
        p += n + 1;
    }
    const char *base = strrchr(input_rel, '/') ? strrchr(input_rel, '/') + 1 : input_rel;
    int stem = (int)(strrchr(base, '.') ? strrchr(base, '.') - base : (long)strlen(base));
    merge_data_files(data, folder.data, base, stem);
    sb_free(&folder);
    return data;
}

/* ---- Names of the file ----------------------------------------------------------------- */

typedef struct eleventy_page {
    char *stem;      /* "blog/2020-01-02-my-post": the path without extension */
    char *file_slug; /* "my-post": the name without a leading YYYY-MM-DD- */
    char *path_stem; /* "/blog/my-post": page.filePathStem */
    const char *date; /* "YYYY-MM-DD" or NULL */
} eleventy_page;

static bool date_prefix(const char *s)
{
    static const char shape[] = "dddd-dd-dd-";
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    return true;
}

static void page_names(eleventy_page *pg, const char *input_rel, const post *p)
{
    const char *dot = strrchr(input_rel, '.');
    pg->stem = xstrndup(input_rel, dot && !strchr(dot, '/') ? (size_t)(dot - input_rel)
                                                            : strlen(input_rel));
    const char *base = strrchr(pg->stem, '/') ? strrchr(pg->stem, '/') + 1 : pg->stem;
    pg->file_slug = xstrdup(base + (date_prefix(base) ? 11 : 0));
    strbuf ps = {0};
    sb_printf(&ps, "/%.*s%s", (int)(base - pg->stem), pg->stem, pg->file_slug);
    pg->path_stem = sb_take(&ps);
    pg->date = p->date;
}

static void page_free(eleventy_page *pg)
{
    free(pg->stem);
    free(pg->file_slug);
    free(pg->path_stem);
}

/* Eleventy's own URL for a file: its path as a folder; NAME/index and a file
 * named as its folder (blog/blog.md) give the folder. */
static char *default_url(const eleventy_page *pg)
{
    const char *base = strrchr(pg->stem, '/') ? strrchr(pg->stem, '/') + 1 : pg->stem;
    size_t dir_len = (size_t)(base - pg->stem);
    const char *folder = pg->stem; /* the last folder's name: stem[folder, base - 1) */
    for (const char *q = pg->stem; q + 1 < base; q++)
        if (*q == '/')
            folder = q + 1;
    size_t n = strlen(base);
    bool same_as_folder = dir_len > 1 && (size_t)(base - 1 - folder) == n &&
                          strncmp(folder, base, n) == 0;
    strbuf url = {0};
    if (strcmp(base, "index") == 0 || same_as_folder)
        sb_printf(&url, "/%.*s", (int)dir_len, pg->stem);
    else
        sb_printf(&url, "/%s/", pg->stem);
    return sb_take(&url);
}

/* ---- Permalink patterns ---------------------------------------------------------------- */

/* A page.date format ("%Y/%m", "yyyy/MM/dd") with date's parts. */
static bool format_date(strbuf *out, const char *format, size_t n, const char *date)
{
    static const struct {
        const char *token;
        size_t at, len;
    } parts[] = {{"%Y", 0, 4}, {"%m", 5, 2}, {"%d", 8, 2}, {"yyyy", 0, 4},
                 {"MM", 5, 2}, {"LL", 5, 2}, {"dd", 8, 2}};
    if (!date)
        return false;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        while (k < sizeof parts / sizeof parts[0] &&
               strncmp(format + i, parts[k].token, strlen(parts[k].token)) != 0)
            k++;
        if (k < sizeof parts / sizeof parts[0]) {
            sb_append(out, date + parts[k].at, parts[k].len);
            i += strlen(parts[k].token);
        } else if (isalpha((unsigned char)format[i]) || format[i] == '%') {
            return false; /* a part we do not know */
        } else {
            sb_putc(out, format[i++]);
        }
    }
    return true;
}

/* The value an expression's first part names: page.*, or a data key. */
static char *expr_value(const char *e, size_t n, const eleventy_page *pg, const json_t *data)
{
    static const char *const page_keys[] = {"page.fileSlug", "page.filePathStem", NULL};
    const char *values[] = {pg->file_slug, pg->path_stem};
    for (size_t i = 0; page_keys[i]; i++)
        if (n == strlen(page_keys[i]) && strncmp(e, page_keys[i], n) == 0)
            return xstrdup(values[i]);
    if (n >= 2 && (e[0] == '"' || e[0] == '\'') && e[n - 1] == e[0])
        return xstrndup(e + 1, n - 2);
    char *key = xstrndup(e, n);
    const char *v = json_string_value(json_object_get(data, key));
    free(key);
    return v ? xstrdup(v) : NULL;
}

/* Apply one filter ("slugify", "date: \"%Y\"") to *value; false if unknown. */
static bool apply_filter(char **value, const char *f, size_t n, const eleventy_page *pg)
{
    while (n && isspace((unsigned char)f[n - 1]))
        n--;
    bool is_slugify = n == 7 && strncmp(f, "slugify", 7) == 0;
    if (is_slugify || (n == 4 && strncmp(f, "slug", 4) == 0)) {
        /* Eleventy's own filters, not ours: "Don't" is "dont" for slugify,
         * "don't" for slug; NULL for a script we cannot transliterate. */
        char *slug = is_slugify ? eleventy_slugify(*value) : eleventy_slug(*value);
        free(*value);
        *value = slug;
        return slug != NULL;
    }
    if (n == 5 && strncmp(f, "lower", 5) == 0) {
        for (char *q = *value; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        return true;
    }
    const char *q1 = memchr(f, '"', n) ? memchr(f, '"', n) : memchr(f, '\'', n);
    const char *q2 = q1 ? memchr(q1 + 1, *q1, n - (size_t)(q1 + 1 - f)) : NULL;
    if (!q2 || (!memmem(f, n, "date", 4) && !memmem(f, n, "Date", 4)))
        return false;
    strbuf out = {0};
    sb_puts(&out, "");
    bool ok = format_date(&out, q1 + 1, (size_t)(q2 - q1 - 1), pg->date);
    free(*value);
    *value = sb_take(&out);
    return ok;
}

/* One {{ expression }}: its value into out, or false when we cannot tell. */
static bool render_expr(strbuf *out, const char *e, size_t n, const eleventy_page *pg,
                        const json_t *data)
{
    while (n && isspace((unsigned char)*e))
        e++, n--;
    const char *bar = memchr(e, '|', n);
    size_t head = bar ? (size_t)(bar - e) : n;
    while (head && isspace((unsigned char)e[head - 1]))
        head--;
    bool is_date = head == 9 && strncmp(e, "page.date", 9) == 0;
    char *value = is_date ? xstrdup("") : expr_value(e, head, pg, data);
    bool ok = value && (!is_date || bar);
    for (const char *f = bar; ok && f && f < e + n;) {
        f++;
        while (f < e + n && isspace((unsigned char)*f))
            f++;
        const char *next = memchr(f, '|', (size_t)(e + n - f));
        size_t len = next ? (size_t)(next - f) : (size_t)(e + n - f);
        ok = apply_filter(&value, f, len, pg);
        f = next;
    }
    if (ok)
        sb_puts(out, value);
    free(value);
    return ok;
}

/* The permalink pattern with its {{ }} expressions filled in: a URL, or NULL
 * when it uses anything we cannot evaluate ({% %} tags, unknown keys). */
static char *render_permalink(const char *pattern, const eleventy_page *pg, const json_t *data)
{
    strbuf out = {0};
    sb_puts(&out, "");
    for (const char *p = pattern; *p;) {
        const char *open = strstr(p, "{{"), *tag = strstr(p, "{%");
        if (tag && (!open || tag < open))
            goto fail;
        if (!open) {
            sb_puts(&out, p);
            break;
        }
        sb_append(&out, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        size_t skip = open[2] == '-' ? 3 : 2;
        size_t n = close ? (size_t)(close - open - skip) - (close[-1] == '-') : 0;
        if (!close || !render_expr(&out, open + skip, n, pg, data))
            goto fail;
        p = close + 2;
    }
    return sb_take(&out);
fail:
    sb_free(&out);
    return NULL;
}

/* A permalink as Eleventy's page.url: from "/", without index.html. */
static char *page_url(const char *rendered)
{
    strbuf url = {0};
    if (rendered[0] != '/')
        sb_putc(&url, '/');
    sb_puts(&url, rendered);
    if (url.len >= 10 && strcmp(url.data + url.len - 10, "index.html") == 0)
        url.data[url.len -= 10] = '\0';
    return sb_take(&url);
}

/* ---- Site data into the post --------------------------------------------------------------- */

static void add_name(char ***list, size_t *n, const char *name, bool lower)
{
    char *v = xstrdup(name);
    for (char *q = v; lower && *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], v) == 0) {
            free(v);
            return;
        }
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = v;
}

/* Each of a string's comma-separated names (Eleventy splits a string of tags
 * on commas, never on spaces), trimmed, lower-cased. */
static void add_names_split(char ***list, size_t *n, const char *s)
{
    for (const char *end; *s; s = *end ? end + 1 : end) {
        end = s + strcspn(s, ",");
        const char *a = s, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        char *name = xstrndup(a, (size_t)(b - a));
        if (*name)
            add_name(list, n, name, true);
        free(name);
    }
}

/* The data's tags before the post's own (Eleventy joins the lists), unless
 * the front matter overrides them. */
static void add_tags(post *p, const json_t *dir_data, const json_t *front)
{
    const json_t *tags = json_object_get(dir_data, "tags");
    if (json_object_get(front, "override:tags") || !tags)
        return;
    char **list = NULL;
    size_t n = 0, i;
    const json_t *t;
    if (json_is_string(tags))
        add_names_split(&list, &n, json_string_value(tags));
    json_array_foreach(tags, i, t) if (json_is_string(t)) add_name(&list, &n, json_string_value(t), true);
    for (i = 0; i < p->n_tags; i++) {
        add_name(&list, &n, p->tags[i], true);
        free(p->tags[i]);
    }
    free(p->tags);
    p->tags = list;
    p->n_tags = n;
}

/* Authors from the data when the post names none: author, authors, else the
 * first key ending in "author" (postAuthor) that holds a name or a list. */
static void add_authors(post *p, const json_t *dir_data)
{
    if (p->n_authors)
        return;
    const json_t *v = json_object_get(dir_data, "author");
    v = v ? v : json_object_get(dir_data, "authors");
    const char *key;
    const json_t *any;
    json_object_foreach((json_t *)dir_data, key, any) {
        size_t n = strlen(key);
        if (!v && n >= 6 && strcasecmp(key + n - 6, "author") == 0 &&
            (json_is_string(any) || json_is_array(any)))
            v = any;
    }
    size_t i;
    const json_t *a;
    if (json_is_string(v))
        add_name(&p->authors, &p->n_authors, json_string_value(v), false);
    json_array_foreach(v, i, a) if (json_is_string(a))
        add_name(&p->authors, &p->n_authors, json_string_value(a), false);
}

/* permalink: false, as JSON data writes it, or as text, as YAML gives every
 * scalar below the top level (eleventyComputed: {permalink: false}). */
static bool permalink_off(const json_t *permalink)
{
    return json_is_false(permalink) ||
           (json_is_string(permalink) && strcmp(json_string_value(permalink), "false") == 0);
}

static void eleventy_apply(const site *s, const post_place *at, post *p)
{
    const eleventy_state *st = s->rules_state;
    strbuf input_rel = {0};
    sb_printf(&input_rel, *st->content_rel ? "%s/%s" : "%s%s", st->content_rel, at->rel);
    json_t *dir_data = cascade(st->input, input_rel.data);
    json_t *data = json_deep_copy(dir_data);
    if (at->front)
        data_merge(data, at->front);
    eleventy_page pg = {0};
    page_names(&pg, input_rel.data, p);
    /* Computed data is settled after the whole cascade, so its permalink
     * wins over any plain one, the front matter's included. */
    const json_t *computed =
        json_object_get(json_object_get(data, "eleventyComputed"), "permalink");
    const json_t *permalink = computed ? computed : json_object_get(data, "permalink");
    bool off = permalink_off(permalink);
    char *rendered = json_is_string(permalink) && !off
                         ? render_permalink(json_string_value(permalink), &pg, data) : NULL;
    char *path = rendered ? page_url(rendered) : default_url(&pg);
    /* A permalink we could not render, or not a string (an object of
     * build/serverless URLs): Eleventy's URL is not the default we give. */
    bool guessed = permalink && !rendered && !off;
    if (!off)
        site_set_url(p, site_url_join(NULL, st->path_prefix, path), guessed);
    else if (p->skip == POST_INDEXED)
        p->skip = POST_SKIP_NO_PAGE; /* permalink: false in the data: no page, no URL */
    add_tags(p, dir_data, at->front);
    add_authors(p, dir_data);
    free(rendered);
    free(path);
    page_free(&pg);
    json_decref(data);
    json_decref(dir_data);
    sb_free(&input_rel);
}

const site_rules eleventy_rules = {
    .generator = SITE_ELEVENTY, .name = "eleventy", .detect = eleventy_detect,
    .open = eleventy_open, .apply = eleventy_apply, .close = eleventy_close,
};
