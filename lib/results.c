/* results.c — the request path's core: query -> hits -> decoded results with
 * their snippets, highlighted titles, sections and facets. */
#include "results.h"

#include "permalink.h"
#include "schema.h"
#include "text.h"

#include <jansson.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

/* Snippet markers. MSet::snippet escapes the text (& < >) and inserts these raw. */
#define EXPLAIN_MAX 10

static const char MARK_OPEN[] = "<mark>", MARK_CLOSE[] = "</mark>", OMIT[] = "\xE2\x80\xA6";

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

static size_t count_marks(const char *snippet)
{
    size_t n = 0;
    for (const char *p = strstr(snippet, MARK_OPEN); p; p = strstr(p + 1, MARK_OPEN))
        n++;
    return n;
}

/* A post's stored text and the sections it is cut into. */
typedef struct stored_text {
    const char *text;
    size_t len;
    json_t *sections; /* [heading, anchor, offset] triples, in order */
} stored_text;

/* Where piece i of the text begins (piece 0: the introduction, piece i > 0:
 * section i - 1), with starts[n] = len; the heading and anchor of each piece. A
 * section whose offset is out of order or past the text starts nothing. */
static size_t cut_pieces(const stored_text *t, size_t *starts, const char **headings,
                         const char **anchors)
{
    size_t n = 1, sections = json_array_size(t->sections);
    starts[0] = 0, headings[0] = anchors[0] = NULL;
    for (size_t i = 0; i < sections; i++) {
        const char *heading, *anchor;
        json_int_t from;
        if (json_unpack(json_array_get(t->sections, i), "[ssI]", &heading, &anchor, &from) != 0 ||
            from < (json_int_t)starts[n - 1] || from >= (json_int_t)t->len)
            continue;
        if (from == (json_int_t)starts[n - 1]) /* an empty piece before: replaced */
            n--;
        starts[n] = (size_t)from, headings[n] = heading, anchors[n] = anchor, n++;
    }
    starts[n] = t->len;
    return n;
}

/* Says where a snippet's text was cut off before or after it (OMIT), unless
 * the snippet already says so. */
static void mark_cuts(char **snippet, bool cut_before, bool cut_after)
{
    size_t len = strlen(*snippet), omit = strlen(OMIT);
    cut_before = cut_before && strncmp(*snippet, OMIT, omit) != 0;
    cut_after = cut_after && (len < omit || strcmp(*snippet + len - omit, OMIT) != 0);
    if (!cut_before && !cut_after)
        return;
    strbuf sb = {0};
    if (cut_before)
        sb_append(&sb, OMIT, omit);
    sb_append(&sb, *snippet, len);
    if (cut_after)
        sb_append(&sb, OMIT, omit);
    free(*snippet);
    *snippet = sb_take(&sb);
}

/* The snippet of text[from, to), at most about length bytes; "" when it does
 * not match; its number of matches. The snippet marks what it leaves out of
 * that span; so does this for what the span leaves out of its piece
 * text[piece_from, piece_to). */
static xap_status span_snippet(char **out, size_t *marks, xap_hits *hits, const stored_text *t,
                               size_t from, size_t to, size_t piece_from, size_t piece_to,
                               size_t length, xap_error *err)
{
    /* A window already about one snippet long is marked as it is; a longer
     * span is left to the snippet to choose from. */
    xap_status rc = length >= to - from ? xap_hits_mark(out, hits, t->text + from, to - from, MARK_OPEN,
                                                        MARK_CLOSE, OMIT, true, err)
                                        : xap_hits_snippet(out, hits, t->text + from, to - from, length,
                                                           MARK_OPEN, MARK_CLOSE, OMIT, true, err);
    *marks = rc == XAP_OK ? count_marks(*out) : 0;
    if (rc != XAP_OK || *marks == 0)
        return rc;
    mark_cuts(out, from > piece_from, to < piece_to);
    return rc;
}

