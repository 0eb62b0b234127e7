/* fuzz_html_text.c — libFuzzer target: any bytes as HTML for html_to_post, with
 * a small depth cap (chosen by the input's length) so that both the scan's
 * refusals and deep trees are reached. It must fill the post or fail with a
 * message naming the input, never crash or leak; what it fills must be UTF-8
 * without control characters but tab and newline, and each section must start
 * in the text at its heading. */
#include "html_text.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_clean(const char *s)
{
    if (!utf8_valid(s, strlen(s), NULL))
        abort();
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c < 0x20 && *c != '\t' && *c != '\n') || *c == 0x7f ||
            (*c == 0xc2 && c[1] >= 0x80 && c[1] < 0xa0))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned depths[] = {0, 8, 40};
    html_options limits = {.max_depth = depths[size % 3]};
    post *p = xcalloc(1, sizeof *p);
    post_error err;
    if (html_to_post(p, "fuzz.html", (const char *)data, size, &limits, &err) != POST_OK) {
        if (strncmp(err.message, "fuzz.html", 9) != 0)
            abort(); /* every failure names the input */
        post_free(p);
        return 0;
    }
    const char *pieces[] = {p->text, p->headings, p->alt_text, p->link_text, p->code};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        check_clean(pieces[i]);
    size_t len = strlen(p->text), before = 0;
    for (size_t i = 0; i < p->n_sections; i++) {
        const post_section *s = &p->sections[i];
        check_clean(s->heading);
        if (s->offset < before || s->offset > len || !*s->anchor ||
            strncmp(p->text + s->offset, s->heading, strlen(s->heading)) != 0)
            abort();
        before = s->offset;
    }
    post_free(p);
    return 0;
}
