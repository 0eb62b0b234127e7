/* post.c — split a post into front matter and body, read the front matter with
 * libyaml, and walk cmark's syntax tree into plain text.
 *
 * Every failure names the file and, where it can, the line, so an author can fix
 * the post; nothing that fails validation is passed on half-parsed. */
#include "post.h"

#include "fdio.h"
#include "options.h"
#include "text.h"

#include <cmark.h>
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static post_status fail(post_error *err, post_status code, const char *path, size_t line,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static post_status fail(post_error *err, post_status code, const char *path, size_t line,
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
        [POST_EFIELD] = "field",
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
    };
    if ((unsigned)skip < sizeof names / sizeof names[0] && names[skip])
        return names[skip];
    return "unknown";
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

/* ---- Splitting the front matter ---------------------------------------------- */

typedef struct split {
    const char *yaml; /* between the fences */
    size_t yaml_len;
    const char *body;
    size_t body_len;
    size_t body_line; /* line number where the body starts */
} split;

/* Is the line [p, eol) a fence made of the three characters `fence`, allowing
 * trailing blanks and a CR? */
static bool is_fence(const char *p, const char *eol, const char *fence)
{
    if (eol - p < 3 || memcmp(p, fence, 3) != 0)
        return false;
    for (p += 3; p < eol; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

static post_status split_front_matter(split *out, const char *path, const char *buf,
                                      size_t len, post_error *err)
{
    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a byte-order mark before the fence is harmless */
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    if (!is_fence(p, eol, "---"))
        return fail(err, POST_ENOFRONT, path, 1,
                    "no front matter: the file must start with a line '---'");
    const char *yaml = eol < end ? eol + 1 : end;
    size_t line = 2;
    for (p = yaml; p < end; line++) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (is_fence(p, eol, "---") || is_fence(p, eol, "...")) {
            out->yaml = yaml;
            out->yaml_len = (size_t)(p - yaml);
            out->body = eol < end ? eol + 1 : end;
            out->body_len = (size_t)(end - out->body);
            out->body_line = line + 1;
            return POST_OK;
        }
        p = eol < end ? eol + 1 : end;
    }
    return fail(err, POST_EUNCLOSED, path, 1,
                "front matter opened on line 1 is never closed with '---'");
}

/* ---- Reading the front matter ------------------------------------------------ */

typedef struct front {
    yaml_document_t *doc;
    const char *path;
    size_t first_line; /* file line of the YAML's first line */
    post_error *err;
} front;

static size_t node_line(const front *f, const yaml_node_t *node)
{
    return f->first_line + node->start_mark.line;
}

static const char *scalar_text(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

/* Trimmed copy of a scalar, or NULL (with an error) when node is not a scalar. */
static char *scalar_copy(const front *f, const yaml_node_t *node, const char *key)
{
    if (node->type != YAML_SCALAR_NODE) {
        fail(f->err, POST_EFIELD, f->path, node_line(f, node), "'%s' must be a single value", key);
        return NULL;
    }
    const char *s = scalar_text(node);
    size_t n = node->data.scalar.length;
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    /* YAML escapes ("\e", "\x01") can put control characters in a value. */
    return utf8_clean(s, n, NULL);
}

static void list_push(char ***list, size_t *n, char *item)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = item;
}

/* Append the comma-separated items of s, trimmed, skipping empty ones. */
static void list_push_csv(char ***list, size_t *n, const char *s, bool lower)
{
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        const char *a = s, *b = s + len;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a) {
            char *item = utf8_clean(a, (size_t)(b - a), NULL);
            if (lower)
                for (char *c = item; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
            list_push(list, n, item);
        }
        s = comma ? comma + 1 : s + len;
    }
}

/* A list of names or tags: a YAML sequence of single values, or one string of
 * comma-separated values. */
static bool read_list(const front *f, const yaml_node_t *node, const char *key, bool lower,
                      char ***list, size_t *n)
{
    if (node->type == YAML_SCALAR_NODE) {
        list_push_csv(list, n, scalar_text(node), lower);
        return true;
    }
    if (node->type != YAML_SEQUENCE_NODE) {
        fail(f->err, POST_EFIELD, f->path, node_line(f, node), "'%s' must be a list", key);
        return false;
    }
    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(f->doc, *it);
        if (!item || item->type != YAML_SCALAR_NODE) {
            fail(f->err, POST_EFIELD, f->path, node_line(f, item ? item : node),
                 "each item of '%s' must be a single value", key);
            return false;
        }
        list_push_csv(list, n, scalar_text(item), lower);
    }
    return true;
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Do the first ten bytes of s make a real calendar date "YYYY-MM-DD"? */
static bool valid_ymd(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++) {
        bool digit = isdigit((unsigned char)s[i]);
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
            return false;
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1000 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap_year(y));
}

