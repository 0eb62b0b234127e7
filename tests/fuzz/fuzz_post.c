/* fuzz_post.c — libFuzzer target: any bytes as a post file, under one of a few
 * paths (chosen by the input's length) so that the rules that read the path
 * (dates and slugs from names and folders, bundles, section indexes) run too.
 * The post model must return a post or an error with a message, never crash or
 * leak; a post it returns must have a title and a valid slug, and survive its
 * own JSON round trip whole. Seeds cover YAML, TOML, JSON and no front matter.
 * The length also picks how the body is read: each generator's anchors and
 * the ids written after headings it takes ({#id}, kramdown's {: #id}). */
#include "fuzz_post_check.h"
#include "post.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const paths[] = {"fuzz.md", "2020-01-02-fuzz/index.mdx", "content/_index.md",
                                    "2019/05/02/Fuzz Post.markdown"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = paths[size % (sizeof paths / sizeof paths[0])];
    post *p = NULL;
    post_error err;
    post_reading how = {.anchors = (post_anchor_style)(size / 4 % 4),
                        .heading_ids = (post_heading_ids)(size / 12 % 3),
                        .liquid_in_code = size / 36 % 2,
                        .shortcodes_in_code = size / 72 % 2};
    if (post_parse_as(&p, path, (const char *)data, size, &how, &err) != POST_OK) {
        if (strncmp(err.message, path, strlen(path)) != 0)
            abort(); /* every failure names the file */
        return 0;
    }
    fuzz_check_post(p, false);
    return 0;
}
