/* fuzz_html_site.c — libFuzzer target: any bytes as one page of a built site,
 * parsed as a worker parses it (source_html.c). It must return a post or an
 * error naming the page, never crash, leak or read a file; a post it returns
 * must have a title, a valid slug and a URL, and survive its own JSON round trip
 * whole. Seeds are the pages of tests/data/html-site. */
#include "fuzz_post_check.h"
#include "source.h"
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static source *open_once(void)
{
    static source *s;
    if (s)
        return s;
    char why[256];
    s = source_html_open("/", "https://blog.example.org/", NULL, why, sizeof why);
    if (!s)
        abort();
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const source *s = open_once();
    const char *where = "//posts/fuzz/index.html"; /* the root "/" and a path under it */
    post *p = NULL;
    post_error err;
    char *buf = xstrndup((const char *)data, size); /* a worker's buffer ends in NUL */
    post_status rc = s->ops->parse(s, where, buf, size, &p, &err);
    free(buf);
    if (rc != POST_OK) {
        if (p || strncmp(err.message, where, strlen(where)) != 0)
            abort(); /* every failure names the page */
        return 0;
    }
    if (!p->url)
        abort();
    fuzz_check_post(p, true);
    return 0;
}
