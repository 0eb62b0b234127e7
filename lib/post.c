/* post.c — the post model: a whole post from a file (front matter read by
 * frontmatter.c, mapped to fields by post_fields.c), its body walked from cmark's
 * syntax tree into plain text, and the post as JSON and back.
 *
 * Every failure names the file and, where it can, the line, so an author can fix
 * the post; nothing that fails validation is passed on half-parsed. */
#include "post.h"
#include "post_internal.h"

#include "fdio.h"
#include "templates.h"
#include "text.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

post_status post_fail(post_error *err, post_status code, const char *path, size_t line,
                      const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(err->message, sizeof err->message, "%s:%zu: %s", path, line, what);
    else
        snprintf(err->message, sizeof err->message, "%s: %s", path, what);
    return code;
}

const char *post_status_name(post_status status)
{
    static const char *const names[] = {
        [POST_OK] = "ok",           [POST_EIO] = "io",          [POST_ETOOBIG] = "too_big",
        [POST_EBINARY] = "binary",  [POST_EUTF8] = "utf8",      [POST_ENOFRONT] = "no_front_matter",
        [POST_EUNCLOSED] = "unclosed_front_matter",             [POST_EYAML] = "yaml",
        [POST_EFIELD] = "field",    [POST_ETOML] = "toml",      [POST_EJSON] = "json",
    };
    if ((unsigned)status < sizeof names / sizeof names[0] && names[status])
        return names[status];
    return "unknown";
}

const char *post_skip_name(post_skip skip)
{
    static const char *const names[] = {
        [POST_INDEXED] = "indexed",
        [POST_SKIP_DRAFT] = "draft",
        [POST_SKIP_SECTION_INDEX] = "section-index",
        [POST_SKIP_REDIRECT] = "redirect",
        [POST_SKIP_NOT_A_POST] = "not-a-post",
        [POST_SKIP_NO_PAGE] = "no-page",
        [POST_SKIP_PRIVATE] = "private",
        [POST_SKIP_FUTURE] = "future",
        [POST_SKIP_EXPIRED] = "expired",
    };
    if ((unsigned)skip < sizeof names / sizeof names[0] && names[skip])
        return names[skip];
    return "unknown";
}

/* Remove list[i] equal to an earlier item; the new count. */
static size_t drop_repeats(char **list, size_t n, bool any_case)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < kept && !seen; j++)
            seen = any_case ? strcasecmp(list[j], list[i]) == 0 : strcmp(list[j], list[i]) == 0;
        if (seen)
            free(list[i]);
        else
            list[kept++] = list[i];
    }
    return kept;
}

void post_drop_repeated_terms(post *p)
{
    p->n_tags = drop_repeats(p->tags, p->n_tags, false);
    p->n_categories = drop_repeats(p->categories, p->n_categories, true);
    p->n_authors = drop_repeats(p->authors, p->n_authors, true);
}

void post_free(post *p)
{
    if (!p)
        return;
    free(p->slug);
    free(p->title);
    free(p->date);
    for (size_t i = 0; i < p->n_authors; i++)
        free(p->authors[i]);
    free(p->authors);
    for (size_t i = 0; i < p->n_tags; i++)
        free(p->tags[i]);
    free(p->tags);
    for (size_t i = 0; i < p->n_categories; i++)
        free(p->categories[i]);
    free(p->categories);
    free(p->url);
    free(p->summary);
    free(p->image_src);
    free(p->image_alt);
    free(p->text);
    free(p->headings);
    free(p->alt_text);
    free(p->link_text);
    free(p->code);
    for (size_t i = 0; i < p->n_sections; i++) {
        free(p->sections[i].heading);
        free(p->sections[i].anchor);
    }
    free(p->sections);
    free(p);
}

/* ---- As JSON ------------------------------------------------------------------ */

