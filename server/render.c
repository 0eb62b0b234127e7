/* render.c — a page of results as JSON (for the search box and scripts) or as
 * plain text (for curl). Every string that came from a post or a visitor is
 * escaped here, once, for the format it goes into. */
#include "render.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_WIDTH 78 /* columns for curl's output; 80 less a margin */

/* Outside strings JSON is plain ASCII punctuation, so these bytes can only be
 * inside strings, where the \u forms mean the same: the body can then never
 * close a <script> or open a tag if someone inlines it in a page. */
static char *escape_for_pages(const char *raw)
{
    strbuf sb = {0};
    for (const char *p = raw;;) {
        size_t plain = strcspn(p, "<>&\xE2"); /* copied in runs: most bytes are plain */
        sb_append(&sb, p, plain);
        p += plain;
        if (!*p)
            break;
        if (*p == '<')
            sb_puts(&sb, "\\u003c");
        else if (*p == '>')
            sb_puts(&sb, "\\u003e");
        else if (*p == '&')
            sb_puts(&sb, "\\u0026");
        else if (strncmp(p, "\xE2\x80\xA8", 3) == 0)
            sb_puts(&sb, "\\u2028"), p += 2;
        else if (strncmp(p, "\xE2\x80\xA9", 3) == 0)
            sb_puts(&sb, "\\u2029"), p += 2;
        else
            sb_putc(&sb, *p);
        p++;
    }
    return sb_take(&sb);
}

/* obj's text, with more members (",\"name\":value", already JSON) written
 * before its closing brace when more is not empty. */
static char *render_json_with(json_t *obj, const strbuf *more)
{
    char *raw = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!raw)
        return xstrdup("{}");
    if (more && more->len && raw[0] == '{') {
        strbuf whole = {0};
        size_t len = strlen(raw);
        sb_append(&whole, raw, len - 1);
        if (len > 2) /* "{}" takes no comma */
            sb_append(&whole, more->data, more->len);
        else
            sb_append(&whole, more->data + 1, more->len - 1);
        sb_putc(&whole, '}');
        free(raw);
        raw = sb_take(&whole);
    }
    char *out = escape_for_pages(raw);
    free(raw);
    return out;
}

char *render_json(json_t *obj) { return render_json_with(obj, NULL); }

