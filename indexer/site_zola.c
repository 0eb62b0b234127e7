/* site_zola.c — Zola's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool zola_detect(const char *root)
{
    static const char *const names[] = {"zola.toml", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool zola_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void zola_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules zola_rules = {
    .generator = SITE_ZOLA, .name = "zola", .detect = zola_detect, .open = zola_open,
    .apply = zola_apply,
};
