/* site_hugo.c — Hugo's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool hugo_detect(const char *root)
{
    static const char *const names[] = {"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config/_default/hugo.toml", "config/_default/config.toml", "config/_default/config.yaml", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool hugo_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void hugo_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules hugo_rules = {
    .generator = SITE_HUGO, .name = "hugo", .detect = hugo_detect, .open = hugo_open,
    .apply = hugo_apply,
};
