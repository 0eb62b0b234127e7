/* synonyms.c — read the synonyms file and find its entries in a post's words. */
#include "synonyms.h"

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

bool synonyms_load(synonyms *out, const char *path, char *why, size_t why_len)
{
    *out = (synonyms){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, why_len, "%s: cannot open the synonyms file", path);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    XXH3_state_t *state = XXH3_createState();
    XXH3_64bits_reset(state);
    bool ok = true;
    ssize_t n;
    while (ok && (n = getline(&line, &cap, f)) > 0) {
        lineno++;
        XXH3_64bits_update(state, line, (size_t)n);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *eq = strchr(line, '=');
        char *all = normalise_words(line);
        bool blank = *all == '\0';
        free(all);
        if (blank)
            continue;
        if (!eq) {
            ok = fail_line(why, why_len, path, lineno, "want 'abbreviation = words'");
            break;
        }
        *eq = '\0';
        char *abbrev = normalise_words(line), *expansion = normalise_words(eq + 1);
        if (!*abbrev || strchr(abbrev, ' ') || !*expansion || !strchr(expansion, ' ')) {
            free(abbrev);
            free(expansion);
            ok = fail_line(why, why_len, path, lineno,
                           "want one word, '=', then the two or more words it stands for");
            break;
        }
        out->items = xrealloc(out->items, (out->n + 1) * sizeof *out->items);
        out->items[out->n++] = (synonym){.abbrev = abbrev, .expansion = expansion};
    }
    snprintf(out->hash, sizeof out->hash, "%016llx", (unsigned long long)XXH3_64bits_digest(state));
    XXH3_freeState(state);
    free(line);
    fclose(f);
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
