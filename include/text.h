/* text.h — small shared pieces for text: a growable string buffer and the UTF-8,
 * HTML and slug helpers that the post model, the indexer and the server share.
 * Every function that allocates says so; failure to allocate aborts (see
 * text_oom), because neither program can do anything useful without memory. */
#ifndef LOOM_TEXT_H
#define LOOM_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A NUL-terminated string that grows. Zero-initialise, append, then take .data
 * (free() it) or sb_free(). */
typedef struct strbuf {
    char *data; /* NULL until something is appended */
    size_t len; /* bytes, not counting the NUL */
    size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *s, size_t len);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n in decimal: what sb_printf("%lu") writes, without parsing a format. */
void sb_put_unsigned(strbuf *sb, unsigned long n);
/* The contents as a malloc'd string ("" when empty); the buffer is left empty. */
char *sb_take(strbuf *sb);
void sb_free(strbuf *sb);

/* malloc/calloc/strdup that abort with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size); /* zeroed */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Whether buf[0..len) is valid UTF-8 with no NUL byte. On false, *bad_offset is
 * the offset of the first bad byte. */
bool utf8_valid(const char *buf, size_t len, size_t *bad_offset);

/* A malloc'd copy of buf[0..len) in which each invalid UTF-8 sequence becomes
 * U+FFFD and C0 control characters other than tab and newline are dropped. */
char *utf8_clean(const char *buf, size_t len, size_t *out_len);
/* s as one safe line for a log or a terminal: valid UTF-8 printable text kept,
 * every other byte (controls, newlines, terminal escapes, invalid UTF-8)
 * written as backslash-x and two hex digits; when quoted (the field sits
 * between double quotes), a double quote and a backslash backslashed. */
void log_escape(strbuf *out, const char *s, size_t len, bool quoted);
/* "PROGRAM: message" as one line on stderr, the message log_escape()d: file
 * names, titles and parsers' messages carry bytes a post's author chose, and
 * none may drive the terminal or the journal, or start a line of its own. */
void report_line(const char *program, const char *fmt, va_list ap);
void report_to_stderr(const char *program, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The line number (1-based) of byte offset in buf. */
size_t line_of_offset(const char *buf, size_t offset);

/* Append s with each "%XX" (two hex digits) as the byte it names; a '%'
 * without two hex digits after it stays as it is. The result may hold any
 * byte, NUL and invalid UTF-8 included: check it before using it as text. */
void percent_decode(strbuf *out, const char *s);

/* Does s end with tail? */
bool ends_with(const char *s, const char *tail);

/* How many words s holds (NULL: 0): runs of characters other than space,
 * tab, CR and LF, and each character of a script written without spaces
 * (Chinese, Japanese, Korean), where a sentence is one such run. */
size_t word_count(const char *s);

/* Append the visible text of an HTML fragment: tags dropped, the contents of
 * script, style and comments dropped, a few common entities decoded. */
void html_visible_text(strbuf *out, const char *html, size_t len);

/* Append s[0..len) escaped for HTML text and attribute values (& < > " '). */
void html_escape(strbuf *out, const char *s, size_t len);

/* Append s[0..len) percent-encoded for a URL's query string (unreserved
 * characters kept, space as %20). */
void url_encode(strbuf *out, const char *s, size_t len);

/* Whether s is a usable slug: 1..200 bytes of [a-z0-9._-], not starting with '.'. */
bool slug_valid(const char *s);

/* A malloc'd slug made from s: ASCII letters lower-cased, runs of anything else
 * collapsed to '-', trimmed; "" when nothing is left. */
char *slugify(const char *s);
/* slugify, but the ASCII characters in keep (e.g. "._") stay as they are, except
 * at either end: malloc'd. */
char *slugify_keeping(const char *s, const char *keep);

/* A heading's id as GitHub, Hugo (goldmark), Jekyll (kramdown's GFM), Astro
 * and Gatsby (github-slugger) make it: letters and digits lower-cased, in any
 * script; '_' kept; each space and '-' a '-'; everything else dropped
 * ("What's new in v1.2?" is "whats-new-in-v12"). malloc'd, "" when nothing
 * is left. */
char *github_anchor(const char *heading);

/* Has s a letter or a digit, in any script (Unicode categories L and N)?
 * Invalid UTF-8 ends the look. */
bool has_letter_or_digit(const char *s);

/* Case-folded (lower-cased for matching), and also without accents: malloc'd.
 * fold_accents("Zürich") is "zurich". */
char *casefold(const char *s);
char *fold_accents(const char *s);
/* Does UTF-8 s hold a character of an East Asian script: CJK ideographs and
 * punctuation, kana, hangul, full-width forms? Their combining marks are not
 * accents (the voiced mark makes バ, not an accented ハ). */
bool has_east_asian(const char *s);

/* A map from strings (copied) to the caller's pointers. Zero-initialise. */
typedef struct strmap {
    char **keys;
    void **values;
    size_t cap, n;
} strmap;
void *map_get(const strmap *m, const char *key); /* NULL when absent */
void map_put(strmap *m, const char *key, void *value);
void map_free(strmap *m); /* frees the keys, not the values */

#endif
