/* eleventy_slug.c — Eleventy's slug filters, spelled character by character
 * as the JavaScript packages spell them (compared with @sindresorhus/slugify
 * 2.2.1 and slugify 1.6.9 under Eleventy 3's options on every character of
 * ASCII, Latin-1, Latin Extended-A/B, IPA, modifier letters, Latin Extended
 * Additional and general punctuation, inside words; a combining mark standing
 * alone is dropped, where slugify makes a few of them a word break):
 *
 *   slugify  each character transliterated (ä ae, ß ss, & " and ", accents
 *            dropped), lower-cased, the ' of a word's 't or 's dropped, each
 *            run of anything but a-z0-9 one "-"
 *   slug     each character by the package's map ($ dollar, & and, ä a,
 *            unmapped non-ASCII dropped); only letters, digits, blanks and
 *            $*_+~.()'"!:@ kept; trimmed, each run of blanks one "-";
 *            lower-cased
 *
 * Both packages also transliterate Greek, Cyrillic, Arabic and other scripts
 * by tables we do not copy: a string holding such a character has no slug we
 * can vouch for (NULL), and the caller marks the URL guessed. */
#include "eleventy_slug.h"

#include "text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { SLUGIFY = 1, SLUG = 2 };

#define SEP "\x01" /* slugify: a character that parts words but is no blank */

/* Characters the packages spell otherwise than the default rule of spell():
 * each filter's spelling, NULL for the default. From their own tables. */
static const struct spelling {
    int32_t cp;
    const char *slugify, *slug;
} spellings[] = {
    {'$', NULL, "dollar"}, {'%', NULL, "percent"}, {'&', " and ", "and"}, {'<', NULL, "less"},
    {'>', NULL, "greater"}, {'|', NULL, "or"}, {'^', "", NULL}, {'`', "", NULL},
    {0xA2, "c", "cent"}, {0xA3, NULL, "pound"}, {0xA4, NULL, "currency"}, {0xA5, "Y", "yen"},
    {0xA8, "", NULL}, {0xA9, NULL, "(c)"}, {0xAA, NULL, "a"}, {0xAE, NULL, "(r)"},
    {0xAF, "", NULL}, {0xB4, "", NULL}, {0xB7, "", NULL}, {0xB8, "", NULL}, {0xBA, NULL, "o"},
    {0xC4, "Ae", NULL}, {0xD6, "Oe", NULL}, {0xDC, "Ue", NULL},
    {0xE4, "ae", NULL}, {0xF6, "oe", NULL}, {0xFC, "ue", NULL},
    {0xC6, "AE", "AE"}, {0xE6, "ae", "ae"}, {0xD0, "D", "D"}, {0xF0, "d", "d"},
    {0xD8, "O", "O"}, {0xF8, "o", "o"}, {0xDE, "TH", "TH"}, {0xFE, "th", "th"},
    {0xDF, "ss", "ss"}, {0x1E9E, "SS", "SS"}, {0x110, "D", "DJ"}, {0x111, "d", "dj"},
    {0x126, "H", NULL}, {0x127, "h", NULL}, {0x131, "i", "i"}, {0x132, "IJ", NULL},
    {0x133, "ij", NULL}, {0x141, "L", "L"}, {0x142, "l", "l"}, {0x152, NULL, "OE"},
    {0x153, NULL, "oe"}, {0x18F, NULL, "E"}, {0x192, NULL, "f"}, {0x1C8, NULL, "LJ"},
    {0x1C9, NULL, "lj"}, {0x1CB, NULL, "NJ"}, {0x1CC, NULL, "nj"}, {0x259, NULL, "e"},
    {0x2DA, NULL, "o"}, {0x2013, NULL, " "}, {0x2018, NULL, "'"}, {0x2019, NULL, "'"},
    {0x201C, NULL, "\""}, {0x201D, NULL, "\""}, {0x201E, NULL, "\""}, {0x2020, NULL, "+"},
    {0x2022, NULL, "*"}, {0x2026, NULL, "..."}, {0x2120, NULL, "sm"}, {0x2122, NULL, "tm"},
    {0x2202, NULL, "d"}, {0x2206, NULL, "delta"}, {0x2211, NULL, "sum"},
    {0x221E, NULL, "infinity"}, {0x2665, " love ", "love"}, {0x1F984, " unicorn ", NULL},
};

/* What each package transliterates by tables we do not hold. */
static const struct {
    int32_t from, to;
    int filters;
} unknown[] = {
    {0x370, 0x3FF, SLUGIFY | SLUG},  /* Greek */
    {0x400, 0x4FF, SLUGIFY | SLUG},  /* Cyrillic */
    {0x500, 0x52F, SLUGIFY},         /* Cyrillic supplement */
    {0x530, 0x58F, SLUGIFY | SLUG},  /* Armenian */
    {0x600, 0x6FF, SLUGIFY | SLUG},  /* Arabic */
    {0x780, 0x7BF, SLUGIFY},         /* Thaana */
    {0x9F3, 0x9F3, SLUGIFY},         /* Bengali rupee */
    {0xAF1, 0xAF1, SLUGIFY},         /* Gujarati rupee */
    {0xE3F, 0xE3F, SLUGIFY | SLUG},  /* baht */
    {0x10A0, 0x10FF, SLUGIFY | SLUG}, /* Georgian */
    {0x20A0, 0x20CF, SLUGIFY | SLUG}, /* currency signs */
    {0x2460, 0x24FF, SLUGIFY},       /* enclosed letters and digits */
    {0x5143, 0x5143, SLUG},          /* 元 yuan */
    {0x5186, 0x5186, SLUG},          /* 円 yen */
    {0xFDFC, 0xFDFC, SLUG},          /* rial */
    {0xFE69, 0xFE69, SLUGIFY},       /* small dollar */
    {0xFE70, 0xFEFC, SLUGIFY | SLUG}, /* Arabic presentation forms */
    {0xFFE0, 0xFFE6, SLUGIFY},       /* full-width currency */
    {0x1D400, 0x1D7FF, SLUGIFY},     /* mathematical letters */
    {0x1F100, 0x1F1FF, SLUGIFY},     /* enclosed letters */
};

