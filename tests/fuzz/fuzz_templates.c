/* fuzz_templates.c — libFuzzer target: any bytes as a Markdown body. The pass
 * must not crash, leak or read out of bounds, its output is never longer than
 * the input, keeps every newline, and stays valid UTF-8 when the input is;
 * with Liquid in code removed (Jekyll) as without. */
#include "templates.h"
#include "text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t newlines(const char *s, size_t n)
{
    size_t k = 0;
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))); p++)
        k++;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    size_t len;
    templates_counts counts;
    /* Half the inputs as Jekyll reads them, Liquid in code removed too. */
    bool jekyll = size > 0 && (data[size - 1] & 1);
    char *out = templates_strip_for(in, size, &len, &counts, jekyll, size % 3 == 0);
    size_t bad;
    if (len > size || out[len] != '\0' || newlines(out, len) != newlines(in, size))
        abort();
    if (utf8_valid(in, size, &bad) && !utf8_valid(out, len, &bad))
        abort();
    free(out);
    return 0;
}
