/* sitetest.h — table-driven runs over site_testutil.h for test_site_hugo.c and
 * test_site_zola.c: a small site from a table of files, recognised as one
 * generator, and the URL its rules give one of its posts. Header-only. */
#ifndef LOOM_SITETEST_H
#define LOOM_SITETEST_H

#include "site.h"
#include "site_testutil.h"
#include "testutil.h"
#include "text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

enum { SITE_FILES_MAX = 8 };

/* One case: a site, one of its posts (relative to the content folder) and
 * the URL its generator gives that post. */
typedef struct site_case {
    const char *name;
    site_file files[SITE_FILES_MAX]; /* up to the first with a NULL path */
    const char *rel;
    const char *want;
} site_case;

/* A new scratch folder holding files; scratch_remove it. */
static inline char *site_build(const site_file *files)
{
    char *root = scratch_dir();
    for (size_t i = 0; i < SITE_FILES_MAX && files[i].rel; i++)
        site_write(root, files[i].rel, files[i].text);
    return root;
}

/* The URL s's rules give the post at content/rel (malloc'd, "" for none),
 * read as the Markdown source reads it (site_testutil.h). */
static inline char *site_url_of(const site *s, const char *rel)
{
    post *p = site_post(s, rel, NULL);
    if (!p)
        fail_msg("%s: does not parse", rel);
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
