/* text.c — string buffer, UTF-8 checks and repair (utf8proc), visible text of raw
 * HTML, and slugs. */
#include "text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <xxhash.h>

static void text_oom(void)
{
    fputs("loomsearch: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        text_oom();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        text_oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        text_oom();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static void sb_reserve(strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
    sb->data[sb->len] = '\0'; /* a reserved buffer is already a valid string */
}

void sb_append(strbuf *sb, const char *s, size_t len)
{
    sb_reserve(sb, len);
    memcpy(sb->data + sb->len, s, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c)
{
    sb_append(sb, &c, 1);
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void sb_put_unsigned(strbuf *sb, unsigned long n)
{
    char digits[24]; /* 2^64 has 20 */
    size_t at = sizeof digits;
    do
        digits[--at] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    sb_append(sb, digits + at, sizeof digits - at);
}

char *sb_take(strbuf *sb)
{
    char *s = sb->data ? sb->data : xstrdup("");
    *sb = (strbuf){0};
    return s;
}

void sb_free(strbuf *sb)
{
    free(sb->data);
    *sb = (strbuf){0};
}

bool utf8_valid(const char *buf, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)buf + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += (size_t)n;
    }
    return true;
}

void log_escape(strbuf *out, const char *s, size_t len, bool quoted)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        /* C0 and C1 controls and DEL drive terminals; a newline forges a line. */
        bool plain = n > 0 && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0);
        if (plain && quoted && (cp == '"' || cp == '\\')) {
            sb_putc(out, '\\');
            sb_putc(out, (char)cp);
        } else if (plain) {
            sb_append(out, s + i, (size_t)n);
        } else {
            n = n > 0 ? n : 1;
            for (utf8proc_ssize_t b = 0; b < n; b++)
                sb_printf(out, "\\x%02x", (unsigned char)s[i + (size_t)b]);
        }
        i += (size_t)n;
    }
}

void report_line(const char *program, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    size_t len = n > 0 ? (size_t)n : 0;
    char *raw = xmalloc(len + 1);
    vsnprintf(raw, len + 1, fmt, ap);
    strbuf line = {0};
    sb_printf(&line, "%s: ", program);
    log_escape(&line, raw, len, false);
    sb_putc(&line, '\n');
    fwrite(line.data, 1, line.len, stderr);
    sb_free(&line);
    free(raw);
}

void report_to_stderr(const char *program, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_line(program, fmt, ap);
    va_end(ap);
}

char *utf8_clean(const char *buf, size_t len, size_t *out_len)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    strbuf sb = {0};
    sb_reserve(&sb, len);
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)buf + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            sb_append(&sb, replacement, 3);
            i++;
            continue;
        }
        /* Control characters would drive terminals or spoof highlight markers. */
        bool control = (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f;
        if (!control)
            sb_append(&sb, buf + i, (size_t)n);
        i += (size_t)n;
    }
    if (out_len)
        *out_len = sb.len;
    return sb_take(&sb);
}

size_t line_of_offset(const char *buf, size_t offset)
{
    size_t line = 1;
    for (size_t i = 0; i < offset; i++)
        if (buf[i] == '\n')
            line++;
    return line;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void percent_decode(strbuf *out, const char *s)
{
    sb_puts(out, "");
    for (; *s; s++) {
        int hi = s[0] == '%' ? hex_digit(s[1]) : -1, lo = hi >= 0 ? hex_digit(s[2]) : -1;
        if (lo >= 0)
            sb_putc(out, (char)(hi * 16 + lo)), s += 2;
        else
            sb_putc(out, *s);
    }
}

bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* Is the code point of a script written without spaces between words? */
static bool is_east_asian(utf8proc_int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11ff) ||  /* hangul jamo */
           (cp >= 0x2e80 && cp <= 0x9fff) ||  /* radicals, CJK punctuation, kana, ideographs */
           (cp >= 0xa960 && cp <= 0xa97f) ||  /* hangul jamo extended */
           (cp >= 0xac00 && cp <= 0xd7ff) ||  /* hangul syllables and jamo */
           (cp >= 0xf900 && cp <= 0xfaff) ||  /* compatibility ideographs */
           (cp >= 0xfe30 && cp <= 0xfe4f) ||  /* CJK compatibility forms */
           (cp >= 0xff00 && cp <= 0xffef) ||  /* half- and full-width forms */
           (cp >= 0x20000 && cp <= 0x3ffff);  /* ideographs beyond the BMP */
}

