/* site_eleventy.c — Eleventy's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool eleventy_detect(const char *root)
{
    static const char *const names[] = {".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool eleventy_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void eleventy_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules eleventy_rules = {
    .generator = SITE_ELEVENTY, .name = "eleventy", .detect = eleventy_detect, .open = eleventy_open,
    .apply = eleventy_apply,
};
