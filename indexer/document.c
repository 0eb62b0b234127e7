/* document.c — from post to Xapian document: terms, values and stored data. */
#include "document.h"

#include "schema.h"
#include "text.h"

#include <ctype.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *string_array(char **items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

static void set_optional(json_t *obj, const char *key, const char *value)
{
    if (value)
        json_object_set_new(obj, key, json_string(value));
}

/* Cut text to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* The stored data: what the server needs to render a hit without touching the
 * source file. */
static char *document_data(const post *p, const char *public_id, size_t *data_len)
{
    json_t *d = json_object();
    json_object_set_new(d, "id", json_string(public_id));
    json_object_set_new(d, "slug", json_string(p->slug)); /* for the permalink */
    json_object_set_new(d, "title", json_string(p->title));
    json_object_set_new(d, "date", p->date ? json_string(p->date) : json_null());
    json_object_set_new(d, "authors", string_array(p->authors, p->n_authors));
    json_object_set_new(d, "tags", string_array(p->tags, p->n_tags));
    json_object_set_new(d, "categories", string_array(p->categories, p->n_categories));
    set_optional(d, "url", p->url);
    set_optional(d, "summary", p->summary);
    set_optional(d, "image", p->image_src);
    set_optional(d, "image_alt", p->image_alt);
    size_t len = utf8_cut(p->text, strlen(p->text), STORED_TEXT_MAX);
    /* Sections let the server show the part of a long post that matched. */
    json_object_set_new(d, "sections", post_sections_to_json(p, len));
    char *header = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    strbuf data = {0};
    sb_append(&data, header, strlen(header));
    sb_putc(&data, DATA_TEXT_SEPARATOR);
    sb_append(&data, p->text, len);
    free(header);
    *data_len = data.len;
    return sb_take(&data);
}

static xap_status index_text(xap_doc *doc, const char *text, unsigned wdf, const char *prefix,
                             xap_error *err)
{
    if (!text || !*text)
        return XAP_OK;
    return xap_doc_index_text(doc, text, strlen(text), wdf, prefix, err);
}

/* Index text under a prefix and, unprefixed, so plain queries find it too. */
static xap_status index_field(xap_doc *doc, const char *text, unsigned wdf, const char *prefix,
                              xap_error *err)
{
    xap_status rc = index_text(doc, text, wdf, prefix, err);
    return rc == XAP_OK ? index_text(doc, text, wdf, "", err) : rc;
}

static char *lower_copy(const char *s)
{
    char *c = xstrdup(s);
    for (char *p = c; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

typedef struct synonym_ctx {
    xap_doc *doc;
    xap_error *err;
    xap_status rc;
} synonym_ctx;

static void add_synonym(void *ctx, const char *words)
{
    synonym_ctx *s = ctx;
    if (s->rc == XAP_OK)
        s->rc = index_text(s->doc, words, WDF_BODY, "", s->err);
}

/* Xapian's term generator leaves out a word longer than this many bytes
 * (its default max_word_length): no term would answer a synonym for it. */
#define MAX_WORD_BYTES 64

/* Each word of text with an accent gets its accent-free form as a synonym, once
 * a run: a search for "zurich" then finds "Zürich", and the other way round,
 * and snippets still mark the word as written. Words of East Asian scripts are
 * left out: they have no accents, and a sentence of them is one unbroken run
 * here, whose synonym key past Xapian's 245 bytes had stopped the whole build. */
static xap_status add_accent_synonyms(document_context *ctx, const char *text, xap_error *err)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        while (*p && *p < 0x80 && !isalnum(*p))
            p++;
        const unsigned char *start = p;
        bool accented = false;
        while (*p && (*p >= 0x80 || isalnum(*p)))
            accented |= *p++ >= 0x80;
        if (!accented || (size_t)(p - start) > MAX_WORD_BYTES)
            continue;
        char *word = xstrndup((const char *)start, (size_t)(p - start));
        if (has_east_asian(word)) {
            free(word);
            continue;
        }
        char *folded_case = casefold(word), *plain = fold_accents(word);
        xap_status rc = XAP_OK;
        if (strcmp(folded_case, plain) != 0 && !map_get(&ctx->accents_done, folded_case)) {
            map_put(&ctx->accents_done, folded_case, ctx);
            rc = xap_writer_add_accent_synonym(ctx->w, folded_case, plain, err);
        }
        free(word);
        free(folded_case);
        free(plain);
        if (rc != XAP_OK)
            return rc;
    }
    return XAP_OK;
}

