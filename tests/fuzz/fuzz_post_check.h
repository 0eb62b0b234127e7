/* fuzz_post_check.h — what the fuzz targets that make posts (fuzz_post,
 * fuzz_wxr, fuzz_html_site) demand of every post they get: a title, a valid
 * slug, section anchors a URL can end with as written (no space, quote, angle
 * bracket or control byte; not empty, except on a built page, where "" says
 * the heading has no id), and a JSON round trip (how workers hand posts on)
 * that loses nothing.
 * Aborts otherwise, which libFuzzer reports as a finding; frees p. */
#ifndef LOOM_FUZZ_POST_CHECK_H
#define LOOM_FUZZ_POST_CHECK_H

#include "post.h"
#include "text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline void fuzz_check_post(post *p, bool ids_as_served)
{
    if (!p->title || !*p->title || !slug_valid(p->slug))
        abort();
    for (size_t i = 0; i < p->n_sections; i++) {
        const char *a = p->sections[i].anchor;
        if (!a || (!*a && !ids_as_served))
            abort();
        for (; *a; a++)
            if ((unsigned char)*a <= ' ' || strchr("\"<>'`", *a))
                abort();
    }
    char *json = post_to_json(p);
    post *back = post_from_json(json, strlen(json));
    char *again = back ? post_to_json(back) : NULL;
    if (!again || strcmp(json, again) != 0)
        abort();
    free(again);
    post_free(back);
    free(json);
    post_free(p);
}

#endif
