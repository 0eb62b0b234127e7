/* fuzz_post.c — libFuzzer target: any bytes as a post file. The post model
 * must return a post or an error with a message, never crash or leak, and a
 * post it returns must survive its own JSON round trip. */
#include "post.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    post *p = NULL;
    post_error err;
    if (post_parse(&p, "fuzz.md", (const char *)data, size, &err) != POST_OK) {
        if (strncmp(err.message, "fuzz.md", 7) != 0)
            abort(); /* every failure names the file */
        return 0;
    }
    char *json = post_to_json(p);
    post *back = post_from_json(json, strlen(json));
    if (!back || strcmp(back->slug, p->slug) != 0 || strcmp(back->text, p->text) != 0)
        abort();
    post_free(back);
    free(json);
    post_free(p);
    return 0;
}
