/* source_wpjson.c — saved pages of the WordPress REST API: a folder of
 * posts-*.json files, each what `GET /wp-json/wp/v2/posts?per_page=100&page=N&_embed`
 * answered (a JSON array of post objects), and, when present, ids.json: the full
 * `_fields=id,modified` list of the site's posts (docs/sources.md).
 *
 * An item is one post object: id "wpj:" + its id; `where` "FILE@OFFSET+LENGTH",
 * the object's own bytes in FILE (found by jansson itself, which stops after one
 * value with JSON_DISABLE_EOF_CHECK and says how many bytes it read), read by a
 * worker with pread(); stamp the post's modified_gmt (else modified) and LENGTH,
 * and the listing knows its hash. The nightly job saves only the pages changed
 * since its last run, so one id can be in several files: every file is listed,
 * and the copy with the latest modified date wins (on a tie, the later file by
 * name). When ids.json exists, a post it does not list has been deleted or
 * unpublished on the site: it is not listed, and the build loop deletes it.
 *
 * Mapping: wordpress.c's, as for an export. A file that is not a JSON array of
 * objects stops the listing (nothing is written); a post object without an
 * integer id is reported and left out; one whose fields are of the wrong kind is
 * refused, with its id, when parsed. */
#include "source.h"

#include "fdio.h"
#include "hash.h"
#include "index.h"
#include "text.h"
#include "wordpress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID_KIND "wpj:"
#define MAX_PAGE_FILE (1024u * 1024u * 1024u)

typedef struct wpjson_source {
    source base;
    char *dir;
    bool pages; /* --wordpress-pages */
} wpjson_source;

/* The array in path (NULL, reported, when the file is not one of objects). */
static json_t *load_array(const char *path)
{
    char *b = NULL, why[512];
    size_t n;
    if (fd_read_file(&b, &n, path, MAX_PAGE_FILE, why, sizeof why) != FD_OK) {
        report("%s", why);
        return NULL;
    }
    json_error_t e;
    json_t *a = json_loadb(b, n, JSON_REJECT_DUPLICATES, &e);
    free(b);
    if (!a) {
        report("%s: not JSON (line %d: %s): the run stops", path, e.line, e.text);
        return NULL;
    }
    size_t k;
    json_t *v;
    bool ok = json_is_array(a);
    json_array_foreach(a, k, v) ok = ok && json_is_object(v);
    if (!ok) {
        report("%s: not a JSON array of post objects: the run stops", path);
        json_decref(a);
    }
    return ok ? a : NULL;
}

