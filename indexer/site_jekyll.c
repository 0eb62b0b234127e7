/* site_jekyll.c — Jekyll's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool jekyll_detect(const char *root)
{
    static const char *const names[] = {"_config.yml", "_config.yaml", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool jekyll_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void jekyll_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules jekyll_rules = {
    .generator = SITE_JEKYLL, .name = "jekyll", .detect = jekyll_detect, .open = jekyll_open,
    .apply = jekyll_apply,
};