size_t word_count(const char *s)
{
    size_t n = 0;
    for (bool in_word = false; s && *s;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
        if (len <= 0)
            cp = (unsigned char)*s, len = 1; /* a byte that is no UTF-8: a letter of a word */
        bool space = cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r';
        bool alone = is_east_asian(cp); /* a character is a word where words have no spaces */
        n += (!space && !in_word) || (alone && in_word);
        in_word = !space && !alone;
        s += len;
    }
    return n;
}

/* Case-insensitive: does html[i..] start with word? */
static bool starts_with_ci(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

static const char *find_ci(const char *p, const char *end, const char *word)
{
    for (; p < end; p++)
        if (starts_with_ci(p, end, word))
            return p;
    return end;
}

static const struct {
    const char *name;
    const char *text;
} entities[] = {
    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
    {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "},
};

/* A numeric character reference at p ("&#39;", "&#x27;") written to out as
 * UTF-8; its length, or 0 when it is not one (or names no printable character). */
static size_t numeric_reference(strbuf *out, const char *p, const char *end)
{
    bool hex = end - p > 3 && p[1] == '#' && (p[2] == 'x' || p[2] == 'X');
    const char *d = p + (hex ? 3 : 2), *q = d;
    unsigned long v = 0;
    if (end - p < 4 || p[1] != '#')
        return 0;
    while (q < end && q - d < 7 && (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q)))
        v = v * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)*q) ? *q - '0'
                                                  : (tolower((unsigned char)*q) - 'a' + 10)), q++;
    if (q == d || q == end || *q != ';' || v < 0x20 || v == 0x7f || v > 0x10ffff ||
        (v >= 0xd800 && v <= 0xdfff) || (v >= 0x80 && v < 0xa0))
        return 0;
    char u[4];
    size_t n = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
    for (size_t k = n - 1; k > 0; k--, v >>= 6)
        u[k] = (char)(0x80 | (v & 0x3f));
    u[0] = (char)(n == 1 ? v : (lead[n] | v));
    sb_append(out, u, n);
    return (size_t)(q + 1 - p);
}

void html_visible_text(strbuf *out, const char *html, size_t len)
{
    const char *p = html, *end = html + len;
    while (p < end) {
        if (*p == '<') {
            if (starts_with_ci(p, end, "<!--")) {
                const char *close = find_ci(p + 4, end, "-->");
                p = close == end ? end : close + 3;
                continue;
            }
            const char *skip_until = NULL;
            if (starts_with_ci(p, end, "<script"))
                skip_until = "</script";
            else if (starts_with_ci(p, end, "<style"))
                skip_until = "</style";
            if (skip_until)
                p = find_ci(p, end, skip_until);
            const char *gt = memchr(p, '>', (size_t)(end - p));
            p = gt ? gt + 1 : end;
            sb_putc(out, ' '); /* a tag separates words: "a<br>b" is two words */
            continue;
        }
        if (*p == '&') {
            bool decoded = false;
            for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
                if (starts_with_ci(p, end, entities[i].name)) {
                    sb_puts(out, entities[i].text);
                    p += strlen(entities[i].name);
                    decoded = true;
                    break;
                }
            }
            size_t ref = decoded ? 0 : numeric_reference(out, p, end);
            p += ref;
            if (decoded || ref)
                continue;
        }
        sb_putc(out, *p++);
    }
}

void html_escape(strbuf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': sb_puts(out, "&amp;"); break;
        case '<': sb_puts(out, "&lt;"); break;
        case '>': sb_puts(out, "&gt;"); break;
        case '"': sb_puts(out, "&quot;"); break;
        case '\'': sb_puts(out, "&#39;"); break;
        default: sb_putc(out, s[i]); break;
        }
    }
}