static json_t *json_strings(char **items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

static const struct {
    unsigned bit;
    const char *name;
} field_names[] = {
    {XAP_FIELD_TITLE, "title"},     {XAP_FIELD_TEXT, "text"},       {XAP_FIELD_HEADING, "heading"},
    {XAP_FIELD_SUMMARY, "summary"}, {XAP_FIELD_TAG, "tags"},        {XAP_FIELD_AUTHOR, "author"},
    {XAP_FIELD_ALT, "image_alt"},
};

static json_t *json_fields(unsigned bits)
{
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (bits & field_names[i].bit)
            json_array_append_new(a, json_string(field_names[i].name));
    return a;
}

/* ---- Where a hit matched, when its title and snippet show nothing ----------
 * A post found by a tag, an author or a category has no mark in its title or
 * text: the visitor should still see why it is there. The index knows only the
 * fields a prefixed term matched in (tag:, author:, headings...); a plain word
 * found among a post's tags or categories is a copy of them in the text, so
 * those are recognised by the words themselves, with a little slack for
 * endings (workshop, workshops) and for a word still being typed. */

/* The next word of s (letters, digits, any non-ASCII byte) into word, folded;
 * the rest of s after it, or NULL when none is left. A word before ':' is a
 * field name (tag:events), not a word searched for: skipped. */
static const char *next_word(const char *s, char *word, size_t size)
{
    for (;;) {
        while (*s && !((unsigned char)*s >= 0x80 || (*s >= '0' && *s <= '9') ||
                       ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')))
            s++;
        if (!*s)
            return NULL;
        size_t n = 0;
        while ((unsigned char)s[n] >= 0x80 || (s[n] >= '0' && s[n] <= '9') ||
               ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z'))
            n++;
        const char *rest = s + n;
        if (*rest == ':' || n >= size) {
            s = rest;
            continue;
        }
        char *raw = xstrndup(s, n), *folded = fold_accents(raw);
        snprintf(word, size, "%s", folded);
        free(raw);
        free(folded);
        return rest;
    }
}

/* A typed word and a word of a tag alike: the same, one the start of the other
 * (being typed, 3 letters on), or the same but for an ending (2 letters). */
static bool words_alike(const char *typed, const char *word)
{
    size_t a = strlen(typed), b = strlen(word), common = 0;
    while (common < a && common < b && typed[common] == word[common])
        common++;
    if (common == a && (a >= 3 || a == b))
        return true;
    size_t shorter = a < b ? a : b;
    return common >= 4 && common + 2 >= shorter && (a > b ? a - b : b - a) <= 3;
}

static bool values_match(char **values, size_t n, const char *query)
{
    char typed[64], word[64];
    for (const char *q = next_word(query, typed, sizeof typed); q; q = next_word(q, typed, sizeof typed)) {
        bool op = strcmp(typed, "and") == 0 || strcmp(typed, "or") == 0 || strcmp(typed, "not") == 0;
        for (size_t i = 0; !op && i < n; i++)
            for (const char *v = next_word(values[i], word, sizeof word); v;
                 v = next_word(v, word, sizeof word))
                if (words_alike(typed, word))
                    return true;
    }
    return false;
}

const char *hits_query(const search_results *r, const page_view *v)
{
    return r->corrected_query && r->showing_corrected ? r->corrected_query : v->query;
}

size_t matched_in(const search_hit *h, const char *words, const char *names[MATCHED_IN_MAX])
{
    size_t n = 0;
    if (strstr(h->title_html, "<mark>") || strstr(h->snippet_html, "<mark>"))
        return 0;
    if ((h->matched & XAP_FIELD_TAG) || values_match(h->tags, h->n_tags, words))
        names[n++] = "tags";
    if ((h->matched & XAP_FIELD_AUTHOR) || values_match(h->authors, h->n_authors, words))
        names[n++] = "author";
    if (values_match(h->categories, h->n_categories, words))
        names[n++] = "categories";
    if (h->matched & XAP_FIELD_HEADING)
        names[n++] = "heading";
    if (h->matched & XAP_FIELD_SUMMARY)
        names[n++] = "summary";
    if (h->matched & XAP_FIELD_ALT)
        names[n++] = "image_alt";
    return n;
}

static void date_words(strbuf *out, const char *ymd)
{
    sb_printf(out, "%.4s-%.2s-%.2s", ymd, ymd + 4, ymd + 6);
}

typedef struct quotes {
    const char *open, *close;
} quotes;

static void filter_words(strbuf *out, const char *one, const char *many, const char *const *values,
                         size_t n, bool *first, quotes qs)
{
    if (!n)
        return;
    sb_puts(out, *first ? "" : ", ");
    *first = false;
    sb_printf(out, "%s ", n == 1 ? one : many);
    for (size_t i = 0; i < n; i++)
        sb_printf(out, "%s%s%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", qs.open, values[i], qs.close);
}

void describe_request(strbuf *out, const page_view *v, const char *open, const char *close)
{
    bool first = true;
    quotes qs = {open, close};
    if (v->query[strspn(v->query, " \t\r\n")]) {
        /* As typed: a phrase's own quotes are quotes enough. */
        bool quoted = !strchr(v->query, '"');
        sb_printf(out, "%s%s%s", quoted ? open : "", v->query, quoted ? close : "");
        first = false;
    }
    const xap_filters *f = &v->req->filters;
    filter_words(out, "tag", "tags", f->tags, f->n_tags, &first, qs);
    filter_words(out, "author", "authors", f->authors, f->n_authors, &first, qs);
    filter_words(out, "category", "categories", f->categories, f->n_categories, &first, qs);
    if (f->from[0] || f->to[0]) {
        sb_puts(out, first ? "" : ", ");
        if (f->from[0])
            sb_puts(out, "from "), date_words(out, f->from);
        if (f->to[0])
            sb_puts(out, f->from[0] ? " to " : "to "), date_words(out, f->to);
        first = false;
    }
    if (first) /* no words, no filter: the whole archive, newest first */
        sb_puts(out, "all posts");
}

char *render_text_error(const char *code, const char *message)
{
    strbuf sb = {0};
    sb_printf(&sb, "error: %s (%s)\n", message, code);
    char *clean = utf8_clean(sb.data, sb.len, NULL);
    sb_free(&sb);
    return clean;
}

static json_t *json_explain(const search_hit *h)
{
    json_t *terms = json_array();
    for (size_t i = 0; i < h->n_terms; i++)
        json_array_append_new(terms, json_pack("{s:s, s:o, s:f}", "term", h->terms[i].term,
                                               "fields", json_fields(h->terms[i].fields),
                                               "weight", h->terms[i].weight));
    return terms;
}

static json_t *json_hit(const search_hit *h, bool explain, const char *words)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(h->id));
    json_object_set_new(o, "url", json_string(h->url));
    json_object_set_new(o, "title", json_string(h->title));
    json_object_set_new(o, "title_html", json_string(h->title_html));
    json_object_set_new(o, "date", h->date ? json_string(h->date) : json_null());
    json_object_set_new(o, "author", json_strings(h->authors, h->n_authors));
    json_object_set_new(o, "tags", json_strings(h->tags, h->n_tags));
    json_object_set_new(o, "categories", json_strings(h->categories, h->n_categories));
    json_object_set_new(o, "snippet_html", json_string(h->snippet_html));
    if (h->section)
        json_object_set_new(o, "section",
                            json_pack("{s:s, s:s}", "heading", h->section, "anchor", h->anchor));
    json_object_set_new(o, "matched", json_fields(h->matched));
    const char *names[MATCHED_IN_MAX];
    size_t n_names = words ? matched_in(h, words, names) : 0;
    if (n_names) {
        json_t *in = json_array();
        for (size_t i = 0; i < n_names; i++)
            json_array_append_new(in, json_string(names[i]));
        json_object_set_new(o, "matched_in", in);
    }
    json_object_set_new(o, "score", json_real(h->score));
    if (explain) {
        json_object_set_new(o, "explain", json_explain(h));
        json_object_set_new(o, "bonus", json_pack("{s:f, s:f}", "adjacency", h->adjacency_weight,
                                                  "name", h->name_weight));
    }
    return o;
}

/* One facet as a member of the answer's JSON:
 * ,"key":[{"value":"name","count":N},...]. Each name is escaped by jansson
 * (json_dumpb); the brackets around it are fixed text. A jansson object per
 * name cost some 7,000 instructions (its hashtable, the dump's loop check, the
 * frees): 0.8 M of a faceted query's 1.4 M extra, for about 100 names. */
static void facet_member(strbuf *sb, const char *key, const search_facet *f, size_t n)
{
    sb_printf(sb, ",\"%s\":[", key);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        json_t *value = json_string(f[i].value);
        if (!value) /* not UTF-8: left out, as jansson's own objects left it out */
            continue;
        char quoted[512];
        size_t need = json_dumpb(value, quoted, sizeof quoted, JSON_ENCODE_ANY);
        char *long_name = need > sizeof quoted ? json_dumps(value, JSON_ENCODE_ANY) : NULL;
        json_decref(value);
        if (need == 0 || (need > sizeof quoted && !long_name))
            continue;
        sb_puts(sb, first ? "{\"value\":" : ",{\"value\":");
        if (long_name)
            sb_puts(sb, long_name);
        else
            sb_append(sb, quoted, need);
        sb_puts(sb, ",\"count\":");
        sb_put_unsigned(sb, f[i].count);
        sb_putc(sb, '}');
        free(long_name);
        first = false;
    }
    sb_putc(sb, ']');
}

/* The "facets" member: tags, authors, years, categories, in that order. */
static void facets_member(strbuf *sb, const search_results *r)
{
    strbuf lists = {0};
    facet_member(&lists, "tags", r->facets[XAP_FACET_TAG], r->n_facets[XAP_FACET_TAG]);
    facet_member(&lists, "authors", r->facets[XAP_FACET_AUTHOR], r->n_facets[XAP_FACET_AUTHOR]);
    facet_member(&lists, "years", r->facets[XAP_FACET_YEAR], r->n_facets[XAP_FACET_YEAR]);
    facet_member(&lists, "categories", r->facets[XAP_FACET_CATEGORY], r->n_facets[XAP_FACET_CATEGORY]);
    sb_puts(sb, ",\"facets\":{");
    sb_append(sb, lists.data + 1, lists.len - 1); /* the first list takes no comma */
    sb_putc(sb, '}');
    sb_free(&lists);
}

static json_t *json_hits(const search_results *r, bool explain, const char *words)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < r->n_hits; i++)
        json_array_append_new(hits, json_hit(&r->hits[i], explain, words));
    return hits;
}