static void take_passage(search_hit *hit, char *snippet, const char *heading, const char *anchor)
{
    free(hit->snippet_html);
    free(hit->section);
    free(hit->anchor);
    hit->snippet_html = snippet;
    hit->section = heading ? xstrdup(heading) : NULL;
    hit->anchor = anchor ? xstrdup(anchor) : NULL;
}

/* The best passage of a post's text for the query: in a post with sections,
 * from the section with the most matches (earliest on a tie), which also names
 * the section; "" (not NULL) when the text does not match at all. Snippets stem
 * every word they read, so the sections and the window in each are chosen by
 * a cheap count of words that begin like the query's, and only that window,
 * about one snippet long, is made into a snippet. When no window has a match,
 * the sections they were in are tried whole (every section when the count
 * cannot see every word: a wildcard, Chinese). */
static xap_status best_passage(search_hit *hit, xap_hits *hits, const stored_text *t,
                               const search_config *cfg, xap_error *err)
{
    size_t max = json_array_size(t->sections) + 1;
    size_t *starts = xmalloc((max + 1) * sizeof *starts);
    xap_passage *passages = xmalloc(max * sizeof *passages);
    const char **headings = xmalloc(max * sizeof *headings), **anchors = xmalloc(max * sizeof *anchors);
    size_t n = cut_pieces(t, starts, headings, anchors);
    size_t found = xap_hits_find_passages(hits, t->text, starts, n, cfg->snippet_bytes, passages);
    xap_status rc = XAP_OK;
    size_t best_marks = 0, marks;
    char *snippet;
    for (size_t k = 0; rc == XAP_OK && best_marks == 0 && k < found; k++) {
        const xap_passage *p = &passages[k];
        rc = span_snippet(&snippet, &best_marks, hits, t, p->from, p->to, starts[p->piece],
                          starts[p->piece + 1], p->to - p->from, err);
        if (rc == XAP_OK && best_marks > 0)
            take_passage(hit, snippet, headings[p->piece], anchors[p->piece]);
        else if (rc == XAP_OK)
            free(snippet);
    }
    /* No window marked anything: words that only begin like the query's
     * ("card" for "car") filled them. The pieces they were in are tried
     * whole; every piece when the count cannot see every word. */
    bool exact = xap_hits_words_exact(hits);
    size_t tries = exact ? found : n;
    for (size_t k = 0; rc == XAP_OK && best_marks == 0 && k < tries; k++) {
        size_t i = exact ? passages[k].piece : k;
        rc = span_snippet(&snippet, &marks, hits, t, starts[i], starts[i + 1], starts[i],
                          starts[i + 1], cfg->snippet_bytes, err);
        if (rc == XAP_OK && marks > best_marks)
            best_marks = marks, take_passage(hit, snippet, headings[i], anchors[i]);
        else if (rc == XAP_OK)
            free(snippet);
    }
    free(starts), free(passages), free(headings), free(anchors);
    if (rc == XAP_OK && !hit->snippet_html)
        hit->snippet_html = xstrdup("");
    return rc;
}

/* The start of a text that does not match: about one snippet long, cut after
 * a word (no snippet: it would stem every word, looking for a match that is
 * not there). */
static void text_start(search_hit *hit, const stored_text *t, const search_config *cfg)
{
    size_t len = t->len;
    if (len > cfg->snippet_bytes) {
        size_t cut = cfg->snippet_bytes;
        while (cut > cfg->snippet_bytes / 2 && !isspace((unsigned char)t->text[cut]))
            cut--;
        if (!isspace((unsigned char)t->text[cut])) /* one long word: cut inside it */
            for (cut = cfg->snippet_bytes; cut > 0 && (t->text[cut] & 0xC0) == 0x80; cut--)
                ;
        len = cut;
    }
    bool cut = false; /* something but white space is left out */
    for (size_t i = len; i < t->len && !cut; i++)
        cut = !isspace((unsigned char)t->text[i]);
    while (len > 0 && isspace((unsigned char)t->text[len - 1]))
        len--;
    strbuf sb = {0};
    html_escape(&sb, t->text, len);
    hit->snippet_html = sb_take(&sb);
    mark_cuts(&hit->snippet_html, false, cut);
}