/* The string fields, by name and place, so both directions share one table. */
static const struct {
    const char *key;
    size_t offset;
    bool optional;
} post_strings[] = {
    {"slug", offsetof(post, slug), false},          {"title", offsetof(post, title), false},
    {"date", offsetof(post, date), true},          {"url", offsetof(post, url), true},
    {"summary", offsetof(post, summary), true},     {"image", offsetof(post, image_src), true},
    {"image_alt", offsetof(post, image_alt), true}, {"text", offsetof(post, text), false},
    {"headings", offsetof(post, headings), false},  {"alt_text", offsetof(post, alt_text), false},
    {"link_text", offsetof(post, link_text), false}, {"code", offsetof(post, code), false},
};

#define POST_FIELD(p, i) (*(char **)((char *)(p) + post_strings[i].offset))

static json_t *strings_to_json(char **items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

static char **strings_from_json(json_t *a, size_t *n)
{
    size_t count = json_array_size(a);
    char **out = xmalloc((count ? count : 1) * sizeof *out);
    *n = 0;
    for (size_t i = 0; i < count; i++)
        if (json_is_string(json_array_get(a, i)))
            out[(*n)++] = xstrdup(json_string_value(json_array_get(a, i)));
    return out;
}

json_t *post_sections_to_json(const post *p, size_t below)
{
    json_t *sections = json_array();
    for (size_t i = 0; i < p->n_sections && p->sections[i].offset < below; i++)
        json_array_append_new(sections, json_pack("[ssI]", p->sections[i].heading,
                                                  p->sections[i].anchor,
                                                  (json_int_t)p->sections[i].offset));
    return sections;
}

char *post_to_json(const post *p)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof post_strings / sizeof post_strings[0]; i++)
        if (POST_FIELD(p, i))
            json_object_set_new(o, post_strings[i].key, json_string(POST_FIELD(p, i)));
    json_object_set_new(o, "authors", strings_to_json(p->authors, p->n_authors));
    json_object_set_new(o, "tags", strings_to_json(p->tags, p->n_tags));
    json_object_set_new(o, "categories", strings_to_json(p->categories, p->n_categories));
    json_object_set_new(o, "skip", json_integer(p->skip));
    if (p->url_guessed)
        json_object_set_new(o, "url_guessed", json_true());
    json_object_set_new(o, "sections", post_sections_to_json(p, (size_t)-1));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