void url_encode(strbuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            sb_putc(out, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_append(out, esc, 3);
        }
    }
}

bool slug_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 200 || s[0] == '.')
        return false;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' ||
              *p == '_' || *p == '.'))
            return false;
    return true;
}

char *slugify_keeping(const char *s, const char *keep)
{
    /* Decompose and drop the marks first, so "Zürich" gives "zurich". */
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK);
    const char *ascii = n >= 0 ? (const char *)folded : s;
    strbuf sb = {0};
    bool dash = false;
    for (const char *p = ascii; *p && sb.len < 200; p++) {
        unsigned char c = (unsigned char)*p;
        bool kept = c && c < 0x80 && strchr(keep, c) && sb.len > 0;
        if ((isalnum(c) && c < 0x80) || kept) {
            if (dash && sb.len > 0)
                sb_putc(&sb, '-');
            dash = false;
            sb_putc(&sb, (char)tolower(c));
        } else {
            dash = true;
        }
    }
    free(folded);
    while (sb.len > 0 && strchr(keep, sb.data[sb.len - 1]))
        sb.data[--sb.len] = '\0'; /* a slug ends with a letter or digit */
    return sb_take(&sb);
}

char *slugify(const char *s)
{
    return slugify_keeping(s, "");
}

/* ---- strmap: open addressing with linear probing, grown at half full ---- */

static size_t map_slot(const strmap *m, const char *key)
{
    size_t i = (size_t)XXH3_64bits(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void *map_get(const strmap *m, const char *key)
{
    if (m->n == 0)
        return NULL;
    return m->values[map_slot(m, key)];
}

void map_put(strmap *m, const char *key, void *value)
{
    if (2 * (m->n + 1) > m->cap) {
        strmap bigger = {.cap = m->cap ? m->cap * 2 : 64};
        bigger.keys = xcalloc(bigger.cap, sizeof *bigger.keys);
        bigger.values = xcalloc(bigger.cap, sizeof *bigger.values);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = map_slot(&bigger, m->keys[i]);
            bigger.keys[j] = m->keys[i];
            bigger.values[j] = m->values[i];
        }
        bigger.n = m->n;
        free(m->keys);
        free(m->values);
        *m = bigger;
    }
    size_t i = map_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->n++;
    }
    m->values[i] = value;
}

void map_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    *m = (strmap){0};
}


static char *utf8_map(const char *s, int options)
{
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     (utf8proc_option_t)(UTF8PROC_NULLTERM | UTF8PROC_STABLE | options)) < 0)
        return xstrdup(s);
    return (char *)out;
}

char *casefold(const char *s)
{
    return utf8_map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

char *fold_accents(const char *s)
{
    return utf8_map(s, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
}

/* Unicode's letters (categories L) and digits (N), in any script. */
static bool is_letter_or_digit(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Has the UTF-8 string s a code point that is? Invalid UTF-8 ends the look. */
static bool any_code_point(const char *s, bool (*is)(utf8proc_int32_t))
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    for (;;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0 || cp == 0)
            return false;
        if (is(cp))
            return true;
        p += n;
    }
}

char *github_anchor(const char *heading)
{
    strbuf out = {0};
    sb_puts(&out, "");
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)heading;
    for (;;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0 || cp == 0)
            break;
        p += n;
        bool word = cp == '_' || is_letter_or_digit(cp);
        if (cp == ' ' || cp == '-') {
            sb_putc(&out, '-');
        } else if (word) {
            utf8proc_uint8_t buf[4];
            utf8proc_ssize_t len = utf8proc_encode_char(utf8proc_tolower(cp), buf);
            sb_append(&out, (const char *)buf, (size_t)len);
        }
    }
    return sb_take(&out);
}

bool has_letter_or_digit(const char *s)
{
    return any_code_point(s, is_letter_or_digit);
}

bool has_east_asian(const char *s)
{
    return any_code_point(s, is_east_asian);
}