/* "YYYY-MM-DD", optionally followed by 'T' or ' ' and a time, into out. */
static bool parse_date(const char *s, char out[11])
{
    if (strnlen(s, 10) < 10 || !valid_ymd(s))
        return false;
    if (s[10] != '\0' && s[10] != 'T' && s[10] != ' ')
        return false;
    memcpy(out, s, 10);
    out[10] = '\0';
    return true;
}

static bool url_allowed(const char *u)
{
    /* A javascript: or data: link from front matter must never reach a page. */
    return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 ||
           (u[0] == '/' && u[1] != '/');
}

static bool read_image(const front *f, const yaml_node_t *node, post *p)
{
    if (node->type == YAML_SCALAR_NODE) {
        free(p->image_src); /* "image" may be given twice: the last wins */
        p->image_src = scalar_copy(f, node, "image");
        return true;
    }
    if (node->type != YAML_MAPPING_NODE) {
        fail(f->err, POST_EFIELD, f->path, node_line(f, node), "'image' must be a mapping");
        return false;
    }
    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = yaml_document_get_node(f->doc, pair->key);
        yaml_node_t *v = yaml_document_get_node(f->doc, pair->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        char **slot = strcmp(scalar_text(k), "src") == 0   ? &p->image_src
                      : strcmp(scalar_text(k), "alt") == 0 ? &p->image_alt
                                                           : NULL;
        if (!slot)
            continue;
        free(*slot);
        if (!(*slot = scalar_copy(f, v, scalar_text(k))))
            return false;
    }
    return true;
}

/* Read one key of the front matter into p. */
static bool read_field(const front *f, const char *key, const yaml_node_t *v, post *p)
{
    char **scalar = strcmp(key, "title") == 0     ? &p->title
                    : strcmp(key, "slug") == 0    ? &p->slug
                    : strcmp(key, "url") == 0     ? &p->url
                    : strcmp(key, "summary") == 0 ? &p->summary
                    : strcmp(key, "date") == 0    ? &p->date
                                                  : NULL;
    if (scalar) {
        free(*scalar);
        return (*scalar = scalar_copy(f, v, key)) != NULL;
    }
    if (strcmp(key, "author") == 0 || strcmp(key, "authors") == 0)
        return read_list(f, v, key, false, &p->authors, &p->n_authors);
    if (strcmp(key, "tags") == 0)
        return read_list(f, v, key, true, &p->tags, &p->n_tags);
    if (strcmp(key, "categories") == 0)
        return read_list(f, v, key, false, &p->categories, &p->n_categories);
    if (strcmp(key, "image") == 0)
        return read_image(f, v, p);
    if (strcmp(key, "draft") == 0) {
        bool draft = false;
        if (v->type != YAML_SCALAR_NODE || !opt_parse_bool(scalar_text(v), &draft)) {
            fail(f->err, POST_EFIELD, f->path, node_line(f, v), "'draft' must be true or false");
            return false;
        }
        if (draft)
            p->skip = POST_SKIP_DRAFT;
        return true;
    }
    return true; /* unknown keys are kept in the file and ignored here */
}

/* The default slug: the file name without its directory, extension and a
 * leading "YYYY-MM-DD-" date. */
static char *slug_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strlen(base) > 11 && base[10] == '-' && valid_ymd(base))
        base += 11;
    char *stem = xstrdup(base);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    char *slug = slugify(stem);
    free(stem);
    return slug;
}

/* Check what the fields must be once all are read. */
static post_status check_fields(const front *f, post *p, size_t fm_line)
{
    const char *path = f->path;
    post_error *err = f->err;
    if (!p->title || !*p->title)
        return fail(err, POST_EFIELD, path, fm_line, "missing 'title'");
    if (p->date && !*p->date) { /* "date:" left empty: undated, like no key at all */
        free(p->date);
        p->date = NULL;
    }
    char date[11];
    if (p->date && !parse_date(p->date, date))
        return fail(err, POST_EFIELD, path, fm_line, "'date' is not a date (want YYYY-MM-DD): %.40s",
                    p->date);
    if (p->date) {
        free(p->date);
        p->date = xstrdup(date);
    }
    if (p->slug) {
        if (!slug_valid(p->slug))
            return fail(err, POST_EFIELD, path, fm_line,
                        "'slug' must be 1-200 characters of a-z, 0-9, '-', '_' or '.': %.40s",
                        p->slug);
    } else {
        p->slug = slug_from_path(path);
        if (!*p->slug)
            return fail(err, POST_EFIELD, path, fm_line,
                        "no 'slug' and none can be made from the file name");
    }
    if (p->url && !url_allowed(p->url))
        return fail(err, POST_EFIELD, path, fm_line,
                    "'url' must start with http://, https:// or /: %.40s", p->url);
    for (size_t i = 0; i < p->n_tags; i++)
        if (strlen(p->tags[i]) > 100)
            return fail(err, POST_EFIELD, path, fm_line, "a tag is longer than 100 bytes");
    return POST_OK;
}