post *post_from_json(const char *json, size_t len)
{
    json_t *o = json_loadb(json, len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    post *p = xmalloc(sizeof *p);
    *p = (post){0};
    bool complete = true;
    for (size_t i = 0; i < sizeof post_strings / sizeof post_strings[0]; i++) {
        const char *v = json_string_value(json_object_get(o, post_strings[i].key));
        if (v)
            POST_FIELD(p, i) = xstrdup(v);
        else if (!post_strings[i].optional)
            complete = false;
    }
    p->authors = strings_from_json(json_object_get(o, "authors"), &p->n_authors);
    p->tags = strings_from_json(json_object_get(o, "tags"), &p->n_tags);
    p->categories = strings_from_json(json_object_get(o, "categories"), &p->n_categories);
    json_int_t skip = json_integer_value(json_object_get(o, "skip"));
    p->skip = skip > 0 && skip < POST_SKIP_COUNT ? (post_skip)skip : POST_INDEXED;
    p->url_guessed = json_is_true(json_object_get(o, "url_guessed"));
    json_t *sections = json_object_get(o, "sections");
    p->sections = xmalloc((json_array_size(sections) + 1) * sizeof *p->sections);
    for (size_t i = 0; i < json_array_size(sections); i++) {
        const char *heading, *anchor;
        json_int_t offset;
        if (json_unpack(json_array_get(sections, i), "[ssI]", &heading, &anchor, &offset) == 0 &&
            offset >= 0)
            p->sections[p->n_sections++] = (post_section){.heading = xstrdup(heading),
                                                          .anchor = xstrdup(anchor),
                                                          .offset = (size_t)offset};
    }
    json_decref(o);
    if (!complete) {
        post_free(p);
        return NULL;
    }
    return p;
}

/* ---- The body as text -------------------------------------------------------- */

/* Append s without its runs of two or more '-' (kramdown's typographic
 * dashes, which its ids drop). */
static void put_without_dashes(strbuf *out, const char *s)
{
    for (; *s; s++) {
        size_t run = strspn(s, "-");
        if (run >= 2)
            s += run - 1;
        else
            sb_putc(out, *s);
    }
}

typedef struct body_text {
    strbuf text, headings, alt, links, code;
    int in_heading, in_link, in_image;
    bool in_raw_script;     /* between inline <script> and </script> */
    bool section_heading;   /* the heading being read starts a section */
    int h1;                 /* 0: no level-1 heading yet; 1: in the first; 2: past it */
    strbuf first_h1;        /* the first level-1 heading's text: a title when none is given */
    post_section *sections;
    size_t n_sections;
    heading_lines ids;      /* the body as written, for ids given to headings */
    char **sources;         /* each section's heading as its generator's ids read it, or NULL */
    post_anchor_style anchors;
} body_text;

/* kramdown makes its ids from the heading's text after its typography, in
 * which "--" is a dash (dropped), and from its code spans as written: the
 * text is gathered as the heading is read. */
static void add_kramdown_words(body_text *b, const char *s, bool code)
{
    if (b->anchors != POST_ANCHOR_KRAMDOWN || !b->section_heading || !b->sources)
        return;
    char **src = &b->sources[b->n_sections - 1];
    strbuf sb = {0};
    sb_puts(&sb, *src ? *src : "");
    if (code)
        sb_puts(&sb, s);
    else
        put_without_dashes(&sb, s);
    free(*src);
    *src = sb_take(&sb);
}

/* Append s with control characters removed, so that byte offsets into the
 * text stay true once it is stored. */
static void append_clean(strbuf *sb, const char *s, size_t n)
{
    size_t len;
    char *clean = utf8_clean(s, n, &len);
    sb_append(sb, clean, len);
    free(clean);
}

static bool html_opens(const char *lit, const char *tag)
{
    size_t n = strlen(tag);
    return lit[0] == '<' && strncasecmp(lit + 1, tag, n) == 0;
}

static bool html_closes(const char *lit, const char *tag)
{
    size_t n = strlen(tag);
    return lit[0] == '<' && lit[1] == '/' && strncasecmp(lit + 2, tag, n) == 0;
}

static void add_words(body_text *b, const char *s)
{
    if (b->in_raw_script)
        return;
    size_t n = strlen(s);
    if (b->in_image) { /* alt text is not visible text of the page */
        append_clean(&b->alt, s, n);
        return;
    }
    append_clean(&b->text, s, n);
    if (b->h1 == 1)
        append_clean(&b->first_h1, s, n);
    if (b->in_heading)
        append_clean(&b->headings, s, n);
    if (b->in_link)
        append_clean(&b->links, s, n);
}

static void node_enter(body_text *b, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_TEXT:
        add_words(b, lit);
        add_kramdown_words(b, lit, false);
        break;
    case CMARK_NODE_CODE:
        add_words(b, lit);
        add_kramdown_words(b, lit, true);
        sb_puts(&b->code, lit);
        sb_putc(&b->code, '\n');
        break;
    case CMARK_NODE_CODE_BLOCK:
        append_clean(&b->text, lit, strlen(lit));
        append_clean(&b->code, lit, strlen(lit));
        break;
    case CMARK_NODE_HTML_BLOCK: {
        strbuf visible = {0};
        html_visible_text(&visible, lit, strlen(lit));
        append_clean(&b->text, visible.data ? visible.data : "", visible.len);
        sb_free(&visible);
        sb_putc(&b->text, '\n');
        break;
    }
    case CMARK_NODE_HTML_INLINE:
        /* Inline tags are dropped; the words between them are TEXT nodes already,
         * except inside an inline script or style, which is not visible. */
        if (html_opens(lit, "script") || html_opens(lit, "style"))
            b->in_raw_script = true;
        else if (html_closes(lit, "script") || html_closes(lit, "style"))
            b->in_raw_script = false;
        else if (!b->in_raw_script)
            add_words(b, " ");
        break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        add_words(b, " ");
        break;
    case CMARK_NODE_HEADING:
        b->in_heading++;
        if (b->h1 == 0 && cmark_node_get_heading_level(node) == 1)
            b->h1 = 1;
        b->section_heading = cmark_node_get_heading_level(node) <= 3;
        if (b->section_heading) {
            b->sections = xrealloc(b->sections, (b->n_sections + 1) * sizeof *b->sections);
            char *source = NULL;
            char *id = heading_id(&b->ids, (size_t)cmark_node_get_start_line(node),
                                  (size_t)cmark_node_get_end_line(node),
                                  (size_t)cmark_node_get_start_column(node),
                                  b->sources && b->anchors == POST_ANCHOR_GOLDMARK ? &source : NULL);
            if (b->sources) {
                b->sources = xrealloc(b->sources, (b->n_sections + 1) * sizeof *b->sources);
                b->sources[b->n_sections] = source;
            }
            b->sections[b->n_sections++] = (post_section){.offset = b->text.len, .anchor = id};
        }
        break;
    case CMARK_NODE_LINK:
        b->in_link++;
        break;
    case CMARK_NODE_IMAGE:
        b->in_image++;
        break;
    default:
        break;
    }
}