static xap_status add_terms(xap_doc *doc, const post *p, const synonyms *syn, xap_error *err)
{
    xap_status rc = index_field(doc, p->title, WDF_TITLE, PREFIX_TITLE, err);
    for (size_t i = 0; rc == XAP_OK && i < p->n_authors; i++) {
        char *name = lower_copy(p->authors[i]);
        /* unprefixed too: a visitor types a name as a word, not author:Name */
        rc = index_field(doc, p->authors[i], WDF_AUTHOR, PREFIX_AUTHOR, err);
        if (rc == XAP_OK)
            rc = xap_doc_add_boolean(doc, PREFIX_AUTHOR_B, name, err);
        free(name);
    }
    for (size_t i = 0; rc == XAP_OK && i < p->n_tags; i++) {
        rc = xap_doc_add_boolean(doc, PREFIX_TAG, p->tags[i], err);
        if (rc == XAP_OK) /* "open-data" is also the words "open data" */
            rc = index_text(doc, p->tags[i], WDF_TAG, "", err);
    }
    for (size_t i = 0; rc == XAP_OK && i < p->n_categories; i++) {
        char *folded = casefold(p->categories[i]); /* category:, category= fold too */
        rc = xap_doc_add_boolean(doc, PREFIX_CATEGORY, folded, err);
        free(folded);
        if (rc == XAP_OK) /* weighed like a tag */
            rc = index_text(doc, p->categories[i], WDF_TAG, "", err);
    }
    if (rc == XAP_OK)
        rc = index_field(doc, p->summary, WDF_SUMMARY, PREFIX_SUMMARY, err);
    if (rc == XAP_OK)
        rc = index_text(doc, p->headings, WDF_HEADING, PREFIX_HEADING, err);
    if (rc == XAP_OK)
        rc = index_field(doc, p->image_alt, WDF_ALT, PREFIX_ALT, err);
    if (rc == XAP_OK)
        rc = index_field(doc, p->alt_text, WDF_ALT, PREFIX_ALT, err);
    if (rc == XAP_OK) /* headings are part of the text, so they count there too */
        rc = index_text(doc, p->text, WDF_BODY, "", err);
    if (rc == XAP_OK && syn) {
        synonym_ctx ctx = {.doc = doc, .err = err, .rc = XAP_OK};
        synonyms_apply(syn, p->title, add_synonym, &ctx);
        synonyms_apply(syn, p->text, add_synonym, &ctx);
        rc = ctx.rc;
    }
    return rc;
}

static char *join(char **items, size_t n)
{
    strbuf sb = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_puts(&sb, FACET_SEPARATOR);
        sb_puts(&sb, items[i]);
    }
    return sb_take(&sb);
}

/* Days from 1970-01-01 to "YYYY-MM-DD" (a civil-calendar count, no time zone). */
static double days_since_epoch(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    /* Shift the year to start in March, so the leap day comes last. */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (double)era * 146097 + doe - 719468;
}

/* The date as terms and values: year and month terms, the year as a plain word
 * (see schema.h), SLOT_DATE, SLOT_YEAR and SLOT_DAYS. An undated post has none of them, so
 * date filters, ranges and the year facet leave it out. */
static xap_status add_date(xap_doc *doc, const char *date, xap_error *err)
{
    if (!date)
        return XAP_OK;
    char ymd[9], year[5], month[7];
    snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", date, date + 5, date + 8);
    snprintf(year, sizeof year, "%.4s", ymd);
    snprintf(month, sizeof month, "%.6s", ymd);
    xap_status rc = xap_doc_add_boolean(doc, PREFIX_YEAR, year, err);
    if (rc == XAP_OK)
        rc = xap_doc_add_boolean(doc, PREFIX_MONTH, month, err);
    if (rc == XAP_OK)
        rc = xap_doc_add_boolean(doc, "", year, err);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_DATE, ymd, strlen(ymd), err);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_YEAR, year, strlen(year), err);
    if (rc == XAP_OK)
        rc = xap_doc_set_number(doc, SLOT_DAYS, days_since_epoch(date), err);
    return rc;
}

static xap_status add_values(xap_doc *doc, const post *p, const post_source *src, xap_error *err)
{
    char size[32];
    snprintf(size, sizeof size, "%lld", src->size);
    /* Facets are counted from values: far cheaper to read per match than terms. */
    char *tags = join(p->tags, p->n_tags), *authors = join(p->authors, p->n_authors);
    char *categories = join(p->categories, p->n_categories);
    const struct {
        unsigned slot;
        const char *value;
    } values[] = {
        {SLOT_HASH, src->hash},   {SLOT_PATH, src->rel_path}, {SLOT_SIZE, size},
        {SLOT_MTIME, src->mtime}, {SLOT_ID, src->public_id},   {SLOT_TAGS, tags},
        {SLOT_AUTHORS, authors},  {SLOT_CATEGORIES, categories},
    };
    xap_status rc = add_date(doc, p->date, err);
    if (rc == XAP_OK)
        rc = xap_doc_add_boolean(doc, PREFIX_PUBLIC, src->public_id, err);
    for (size_t i = 0; rc == XAP_OK && i < sizeof values / sizeof values[0]; i++)
        rc = xap_doc_set_value(doc, values[i].slot, values[i].value, strlen(values[i].value), err);
    free(tags);
    free(authors);
    free(categories);
    return rc;
}

xap_status document_write(document_context *ctx, const post *p, const post_source *src,
                          xap_error *err)
{
    xap_doc *doc;
    xap_status rc = xap_doc_new(&doc, ctx->w, err);
    if (rc != XAP_OK)
        return rc;
    size_t data_len;
    char *data = document_data(p, src->public_id, &data_len);
    rc = add_terms(doc, p, ctx->syn, err);
    if (rc == XAP_OK)
        rc = add_values(doc, p, src, err);
    if (rc == XAP_OK)
        rc = add_accent_synonyms(ctx, p->title, err);
    if (rc == XAP_OK)
        rc = add_accent_synonyms(ctx, p->text, err);
    if (rc == XAP_OK)
        rc = xap_doc_set_data(doc, data, data_len, err);
    if (rc == XAP_OK)
        rc = xap_writer_put(ctx->w, src->rel_path, doc, err);
    free(data);
    xap_doc_free(doc);
    return rc;
}