static post_status read_front_matter(post *p, const char *path, const split *s,
                                     post_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return fail(err, POST_EYAML, path, 0, "cannot start the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)s->yaml, s->yaml_len);
    front f = {.doc = &doc, .path = path, .first_line = 2, .err = err};
    post_status rc = POST_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = fail(err, POST_EYAML, path, f.first_line + parser.problem_mark.line,
                  "front matter is not valid YAML: %s", parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        rc = fail(err, POST_EYAML, path, 1, "front matter must be a mapping of keys to values");
        goto out;
    }
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = yaml_document_get_node(&doc, pair->key);
        yaml_node_t *v = yaml_document_get_node(&doc, pair->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        if (!read_field(&f, scalar_text(k), v, p)) {
            rc = err ? err->code : POST_EFIELD;
            goto out;
        }
    }
    rc = check_fields(&f, p, 1);
out:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- The body as text -------------------------------------------------------- */

typedef struct body_text {
    strbuf text, headings, alt, links, code;
    int in_heading, in_link, in_image;
    bool in_raw_script;     /* between inline <script> and </script> */
    bool section_heading;   /* the heading being read starts a section */
    post_section *sections;
    size_t n_sections;
} body_text;

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
        break;
    case CMARK_NODE_CODE:
        add_words(b, lit);
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
        b->section_heading = cmark_node_get_heading_level(node) <= 3;
        if (b->section_heading) {
            b->sections = xrealloc(b->sections, (b->n_sections + 1) * sizeof *b->sections);
            b->sections[b->n_sections++] = (post_section){.offset = b->text.len};
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

static void node_exit(body_text *b, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_HEADING:
        b->in_heading--;
        if (b->section_heading) {
            post_section *sec = &b->sections[b->n_sections - 1];
            /* An empty first heading ("#") leaves the text still unallocated. */
            const char *text = b->text.data ? b->text.data : "";
            sec->heading = xstrndup(text + sec->offset, b->text.len - sec->offset);
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
        break;
    }
}

/* Anchors from the headings, numbered where a heading repeats. */
static void name_anchors(post *p)
{
    for (size_t i = 0; i < p->n_sections; i++) {
        char *base = slugify(p->sections[i].heading);
        if (!*base) {
            free(base);
            base = xstrdup("section");
        }
        unsigned repeats = 0;
        for (size_t j = 0; j < i; j++) {
            char *other = slugify(p->sections[j].heading);
            repeats += strcmp(other, base) == 0 || (!*other && strcmp(base, "section") == 0);
            free(other);
        }
        strbuf anchor = {0};
        sb_puts(&anchor, base);
        if (repeats)
            sb_printf(&anchor, "-%u", repeats + 1);
        p->sections[i].anchor = sb_take(&anchor);
        free(base);
    }
}

static void read_body(post *p, const char *body, size_t len)
{
    cmark_node *doc = cmark_parse_document(body, len, CMARK_OPT_VALIDATE_UTF8);
    cmark_iter *it = cmark_iter_new(doc);
    body_text b = {0};
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
    p->sections = b.sections;
    p->n_sections = b.n_sections;
    name_anchors(p);
}

/* ---- Whole posts ------------------------------------------------------------- */

post_status post_parse(post **out, const char *path, const char *buf, size_t len,
                       post_error *err)
{
    *out = NULL;
    const char *nul = memchr(buf, '\0', len);
    if (nul)
        return fail(err, POST_EBINARY, path, line_of_offset(buf, (size_t)(nul - buf)),
                    "binary file: NUL byte, not a text post");
    size_t bad;
    if (!utf8_valid(buf, len, &bad))
        return fail(err, POST_EUTF8, path, line_of_offset(buf, bad),
                    "invalid UTF-8 (byte 0x%02x at offset %zu)", (unsigned char)buf[bad], bad);
    split s;
    post_status rc = split_front_matter(&s, path, buf, len, err);
    if (rc != POST_OK)
        return rc;
    post *p = calloc(1, sizeof *p);
    if (!p)
        return fail(err, POST_EIO, path, 0, "out of memory");
    rc = read_front_matter(p, path, &s, err);
    if (rc != POST_OK) {
        post_free(p);
        return rc;
    }
    read_body(p, s.body, s.body_len);
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