/* The snippet of a hit: the best passage; when the text does not match (the
 * title or a tag did), the summary, else the start of the text. */
static xap_status make_snippet(search_hit *hit, xap_hits *hits, json_t *data, const stored_text *t,
                               const search_config *cfg, xap_error *err)
{
    xap_status rc = best_passage(hit, hits, t, cfg, err);
    if (rc != XAP_OK || *hit->snippet_html)
        return rc;
    hit->matched &= ~(unsigned)XAP_FIELD_TEXT;
    free(hit->snippet_html);
    hit->snippet_html = NULL;
    const char *summary = json_string_value(json_object_get(data, "summary"));
    if (summary && *summary) {
        strbuf sb = {0};
        html_escape(&sb, summary, strlen(summary));
        hit->snippet_html = sb_take(&sb);
        return XAP_OK;
    }
    text_start(hit, t, cfg);
    return XAP_OK;
}

typedef struct term_collector {
    search_hit *hit;
    bool keep_terms; /* for explain; otherwise only the fields are wanted */
} term_collector;

static void collect_term(void *ctx, const char *term, unsigned fields, double weight)
{
    term_collector *c = ctx;
    search_hit *hit = c->hit;
    hit->matched |= fields;
    if (!c->keep_terms)
        return;
    hit->terms = xrealloc(hit->terms, (hit->n_terms + 1) * sizeof *hit->terms);
    hit->terms[hit->n_terms++] = (search_term){.term = xstrdup(term), .fields = fields, .weight = weight};
}

/* The title with its matches marked; only escaped when no word of it could
 * match (the usual case, and a snippet would stem each word to find that). */
static xap_status mark_title(search_hit *hit, xap_hits *hits, xap_error *err)
{
    size_t len = strlen(hit->title);
    if (xap_hits_may_match(hits, hit->title, len))
        return xap_hits_mark(&hit->title_html, hits, hit->title, len, MARK_OPEN, MARK_CLOSE, "", false, err);
    strbuf sb = {0};
    html_escape(&sb, hit->title, len);
    hit->title_html = sb_take(&sb);
    return XAP_OK;
}

static xap_status decode_hit(search_hit *hit, xap_hits *hits, size_t i, const search_config *cfg,
                             bool explain, xap_error *err)
{
    xap_hit raw;
    xap_status rc = xap_hits_get(&raw, hits, i, err);
    if (rc != XAP_OK)
        return rc;
    /* The JSON head, then the text (schema.h). */
    const char *sep = memchr(raw.data, DATA_TEXT_SEPARATOR, raw.data_len);
    size_t head_len = sep ? (size_t)(sep - raw.data) : raw.data_len;
    json_t *data = json_loadb(raw.data, head_len, 0, NULL);
    stored_text text = {.text = sep ? sep + 1 : "", .len = sep ? raw.data_len - head_len - 1 : 0,
                        .sections = json_object_get(data, "sections")};
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
    hit->categories = get_strings(data, "categories", &hit->n_categories);
    if (!hit->id)
        hit->id = xstrdup("");
    if (!hit->title)
        hit->title = xstrdup("");
    if (!hit->url) { /* the slug, not the public id: "-2" is ours, not the site's */
        const char *slug = json_string_value(json_object_get(data, "slug"));
        hit->url = permalink_expand(
            cfg->permalink, &(permalink_fields){.slug = slug ? slug : hit->id, .date = hit->date,
                                                .title = hit->title});
    }
    hit->matched = XAP_FIELD_TEXT; /* cleared again if the text has no match */
    rc = mark_title(hit, hits, err);
    if (rc == XAP_OK)
        rc = make_snippet(hit, hits, data, &text, cfg, err);
    term_collector collector = {.hit = hit, .keep_terms = explain};
    if (rc == XAP_OK)
        rc = xap_hits_matched(hits, i, explain, collect_term, &collector, err);
    if (rc == XAP_OK && explain)
        rc = xap_hits_bonuses(hits, i, &hit->adjacency_weight, &hit->name_weight, err);
    if (rc == XAP_OK && strstr(hit->title_html, MARK_OPEN)) /* also where terms are not listed */
        hit->matched |= XAP_FIELD_TITLE;
    if (rc == XAP_OK && hit->anchor && *hit->anchor) { /* "": the heading has no id */
        strbuf url = {0};
        sb_printf(&url, "%s#%s", hit->url, hit->anchor);
        free(hit->url);
        hit->url = sb_take(&url);
    }
    json_decref(data);
    return rc;
}

