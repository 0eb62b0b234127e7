/* site_testutil.h — what the site rules' tests share: small sites written into
 * a scratch folder, and a post read the way the Markdown source reads it
 * (post_parse, then the site's rules with the front matter). Header-only. */
#ifndef LOOM_SITE_TESTUTIL_H
#define LOOM_SITE_TESTUTIL_H

#include "fdio.h"
#include "site.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Write text to dir/rel, making the folders on the way. */
static inline void site_write(const char *dir, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* The post at rel under the site's content folder, with its URL and site
 * data; NULL when it does not parse. Free with post_free. */
static inline post *site_post(const site *s, const char *rel, const char *permalink)
{
    char path[4096], *buf = NULL, why[256];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", s->content, rel);
    if (fd_read_file(&buf, &len, path, 1 << 20, why, sizeof why) != FD_OK)
        return NULL;
    post *p = NULL;
    json_t *front = NULL, *plain = NULL;
    if (post_parse(&p, path, buf, len, NULL) == POST_OK &&
        post_front_matter(&front, &plain, path, buf, len, NULL) == POST_OK)
        site_apply(s, &(post_place){.rel = rel, .permalink = permalink, .front = front,
                                    .plain = plain},
                   p);
    json_decref(front);
    json_decref(plain);
    free(buf);
    return p;
}

/* One file of a test site: its path under the site and its text. */
typedef struct site_file {
    const char *rel, *text;
} site_file;

/* A new scratch site of the files (up to the first with a NULL rel), opened. */
static inline site *site_make(char **dir, const site_file *files, size_t n)
{
    *dir = scratch_dir();
    for (size_t i = 0; i < n && files[i].rel; i++)
        site_write(*dir, files[i].rel, files[i].text);
    char why[256];
    site *s = site_open(*dir, why, sizeof why);
    if (!s)
        fprintf(stderr, "site_open: %s\n", why);
    return s;
}

/* One test case's site and post, opened by site_run_open. */
typedef struct site_run {
    char *dir;
    site *s;
    post *p;
} site_run;

/* NULL when p's URL is want (want NULL: p has none), else what differs (a
 * static buffer). */
static inline const char *site_url_differs(const post *p, const char *want)
{
    static char bad[512];
    if (want ? p->url && strcmp(p->url, want) == 0 : !p->url)
        return NULL;
    snprintf(bad, sizeof bad, "url %s, want %s", p->url ? p->url : "(none)", want ? want : "(none)");
    return bad;
}

/* A scratch site of the files and its post at rel (under the content folder):
 * NULL when the site is generator's, the post parses and its URL is url, else
 * what is wrong. Release with site_run_free either way. */
static inline const char *site_run_open(site_run *r, const site_file *files, size_t n,
                                        site_generator generator, const char *rel,
                                        const char *permalink, const char *url)
{
    r->s = site_make(&r->dir, files, n);
    r->p = r->s && r->s->generator == generator ? site_post(r->s, rel, permalink) : NULL;
    return !r->p ? "the site is not the generator's, or the post does not parse"
                 : site_url_differs(r->p, url);
}

static inline void site_run_free(site_run *r)
{
    post_free(r->p);
    site_free(r->s);
    scratch_remove(r->dir);
}

/* A site's files and the content folder site_open should find for them
 * (relative to the site: "" for the site itself). */
typedef struct content_case {
    site_file files[3];
    const char *content;
} content_case;

/* NULL when each case's site is generator's with its content folder, else
 * what differs (a static buffer). */
static inline const char *site_content_check(const content_case *cases, size_t n,
                                             site_generator generator)
{
    static char bad[512];
    for (size_t i = 0; i < n; i++) {
        char *dir;
        site *s = site_make(&dir, cases[i].files, 3);
        size_t len = strlen(dir);
        const char *got = !s ? "(no site)"
                          : strncmp(s->content, dir, len) == 0 ? s->content + len + (s->content[len] == '/')
                                                               : s->content;
        if (!s || s->generator != generator || strcmp(got, cases[i].content) != 0)
            snprintf(bad, sizeof bad, "case %zu: content %s, want %s", i, got, cases[i].content);
        site_free(s);
        scratch_remove(dir);
        if (bad[0])
            return bad;
    }
    return NULL;
}

#endif
