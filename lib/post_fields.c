/* post_fields.c — the front matter's tree (frontmatter.c) into the post's fields,
 * once for every form: keys that mean the same thing, dates and slugs from the
 * path when the front matter has none, and the rules that leave a file out.
 *
 * A field that is missing is never an error: only a value of the wrong shape or
 * a date that is not a date is, reported with the line of its key. */
#include "post_internal.h"

#include "options.h"
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Keys that mean the same thing, in the order they are looked for: the first
 * present wins. Keys match in any case (Hugo reads them so); "a.b" is key b of
 * table a (Zola's [taxonomies]). */
static const char *const title_keys[] = {"title", NULL};
static const char *const date_keys[] = {"date", "publishDate", "pubDate", "published", NULL};
static const char *const summary_keys[] = {"summary",   "description", "excerpt",
                                           "ogSummary", "subtitle",    NULL};
static const char *const author_keys[] = {"authors", "author", "by", "taxonomies.authors",
                                           "params.authors", "params.author", NULL};
static const char *const tag_keys[] = {"tags", "taxonomies.tags", NULL};
static const char *const category_keys[] = {"categories", "category", "taxonomies.categories",
                                            NULL};
/* Fields that hold a URL path, searched for a YYYY/MM/DD date when there is no other. */
static const char *const path_keys[] = {"path", "url", "permalink", NULL};
/* Files that sit beside posts in a repository but are not posts. */
static const char *const not_post_names[] = {"readme",    "contributing",    "license",
                                             "licence",   "changelog",       "code_of_conduct",
                                             NULL};
/* Keys of a page that lists posts (Eleventy, Jekyll paginators, Zola sections). */
static const char *const listing_keys[] = {"pagination", "paginate_by", "eleventyImport", NULL};
/* Keys that choose how a page is drawn and say nothing of a post. */
static const char *const layout_keys[] = {"template", "layout", "permalink", NULL};

typedef struct reader {
    const front_matter *fm;
    const char *const *own_date_keys; /* the generator's, before date_keys; or NULL */
    bool dated_by_name; /* a date we cannot read gives way to the file name's */
    const char *path;
    post_error *err;
    post_status rc;
} reader;

static bool field_fail(reader *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a field error on the line of top-level key `key` (or the front matter's
 * first line) and return false. */
static bool field_fail(reader *r, const char *key, const char *fmt, ...)
{
    json_int_t line = json_integer_value(json_object_get(r->fm->lines, key ? key : ""));
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    r->rc = post_fail(r->err, POST_EFIELD, r->path, line > 0 ? (size_t)line : r->fm->first_line,
                      "%s", what);
    return false;
}

/* ---- Looking keys up ----------------------------------------------------------- */

/* obj's value for key: exact, else in any case. *name is the key as written
 * (a pointer into obj). */
static json_t *lookup(json_t *obj, const char *key, const char **name)
{
    json_t *v = json_object_get(obj, key);
    if (v) {
        *name = json_object_iter_key(json_object_iter_at(obj, key)); /* outlives key */
        return v;
    }
    *name = ""; /* absent: no line to name */
    const char *k;
    json_object_foreach(obj, k, v) {
        if (strcasecmp(k, key) == 0) {
            *name = k;
            return v;
        }
    }
    return NULL;
}

/* The value at key ("a.b" looks inside table a), NULL when absent or null. *top
 * is the top-level key as written, for its line. */
static json_t *value_at(const reader *r, const char *key, const char **top)
{
    char head[64];
    const char *dot = strchr(key, '.');
    snprintf(head, sizeof head, "%.*s", dot ? (int)(dot - key) : (int)strlen(key), key);
    json_t *v = lookup(r->fm->root, head, top);
    if (v && dot) {
        const char *inner;
        v = json_is_object(v) ? lookup(v, dot + 1, &inner) : NULL;
    }
    return json_is_null(v) ? NULL : v;
}

/* A trimmed, cleaned copy of a single value (string, number, boolean); NULL for
 * a list, a table or null. */
static char *scalar_text(const json_t *v)
{
    char num[64];
    const char *s = num;
    size_t n;
    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        n = (size_t)snprintf(num, sizeof num, "%g", json_real_value(v));
    } else if (json_is_boolean(v)) {
        s = json_is_true(v) ? "true" : "false";
        n = strlen(s);
    } else {
        return NULL;
    }
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return utf8_clean(s, n, NULL);
}

static bool blank(const json_t *v)
{
    if (!json_is_string(v))
        return false;
    for (const char *s = json_string_value(v); *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* The first of keys present with a value that is not empty. */
static json_t *first_of(const reader *r, const char *const keys[], const char **top)
{
    for (size_t i = 0; keys[i]; i++) {
        json_t *v = value_at(r, keys[i], top);
        if (v && !blank(v))
            return v;
    }
    return NULL;
}

/* A single value from the first of keys into *out (left alone when none). */
static bool read_scalar(reader *r, const char *const keys[], char **out)
{
    const char *top;
    json_t *v = first_of(r, keys, &top);
    if (!v)
        return true;
    char *s = scalar_text(v);
    if (!s)
        return field_fail(r, top, "'%s' must be a single value", top);
    free(*out);
    *out = s;
    return true;
}

/* Is the value at key a yes (want true) or a no (want false)? */
static bool flag_is(const reader *r, const char *key, bool want)
{
    const char *top;
    char *s = scalar_text(value_at(r, key, &top));
    bool b;
    bool is = s && opt_parse_bool(s, &b) && b == want;
    free(s);
    return is;
}

/* ---- Names from the path ------------------------------------------------------- */

/* The parts of a post's path: the file's stem, the post's name (that stem, or a
 * bundle's folder for NAME/index.md) and the folders above the name. */
typedef struct path_parts {
    char *copy;
    const char *part[64];
    size_t n;         /* parts of the path */
    size_t name;      /* index of the part that names the post */
    char *file_stem;  /* the file's name without its extension (malloc'd) */
    const char *name_text; /* the post's name: file_stem, or the bundle's folder */
} path_parts;

static void path_split(path_parts *pp, const char *path)
{
    *pp = (path_parts){.copy = xstrdup(path)};
    for (char *save = NULL, *t = strtok_r(pp->copy, "/", &save); t && pp->n < 64;
         t = strtok_r(NULL, "/", &save))
        pp->part[pp->n++] = t;
    if (pp->n == 0)
        pp->part[pp->n++] = "";
    const char *file = pp->part[pp->n - 1], *dot = strrchr(file, '.');
    pp->file_stem = xstrndup(file, dot && dot != file ? (size_t)(dot - file) : strlen(file));
    pp->name = pp->n - 1;
    pp->name_text = pp->file_stem;
    if (strcasecmp(pp->file_stem, "index") == 0 && pp->n > 1) {
        pp->name--; /* a page bundle: the folder names the post */
        pp->name_text = pp->part[pp->name];
    }
}

static void path_free(path_parts *pp)
{
    free(pp->copy);
    free(pp->file_stem);
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool real_date(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] + (m == 2 && leap_year(y));
}

/* out = "YYYY-MM-DD" of a checked date (the bounds tell the compiler its width). */
static void format_date(char out[11], int y, int m, int d)
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* Digits at s: count 1..max of them into *value; the number of digits read. */
static size_t digits(const char *s, size_t min, size_t max, int *value)
{
    size_t n = 0;
    *value = 0;
    while (n < max && isdigit((unsigned char)s[n]))
        *value = *value * 10 + (s[n++] - '0');
    return n >= min && !isdigit((unsigned char)s[n]) ? n : 0;
}

/* A date "YYYY-M-D" (month and day one or two digits) at the start of s, checked
 * against the calendar, into out as "YYYY-MM-DD"; the bytes read, 0 if none. */
static size_t date_prefix(const char *s, char out[11])
{
    int y, m, d;
    size_t a = digits(s, 4, 4, &y);
    if (!a || s[a] != '-')
        return 0;
    size_t b = digits(s + a + 1, 1, 2, &m);
    if (!b || s[a + 1 + b] != '-')
        return 0;
    size_t c = digits(s + a + b + 2, 1, 2, &d);
    if (!c || !real_date(y, m, d))
        return 0;
    format_date(out, y, m, d);
    return a + b + c + 2;
}

/* A date with its month named, in either order, a weekday and a time allowed
 * around it: "Jul 08 2022" (Astro's starter), "July 8, 2022", "Tue, 8 Jul 2022
 * 10:00 GMT". A named month is never ambiguous. */
static bool named_month_date(const char *s, char out[11])
{
    static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int y = 0, m = 0, d = 0;
    while (*s && !(y && m && d)) {
        size_t n = 0;
        if (isalpha((unsigned char)*s)) {
            while (isalpha((unsigned char)s[n]))
                n++;
            char abbr[4] = {0};
            for (size_t i = 0; i < 3 && i < n; i++)
                abbr[i] = (char)tolower((unsigned char)s[i]);
            const char *at = n >= 3 ? strstr(months, abbr) : NULL;
            if (at && (at - months) % 3 == 0 && !m)
                m = (int)(at - months) / 3 + 1;
        } else if (isdigit((unsigned char)*s)) {
            int v;
            n = digits(s, 1, 4, &v);
            if (n == 4 && !y)
                y = v;
            else if (n <= 2 && n && !d)
                d = v;
            else
                return false;
        }
        s += n ? n : 1;
    }
    if (!real_date(y, m, d))
        return false;
    format_date(out, y, m, d);
    return true;
}

/* A date, optionally followed by a time ("T23:30:00-07:00", " 02:12:52 +0200"):
 * the calendar date as written, never moved to another zone. */
static bool parse_date(const char *s, char out[11])
{
    size_t n = date_prefix(s, out);
    if (n)
        return s[n] == '\0' || s[n] == 'T' || s[n] == 't' || s[n] == ' ';
    return named_month_date(s, out);
}

/* YYYY/M/D as three path segments (of a folder path or a URL). */
static bool date_in_segments(const char *const seg[], size_t n, char out[11])
{
    for (size_t i = 0; i + 3 <= n; i++) {
        int y, m, d;
        size_t a = digits(seg[i], 4, 4, &y), b = digits(seg[i + 1], 1, 2, &m),
               c = digits(seg[i + 2], 1, 2, &d);
        if (a && b && c && !seg[i][a] && !seg[i + 1][b] && !seg[i + 2][c] && real_date(y, m, d)) {
            format_date(out, y, m, d);
            return true;
        }
    }
    return false;
}

/* The date a path gives: a name "YYYY-MM-DD-slug" (Jekyll; also a bundle's
 * folder), else the three folders above the name "YYYY/MM/DD/". A year and month
 * alone ("2019/05/slug.md") is no date, nor is "02-05-2017-name": day and month
 * could be either way round. */
static bool date_from_path(const path_parts *pp, char out[11])
{
    const char *name = pp->name_text;
    size_t n = date_prefix(name, out);
    if (n && (name[n] == '\0' || name[n] == '-' || name[n] == '_'))
        return true;
    return pp->name >= 3 && date_in_segments(pp->part + pp->name - 3, 3, out);
}

/* The first YYYY/MM/DD in a URL path ("2024/07/25/name", Zola's `path`). */
static bool date_from_url(const char *url, char out[11])
{
    char *copy = xstrdup(url);
    const char *seg[64];
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(copy, "/", &save); t && n < 64;
         t = strtok_r(NULL, "/", &save))
        seg[n++] = t;
    bool found = date_in_segments(seg, n, out);
    free(copy);
    return found;
}

/* ---- Fields ---------------------------------------------------------------------- */

/* The date from the first date key (the generator's own, then date_keys;
 * `published` when it is not a yes or no), else from the path, else from a URL
 * field; NULL (undated) when none. */
static bool read_date(reader *r, post *p, const path_parts *pp)
{
    char date[11];
    static const char *const none[] = {NULL};
    const char *const *lists[] = {r->own_date_keys ? r->own_date_keys : none, date_keys};
    for (size_t l = 0; l < 2; l++) {
        for (const char *const *key = lists[l]; *key; key++) {
            const char *top;
            json_t *v = value_at(r, *key, &top);
            char *s = v && !blank(v) ? scalar_text(v) : NULL;
            bool b;
            if (v && !blank(v) && !s)
                return field_fail(r, top, "'%s' must be a single value", top);
            if (!s || (strcmp(*key, "published") == 0 && opt_parse_bool(s, &b))) {
                free(s);
                continue;
            }
            bool ok = parse_date(s, date);
            if (!ok && r->dated_by_name && date_from_path(pp, date)) {
                free(s); /* Jekyll's: a date Ruby reads ("11-9-2017"), the file's own day */
                p->date = xstrdup(date);
                return true;
            }
            if (!ok)
                field_fail(r, top, "'%s' is not a date (want YYYY-MM-DD): %.40s", top, s);
            free(s);
            if (!ok)
                return false;
            p->date = xstrdup(date);
            return true;
        }
    }
    if (date_from_path(pp, date)) {
        p->date = xstrdup(date);
        return true;
    }
    for (size_t i = 0; path_keys[i]; i++) {
        const char *top;
        char *s = scalar_text(value_at(r, path_keys[i], &top));
        bool found = s && date_from_url(s, date);
        free(s);
        if (found) {
            p->date = xstrdup(date);
            return true;
        }
    }
    return true;
}

static void list_push(char ***list, size_t *n, char *item)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = item;
}

/* Push s[0..len), trimmed, unless empty; lower-cased when asked. */
static void push_term(char ***list, size_t *n, const char *s, size_t len, bool lower)
{
    while (len > 0 && isspace((unsigned char)*s))
        s++, len--;
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len)
        return;
    char *item = utf8_clean(s, len, NULL);
    if (lower)
        for (char *c = item; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    list_push(list, n, item);
}

/* A string of several terms: comma-separated when it has a comma; else, when
 * `words` (an unquoted YAML value: Jekyll's "tags: a b c", not on an Eleventy
 * site), space-separated; else one term (Hugo's tags: "one", TOML, JSON). */
static void push_terms(char ***list, size_t *n, const char *s, bool words, bool lower)
{
    const char *seps = strchr(s, ',') ? "," : words ? " \t" : "";
    while (*s) {
        size_t len = *seps ? strcspn(s, seps) : strlen(s);
        push_term(list, n, s, len, lower);
        s += len;
        s += *s != '\0';
    }
}

/* Tags or categories: a list of single values, or one string of them (split
 * on spaces too when unquoted and spaces_split). */
static bool read_terms(reader *r, const char *const keys[], bool lower, bool spaces_split,
                       char ***list, size_t *n)
{
    const char *top;
    json_t *v = first_of(r, keys, &top);
    if (!v)
        return true;
    if (json_is_object(v))
        return field_fail(r, top, "'%s' must be a list", top);
    if (!json_is_array(v)) {
        char *s = scalar_text(v);
        bool words = spaces_split && json_is_true(json_object_get(r->fm->plain, top));
        push_terms(list, n, s, words, lower);
        free(s);
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        char *s = scalar_text(item);
        if (!s && !json_is_null(item))
            return field_fail(r, top, "each item of '%s' must be a single value", top);
        if (s)
            push_term(list, n, s, strlen(s), lower);
        free(s);
    }
    for (size_t t = 0; t < *n; t++)
        if (strlen((*list)[t]) > 100)
            return field_fail(r, top, "a tag is longer than 100 bytes");
    return true;
}

/* An author's name as written, with Markdown links "[Jane Doe](https://...)"
 * reduced to their text. */
static void push_name(post *p, const char *s)
{
    strbuf sb = {0};
    while (*s) {
        const char *close = *s == '[' ? strstr(s, "](") : NULL;
        const char *end = close ? strchr(close + 2, ')') : NULL;
        if (end && !memchr(s + 1, '[', (size_t)(close - s - 1))) {
            sb_append(&sb, s + 1, (size_t)(close - s - 1));
            s = end + 1;
        } else {
            sb_putc(&sb, *s++);
        }
    }
    char *name = sb_take(&sb);
    push_term(&p->authors, &p->n_authors, name, strlen(name), false);
    free(name);
}

/* One author: a string is one name, never split; a table gives its `name`. */
static bool push_author(post *p, const json_t *v)
{
    const char *k;
    if (json_is_object(v))
        v = lookup((json_t *)v, "name", &k);
    char *s = scalar_text(v);
    if (s)
        push_name(p, s);
    free(s);
    return s || json_is_null(v) || !v;
}

static bool read_authors(reader *r, post *p)
{
    const char *top;
    json_t *v = first_of(r, author_keys, &top);
    if (!v)
        return true;
    if (!json_is_array(v))
        return push_author(p, v) || field_fail(r, top, "'%s' must be a name or a list", top);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!push_author(p, item))
            return field_fail(r, top, "each item of '%s' must be a name", top);
    }
    return true;
}

