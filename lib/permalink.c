/* permalink.c — a post's URL from a pattern (permalink.h). */
#include "permalink.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

/* The date parts of "YYYY-MM-DD": where each starts and how long it is. */
static const struct {
    const char *token;
    size_t at, len;
} date_parts[] = {{"{yyyy}", 0, 4}, {"{mm}", 5, 2}, {"{dd}", 8, 2}};

/* Expand the date token at p into sb, if p holds one; how many bytes of the
 * pattern it took (0: none). Undated, the "/" after it goes too. */
static size_t expand_date(strbuf *sb, const char *p, const char *date)
{
    bool dated = date && strlen(date) >= 10;
    for (size_t i = 0; i < sizeof date_parts / sizeof date_parts[0]; i++) {
        size_t n = strlen(date_parts[i].token);
        if (strncmp(p, date_parts[i].token, n) != 0)
            continue;
        if (dated)
            sb_append(sb, date + date_parts[i].at, date_parts[i].len);
        else if (p[n] == '/') /* "/{yyyy}/{slug}/" -> "/{slug}/" */
            n++;
        return n;
    }
    return 0;
}

/* Expand a field token at p into sb; bytes taken (0: none). */
static size_t expand_field(strbuf *sb, const char *p, const permalink_fields *f)
{
    if (strncmp(p, "{slug}", 6) == 0) {
        sb_puts(sb, f->slug ? f->slug : "");
        return 6;
    }
    if (strncmp(p, "{filename}", 10) == 0) {
        sb_puts(sb, f->filename ? f->filename : "");
        return 10;
    }
    if (strncmp(p, "{section}", 9) == 0) {
        sb_puts(sb, f->section ? f->section : "");
        return 9;
    }
    if (strncmp(p, "{title}", 7) == 0) {
        char *slug = slugify(f->title ? f->title : "");
        sb_puts(sb, slug);
        free(slug);
        return 7;
    }
    return 0;
}

char *permalink_expand(const char *pattern, const permalink_fields *f)
{
    strbuf sb = {0};
    sb_puts(&sb, "");
    for (const char *p = pattern; *p;) {
        size_t n = *p == '{' ? expand_field(&sb, p, f) : 0;
        if (!n && *p == '{')
            n = expand_date(&sb, p, f->date);
        if (n)
            p += n;
        else
            sb_putc(&sb, *p++);
    }
    return sb_take(&sb);
}