/* A table's cells are words apart and its rows lines apart (the table
 * extension's node types are no enum constants: they are known by name). */
static void table_exit(body_text *b, cmark_node *node)
{
    const char *type = cmark_node_get_type_string(node);
    if (strcmp(type, "table_cell") == 0)
        add_words(b, " ");
    else if (strcmp(type, "table_row") == 0)
        sb_putc(&b->text, '\n');
}

static void node_exit(body_text *b, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_HEADING:
        b->in_heading--;
        b->h1 += b->h1 == 1;
        if (b->section_heading) {
            post_section *sec = &b->sections[b->n_sections - 1];
            /* An empty first heading ("#") leaves the text still unallocated.
             * Inline HTML in a heading left spaces where it stood: no part of
             * the heading ("<a name=x></a>Issues" is "Issues"), nor its id. */
            const char *text = b->text.data ? b->text.data : "";
            size_t end = b->text.len;
            while (sec->offset < end && text[sec->offset] == ' ')
                sec->offset++;
            while (end > sec->offset && text[end - 1] == ' ')
                end--;
            sec->heading = xstrndup(text + sec->offset, end - sec->offset);
        }
        b->section_heading = false;
        sb_putc(&b->headings, '\n');
        sb_putc(&b->text, '\n');
        break;
    case CMARK_NODE_LINK:
        b->in_link--;
        sb_putc(&b->links, '\n');
        break;
    case CMARK_NODE_IMAGE:
        b->in_image--;
        sb_putc(&b->alt, '\n');
        break;
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_ITEM:
        sb_putc(&b->text, '\n');
        b->in_raw_script = false; /* an unclosed inline script ends with its block */
        break;
    default:
        table_exit(b, node);
        break;
    }
}

/* A summary over the cap is cut at a character boundary, marked with an
 * ellipsis: too long a summary is no reason to lose the post. */
