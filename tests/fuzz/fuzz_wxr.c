/* fuzz_wxr.c — libFuzzer target: any bytes as one <item> of a WordPress export,
 * parsed as a worker parses it (source_wxr.c) against a fixed export header. It
 * must return a post or an error naming the item's locator, never crash, leak or
 * read a file; a post it returns must have a title and a valid slug, and survive
 * its own JSON round trip whole. Seeds are items as WordPress writes them. */
#include "fuzz_post_check.h"
#include "source.h"
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* index.c's, which this target does not link: the listing's messages. */
void report(const char *fmt, ...)
{
    (void)fmt;
}

static const char header[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n"
    "<channel><title>t</title><wp:author><wp:author_login>ada</wp:author_login>"
    "<wp:author_display_name>Ada B</wp:author_display_name></wp:author>\n"
    "</channel></rss>\n";

static source *open_once(void)
{
    static source *s;
    if (s)
        return s;
    char path[] = "/tmp/fuzz_wxr_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, header, sizeof header - 1) != (ssize_t)(sizeof header - 1))
        abort();
    close(fd);
    char why[256];
    s = source_wxr_open(path, true, why, sizeof why);
    unlink(path);
    if (!s)
        abort();
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const source *s = open_once();
    const char *where = "fuzz.xml@0+0";
    post *p = NULL;
    post_error err;
    char *buf = xstrndup((const char *)data, size); /* a worker's buffer ends in NUL */
    post_status rc = s->ops->parse(s, where, buf, size, &p, &err);
    free(buf);
    if (rc != POST_OK) {
        if (p || strncmp(err.message, where, strlen(where)) != 0)
            abort(); /* every failure names the item */
        return 0;
    }
    fuzz_check_post(p, false);
    return 0;
}
