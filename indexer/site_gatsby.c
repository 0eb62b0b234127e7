/* site_gatsby.c — Gatsby's rules (site.h): recognised by its config files; URL
 * rules to come. */
#include "site.h"

static bool gatsby_detect(const char *root)
{
    static const char *const names[] = {"gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs", "gatsby-node.js", NULL};
    for (size_t i = 0; names[i]; i++)
        if (site_has(root, names[i]))
            return true;
    return false;
}

static bool gatsby_open(site *s, char *why, size_t why_len)
{
    (void)s, (void)why, (void)why_len;
    return true;
}

static void gatsby_apply(const site *s, const post_place *at, post *p)
{
    (void)s, (void)at, (void)p;
}

const site_rules gatsby_rules = {
    .generator = SITE_GATSBY, .name = "gatsby", .detect = gatsby_detect, .open = gatsby_open,
    .apply = gatsby_apply,
};
