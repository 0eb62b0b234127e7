/* results.c — the request path's core: query -> hits -> decoded, snippeted results. */
#include "results.h"

#include "text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Snippet markers. MSet::snippet escapes the text (& < >) and inserts these raw. */
static const char MARK_OPEN[] = "<mark>", MARK_CLOSE[] = "</mark>", OMIT[] = "\xE2\x80\xA6";

char *permalink_expand(const char *pattern, const char *slug, const char *date)
{
    static const struct {
        const char *name;
        size_t date_at, date_len; /* where in "YYYY-MM-DD" the value is */
    } parts[] = {{"{yyyy}", 0, 4}, {"{mm}", 5, 2}, {"{dd}", 8, 2}};
    strbuf sb = {0};
    for (const char *p = pattern; *p;) {
        bool replaced = false;
        if (strncmp(p, "{slug}", 6) == 0) {
            sb_puts(&sb, slug);
            p += 6;
            continue;
        }
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            size_t n = strlen(parts[i].name);
            if (strncmp(p, parts[i].name, n) == 0 && strlen(date) >= 10) {
                sb_append(&sb, date + parts[i].date_at, parts[i].date_len);
                p += n;
                replaced = true;
                break;
            }
        }
        if (!replaced)
            sb_putc(&sb, *p++);
    }
    return sb_take(&sb);
}

static char *get_string(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? xstrdup(s) : NULL;
}

static char **get_strings(json_t *obj, const char *key, size_t *n)
{
    json_t *a = json_object_get(obj, key);
    size_t count = json_array_size(a);
    char **out = xmalloc((count ? count : 1) * sizeof *out);
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (s)
            out[(*n)++] = xstrdup(s);
    }
    return out;
}

/* The snippet of a hit: the best passage of its text, or, when the text is empty,
 * its summary, escaped the same way. */
static xap_status make_snippet(search_hit *hit, xap_hits *hits, json_t *data,
                               const search_config *cfg, xap_error *err)
{
    const char *text = json_string_value(json_object_get(data, "text"));
    size_t len = json_string_length(json_object_get(data, "text"));
    if (!text || len == 0) {
        text = json_string_value(json_object_get(data, "summary"));
        len = json_string_length(json_object_get(data, "summary"));
    }
    if (!text)
        text = "", len = 0;
    return xap_hits_snippet(&hit->snippet_html, hits, text, len, cfg->snippet_bytes, MARK_OPEN,
                            MARK_CLOSE, OMIT, err);
}

static xap_status decode_hit(search_hit *hit, xap_hits *hits, size_t i, const search_config *cfg,
                             xap_error *err)
{
    xap_hit raw;
    xap_status rc = xap_hits_get(&raw, hits, i, err);
    if (rc != XAP_OK)
        return rc;
    json_t *data = json_loadb(raw.data, raw.data_len, 0, NULL);
    if (!json_is_object(data)) {
        json_decref(data);
        if (err) {
            err->code = XAP_EIO;
            strcpy(err->message, "stored document data is not a JSON object");
        }
        return XAP_EIO;
    }
    hit->score = raw.weight;
    hit->id = get_string(data, "id");
    hit->title = get_string(data, "title");
    hit->date = get_string(data, "date");
    hit->url = get_string(data, "url");
    hit->authors = get_strings(data, "authors", &hit->n_authors);
    hit->tags = get_strings(data, "tags", &hit->n_tags);
    if (!hit->id)
        hit->id = xstrdup("");
    if (!hit->title)
        hit->title = xstrdup("");
    if (!hit->date)
        hit->date = xstrdup("");
    if (!hit->url)
        hit->url = permalink_expand(cfg->permalink, hit->id, hit->date);
    rc = make_snippet(hit, hits, data, cfg, err);
    json_decref(data);
    return rc;
}

xap_status search_run(search_results *out, xap_db *db, const search_request *req,
                      const search_config *cfg, xap_error *err)
{
    *out = (search_results){0};
    xap_query q = {
        .text = req->q,
        .text_len = req->q_len,
        .offset = (req->page - 1) * req->per_page,
        .limit = req->per_page,
        .sort = req->sort,
        .max_expansion = cfg->max_expansion,
    };
    xap_hits *hits;
    xap_status rc = xap_search(&hits, db, &q, err);
    if (rc != XAP_OK)
        return rc;
    out->total_estimate = xap_hits_estimate(hits);
    out->relaxed = xap_hits_relaxed(hits);
    size_t n = xap_hits_count(hits);
    out->hits = calloc(n ? n : 1, sizeof *out->hits);
    for (size_t i = 0; rc == XAP_OK && i < n; i++) {
        rc = decode_hit(&out->hits[i], hits, i, cfg, err);
        out->n_hits = i + 1; /* so a partly decoded hit is freed too */
    }
    xap_hits_free(hits);
    if (rc != XAP_OK)
        search_results_free(out);
    return rc;
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void search_results_free(search_results *r)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        search_hit *h = &r->hits[i];
        free(h->id);
        free(h->title);
        free(h->date);
        free(h->url);
        free(h->snippet_html);
        free_strings(h->authors, h->n_authors);
        free_strings(h->tags, h->n_tags);
    }
    free(r->hits);
    *r = (search_results){0};
}
