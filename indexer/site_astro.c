/* site_astro.c — Astro's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool astro_detect(const char *root)
{
    static const char *const names[] = {"astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool astro_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void astro_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules astro_rules = {
    .generator = SITE_ASTRO, .name = "astro", .detect = astro_detect, .open = astro_open,
    .apply = astro_apply,
};