static bool url_allowed(const char *u)
{
    /* A javascript: or data: link from front matter must never reach a page,
     * nor a path a browser reads as another host ("//host", "/\\host"). */
    if (strchr(u, '\\'))
        return false;
    return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 ||
           (u[0] == '/' && u[1] != '/');
}

/* Hugo reads url: "about/team" from the site's root, as "/about/team", and
 * leaves out an empty one. A value with a scheme ("javascript:", "mailto:")
 * is no path, and is left for url_allowed() to refuse. */
static void settle_relative_url(post *p)
{
    if (!p->url)
        return;
    if (!*p->url) {
        free(p->url);
        p->url = NULL;
        return;
    }
    size_t head = strcspn(p->url, ":/?#");
    if (p->url[0] == '/' || p->url[head] == ':')
        return;
    strbuf rooted = {0};
    sb_putc(&rooted, '/');
    sb_puts(&rooted, p->url);
    free(p->url);
    p->url = sb_take(&rooted);
}

/* How many bytes of s to quote in a message: at most max, and never part of a
 * character (a message must stay UTF-8). */
static int quoted_bytes(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return (int)max;
}

static bool read_image(reader *r, post *p)
{
    const char *top;
    json_t *v = value_at(r, "image", &top);
    if (!v || !json_is_object(v)) {
        static const char *const image_keys[] = {"image", NULL};
        return json_is_array(v) ? field_fail(r, top, "'image' must be a mapping")
                                : read_scalar(r, image_keys, &p->image_src);
    }
    static const char *const parts[] = {"src", "alt"};
    char **slots[] = {&p->image_src, &p->image_alt};
    for (size_t i = 0; i < 2; i++) {
        const char *k;
        json_t *part = lookup(v, parts[i], &k);
        if (!part || json_is_null(part))
            continue;
        char *s = scalar_text(part);
        if (!s)
            return field_fail(r, top, "'%s' must be a single value", parts[i]);
        free(*slots[i]);
        *slots[i] = s;
    }
    return true;
}

