/* heading_ids.c — a heading's own id, as its author wrote it in the Markdown:
 * "## Title {#id}" (goldmark's attributes in Hugo, pulldown-cmark's in Zola,
 * kramdown's header ids in Jekyll), or kramdown's block attribute list on the
 * line after it, "{: #id}". templates.c removes these from the text; here the
 * original lines are read again, so the section's anchor is the id the
 * generator puts on the page rather than one made from the heading's words. */
#include "post_internal.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HEADING_ID 256

/* Bytes an id may hold in a URL's fragment as written: ASCII letters, digits,
 * "-_:." and any UTF-8 beyond ASCII (the file was checked to be UTF-8). An id
 * with anything else (quotes, spaces, "<") is not taken. */
static bool id_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == ':' || c == '.';
}

/* The "#id" token among the attributes a[0..n) (space-separated: "#id .class
 * key=value"), or NULL. */
static char *id_token(const char *a, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (a[i] == ' ' || a[i] == '\t'))
            i++;
        size_t start = i;
        while (i < n && a[i] != ' ' && a[i] != '\t')
            i++;
        if (i - start < 2 || a[start] != '#' || i - start > MAX_HEADING_ID)
            continue;
        bool ok = true;
        for (size_t k = start + 1; k < i && ok; k++)
            ok = id_byte((unsigned char)a[k]);
        if (ok)
            return xstrndup(a + start + 1, i - start - 1);
    }
    return NULL;
}

/* line[0..len) without trailing spaces, tabs and a carriage return. */
static size_t trimmed(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    return len;
}

/* The id of "{#id ...}" ending the line (kramdown: "{#id}" alone), or NULL. */
static char *trailing_id(const char *line, size_t len, bool kramdown)
{
    len = trimmed(line, len);
    if (len < 4 || line[len - 1] != '}')
        return NULL;
    size_t open = len - 1;
    while (open > 0 && line[open - 1] != '{' && line[open - 1] != '}')
        open--;
    if (open == 0 || line[open - 1] != '{' || line[open] != '#')
        return NULL;
    const char *attrs = line + open;
    size_t n = len - 1 - open;
    if (kramdown && memchr(attrs, ' ', n))
        return NULL;
    return id_token(attrs, n);
}

/* The id of a line that is a kramdown block attribute list, "{: #id .class}". */
static char *ial_id(const char *line, size_t len)
{
    while (len > 0 && (*line == ' ' || *line == '\t'))
        line++, len--;
    len = trimmed(line, len);
    if (len < 4 || line[0] != '{' || line[1] != ':' || line[len - 1] != '}')
        return NULL;
    return id_token(line + 2, len - 3);
}

/* Is the line a setext underline ("===" or "---", spaces around)? */
static bool setext_underline(const char *line, size_t len)
{
    len = trimmed(line, len);
    size_t i = 0;
    while (i < len && i < 3 && line[i] == ' ')
        i++;
    if (i == len || (line[i] != '=' && line[i] != '-'))
        return false;
    char c = line[i];
    while (i < len && line[i] == c)
        i++;
    return i == len;
}

/* Move the cursor to the start of line (1-based; lines only move forward)
 * and return that line's length, or -1 past the end. */
static long line_at(heading_lines *h, size_t line)
{
    while (h->line < line && h->offset < h->len) {
        const char *nl = memchr(h->src + h->offset, '\n', h->len - h->offset);
        h->offset = nl ? (size_t)(nl - h->src) + 1 : h->len;
        h->line++;
    }
    if (h->line != line || h->offset >= h->len)
        return -1;
    const char *nl = memchr(h->src + h->offset, '\n', h->len - h->offset);
    return (long)((nl ? (size_t)(nl - h->src) : h->len) - h->offset);
}

/* line[from..len) without an attribute block ending it ("{#id .class}")
 * and the spaces before it: its new length. */
static size_t without_attributes(const char *line, size_t from, size_t len)
{
    len = trimmed(line, len);
    if (len <= from || line[len - 1] != '}')
        return len;
    size_t open = len - 1;
    while (open > from && line[open] != '{')
        open--;
    return line[open] == '{' ? trimmed(line, open) : len;
}

/* An ATX heading's text as written: the line less its indentation, its #s,
 * a closing sequence of #s and an attribute block ending it. */
static char *atx_source(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && line[i] == ' ')
        i++;
    while (i < len && line[i] == '#')
        i++;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    len = without_attributes(line, i, len);
    size_t close = len;
    while (close > i && line[close - 1] == '#')
        close--;
    if (close < len && (close == i || line[close - 1] == ' ' || line[close - 1] == '\t'))
        len = trimmed(line, close);
    return xstrndup(line + i, len > i ? len - i : 0);
}

/* A setext heading's last line of text, trimmed. */
static char *setext_source(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    len = without_attributes(line, i, len);
    return xstrndup(line + i, len > i ? len - i : 0);
}

/* line[0..len) from its column col (1-based, cmark's: past a quote's ">" or
 * a list item's marker), as a pointer and *len. */
static const char *from_column(const char *line, size_t *len, size_t col)
{
    size_t skip = col > 1 ? col - 1 : 0;
    skip = skip < *len ? skip : *len;
    *len -= skip;
    return line + skip;
}

char *heading_id(heading_lines *h, size_t start_line, size_t end_line, size_t column, char **source)
{
    if (source)
        *source = NULL;
    if (start_line == 0 || end_line < start_line || start_line < h->line ||
        (h->style == POST_IDS_NONE && !source))
        return NULL;
    bool kramdown = h->style == POST_IDS_KRAMDOWN;
    long len = line_at(h, start_line);
    if (len < 0)
        return NULL;
    char *id = trailing_id(h->src + h->offset, (size_t)len, kramdown);
    if (source) {
        size_t n = (size_t)len;
        const char *text = from_column(h->src + h->offset, &n, column);
        *source = end_line == start_line ? atx_source(text, n) : setext_source(text, n);
    }
    size_t last = start_line; /* the heading's last line: an ATX heading has one */
    if (end_line > start_line) {
        /* A setext heading: lines of text, then the underline (cmark's end
         * line may lie past it). The attribute ends the last line of text. */
        size_t l = start_line + 1;
        for (; l <= end_line && (len = line_at(h, l)) >= 0; l++) {
            if (setext_underline(h->src + h->offset, (size_t)len))
                break;
            free(id);
            id = trailing_id(h->src + h->offset, (size_t)len, kramdown);
            if (source) {
                size_t n = (size_t)len;
                const char *text = from_column(h->src + h->offset, &n, column);
                free(*source), *source = setext_source(text, n);
            }
        }
        if (l > end_line || len < 0) {
            free(id);
            if (source)
                free(*source), *source = NULL;
            return NULL;
        }
        last = l;
    }
    if (h->style == POST_IDS_NONE) {
        free(id);
        return NULL;
    }
    if (!id && kramdown && (len = line_at(h, last + 1)) >= 0)
        id = ial_id(h->src + h->offset, (size_t)len);
    return id;
}
