/* source_wxr.c — a WordPress export (WXR 1.1/1.2, Tools -> Export or `wp export`):
 * one XML file whose <item>s are the posts. An item's id is "wp:" and its
 * wp:post_id; its `where` "PATH@OFFSET+LENGTH", the item's own bytes in the file;
 * its stamp the length and wp:post_modified_gmt, and the listing knows its hash.
 *
 * The listing is one byte-level pass (wxr_scan.c's way of reading markup: CDATA
 * sections, comments and quoted attributes are stepped over), not libxml2's
 * reader: the reader's byte counts are those of its input buffer, and what is
 * needed here is exact item boundaries. The pass also proves the file whole: an
 * item never closed, an unterminated CDATA section or a missing </rss> stop the
 * listing with the byte offset and item number, and the run publishes nothing.
 * Each item is then parsed alone, in a worker, by libxml2 (one small tree),
 * wrapped in the export's own <rss ...> start tag so its namespaces resolve.
 *
 * Safety: a DOCTYPE anywhere is refused (WordPress writes none, and it is the
 * only way to declare entities), so an entity reference in an item is an
 * undeclared entity and the item is refused; libxml2 is never given
 * XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID or HUGE; the external entity
 * loader refuses every URL (NONET alone lets file:// through); and text is
 * taken only from text and CDATA nodes, never by expanding a reference. */
#include "source.h"

#include "hash.h"
#include "index.h"
#include "text.h"
#include "wordpress.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID_KIND "wp:"
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

typedef struct wxr_source {
    source base;
    char *path;
    char *rss_tag;   /* the export's "<rss ...>" start tag, namespaces and all */
    strmap authors;  /* wp:author_login -> wp:author_display_name (char *) */
    strmap images;   /* an attachment's wp:post_id -> its "URL\nalt text" (char *) */
    bool pages;      /* --wordpress-pages: pages are posts too */
    char encoding[40]; /* the XML declaration's, for items parsed without it */
} wxr_source;

/* ---- Reading markup byte by byte --------------------------------------------- */

typedef struct tag {
    size_t start, end; /* "<" .. after ">" */
    const char *name;  /* after "<", so "/item" for an end tag */
    size_t name_len;
} tag;

typedef enum scan_rc { SCAN_TAG, SCAN_EOF, SCAN_BAD } scan_rc;

static bool at(const char *b, size_t n, size_t i, const char *s)
{
    size_t k = strlen(s);
    return i + k <= n && memcmp(b + i, s, k) == 0;
}

/* Index of s at or after i, or n. */
static size_t find(const char *b, size_t n, size_t i, const char *s)
{
    const char *p = i < n ? memmem(b + i, n - i, s, strlen(s)) : NULL;
    return p ? (size_t)(p - b) : n;
}

/* The next tag at or after *i (CDATA, comments and <?...?> stepped over). */
static scan_rc next_tag(const char *b, size_t n, size_t *i, tag *t)
{
    static const char *const skips[][2] = {{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}};
    for (;;) {
        const char *lt = *i < n ? memchr(b + *i, '<', n - *i) : NULL;
        if (!lt)
            return SCAN_EOF;
        *i = (size_t)(lt - b);
        size_t k = 0;
        while (k < 3 && !at(b, n, *i, skips[k][0]))
            k++;
        if (k == 3)
            break;
        size_t close = find(b, n, *i + strlen(skips[k][0]), skips[k][1]);
        if (close == n)
            return SCAN_BAD; /* *i: where the unterminated section starts */
        *i = close + strlen(skips[k][1]);
    }
    t->start = *i;
    t->name = b + *i + 1;
    size_t j = *i + 1;
    if (j < n && b[j] == '/')
        j++;
    while (j < n && !strchr(" \t\r\n/>", b[j]))
        j++;
    t->name_len = (size_t)(b + j - t->name);
    for (char quote = 0; j < n && (quote || b[j] != '>'); j++)
        if (quote ? b[j] == quote : (b[j] == '"' || b[j] == '\''))
            quote = quote ? 0 : b[j];
    if (j == n)
        return SCAN_BAD;
    t->end = j + 1;
    *i = t->end;
    return SCAN_TAG;
}

static bool is_tag(const tag *t, const char *name)
{
    return t->name_len == strlen(name) && memcmp(t->name, name, t->name_len) == 0;
}