/* Does slug's map hold c, a character not in unknown[]? All of Latin-1 (what
 * it does not spell has no ASCII letter: § ½), and these Latin letters. */
static bool slug_maps(int32_t c)
{
    static const char dropped[] = "ĈĉĊċĔĕĜĝĠġĤĥĦħĬĭĲĳĴĵĸĹĺĿŀŉŊŋŎŏŖŗŜŝŦŧŬŭſ";
    if (c < 0x100)
        return true;
    if (c < 0x180) {
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t n = utf8proc_encode_char(c, buf);
        return !memmem(dropped, sizeof dropped - 1, buf, (size_t)n);
    }
    return c == 0x1A0 || c == 0x1A1 || c == 0x1AF || c == 0x1B0 || (c >= 0x218 && c <= 0x21B) ||
           c == 0x1E62 || c == 0x1E63 || (c >= 0x1E80 && c <= 0x1E85) ||
           (c >= 0x1EA0 && c <= 0x1EF9);
}

/* JavaScript's \s: what both packages treat as a blank. */
static bool js_space(int32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
           utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/* Code point c as filter f spells it: ASCII text (one character in buf), or
 * NULL when we do not know its spelling. The default: ASCII as it is; else
 * the letter without its accents when that is ASCII (slug: only for letters
 * its map holds), else nothing (slug) or a word break (slugify). */
static const char *spell(int32_t c, int f, char buf[2])
{
    if (js_space(c))
        return " ";
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        const char *v = f == SLUGIFY ? spellings[i].slugify : spellings[i].slug;
        if (spellings[i].cp == c && v)
            return v;
    }
    if (f == SLUGIFY && c >= 0x2B0 && c <= 0x2FF)
        return ""; /* modifier letters (ʼ ˆ): \p{Diacritic}, which slugify strips */
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        if (c >= unknown[i].from && c <= unknown[i].to && (unknown[i].filters & f))
            return NULL;
    utf8proc_int32_t d[8] = {c};
    int bound = 0;
    utf8proc_ssize_t n = c < 0x80 ? 1
                                  : utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE |
                                                                         UTF8PROC_STRIPMARK, &bound);
    bool ascii = n == 1 && d[0] < 0x80;
    if (f == SLUG && !slug_maps(c))
        return ""; /* no entry in slug's map: its filter drops the character */
    if (!ascii)
        return f == SLUG || n == 0 ? "" : SEP; /* slugify drops a lone mark */
    buf[0] = (char)d[0];
    buf[1] = '\0';
    return buf;
}

/* s, NFC-normalised as both packages first do, spelled by filter f into t;
 * false when a character's spelling is unknown or s is not UTF-8. */
static bool spell_all(strbuf *t, const char *s, int f)
{
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
    bool ok = nfc != NULL;
    sb_puts(t, "");
    for (const utf8proc_uint8_t *p = nfc; ok && *p;) {
        utf8proc_int32_t c;
        p += utf8proc_iterate(p, -1, &c);
        char buf[2];
        const char *v = spell(c, f, buf);
        if (!v)
            ok = false;
        else
            sb_puts(t, v);
    }
    free(nfc);
    return ok;
}

/* Is the ' at t[i] that of a contraction or possessive ("don't", "it's")? */
static bool contraction(const char *t, size_t i)
{
    char next = (char)tolower((unsigned char)t[i + 1]);
    return i > 0 && isalnum((unsigned char)t[i - 1]) && (next == 't' || next == 's') &&
           (t[i + 2] == '\0' || isspace((unsigned char)t[i + 2]));
}

char *eleventy_slugify(const char *s)
{
    strbuf t = {0}, out = {0};
    if (!spell_all(&t, s, SLUGIFY)) {
        sb_free(&t);
        return NULL;
    }
    sb_puts(&out, "");
    bool dash = false;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)t.data[i]);
        if (c == '\'' && contraction(t.data, i))
            continue;
        if (!isalnum(c)) {
            dash = true;
            continue;
        }
        if (dash && out.len)
            sb_putc(&out, '-');
        dash = false;
        sb_putc(&out, (char)c);
    }
    sb_free(&t);
    return sb_take(&out);
}

char *eleventy_slug(const char *s)
{
    strbuf t = {0}, out = {0};
    if (!spell_all(&t, s, SLUG)) {
        sb_free(&t);
        return NULL;
    }
    sb_puts(&out, "");
    bool blank = false;
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.data[i];
        if (isspace(c) || c == '-') { /* "-" is the replacement: a blank, as the package reads it */
            blank = true;
            continue;
        }
        if (!isalnum(c) && !strchr("_$*+~.()'\"!:@", c))
            continue; /* dropped, and the blanks either side make one */
        if (blank && out.len)
            sb_putc(&out, '-');
        blank = false;
        sb_putc(&out, (char)tolower(c));
    }
    sb_free(&t);
    return sb_take(&out);
}