/* A post object's id as text ("" when it has no integer id). */
static void id_text(const json_t *obj, char *out, size_t out_len)
{
    const json_t *id = json_object_get(obj, "id");
    if (json_is_integer(id) && json_integer_value(id) >= 0)
        snprintf(out, out_len, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
    else
        snprintf(out, out_len, "%s", "");
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The ids ids.json lists (a map id -> ""), or none: *present false. Failed: reported. */
static bool load_ids(const wpjson_source *w, strmap *ids, bool *present)
{
    strbuf path = {0};
    sb_printf(&path, "%s/ids.json", w->dir);
    struct stat st;
    *present = stat(path.data, &st) == 0;
    json_t *a = *present ? load_array(path.data) : NULL;
    sb_free(&path);
    if (!*present)
        return true;
    if (!a)
        return false;
    size_t k;
    json_t *v;
    json_array_foreach(a, k, v) {
        char id[32];
        id_text(v, id, sizeof id);
        if (*id)
            map_put(ids, id, (void *)"");
    }
    json_decref(a);
    return true;
}

static int page_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return strncmp(d->d_name, "posts-", 6) == 0 && n > 11 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* The stamp: modified_gmt (else modified), "+pages" on a page read as a post. */
static void stamp_of(const wpjson_source *w, const json_t *obj, char *out, size_t out_len)
{
    const char *m = str(obj, "modified_gmt");
    if (!m || !*m)
        m = str(obj, "modified");
    const char *type = str(obj, "type");
    bool page = type && strcmp(type, "page") == 0 && w->pages;
    snprintf(out, out_len, "%.19s%s", m ? m : "", page ? "+pages" : "");
    for (char *c = out; *c; c++)
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
            *c = 'T';
}

static size_t skip_space(const char *b, size_t n, size_t i)
{
    while (i < n && strchr(" \t\r\n", b[i]))
        i++;
    return i;
}

/* One post object at b[start..start+len) of path into out. */
static void add_post(const wpjson_source *w, const char *path, const char *b, size_t start,
                     size_t len, const json_t *v, source_list *out)
{
    char id[40], stamp[32], hash[17];
    strbuf item = {0}, where = {0};
    sb_printf(&where, "%s@%zu+%zu", path, start, len);
    id_text(v, id, sizeof id);
    if (!*id) {
        report("%s: a post object without an integer id, not indexed", where.data);
        out->unreadable++;
    } else {
        sb_printf(&item, "%s%s", ID_KIND, id);
        stamp_of(w, v, stamp, sizeof stamp);
        hash_content(hash, b + start, len);
        source_list_add(out, item.data, where.data, (long long)len, stamp);
        memcpy(out->items[out->n - 1].hash, hash, sizeof hash);
    }
    sb_free(&item), sb_free(&where);
}

/* Every post object of the array in b into out, each with its exact bytes
 * (jansson stops after one value with JSON_DISABLE_EOF_CHECK and says how many
 * bytes it read); false, with *at the offset, when b is not an array of objects. */
static bool scan_array(const wpjson_source *w, const char *path, const char *b, size_t n,
                       size_t *at, source_list *out)
{
    size_t i = skip_space(b, n, 0);
    if (i == n || b[i] != '[')
        return *at = i, false;
    i = skip_space(b, n, i + 1);
    for (bool first = true; i < n && b[i] != ']'; first = false) {
        if (!first && b[i] != ',')
            return *at = i, false;
        i = skip_space(b, n, i + (first ? 0 : 1));
        json_error_t e;
        json_t *v = i < n && b[i] == '{'
                        ? json_loadb(b + i, n - i, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e)
                        : NULL;
        if (!v)
            return *at = i, false;
        add_post(w, path, b, i, (size_t)e.position, v, out);
        json_decref(v);
        i = skip_space(b, n, i + (size_t)e.position);
    }
    *at = i;
    return i < n && skip_space(b, n, i + 1) == n;
}

/* Every post object of one file into out. */
static void list_file(const wpjson_source *w, const char *name, source_list *out)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", w->dir, name);
    char *b = NULL, why[512];
    size_t n, at = 0;
    if (fd_read_file(&b, &n, path.data, MAX_PAGE_FILE, why, sizeof why) != FD_OK) {
        report("%s", why);
        out->failed = true;
    } else if (!scan_array(w, path.data, b, n, &at, out)) {
        report("%s: not a JSON array of post objects (at byte %zu): the run stops", path.data, at);
        out->failed = true;
    }
    free(b);
    sb_free(&path);
}

/* Of the copies of one id (adjacent once sorted), the latest modified wins, then
 * the later file; with ids.json, an id it does not list is left out. */
static void keep_newest(source_list *l, const strmap *ids, bool filter)
{
    size_t kept = 0;
    for (size_t k = 0; k < l->n; k++) {
        source_item *it = &l->items[k], *last = kept ? &l->items[kept - 1] : NULL;
        bool listed = !filter || map_get(ids, it->id + strlen(ID_KIND)) != NULL;
        if (listed && (!last || strcmp(last->id, it->id) != 0)) {
            l->items[kept++] = *it;
            continue;
        }
        if (listed && (strcmp(it->mtime, last->mtime) > 0 ||
                       (strcmp(it->mtime, last->mtime) == 0 && strcmp(it->where, last->where) > 0))) {
            source_item t = *last;
            *last = *it;
            *it = t;
        }
        free(it->id), free(it->where);
    }
    l->n = kept;
}

static void wpjson_list(source *s, source_list *out)
{
    const wpjson_source *w = (const wpjson_source *)s;
    *out = (source_list){0};
    strmap ids = {0};
    bool filter = false;
    struct dirent **names = NULL;
    int n = scandir(w->dir, &names, page_file, alphasort);
    if (n < 0) {
        report("%s: cannot read the folder", w->dir);
        out->failed = true;
    } else if (!load_ids(w, &ids, &filter))
        out->failed = true;
    for (int k = 0; k < n; k++) {
        if (!out->failed)
            list_file(w, names[k]->d_name, out);
        free(names[k]);
    }
    free(names);
    source_list_sort(out);
    keep_newest(out, &ids, filter);
    map_free(&ids);
}

/* ---- One post object ---------------------------------------------------------- */

static post_status wpjson_read(const source *s, const char *where, size_t max_bytes, char **buf,
                               size_t *len, post_error *err)
{
    (void)s;
    return source_read_range(where, max_bytes, buf, len, err);
}

/* "rendered" of a {rendered: ...} field, or the string itself. */
static const char *rendered(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_object(v) ? str(v, "rendered") : json_string_value(v);
}

/* The terms of _embedded["wp:term"] (arrays of term objects) of one taxonomy. */
static char **terms_of(const json_t *obj, const char *taxonomy, size_t *n)
{
    const json_t *groups = json_object_get(json_object_get(obj, "_embedded"), "wp:term");
    size_t cap = 0, g, k;
    const json_t *group, *term;
    json_array_foreach(groups, g, group) cap += json_array_size(group);
    char **v = xcalloc(cap + 1, sizeof *v);
    *n = 0;
    json_array_foreach(groups, g, group) json_array_foreach(group, k, term) {
        const char *tax = str(term, "taxonomy");
        char *name = tax && strcmp(tax, taxonomy) == 0 ? wp_term_name(str(term, "name")) : NULL;
        if (name)
            v[(*n)++] = name;
    }
    return v;
}

/* The author's display name (_embedded.author[0].name), else its number. */
static char *author_of(const json_t *obj)
{
    const json_t *a = json_array_get(json_object_get(json_object_get(obj, "_embedded"), "author"), 0);
    const char *name = str(a, "name");
    if (name && *name)
        return xstrdup(name);
    char id[32] = "";
    if (json_is_integer(json_object_get(obj, "author")))
        snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(obj, "author")));
    return *id ? xstrdup(id) : NULL;
}