static void take_facets(search_results *out, xap_hits *hits)
{
    for (int f = 0; f < XAP_FACET_COUNT; f++) {
        size_t n = xap_hits_facet_size(hits, (xap_facet)f);
        out->facets[f] = xmalloc((n ? n : 1) * sizeof *out->facets[f]);
        out->n_facets[f] = n;
        for (size_t i = 0; i < n; i++) {
            const char *value;
            xap_hits_facet(hits, (xap_facet)f, i, &value, &out->facets[f][i].count);
            out->facets[f][i].value = xstrdup(value);
        }
    }
}

/* Everything a page of results needs from the hits. */
static xap_status decode_hits(search_results *out, xap_hits *hits, const search_config *cfg,
                              bool explain, xap_error *err)
{
    out->total_estimate = xap_hits_estimate(hits);
    out->total_known = xap_hits_exact(hits, &out->total_exact);
    out->relaxed = xap_hits_relaxed(hits);
    out->widened = xap_hits_widened(hits);
    const char *corrected = xap_hits_correction(hits, &out->corrected_total);
    out->corrected_query = corrected ? xstrdup(corrected) : NULL;
    out->showing_corrected = xap_hits_correction_shown(hits);
    const char *prefix = xap_hits_prefix(hits);
    out->prefix = prefix ? xstrdup(prefix) : NULL;
    take_facets(out, hits);
    size_t n = xap_hits_count(hits);
    out->hits = xcalloc(n, sizeof *out->hits);
    xap_status rc = XAP_OK;
    for (size_t i = 0; rc == XAP_OK && i < n; i++) {
        /* Explaining weighs each term with a search of its own: the first
         * EXPLAIN_MAX hits of a page only, or one request could cost seconds. */
        rc = decode_hit(&out->hits[i], hits, i, cfg, explain && i < EXPLAIN_MAX, err);
        out->n_hits = i + 1; /* so a partly decoded hit is freed too */
    }
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
        .filters = &req->filters,
        .partial = req->partial,
        .spelling = !req->no_correction,
        .facets = req->facets,
        .recency = req->no_recency ? 0 : cfg->recency,
    };
    xap_hits *hits;
    xap_status rc = xap_search(&hits, db, &q, err);
    if (rc != XAP_OK)
        return rc;
    rc = decode_hits(out, hits, cfg, req->explain, err);
    out->has_facets = req->facets;
    xap_hits_free(hits);
    if (rc != XAP_OK)
        search_results_free(out);
    return rc;
}

xap_status search_similar(search_results *out, xap_db *db, const char *id, unsigned n,
                          const search_config *cfg, xap_error *err)
{
    *out = (search_results){0};
    xap_hits *hits;
    xap_status rc = xap_similar(&hits, db, id, n, err);
    if (rc != XAP_OK)
        return rc;
    rc = decode_hits(out, hits, cfg, false, err);
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
        free(h->title_html);
        free(h->date);
        free(h->url);
        free(h->snippet_html);
        free(h->section);
        free(h->anchor);
        free_strings(h->authors, h->n_authors);
        free_strings(h->tags, h->n_tags);
        free_strings(h->categories, h->n_categories);
        for (size_t t = 0; t < h->n_terms; t++)
            free(h->terms[t].term);
        free(h->terms);
    }
    free(r->hits);
    for (int f = 0; f < XAP_FACET_COUNT; f++) {
        for (size_t i = 0; i < r->n_facets[f]; i++)
            free(r->facets[f][i].value);
        free(r->facets[f]);
    }
    free(r->corrected_query);
    free(r->prefix);
    *r = (search_results){0};
}