static char *render_results_json(const search_results *r, const page_view *v)
{
    const char *query = v->query;
    unsigned page = v->page, per_page = v->per_page;
    bool explain = v->explain;
    json_t *o = json_object();
    json_object_set_new(o, "query", json_string(query));
    if (v->n_missing_shards) { /* an answer from part of the index says so first */
        json_t *missing = json_array();
        for (size_t i = 0; i < v->n_missing_shards; i++)
            json_array_append_new(missing, json_string(v->missing_shards[i]));
        json_object_set_new(o, "partial", json_true());
        json_object_set_new(o, "missing_shards", missing);
    }
    json_object_set_new(o, "total_estimate", json_integer((json_int_t)r->total_estimate));
    if (r->total_known)
        json_object_set_new(o, "total_exact", json_integer((json_int_t)r->total_exact));
    json_object_set_new(o, "page", json_integer(page));
    json_object_set_new(o, "per_page", json_integer(per_page));
    json_object_set_new(o, "operators_ignored", json_boolean(r->relaxed));
    json_object_set_new(o, "any_word", json_boolean(r->widened));
    if (r->corrected_query) {
        json_object_set_new(o, "corrected_query", json_string(r->corrected_query));
        json_object_set_new(o, "corrected_total", json_integer((json_int_t)r->corrected_total));
        json_object_set_new(o, "showing_corrected", json_boolean(r->showing_corrected));
    }
    if (r->prefix)
        json_object_set_new(o, "prefix", json_string(r->prefix));
    json_object_set_new(o, "results", json_hits(r, explain, hits_query(r, v)));
    if (explain)
        json_object_set_new(o, "explain_note",
                            json_string("each term's weight is what that term alone gives the post "
                                        "(BM25); bonus.adjacency is what the words typed together "
                                        "gain where they stand together, bonus.name what a post "
                                        "by the author the query names gains; a hit's score also "
                                        "holds the recency prior. "
                                        "Xapian 1.4 does not report how one combined match splits."));
    strbuf facets = {0};
    if (r->has_facets)
        facets_member(&facets, r);
    char *text = render_json_with(o, &facets);
    sb_free(&facets);
    return text;
}

