/* index.c — what every part of loomsearch-index shares: its messages and the
 * index root's lock (index.h). */
#include "index.h"

#include "indexroot.h"
#include "source.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vreport(const char *fmt, va_list ap)
{
    report_line("loomsearch-index", fmt, ap);
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
    site *s = NULL;
    const char *dir = opt->corpus;
    if (opt->html) {
        source *h = source_html_open(opt->html, opt->base_url, opt->content_selector, why, sizeof why);
        if (!h)
            report("%s", why);
        return h;
    }
    if (opt->wordpress) {
        source *wp = source_wxr_open(opt->wordpress, opt->wordpress_pages, why, sizeof why);
        if (!wp)
            report("%s", why);
        return wp;
    }
    if (opt->wordpress_json) {
        source *wj = source_wpjson_open(opt->wordpress_json, opt->wordpress_pages, why, sizeof why);
        if (!wj)
            report("%s", why);
        return wj;
    }
    if (opt->site) {
        if (!(s = site_open(opt->site, why, sizeof why))) {
            report("%s", why);
            return NULL;
        }
        if (s->generator == SITE_UNKNOWN && !opt->quiet)
            report("%s: no Hugo, Jekyll, Zola, Eleventy, Astro or Gatsby config found; "
                   "reading it as a folder of posts (--corpus)", opt->site);
        dir = opt->corpus ? opt->corpus : s->content; /* --corpus narrows a site's folder */
    }
    source *src = source_markdown_open(dir, s, opt->permalink, why, sizeof why);
    if (!src)
        report("%s", why);
    return src;
}

/* ---- The summary ---------------------------------------------------------------- */

void summary_refused(index_summary *s, const char *reason)
{
    s->failed++;
    size_t i = 0;
    while (i < s->n_refused_by && strcmp(s->refused_by[i].name, reason) != 0)
        i++;
    if (i == s->n_refused_by) {
        if (i == INDEX_REASONS) /* a table full of reasons: count the rest with the last */
            i--;
        else
            snprintf(s->refused_by[s->n_refused_by++].name, sizeof s->refused_by[i].name, "%s", reason);
    }
    s->refused_by[i].n++;
}

void summary_add(index_summary *to, const index_summary *from)
{
    to->added += from->added, to->updated += from->updated, to->deleted += from->deleted;
    to->unchanged += from->unchanged, to->read += from->read, to->doccount += from->doccount;
    to->undated += from->undated, to->suffixed += from->suffixed, to->found += from->found;
    to->seconds += from->seconds;
    for (int k = 0; k < POST_SKIP_COUNT; k++)
        to->skipped[k] += from->skipped[k];
    for (size_t i = 0; i < from->n_refused_by; i++)
        for (unsigned n = 0; n < from->refused_by[i].n; n++)
            summary_refused(to, from->refused_by[i].name);
}

unsigned summary_skipped(const index_summary *s)
{
    unsigned n = 0;
    for (int k = 0; k < POST_SKIP_COUNT; k++)
        n += s->skipped[k];
    return n;
}

void summary_print_counts(FILE *out, const index_summary *s)
{
    unsigned skipped = summary_skipped(s);
    fprintf(out, "skipped %u", skipped);
    const char *sep = " (";
    for (int k = 0; k < POST_SKIP_COUNT; k++)
        if (s->skipped[k]) {
            fprintf(out, "%s%s %u", sep, post_skip_name((post_skip)k), s->skipped[k]);
            sep = ", ";
        }
    fprintf(out, "%s; refused %u", skipped ? ")" : "", s->failed);
    for (size_t i = 0; i < s->n_refused_by; i++)
        fprintf(out, "%s%s %u", i ? ", " : " (", s->refused_by[i].name, s->refused_by[i].n);
    fprintf(out, "%s; undated %u; slugs suffixed %u", s->n_refused_by ? ")" : "", s->undated,
            s->suffixed);
}

/* What to look at first when many posts are refused for this reason. */
static const char *refused_hint(const char *reason)
{
    /* Posts not parsing as posts at all: most often the wrong folder. */
#define WRONG_FOLDER "is --corpus pointing at the posts folder?"
    static const struct {
        const char *reason, *hint;
    } hints[] = {
        {"field", WRONG_FOLDER},
        {"yaml", WRONG_FOLDER},
        {"no_front_matter", WRONG_FOLDER},
        {"unclosed_front_matter", WRONG_FOLDER},
        {"binary", WRONG_FOLDER},
        {"utf8", "are the posts in another encoding than UTF-8?"},
        {"io", "may the indexer read the posts?"},
        {"too_big", "raise --max-size?"},
        {"timeout", "raise --parse-timeout?"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(hints[i].reason, reason) == 0)
            return hints[i].hint;
    return "the messages above name each post and what is wrong with it";
#undef WRONG_FOLDER
}

int summary_check_refused(const index_summary *s, const char *outcome)
{
    unsigned skipped = summary_skipped(s);
    unsigned posts = s->found > skipped ? s->found - skipped : 0;
    if (!s->failed || s->failed <= INDEX_REFUSED_MAX * posts)
        return EXIT_INDEX_OK;
    const index_reason *top = &s->refused_by[0];
    for (size_t i = 1; i < s->n_refused_by; i++)
        if (s->refused_by[i].n > top->n)
            top = &s->refused_by[i];
    report("refused %u of %u posts (%.0f%%, over %.0f%%), most for '%s' (%u): %s %s", s->failed,
           posts, 100.0 * s->failed / (posts ? posts : 1), INDEX_REFUSED_MAX * 100, top->name,
           top->n, refused_hint(top->name), outcome);
    return EXIT_INDEX_MOSTLY_REFUSED;
}