static void trim_summary(post *p)
{
    if (!p->summary || strlen(p->summary) <= POST_MAX_SUMMARY_BYTES)
        return;
    size_t cut = POST_MAX_SUMMARY_BYTES - 3;
    while (cut > 0 && ((unsigned char)p->summary[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(p->summary + cut, "\xE2\x80\xA6", 4);
}

post_status post_apply_caps(post *p, const char *path, post_error *err)
{
    trim_summary(p);
    const struct {
        const char *what;
        size_t have, cap;
        const char *unit;
    } caps[] = {
        {"the title", strlen(p->title), POST_MAX_TITLE_BYTES, "bytes"},
        {"tags", p->n_tags, POST_MAX_TERMS, "of them"},
        {"categories", p->n_categories, POST_MAX_TERMS, "of them"},
        {"authors", p->n_authors, POST_MAX_TERMS, "of them"},
    };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (caps[i].have > caps[i].cap) {
            err->code = POST_EFIELD;
            err->line = 0;
            snprintf(err->message, sizeof err->message, "%s: %s: %zu %s, more than the %zu allowed",
                     path, caps[i].what, caps[i].have, caps[i].unit, caps[i].cap);
            return POST_EFIELD;
        }
    return POST_OK;
}

/* Each section without an anchor gets one in style: the heading made an id
 * ("section", or goldmark's "heading", when nothing is left), a repeat
 * numbered over every heading before it ("-2", "-3"... in the project's own
 * style, "-1", "-2"... in the generators'). A section's own id (written in
 * the Markdown, or the page's) stays, and with count_own it is taken, as
 * goldmark takes it: a later heading of those words is numbered (kramdown
 * does not count them). */
static void name_sections(post_section *sections, size_t n, post_anchor_style style, bool count_own,
                          char *const *sources)
{
    bool github = style == POST_ANCHOR_GITHUB || style == POST_ANCHOR_GOLDMARK || style == POST_ANCHOR_KRAMDOWN;
    strmap seen = {0};
    for (size_t i = 0; i < n; i++) {
        if (sections[i].anchor) {
            uintptr_t used = (uintptr_t)map_get(&seen, sections[i].anchor);
            if (count_own)
                map_put(&seen, sections[i].anchor, (void *)(used + 1));
            continue;
        }
        const char *words = sources && sources[i] ? sources[i] : sections[i].heading;
        char *base = github ? github_anchor(words) : slugify(words);
        if (!*base) {
            free(base);
            base = xstrdup(github ? "heading" : "section");
        }
        uintptr_t before = (uintptr_t)map_get(&seen, base);
        map_put(&seen, base, (void *)(before + 1));
        strbuf anchor = {0};
        sb_puts(&anchor, base);
        if (before)
            sb_printf(&anchor, "-%zu", (size_t)before + (style == POST_ANCHOR_SLUG));
        free(sections[i].anchor);
        sections[i].anchor = sb_take(&anchor);
        free(base);
    }
    map_free(&seen);
}

/* At most POST_MAX_SECTIONS, then named in style (see post_finish_sections),
 * from each heading's source where sources has one. */
static void finish_sections_as(post_section *sections, size_t *count, post_anchor_style style,
                               bool count_own, char *const *sources)
{
    for (size_t i = POST_MAX_SECTIONS; i < *count; i++)
        free(sections[i].heading), free(sections[i].anchor);
    if (*count > POST_MAX_SECTIONS)
        *count = POST_MAX_SECTIONS;
    name_sections(sections, *count, style, count_own, sources);
}

void post_finish_sections(post_section *sections, size_t *count)
{
    finish_sections_as(sections, count, POST_ANCHOR_SLUG, true, NULL);
}

/* The document tree of Markdown text, with GitHub's tables, strikethrough
 * and task lists read as GitHub reads them (their markers are not text). */
static cmark_node *parse_markdown(const char *text, size_t len)
{
    static const char *const extensions[] = {"table", "strikethrough", "tasklist"};
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, text, len);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    return doc;
}

/* Walk the body into p's text fields; *first_h1 is the text of its first
 * level-1 heading (malloc'd, "" when none). The generator's template syntax
 * (templates.h) goes first: it is not text a reader sees. */
static void read_body(post *p, const char *body, size_t len, const post_reading *how, char **first_h1)
{
    size_t plain_len;
    char *plain = templates_strip_for(body, len, &plain_len, NULL, how->liquid_in_code,
                                      how->shortcodes_in_code);
    cmark_node *doc = parse_markdown(plain, plain_len);
    free(plain);
    cmark_iter *it = cmark_iter_new(doc);
    bool own_words = how->anchors == POST_ANCHOR_GOLDMARK || how->anchors == POST_ANCHOR_KRAMDOWN;
    body_text b = {.ids = {.src = body, .len = len, .style = how->heading_ids, .line = 1},
                   .sources = own_words ? xcalloc(1, sizeof(char *)) : NULL, .anchors = how->anchors};
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER)
            node_enter(&b, node);
        else
            node_exit(&b, node);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    /* Every piece was cleaned as it was added, so section offsets hold. */
    p->text = sb_take(&b.text);
    p->headings = sb_take(&b.headings);
    p->alt_text = sb_take(&b.alt);
    p->link_text = sb_take(&b.links);
    p->code = sb_take(&b.code);
    *first_h1 = sb_take(&b.first_h1);
    p->sections = b.sections;
    p->n_sections = b.n_sections;
    finish_sections_as(p->sections, &p->n_sections, how->anchors, how->heading_ids != POST_IDS_KRAMDOWN,
                       b.sources);
    for (size_t i = 0; b.sources && i < b.n_sections; i++)
        free(b.sources[i]);
    free(b.sources);
}

/* An HTML body (a Jekyll post.html) into p's text fields by how->read_html,
 * its template syntax gone first; *first_h1 is "" (the HTML's headings are
 * not read for a title). */
static post_status read_html_body(post *p, const char *path, const char *body, size_t len,
                                  const post_reading *how, char **first_h1, post_error *err)
{
    size_t plain_len;
    char *plain = templates_strip_for(body, len, &plain_len, NULL, how->liquid_in_code,
                                      how->shortcodes_in_code);
    post_status rc = how->read_html(p, path, plain, plain_len, NULL, err);
    free(plain);
    *first_h1 = xstrdup("");
    return rc;
}

/* ---- Whole posts ------------------------------------------------------------- */

/* Split a post's text into front matter and body, refusing what is not text. */
static post_status read_front(front_matter *fm, const char *path, const char *buf, size_t len,
                              post_error *err)
{
    const char *nul = memchr(buf, '\0', len);
    if (nul)
        return post_fail(err, POST_EBINARY, path, line_of_offset(buf, (size_t)(nul - buf)),
                    "binary file: NUL byte, not a text post");
    size_t bad;
    if (!utf8_valid(buf, len, &bad))
        return post_fail(err, POST_EUTF8, path, line_of_offset(buf, bad),
                    "invalid UTF-8 (byte 0x%02x at offset %zu)", (unsigned char)buf[bad], bad);
    return front_matter_read(fm, path, buf, len, err);
}

post_status post_front_matter(json_t **out, json_t **plain, const char *path, const char *buf,
                              size_t len, post_error *err)
{
    *out = NULL;
    if (plain)
        *plain = NULL;
    front_matter fm;
    post_status rc = read_front(&fm, path, buf, len, err);
    if (rc != POST_OK)
        return rc;
    *out = json_incref(fm.root);
    if (plain)
        *plain = json_incref(fm.plain);
    front_matter_free(&fm);
    return POST_OK;
}

post_status post_parse(post **out, const char *path, const char *buf, size_t len,
                       post_error *err)
{
    return post_parse_as(out, path, buf, len, NULL, err);
}

post_status post_parse_as(post **out, const char *path, const char *buf, size_t len,
                          const post_reading *how, post_error *err)
{
    *out = NULL;
    front_matter fm;
    post_status rc = read_front(&fm, path, buf, len, err);
    if (rc != POST_OK)
        return rc;
    post *p = xcalloc(1, sizeof *p);
    char *first_h1;
    static const post_reading markdown = {0};
    if (!how)
        how = &markdown;
    if (how->read_html)
        rc = read_html_body(p, path, fm.body, fm.body_len, how, &first_h1, err);
    else
        read_body(p, fm.body, fm.body_len, how, &first_h1);
    if (rc == POST_OK)
        rc = post_fields_read(p, &fm, path, first_h1, how, err);
    free(first_h1);
    front_matter_free(&fm);
    if (rc != POST_OK) {
        post_free(p);
        return rc;
    }
    *out = p;
    if (err) {
        err->code = POST_OK;
        err->line = 0;
        err->message[0] = '\0';
    }
    return POST_OK;
}

post_status post_load(post **out, const char *path, size_t max_bytes, post_error *err)
{
    *out = NULL;
    char *buf;
    size_t len;
    char why[sizeof err->message];
    fd_status read = fd_read_file(&buf, &len, path, max_bytes, why, sizeof why);
    if (read != FD_OK) {
        post_status code = read == FD_ETOOBIG ? POST_ETOOBIG : POST_EIO;
        if (err) {
            err->code = code;
            err->line = 0;
            memcpy(err->message, why, sizeof why);
        }
        return code;
    }
    post_status rc = post_parse(out, path, buf, len, err);
    free(buf);
    return rc;
}