char *render_similar(const search_results *r, const char *id)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "results", json_hits(r, false, NULL));
    return render_json(o);
}

char *render_suggestions(const char *query, json_t *completions, const search_results *titles)
{
    json_t *o = json_object(), *posts = json_array();
    for (size_t i = 0; i < titles->n_hits; i++)
        json_array_append_new(posts, json_pack("{s:s, s:s, s:s%}", "id", titles->hits[i].id,
                                               "title", titles->hits[i].title, "url",
                                               titles->hits[i].url,
                                               strcspn(titles->hits[i].url, "#")));
    json_object_set_new(o, "query", json_string(query));
    json_object_set_new(o, "completions", completions);
    json_object_set_new(o, "posts", posts);
    return render_json(o);
}

/* The snippet for a terminal: markers become *asterisks*, entities are decoded. */
static void snippet_as_text(strbuf *out, const char *html)
{
    static const struct {
        const char *from, *to;
    } swaps[] = {{"<mark>", "*"},  {"</mark>", "*"}, {"&lt;", "<"}, {"&gt;", ">"},
                 {"&quot;", "\""}, {"&#39;", "'"},   {"&amp;", "&"}}; /* all html_escape() writes */
    for (const char *p = html; *p;) {
        bool swapped = false;
        for (size_t i = 0; i < sizeof swaps / sizeof swaps[0]; i++) {
            size_t n = strlen(swaps[i].from);
            if (strncmp(p, swaps[i].from, n) == 0) {
                sb_puts(out, swaps[i].to);
                p += n;
                swapped = true;
                break;
            }
        }
        if (!swapped)
            sb_putc(out, *p++);
    }
}

/* Append text word-wrapped to TEXT_WIDTH columns, the first line indented by
 * indent and the rest by hang (under the first line's text, not its number).
 * Columns are counted in code points, which is right for the Latin scripts of
 * the blog. */
