/* synonyms.c — read the synonyms file and find its entries in a post's words. */
#include "synonyms.h"

#include "fdio.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

/* Words of s, case-folded, as one string with single spaces between them:
 * "Liverpool  City-Region!" -> "liverpool city region". */
static char *normalise_words(const char *s)
{
    utf8proc_uint8_t *folded = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_CASEFOLD) < 0)
        return xstrdup("");
    strbuf sb = {0};
    bool gap = false;
    for (const unsigned char *p = folded; *p; p++) {
        /* Bytes of multi-byte characters count as letters. */
        if (isalnum(*p) || *p >= 0x80) {
            if (gap && sb.len)
                sb_putc(&sb, ' ');
            gap = false;
            sb_putc(&sb, (char)*p);
        } else {
            gap = true;
        }
    }
    free(folded);
    return sb_take(&sb);
}

static bool fail_line(char *why, size_t why_len, const char *path, int line, const char *what)
{
    snprintf(why, why_len, "%s:%d: %s", path, line, what);
    return false;
}

/* One line of the file (its comment already cut off): an entry added to
 * out, or false with why. */
static bool read_entry(synonyms *out, char *line, const char *path, int lineno, char *why,
                       size_t why_len)
{
    char *eq = strchr(line, '=');
    char *all = normalise_words(line);
    bool blank = *all == '\0';
    free(all);
    if (blank)
        return true;
    if (!eq)
        return fail_line(why, why_len, path, lineno, "want 'abbreviation = words'");
    *eq = '\0';
    char *abbrev = normalise_words(line), *expansion = normalise_words(eq + 1);
    if (!*abbrev || strchr(abbrev, ' ') || !*expansion || !strchr(expansion, ' ')) {
        free(abbrev);
        free(expansion);
        return fail_line(why, why_len, path, lineno,
                         "want one word, '=', then the two or more words it stands for");
    }
    out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
    out->items[out->n++] = (synonym){.abbrev = abbrev, .expansion = expansion};
    return true;
}

bool synonyms_load(synonyms *out, const char *path, char *why, size_t why_len)
{
    *out = (synonyms){0};
    char *text;
    size_t len;
    /* Read whole and capped: a regular file of at most SYNONYMS_MAX_BYTES, never
     * a device (--synonyms /dev/zero would grow without end). */
    fd_status st = fd_read_file(&text, &len, path, SYNONYMS_MAX_BYTES, why, why_len);
    if (st == FD_ETOOBIG)
        snprintf(why, why_len, "%s: a synonyms file is at most %d bytes", path, SYNONYMS_MAX_BYTES);
    if (st != FD_OK)
        return false;
    if (memchr(text, '\0', len)) {
        free(text);
        snprintf(why, why_len, "%s: a synonyms file is text, this holds a NUL byte", path);
        return false;
    }
    bool ok = true;
    int lineno = 0;
    for (char *line = text; ok && line < text + len; lineno++) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : text + len;
        if (end)
            *end = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        ok = read_entry(out, line, path, lineno + 1, why, why_len);
        line = next;
    }
    snprintf(out->hash, sizeof out->hash, "%016llx", (unsigned long long)XXH3_64bits(text, len));
    free(text);
    if (!ok)
        synonyms_free(out);
    return ok;
}

void synonyms_free(synonyms *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].abbrev);
        free(s->items[i].expansion);
    }
    free(s->items);
    *s = (synonyms){0};
}

/* Does words (single-spaced) contain phrase as whole words? */
static bool has_phrase(const char *words, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = strstr(words, phrase); p; p = strstr(p + 1, phrase)) {
        bool starts = p == words || p[-1] == ' ';
        bool ends = p[n] == '\0' || p[n] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}

void synonyms_apply(const synonyms *s, const char *text, void (*add)(void *ctx, const char *words),
                    void *ctx)
{
    if (s->n == 0)
        return;
    char *words = normalise_words(text);
    for (size_t i = 0; i < s->n; i++) {
        if (has_phrase(words, s->items[i].expansion))
            add(ctx, s->items[i].abbrev);
        if (has_phrase(words, s->items[i].abbrev))
            add(ctx, s->items[i].expansion);
    }
    free(words);
}
