/* index.c — what every part of loomsearch-index shares: its messages and the
 * index root's lock (index.h). */
#include "index.h"

#include "indexroot.h"
#include "source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vreport(const char *fmt, va_list ap)
{
    fputs("loomsearch-index: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

int index_lock(const index_options *opt, int *fd)
{
    if (indexroot_init(opt->root) != 0) {
        report("cannot create index root %s: %s", opt->root, strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    *fd = indexroot_lock(opt->root);
    if (*fd >= 0)
        return EXIT_INDEX_OK;
    if (errno == EWOULDBLOCK) {
        report("another loomsearch-index is running on %s", opt->root);
        return EXIT_INDEX_LOCKED;
    }
    report("cannot lock %s: %s", opt->root, strerror(errno));
    return EXIT_INDEX_FAILED;
}

source *index_open_source(const index_options *opt)
{
    char why[512];
    source *src = source_markdown_open(opt->corpus, why, sizeof why);
    if (!src)
        report("%s", why);
    return src;
}