static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s without the white space around it, in place. An export that was
 * pretty-printed writes "<wp:post_type>\n<![CDATA[ post ]]>\n</wp:post_type>";
 * WordPress's own values never begin or end with white space that means
 * anything (a title's is not shown), and a type of " post " must be "post". */
static char *xml_trimmed(char *s)
{
    size_t start = 0, end = strlen(s);
    while (start < end && is_xml_space(s[start]))
        start++;
    while (end > start && is_xml_space(s[end - 1]))
        end--;
    memmove(s, s + start, end - start);
    s[end - start] = 0;
    return s;
}

/* Where the value of the element t starts: past the white space of a
 * pretty-printed export. */
static size_t value_start(const char *b, size_t n, const tag *t)
{
    size_t i = t->end;
    while (i < n && is_xml_space(b[i]))
        i++;
    return i;
}

/* The text right after t, trimmed: a CDATA section's contents, or text up to "<". */
static char *text_after(const char *b, size_t n, const tag *t)
{
    size_t i = value_start(b, n, t);
    if (at(b, n, i, "<![CDATA[")) {
        i += 9;
        return xml_trimmed(xstrndup(b + i, find(b, n, i, "]]>") - i));
    }
    const char *lt = memchr(b + i, '<', n - i);
    return xml_trimmed(xstrndup(b + i, lt ? (size_t)(lt - (b + i)) : n - i));
}

/* ---- The export as a whole: header and listing -------------------------------- */

/* The file mapped (NULL and *why on failure; an empty file maps to ""). */
static char *map_file(const char *path, size_t *len, char *why, size_t why_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    bool usable = fd >= 0 && fstat(fd, &st) == 0;
    if (!usable || !S_ISREG(st.st_mode)) {
        snprintf(why, why_len, "%s: cannot read WordPress export: %s", path,
                 usable ? "not a file" : strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    *len = (size_t)st.st_size;
    char *b = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : (char *)"";
    close(fd);
    if (b == MAP_FAILED) {
        snprintf(why, why_len, "%s: cannot map: %s", path, strerror(errno));
        return NULL;
    }
    return b;
}

static void unmap_file(char *b, size_t len)
{
    if (len)
        munmap(b, len);
}

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url, (void)id, (void)ctxt;
    return NULL; /* no external entity, DTD or schema is ever loaded */
}

/* Text of n's text and CDATA children only: an entity reference is never expanded. */
static char *node_text(const xmlNode *n)
{
    strbuf sb = {0};
    sb_puts(&sb, "");
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            sb_puts(&sb, (const char *)c->content);
    return xml_trimmed(sb_take(&sb));
}

/* "prefix:name" of an element, as WordPress writes it. */
static bool named(const xmlNode *n, const char *qname)
{
    const char *colon = strchr(qname, ':');
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (!colon)
        return !n->ns && strcmp((const char *)n->name, qname) == 0;
    return n->ns && n->ns->prefix &&
           strncmp((const char *)n->ns->prefix, qname, (size_t)(colon - qname)) == 0 &&
           n->ns->prefix[colon - qname] == 0 && strcmp((const char *)n->name, colon + 1) == 0;
}

/* The first error of a parse: libxml2's last one is often only its consequence. */
typedef struct first_error {
    bool seen;
    int line;
    char message[200];
} first_error;

static void keep_first_error(void *ctx, xmlErrorPtr e)
{
    first_error *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->seen || !e || e->level < XML_ERR_ERROR)
        return;
    f->seen = true;
    f->line = e->line;
    snprintf(f->message, sizeof f->message, "%.*s",
             e->message ? (int)strcspn(e->message, "\n") : 0, e->message ? e->message : "");
}

/* buf parsed (never with entity substitution or a DTD); NULL and why, naming what,
 * and the line less line_skew, when it is not well-formed. */
static xmlDoc *parse_xml(const char *buf, size_t len, const char *encoding, const char *what,
                         int line_skew, char *why, size_t why_len)
{
    first_error first = {0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt) {
        ctxt->_private = &first;
        ctxt->sax->serror = keep_first_error;
    }
    xmlDoc *doc = ctxt ? xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, encoding, XML_OPTIONS) : NULL;
    if (!doc)
        snprintf(why, why_len, "%s: not well-formed XML (line %d): %s", what,
                 first.line - line_skew, first.seen ? first.message : "out of memory");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

/* The channel's <wp:author> table, from the header (everything before the first item). */
static bool read_authors(wxr_source *w, const char *b, size_t head, bool whole, char *why,
                         size_t why_len)
{
    strbuf x = {0};
    sb_append(&x, b, head);
    if (!whole)
        sb_puts(&x, "</channel></rss>");
    xmlDoc *doc = parse_xml(x.data, x.len, w->encoding, w->path, 0, why, why_len);
    sb_free(&x);
    if (!doc)
        return false;
    const xmlNode *rss = xmlDocGetRootElement(doc), *ch = rss ? rss->children : NULL;
    while (ch && !named(ch, "channel"))
        ch = ch->next;
    for (const xmlNode *a = ch ? ch->children : NULL; a; a = a->next) {
        if (!named(a, "wp:author"))
            continue;
        char *login = NULL, *display = NULL;
        for (const xmlNode *f = a->children; f; f = f->next)
            if (named(f, "wp:author_login") && !login)
                login = node_text(f);
            else if (named(f, "wp:author_display_name") && !display)
                display = node_text(f);
        if (login && *login && display && *display && !map_get(&w->authors, login))
            map_put(&w->authors, login, display), display = NULL;
        free(login), free(display);
    }
    xmlFreeDoc(doc);
    return true;
}

/* The encoding="..." of the XML declaration at the start of b, else UTF-8 (an
 * item is parsed without the declaration, so it is passed on). */
static void read_encoding(wxr_source *w, const char *b, size_t n)
{
    snprintf(w->encoding, sizeof w->encoding, "UTF-8");
    size_t end = at(b, n, 0, "<?xml") ? find(b, n, 0, "?>") : 0;
    size_t e = end ? find(b, end, 0, "encoding=") : 0;
    if (!end || e == end || e + 10 >= end)
        return;
    char quote = b[e + 9];
    size_t close = find(b, end, e + 10, quote == '\'' ? "'" : "\"");
    if (close < end && close - (e + 10) < sizeof w->encoding)
        snprintf(w->encoding, sizeof w->encoding, "%.*s", (int)(close - (e + 10)), b + e + 10);
}

/* The header: no DOCTYPE, an <rss> start tag declaring the wp namespace, then
 * the author table. */
static bool read_header(wxr_source *w, const char *b, size_t n, char *why, size_t why_len)
{
    size_t i = 0;
    tag t;
    scan_rc rc;
    while ((rc = next_tag(b, n, &i, &t)) == SCAN_TAG && !is_tag(&t, "item")) {
        if (t.name_len >= 8 && strncasecmp(t.name, "!DOCTYPE", 8) == 0) {
            snprintf(why, why_len, "%s: a DOCTYPE at byte %zu is refused (WordPress writes "
                     "none, and it could declare entities)", w->path, t.start);
            return false;
        }
        if (is_tag(&t, "rss") && !w->rss_tag)
            w->rss_tag = xstrndup(b + t.start, t.end - t.start);
    }
    if (!w->rss_tag || !strstr(w->rss_tag, "xmlns:wp=")) {
        snprintf(why, why_len, "%s: not a WordPress export (no <rss> declaring xmlns:wp)", w->path);
        return false;
    }
    return read_authors(w, b, rc == SCAN_TAG ? t.start : n, rc != SCAN_TAG, why, why_len);
}

/* The value of the element t starts: a CDATA section as written, else text with
 * its entities decoded. */
static char *value_after(const char *b, size_t n, const tag *t)
{
    char *raw = text_after(b, n, t);
    if (at(b, n, value_start(b, n, t), "<![CDATA["))
        return raw;
    strbuf v = {0};
    sb_puts(&v, "");
    html_visible_text(&v, raw, strlen(raw));
    free(raw);
    return sb_take(&v);
}

typedef struct attachment {
    char *id, *type, *url, *key, *alt;
} attachment;

static void attachment_clear(attachment *a)
{
    free(a->id), free(a->type), free(a->url), free(a->key), free(a->alt);
    *a = (attachment){0};
}

/* Every attachment's URL and alt text (_wp_attachment_image_alt), for the posts
 * whose _thumbnail_id names it: WordPress keeps a featured image's alt text on
 * the attachment, not the post. One byte-level pass, before the workers fork. */
static void read_attachments(wxr_source *w, const char *b, size_t n)
{
    size_t i = 0;
    tag t;
    attachment a = {0};
    while (next_tag(b, n, &i, &t) == SCAN_TAG) {
        char **slot = is_tag(&t, "wp:post_id")          ? &a.id
                      : is_tag(&t, "wp:post_type")      ? &a.type
                      : is_tag(&t, "wp:attachment_url") ? &a.url
                      : is_tag(&t, "wp:meta_key")       ? &a.key
                                                         : NULL;
        if (slot && !*slot)
            *slot = value_after(b, n, &t);
        else if (is_tag(&t, "wp:meta_value") && a.key && !a.alt &&
                 strcmp(a.key, "_wp_attachment_image_alt") == 0)
            a.alt = value_after(b, n, &t);
        else if ((is_tag(&t, "/wp:postmeta") || is_tag(&t, "/wp:commentmeta")) && !a.alt)
            free(a.key), a.key = NULL;
        if (!is_tag(&t, "/item"))
            continue;
        if (a.id && a.type && strcmp(a.type, "attachment") == 0 && !map_get(&w->images, a.id)) {
            strbuf v = {0};
            sb_printf(&v, "%s\n%s", a.url ? a.url : "", a.alt ? a.alt : "");
            map_put(&w->images, a.id, sb_take(&v));
        }
        attachment_clear(&a);
    }
    attachment_clear(&a);
}

typedef struct listing {
    const wxr_source *w;
    const char *b;
    size_t n;
    source_list *out;
    unsigned item_no; /* items seen so far */
} listing;

static void list_fail(listing *ls, size_t offset, const char *what)
{
    report("%s: %s at byte %zu (item %u): the export is truncated or malformed; nothing is "
           "indexed from it", ls->w->path, what, offset, ls->item_no);
    ls->out->failed = true;
}

/* One item listed. A page's stamp says whether pages are posts, so that turning
 * --wordpress-pages on or off reads the pages again. */
static void add_item(listing *ls, size_t start, size_t end, const char *post_id,
                     const char *modified, const char *type)
{
    strbuf id = {0}, where = {0};
    bool digits = post_id && *post_id && strspn(post_id, "0123456789") == strlen(post_id);
    if (!digits) {
        report("%s@%zu+%zu: item %u has no wp:post_id, not indexed", ls->w->path, start,
               end - start, ls->item_no);
        ls->out->unreadable++;
        return;
    }
    /* The stamp is stored space-separated (build.c): "2024-03-05T08:00:00". */
    char stamp[32];
    char hash[17];
    hash_content(hash, ls->b + start, end - start);
    /* No modified date (older WordPress.com exports): the bytes are the stamp. */
    bool page = type && strcmp(type, "page") == 0;
    snprintf(stamp, sizeof stamp, "%s%.19s%s", modified && *modified ? "" : "hash:",
             modified && *modified ? modified : hash, page && ls->w->pages ? "+pages" : "");
    for (char *c = stamp; *c; c++)
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
            *c = 'T';
    sb_printf(&id, "%s%s", ID_KIND, post_id);
    sb_printf(&where, "%s@%zu+%zu", ls->w->path, start, end - start);
    source_list_add(ls->out, id.data, where.data, (long long)(end - start), stamp);
    memcpy(ls->out->items[ls->out->n - 1].hash, hash, sizeof hash);
    sb_free(&id), sb_free(&where);
}

static void scan_items(listing *ls)
{
    size_t i = 0, start = 0;
    bool in_item = false, closed = false;
    char *post_id = NULL, *modified = NULL, *type = NULL;
    tag t;
    scan_rc rc;
    while (!ls->out->failed && (rc = next_tag(ls->b, ls->n, &i, &t)) == SCAN_TAG) {
        if (t.name_len >= 8 && strncasecmp(t.name, "!DOCTYPE", 8) == 0)
            list_fail(ls, t.start, "a DOCTYPE");
        else if (is_tag(&t, "item") && in_item)
            list_fail(ls, t.start, "an <item> inside an item");
        else if (is_tag(&t, "item"))
            in_item = true, start = t.start, ls->item_no++;
        else if (is_tag(&t, "/item") && !in_item)
            list_fail(ls, t.start, "a </item> outside an item");
        else if (is_tag(&t, "/item")) {
            add_item(ls, start, t.end, post_id, modified, type);
            in_item = false;
            free(post_id), free(modified), free(type), post_id = modified = type = NULL;
        } else if (in_item && is_tag(&t, "wp:post_id") && !post_id)
            post_id = text_after(ls->b, ls->n, &t);
        else if (in_item && is_tag(&t, "wp:post_modified_gmt") && !modified)
            modified = text_after(ls->b, ls->n, &t);
        else if (in_item && is_tag(&t, "wp:post_type") && !type)
            type = text_after(ls->b, ls->n, &t);
        else if (is_tag(&t, "/rss"))
            closed = true;
    }
    if (!ls->out->failed && rc == SCAN_BAD)
        list_fail(ls, i, "an unterminated tag, comment or CDATA section");
    else if (!ls->out->failed && in_item)
        list_fail(ls, start, "an item never closed");
    else if (!ls->out->failed && !closed)
        list_fail(ls, ls->n, "no </rss> at the end");
    free(post_id), free(modified), free(type);
}

/* Offset of an item from its locator (source_locator_parse). */
static long long offset_of(const source_item *it)
{
    size_t path_len;
    long long off = 0, len;
    source_locator_parse(it->where, &path_len, &off, &len);
    return off;
}

/* Two items with one wp:post_id (real exports have them): the first in the
 * file is the post, as WordPress's importer decides; the others are reported
 * and left out. */
static void drop_repeated_ids(source_list *l)
{
    size_t kept = 0;
    for (size_t k = 0; k < l->n; k++) {
        source_item *last = kept ? &l->items[kept - 1] : NULL;
        if (!last || strcmp(last->id, l->items[k].id) != 0) {
            l->items[kept++] = l->items[k];
            continue;
        }
        source_item *later = offset_of(&l->items[k]) > offset_of(last) ? &l->items[k] : last;
        report("%s: %s is also the id of an earlier item: this one is left out", later->where,
               later->id);
        l->unreadable++;
        if (later == last) { /* keep the earlier one in the kept place */
            source_item t = *last;
            *last = l->items[k];
            l->items[k] = t;
        }
        free(l->items[k].id), free(l->items[k].where);
    }
    l->n = kept;
}

static void wxr_list(source *s, source_list *out)
{
    const wxr_source *w = (const wxr_source *)s;
    *out = (source_list){0};
    char why[512];
    listing ls = {.w = w, .out = out};
    if (!(ls.b = map_file(w->path, &ls.n, why, sizeof why))) {
        report("%s", why);
        out->failed = true;
        return;
    }
    scan_items(&ls);
    unmap_file((char *)ls.b, ls.n);
    source_list_sort(out);
    drop_repeated_ids(out);
}

/* ---- One item --------------------------------------------------------------- */

static post_status wxr_read(const source *s, const char *where, size_t max_bytes, char **buf,
                            size_t *len, post_error *err)
{
    (void)s;
    return source_read_range(where, max_bytes, buf, len, err);
}

/* What an item says, as the export writes it. */
enum { F_ID, F_TITLE, F_LINK, F_CREATOR, F_DATE, F_NAME, F_STATUS, F_TYPE, F_PASSWORD,
       F_CONTENT, F_EXCERPT, F_THUMBNAIL, F_COUNT };
static const char *const field_names[F_COUNT] = {
    [F_ID] = "wp:post_id",         [F_TITLE] = "title",           [F_LINK] = "link",
    [F_CREATOR] = "dc:creator",    [F_DATE] = "wp:post_date",     [F_NAME] = "wp:post_name",
    [F_STATUS] = "wp:status",      [F_TYPE] = "wp:post_type",     [F_PASSWORD] = "wp:post_password",
    [F_CONTENT] = "content:encoded", [F_EXCERPT] = "excerpt:encoded",
    [F_THUMBNAIL] = "_thumbnail_id", /* a wp:postmeta's key */
};

typedef struct item_fields {
    char *f[F_COUNT];
    strbuf tags, categories, coauthors; /* NUL-separated */
    size_t n_tags, n_categories, n_coauthors;
} item_fields;

/* A wp:postmeta the post needs: the featured image's attachment id. */
static void read_postmeta(const xmlNode *meta, item_fields *it)
{
    char *key = NULL, *value = NULL;
    for (const xmlNode *c = meta->children; c; c = c->next)
        if (named(c, "wp:meta_key") && !key)
            key = node_text(c);
        else if (named(c, "wp:meta_value") && !value)
            value = node_text(c);
    if (key && value && strcmp(key, field_names[F_THUMBNAIL]) == 0 && !it->f[F_THUMBNAIL])
        it->f[F_THUMBNAIL] = value, value = NULL;
    free(key), free(value);
}

static void read_fields(const xmlNode *item, item_fields *it)
{
    for (const xmlNode *c = item->children; c; c = c->next) {
        int k = 0;
        while (k < F_THUMBNAIL && !named(c, field_names[k]))
            k++;
        if (k < F_THUMBNAIL && !it->f[k]) {
            it->f[k] = node_text(c);
            continue;
        }
        if (named(c, "wp:postmeta"))
            read_postmeta(c, it);
        if (!named(c, "category"))
            continue;
        xmlChar *domain = xmlGetNoNsProp(c, (const xmlChar *)"domain");
        bool post_tag = domain && strcmp((const char *)domain, "post_tag") == 0;
        bool cat = domain && strcmp((const char *)domain, "category") == 0;
        /* Co-Authors Plus: each further author is a term of the "author" taxonomy */
        bool coauthor = domain && strcmp((const char *)domain, "author") == 0;
        xmlFree(domain);
        char *raw = node_text(c);
        strbuf v = {0}; /* WordPress keeps term names HTML-escaped ("Events &amp; Meetings") */
        html_visible_text(&v, raw, strlen(raw));
        sb_putc(&v, 0);
        free(raw);
        strbuf *list = post_tag ? &it->tags : cat ? &it->categories : &it->coauthors;
        size_t *count = post_tag ? &it->n_tags : cat ? &it->n_categories : &it->n_coauthors;
        if (post_tag || cat || coauthor)
            sb_append(list, v.data, v.len), (*count)++;
        sb_free(&v);
    }
}

static char **split_list(const strbuf *sb, size_t n, size_t *out_n)
{
    char **v = xcalloc(n ? n : 1, sizeof *v);
    const char *s = sb->data;
    *out_n = 0;
    for (size_t k = 0; k < n; k++, s += strlen(s) + 1) {
        size_t a = strspn(s, " \t\r\n"), e = strlen(s);
        while (e > a && strchr(" \t\r\n", s[e - 1]))
            e--;
        if (e == a)
            continue;
        v[(*out_n)++] = xstrndup(s + a, e - a);
    }
    return v;
}

/* An author's display name from the channel's table, else the login as written. */
static const char *display_name(const wxr_source *w, const char *login)
{
    const char *display = login && *login ? map_get(&w->authors, login) : NULL;
    return display ? display : login;
}

/* The post's fields from an item's (wordpress.c); its text is html_to_post's.
 * The featured image is the attachment its _thumbnail_id names. */
static post *post_of(const wxr_source *w, item_fields *it)
{
    const char *image = it->f[F_THUMBNAIL] ? map_get(&w->images, it->f[F_THUMBNAIL]) : NULL;
    const char *newline = image ? strchr(image, '\n') : NULL;
    char *url = newline ? xstrndup(image, (size_t)(newline - image)) : NULL;
    wp_fields f = {
        .id = it->f[F_ID], .title = it->f[F_TITLE], .link = it->f[F_LINK],
        .author = display_name(w, it->f[F_CREATOR]), .date = it->f[F_DATE],
        .name = it->f[F_NAME], .status = it->f[F_STATUS], .type = it->f[F_TYPE],
        .password = it->f[F_PASSWORD], .excerpt = it->f[F_EXCERPT], .image = url,
        .image_alt = newline ? newline + 1 : NULL,
    };
    f.tags = split_list(&it->tags, it->n_tags, &f.n_tags);
    f.categories = split_list(&it->categories, it->n_categories, &f.n_categories);
    char **logins = split_list(&it->coauthors, it->n_coauthors, &f.n_coauthors);
    f.coauthors = xcalloc(f.n_coauthors + 1, sizeof *f.coauthors);
    for (size_t k = 0; k < f.n_coauthors; k++)
        f.coauthors[k] = display_name(w, logins[k]);
    post *p = wp_post(&f, w->pages);
    for (size_t k = 0; k < f.n_coauthors; k++)
        free(logins[k]);
    free(logins), free(f.coauthors), free(url);
    return p;
}

static void fields_free(item_fields *it)
{
    for (int k = 0; k < F_COUNT; k++)
        free(it->f[k]);
    sb_free(&it->tags), sb_free(&it->categories), sb_free(&it->coauthors);
}

/* The wp:post_id written in an item's bytes, for messages about an item that does not parse. */
static void name_item(const char *buf, size_t len, char *out, size_t out_len)
{
    size_t i = 0;
    tag t;
    snprintf(out, out_len, "an item");
    while (next_tag(buf, len, &i, &t) == SCAN_TAG)
        if (is_tag(&t, "wp:post_id")) {
            char *id = text_after(buf, len, &t);
            snprintf(out, out_len, "%s%.40s", ID_KIND, id);
            free(id);
            return;
        }
}

static post_status wxr_parse(const source *s, const char *where, const char *buf, size_t len,
                             post **out, post_error *err)
{
    const wxr_source *w = (const wxr_source *)s;
    *out = NULL;
    *err = (post_error){.code = POST_OK};
    char what[64], why[280] = "too large for the XML parser";
    name_item(buf, len, what, sizeof what);
    strbuf x = {0};
    sb_printf(&x, "%s\n", w->rss_tag);
    sb_append(&x, buf, len);
    sb_puts(&x, "\n</rss>");
    int skew = 1; /* the item's own line numbers: the lines of the wrapping start tag off */
    for (const char *c = w->rss_tag; *c; c++)
        skew += *c == '\n';
    xmlDoc *doc =
        x.len < (size_t)INT_MAX ? parse_xml(x.data, x.len, w->encoding, what, skew, why, sizeof why) : NULL;
    sb_free(&x);
    const xmlNode *rss = doc ? xmlDocGetRootElement(doc) : NULL, *item = rss ? rss->children : NULL;
    while (item && !named(item, "item"))
        item = item->next;
    if (!item) {
        snprintf(err->message, sizeof err->message, "%s: %s", where,
                 doc ? "no <item> element" : why);
        xmlFreeDoc(doc);
        return err->code = POST_EFIELD;
    }
    item_fields it = {0};
    read_fields(item, &it);
    xmlFreeDoc(doc);
    post *p = post_of(w, &it);
    post_status rc = wp_post_content(out, p, where, it.f[F_CONTENT], err);
    fields_free(&it);
    return rc;
}

static void wxr_name(const source *s, const char *id, strbuf *out)
{
    sb_printf(out, "%s (%s)", ((const wxr_source *)s)->path, id);
}

static void wxr_close(source *s)
{
    wxr_source *w = (wxr_source *)s;
    for (size_t k = 0; k < w->authors.cap; k++) /* a hash table: every slot */
        if (w->authors.keys[k])
            free(w->authors.values[k]);
    for (size_t k = 0; k < w->images.cap; k++)
        if (w->images.keys[k])
            free(w->images.values[k]);
    map_free(&w->authors), map_free(&w->images);
    free(w->rss_tag);
    free(w->path);
    free(w);
}

static const source_ops wxr_ops = {
    .list = wxr_list,
    .read = wxr_read,
    .parse = wxr_parse,
    .name = wxr_name,
    .close = wxr_close,
};

source *source_wxr_open(const char *path, bool pages, char *why, size_t why_len)
{
    xmlSetExternalEntityLoader(refuse_entity);
    size_t n;
    char *b = map_file(path, &n, why, why_len);
    if (!b)
        return NULL;
    wxr_source *w = xcalloc(1, sizeof *w);
    *w = (wxr_source){.base = {.ops = &wxr_ops}, .path = xstrdup(path), .pages = pages};
    w->base.label = w->path;
    read_encoding(w, b, n);
    bool ok = read_header(w, b, n, why, why_len);
    if (ok)
        read_attachments(w, b, n);
    unmap_file(b, n);
    if (!ok) {
        wxr_close(&w->base);
        return NULL;
    }
    return &w->base;
}