/* ---- Slug and title ---------------------------------------------------------------- */

#define SLUG_MAX 200 /* slug_valid()'s limit */

/* A slug from any text: accents folded, lower case, runs of anything but a-z,
 * 0-9, '.' and '_' to one '-', cut to SLUG_MAX bytes (not at a separator). */

static char *slug_normalise(const char *s)
{
    char *slug = slugify_keeping(s, "._");
    size_t n = strlen(slug);
    if (n > SLUG_MAX) {
        n = SLUG_MAX;
        while (n > 0 && strchr("-._", slug[n - 1])) /* not ending in a separator */
            n--;
        slug[n] = '\0';
    }
    return slug;
}

/* The post's name without a leading date "YYYY-MM-DD-" (Jekyll's, Zola's). */
static const char *undated_name(const path_parts *pp)
{
    const char *name = pp->name_text;
    char date[11];
    size_t n = date_prefix(name, date);
    return n && name[n] == '-' && name[n + 1] ? name + n + 1 : name;
}

/* `slug:` as given when it is a valid slug, else normalised; else from the name;
 * else, when nothing is left of either, one made from the path. */
static void settle_slug(post *p, const path_parts *pp, const char *path)
{
    if (p->slug && !slug_valid(p->slug)) {
        char *s = slug_normalise(p->slug);
        free(p->slug);
        p->slug = s;
    }
    if (!p->slug || !*p->slug) {
        free(p->slug);
        p->slug = slug_normalise(undated_name(pp));
    }
    if (!*p->slug) {
        uint32_t h = 2166136261u; /* FNV-1a: a stable name for a name with no letters */
        for (const char *c = path; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        free(p->slug);
        char buf[32];
        snprintf(buf, sizeof buf, "post-%08x", (unsigned)h);
        p->slug = xstrdup(buf);
    }
}

/* The title when `title` is missing: the first top-level key whose name ends in
 * "title" (newstitle, pageTitle, seo_title), else the body's first level-1
 * heading, else the post's name made readable ("my-first-post": "My first post"). */
static void settle_title(reader *r, post *p, const path_parts *pp, const char *first_h1)
{
    if (p->title)
        return;
    const char *k;
    json_t *v;
    json_object_foreach(r->fm->root, k, v) {
        size_t n = strlen(k);
        if (n > 5 && strcasecmp(k + n - 5, "title") == 0 && json_is_string(v) && !blank(v)) {
            p->title = scalar_text(v);
            return;
        }
    }
    if (first_h1 && *first_h1) {
        p->title = xstrdup(first_h1);
        return;
    }
    strbuf sb = {0};
    for (const char *c = undated_name(pp); *c; c++) {
        bool space = *c == '-' || *c == '_' || *c == ' ';
        if (!space)
            sb_putc(&sb, *c);
        else if (sb.len > 0 && sb.data[sb.len - 1] != ' ')
            sb_putc(&sb, ' ');
    }
    while (sb.len > 0 && sb.data[sb.len - 1] == ' ')
        sb.data[--sb.len] = '\0';
    p->title = sb_take(&sb);
    p->title[0] = (char)toupper((unsigned char)p->title[0]);
    if (!*p->title) {
        free(p->title);
        p->title = xstrdup(p->slug);
    }
}

/* ---- Skip rules --------------------------------------------------------------------- */

static bool name_in(const char *name, const char *const names[])
{
    for (size_t i = 0; names[i]; i++)
        if (strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

static bool any_key(const reader *r, const char *const keys[])
{
    const char *top;
    for (size_t i = 0; keys[i]; i++)
        if (value_at(r, keys[i], &top))
            return true;
    return false;
}

/* Front matter with keys, all of which only choose a layout: a template's page. */
static bool layout_only(const reader *r)
{
    const char *k;
    json_t *v;
    json_object_foreach(r->fm->root, k, v) {
        if (!name_in(k, layout_keys))
            return false;
    }
    return json_object_size(r->fm->root) > 0;
}

/* Does the page say the site renders no page for it (Hugo _build/build render
 * never or false, headless: true; Zola render = false; Eleventy permalink: false)? */
static bool renders_no_page(const reader *r)
{
    const char *top;
    static const char *const builds[] = {"_build", "build"};
    for (size_t i = 0; i < 2; i++) {
        json_t *b = value_at(r, builds[i], &top);
        const char *k;
        char *s = json_is_object(b) ? scalar_text(lookup(b, "render", &k)) : NULL;
        bool never = s && (strcasecmp(s, "never") == 0 || strcasecmp(s, "false") == 0);
        free(s);
        if (never)
            return true;
    }
    return flag_is(r, "headless", true) || flag_is(r, "render", false) ||
           flag_is(r, "permalink", false);
}

static bool is_redirect(const reader *r)
{
    static const char *const stubs[] = {"redirect", "redirect_to", NULL};
    static const char *const layouts[] = {"layout", "template"};
    const char *top;
    if (first_of(r, stubs, &top))
        return true;
    for (size_t i = 0; i < 2; i++) {
        char *s = scalar_text(value_at(r, layouts[i], &top));
        bool redirect = s && (strcasecmp(s, "redirect") == 0 || strcasecmp(s, "redirect.html") == 0);
        free(s);
        if (redirect)
            return true;
    }
    return false;
}

/* Why the file is left out, by the first rule that holds; POST_INDEXED if none. */
static post_skip skip_reason(reader *r, const path_parts *pp, bool *bad_draft)
{
    const char *top;
    char *draft = scalar_text(value_at(r, "draft", &top));
    bool is_draft = false;
    *bad_draft = draft && !opt_parse_bool(draft, &is_draft);
    free(draft);
    const char *file = pp->file_stem;
    if (strncasecmp(file, "_index", 6) == 0 && (file[6] == '\0' || file[6] == '.'))
        return POST_SKIP_SECTION_INDEX; /* also a translation's: _index.fr.md */
    if (name_in(file, not_post_names))
        return POST_SKIP_NOT_A_POST;
    if (is_draft || flag_is(r, "published", false))
        return POST_SKIP_DRAFT;
    if (is_redirect(r))
        return POST_SKIP_REDIRECT;
    if (renders_no_page(r))
        return POST_SKIP_NO_PAGE;
    static const char *const explicit_title[] = {"title", NULL};
    if (flag_is(r, "eleventyExcludeFromCollections", true) || any_key(r, listing_keys) ||
        (layout_only(r) && !first_of(r, explicit_title, &top)))
        return POST_SKIP_NOT_A_POST;
    return POST_INDEXED;
}

/* ---- All fields --------------------------------------------------------------------- */

post_status post_fields_read(post *p, const front_matter *fm, const char *path,
                             const char *first_h1, const post_reading *how, post_error *err)
{
    static const char *const slug_keys[] = {"slug", NULL}, *const url_keys[] = {"url", NULL};
    reader r = {.fm = fm, .own_date_keys = how->date_keys, .dated_by_name = how->dated_by_name,
                .path = path, .err = err,
                .rc = POST_EFIELD};
    path_parts pp;
    path_split(&pp, path);
    bool bad_draft = false;
    p->skip = skip_reason(&r, &pp, &bad_draft);
    const char *top;
    bool ok = read_scalar(&r, title_keys, &p->title) && read_scalar(&r, slug_keys, &p->slug) &&
              read_scalar(&r, url_keys, &p->url) && read_scalar(&r, summary_keys, &p->summary) &&
              read_date(&r, p, &pp) && read_authors(&r, p) &&
              read_terms(&r, tag_keys, true, !how->tags_on_commas_only, &p->tags, &p->n_tags) &&
              read_terms(&r, category_keys, false, true, &p->categories, &p->n_categories) &&
              read_image(&r, p);
    if (ok && bad_draft) {
        value_at(&r, "draft", &top);
        ok = field_fail(&r, top, "'draft' must be true or false");
    }
    if (ok)
        settle_relative_url(p);
    if (ok && p->url && !url_allowed(p->url)) {
        value_at(&r, "url", &top);
        ok = field_fail(&r, top, "'url' must be a path or start with http:// or https://: %.*s",
                        quoted_bytes(p->url, 40), p->url);
    }
    if (ok) {
        settle_slug(p, &pp, path);
        settle_title(&r, p, &pp, first_h1);
        post_drop_repeated_terms(p);
    }
    path_free(&pp);
    return ok ? POST_OK : r.rc;
}
