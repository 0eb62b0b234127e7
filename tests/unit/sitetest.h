/* sitetest.h — what the site rules' tests share (test_site_hugo.c,
 * test_site_zola.c): a small site written into a scratch folder from a table
 * of files, and the URL the site's rules give one of its posts. Header-only,
 * like testutil.h. */
#ifndef LOOM_SITETEST_H
#define LOOM_SITETEST_H

#include "site.h"
#include "testutil.h"
#include "text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

enum { SITE_FILES_MAX = 8 };

/* One file of a test site: its path under the site's root and its text. */
typedef struct site_file {
    const char *path, *text;
} site_file;

/* One case: a site, one of its posts (relative to the content folder) and
 * the URL its generator gives that post. */
typedef struct site_case {
    const char *name;
    site_file files[SITE_FILES_MAX]; /* up to the first with a NULL path */
    const char *rel;
    const char *want;
} site_case;

/* Write text to root/path, making its folders. */
static inline void site_write(const char *root, const char *path, const char *text)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", root, path);
    for (char *slash = strchr(full + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(full, 0755);
        *slash = '/';
    }
    FILE *f = fopen(full, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A new scratch folder holding files; scratch_remove it. */
static inline char *site_build(const site_file *files)
{
    char *root = scratch_dir();
    for (size_t i = 0; i < SITE_FILES_MAX && files[i].path; i++)
        site_write(root, files[i].path, files[i].text);
    return root;
}

/* The URL s's rules give the post at content/rel (malloc'd, "" for none). */
static inline char *site_url_of(const site *s, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->content, rel);
    post *p;
    post_error err;
    if (post_load(&p, path, 1 << 20, &err) != POST_OK)
        fail_msg("%s", err.message);
    site_apply(s, &(post_place){.rel = rel}, p);
    char *url = xstrdup(p->url ? p->url : "");
    post_free(p);
    return url;
}

/* The site at root, which must be recognised as generator want. */
static inline site *site_open_as(const char *root, const char *name, site_generator want)
{
    char why[512] = "";
    site *s = site_open(root, why, sizeof why);
    if (!s)
        fail_msg("%s: %s", name, why);
    if (s->generator != want)
        fail_msg("%s: recognised as %s", name, site_generator_name(s->generator));
    return s;
}

/* Run every case of cases[0..n): each site is recognised as generator g and
 * gives its post the URL the case wants. */
static inline void site_cases_run(const site_case *cases, size_t n, site_generator g)
{
    for (size_t i = 0; i < n; i++) {
        char *root = site_build(cases[i].files);
        site *s = site_open_as(root, cases[i].name, g);
        char *url = site_url_of(s, cases[i].rel);
        if (strcmp(url, cases[i].want) != 0)
            fail_msg("%s: want %s, got %s", cases[i].name, cases[i].want, url);
        free(url);
        site_free(s);
        scratch_remove(root);
    }
}

/* A folder and what it must be recognised as; content (relative to the
 * root) is the folder its posts must be read from, NULL: not checked. */
typedef struct site_detect_case {
    const char *name;
    site_file files[SITE_FILES_MAX];
    site_generator want;
    const char *content;
} site_detect_case;

static inline void site_detect_run(const site_detect_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *root = site_build(cases[i].files);
        site *s = site_open_as(root, cases[i].name, cases[i].want);
        if (cases[i].content) {
            char want[4096];
            snprintf(want, sizeof want, "%s/%s", root, cases[i].content);
            assert_string_equal(s->content, want);
            assert_non_null(s->config_path);
        }
        site_free(s);
        scratch_remove(root);
    }
}

/* One generator's tests: its URL cases, its detection cases, and a config
 * file it cannot read (bad_config holding bad_text), which refuses the site
 * with a reason naming the file. */
typedef struct site_suite {
    site_generator generator;
    const site_case *urls;
    size_t n_urls;
    const site_detect_case *detect;
    size_t n_detect;
    const char *bad_config, *bad_text;
} site_suite;

static void site_test_urls(void **state)
{
    const site_suite *t = *state;
    site_cases_run(t->urls, t->n_urls, t->generator);
}

static void site_test_detect(void **state)
{
    const site_suite *t = *state;
    site_detect_run(t->detect, t->n_detect);
}

static void site_test_bad_config(void **state)
{
    const site_suite *t = *state;
    char *root = site_build((site_file[SITE_FILES_MAX]){{t->bad_config, t->bad_text}});
    char why[512] = "";
    assert_null(site_open(root, why, sizeof why));
    assert_non_null(strstr(why, t->bad_config));
    scratch_remove(root);
}

/* The suite of generator g from two tables (arrays, not pointers). */
#define SITE_SUITE(g, url_table, detect_table, config, text)                                    \
    (&(site_suite){g, url_table, sizeof url_table / sizeof url_table[0], detect_table,          \
                   sizeof detect_table / sizeof detect_table[0], config, text})

static inline int site_suite_run(const site_suite *t)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(site_test_urls, (void *)t),
        cmocka_unit_test_prestate(site_test_detect, (void *)t),
        cmocka_unit_test_prestate(site_test_bad_config, (void *)t),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