/* Why a post object cannot be read as one (NULL: it can). */
static const char *malformed(const json_t *o)
{
    static const char *const strings[] = {"link", "date", "slug", "status", "type"};
    static const char *const rendered_fields[] = {"title", "content", "excerpt"};
    for (size_t k = 0; k < sizeof strings / sizeof *strings; k++)
        if (json_object_get(o, strings[k]) && !json_is_string(json_object_get(o, strings[k])))
            return strings[k];
    for (size_t k = 0; k < sizeof rendered_fields / sizeof *rendered_fields; k++) {
        const json_t *v = json_object_get(o, rendered_fields[k]);
        if (v && !json_is_string(v) && !(json_is_object(v) && json_is_string(json_object_get(v, "rendered"))))
            return rendered_fields[k];
    }
    return NULL;
}

static post_status wpjson_parse(const source *s, const char *where, const char *buf, size_t len,
                                post **out, post_error *err)
{
    const wpjson_source *w = (const wpjson_source *)s;
    *out = NULL;
    *err = (post_error){.code = POST_OK};
    json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    char id[32] = "?";
    if (json_is_object(o))
        id_text(o, id, sizeof id);
    const char *bad = json_is_object(o) ? malformed(o) : "the post";
    if (bad) {
        snprintf(err->message, sizeof err->message, "%s: %s%s: %s is not of the REST API's shape",
                 where, ID_KIND, id, bad);
        json_decref(o);
        return err->code = POST_EFIELD;
    }
    char *author = author_of(o);
    wp_fields f = {
        .id = id, .title = rendered(o, "title"), .link = str(o, "link"), .author = author,
        .date = str(o, "date"), .name = str(o, "slug"), .status = str(o, "status"),
        .type = str(o, "type"), .excerpt = rendered(o, "excerpt"),
    };
    /* a protected post: content.protected true */
    if (json_is_true(json_object_get(json_object_get(o, "content"), "protected")))
        f.password = "protected";
    f.tags = terms_of(o, "post_tag", &f.n_tags);
    f.categories = terms_of(o, "category", &f.n_categories);
    post *p = wp_post(&f, w->pages);
    free(author);
    post_status rc = wp_post_content(out, p, where, rendered(o, "content"), err);
    json_decref(o);
    return rc;
}

static void wpjson_name(const source *s, const char *id, strbuf *out)
{
    sb_printf(out, "%s (%s)", ((const wpjson_source *)s)->dir, id);
}

static void wpjson_close(source *s)
{
    wpjson_source *w = (wpjson_source *)s;
    free(w->dir);
    free(w);
}

static const source_ops wpjson_ops = {
    .list = wpjson_list,
    .read = wpjson_read,
    .parse = wpjson_parse,
    .name = wpjson_name,
    .close = wpjson_close,
};

source *source_wpjson_open(const char *dir, bool pages, char *why, size_t why_len)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "%s: not a folder of saved WordPress REST API pages", dir);
        return NULL;
    }
    wpjson_source *w = xcalloc(1, sizeof *w);
    *w = (wpjson_source){.base = {.ops = &wpjson_ops}, .dir = xstrdup(dir), .pages = pages};
    w->base.label = w->dir;
    return &w->base;
}