static void wrap(strbuf *out, const char *text, const char *indent, const char *hang)
{
    size_t col = 0, indent_w = strlen(indent);
    bool first_line = true;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        const char *w = p;
        size_t width = 0;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t') {
            if (((unsigned char)*p & 0xC0) != 0x80)
                width++;
            p++;
        }
        if (p == w)
            break;
        if (col > 0 && col + 1 + width > TEXT_WIDTH) {
            sb_putc(out, '\n');
            col = 0;
            if (first_line)
                indent = hang, indent_w = strlen(hang), first_line = false;
        }
        if (col == 0) {
            sb_puts(out, indent);
            col = indent_w;
        } else {
            sb_putc(out, ' ');
            col++;
        }
        sb_append(out, w, (size_t)(p - w));
        col += width;
    }
    if (col > 0)
        sb_putc(out, '\n');
}

static void join_list(strbuf *out, char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_puts(out, ", ");
        sb_puts(out, items[i]);
    }
}

/* Hit number n: title; date (none when undated), authors, categories and tags
 * by " | "; URL; where it matched when nothing below is marked; snippet. */
static void hit_as_text(strbuf *sb, const search_hit *h, size_t n, const char *words)
{
    strbuf line = {0}, snippet = {0};
    sb_printf(&line, "%zu. %s", n, h->title);
    char hang[24];
    snprintf(hang, sizeof hang, "%*s", (int)(strcspn(line.data, ".") + 2), "");
    sb_putc(sb, '\n');
    wrap(sb, line.data, "", hang);
    sb_free(&line);
    if (h->date)
        sb_puts(&line, h->date);
    char **const lists[] = {h->authors, h->categories, h->tags};
    const size_t sizes[] = {h->n_authors, h->n_categories, h->n_tags};
    for (size_t l = 0; l < 3; l++) {
        if (!sizes[l])
            continue;
        if (line.len)
            sb_puts(&line, " | ");
        join_list(&line, lists[l], sizes[l]);
    }
    if (line.data)
        wrap(sb, line.data, "   ", "   ");
    sb_printf(sb, "   %s\n", h->url);
    const char *names[MATCHED_IN_MAX];
    size_t n_names = matched_in(h, words, names);
    for (size_t i = 0; i < n_names; i++)
        sb_printf(sb, "%s%s%s", i ? ", " : "   Matched in: ", names[i], i + 1 == n_names ? "\n" : "");
    snippet_as_text(&snippet, h->snippet_html);
    if (snippet.data)
        wrap(sb, snippet.data, "   ", "   ");
    sb_free(&line);
    sb_free(&snippet);
}

static char *render_results_text(const search_results *r, const page_view *v)
{
    unsigned page = v->page, per_page = v->per_page;
    strbuf sb = {0};
    for (size_t i = 0; i < v->n_missing_shards; i++)
        sb_printf(&sb, "Partial results: shard %s is not answering.\n", v->missing_shards[i]);
    sb_printf(&sb, "%lu result%s for ", r->total_estimate, r->total_estimate == 1 ? "" : "s");
    describe_request(&sb, v, "\"", "\"");
    if (r->total_estimate > per_page)
        sb_printf(&sb, ", page %u", page);
    sb_puts(&sb, r->relaxed ? " (searched as plain words)\n" : "\n");
    if (r->widened)
        sb_puts(&sb, "No post has every word; these have some of them.\n");
    if (r->corrected_query && r->showing_corrected)
        sb_printf(&sb, "Nothing matched; showing results for \"%s\" instead.\n", r->corrected_query);
    else if (r->corrected_query)
        sb_printf(&sb, "Did you mean \"%s\"? (%lu result%s)\n", r->corrected_query,
                  r->corrected_total, r->corrected_total == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_hits; i++)
        hit_as_text(&sb, &r->hits[i], (size_t)(page - 1) * per_page + i + 1, hits_query(r, v));
    /* Nothing from a post or the query may drive the terminal: drop controls. */
    char *clean = utf8_clean(sb.data, sb.len, NULL);
    sb_free(&sb);
    return clean;
}

char *render_results(render_format format, const search_results *r, const page_view *v)
{
    switch (format) {
    case FORMAT_TEXT: return render_results_text(r, v);
    case FORMAT_HTML: return render_html_page(r, v);
    case FORMAT_FRAGMENT: return render_html_fragment(r, v);
    case FORMAT_ATOM: return render_atom(r, v);
    case FORMAT_JSON: break;
    }
    return render_results_json(r, v);
}
