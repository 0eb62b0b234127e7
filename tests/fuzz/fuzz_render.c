/* fuzz_render.c — libFuzzer target and property test of the output: hostile
 * titles, sections, tags, authors, snippets and queries through every
 * renderer. JSON must load, its facet names as they went in; HTML must hold
 * no tag but those the server writes; Atom no tag outside the feed's own;
 * text no terminal escape. */
#include "config.h"
#include "render.h"
#include "text.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static server_config cfg = {
    .public_url = "https://search.example.org",
    .max_depth = 1000,
    .search = {.permalink = "https://blog.example.org/{yyyy}/{slug}/"},
};
const server_config *config = &cfg;

/* Does the markup in out use only the element names in allowed ("a|b|...")? */
static bool only_tags(const char *out, const char *allowed)
{
    for (const char *p = strchr(out, '<'); p; p = strchr(p + 1, '<')) {
        const char *name = p + 1 + (p[1] == '/');
        size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?:");
        if (n == 0)
            return false; /* "<" not escaped */
        char tag[32];
        if (n >= sizeof tag)
            return false;
        snprintf(tag, sizeof tag, "|%.*s|", (int)n, name);
        if (!strstr(allowed, tag))
            return false;
    }
    return true;
}

static const char HTML_TAGS[] = "|!doctype|html|head|meta|title|link|body|header|form|label|input|"
                                "button|main|p|nav|a|ol|li|h2|time|span|mark|aside|ul|code|";
static const char ATOM_TAGS[] = "|?xml|feed|title|id|link|updated|author|name|generator|entry|"
                                "category|summary|";

/* Split the input at '\n' into up to n clean UTF-8 strings. */
static size_t fields(const char *data, size_t size, char **out, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size && k < n; i++)
        if (i == size || data[i] == '\n') {
            out[k++] = utf8_clean(data + start, i - start, NULL);
            start = i + 1;
        }
    for (size_t i = k; i < n; i++)
        out[i] = xstrdup("");
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *f[6];
    fields((const char *)data, size, f, 6);
    char *tags[1] = {f[2]}, *authors[1] = {f[3]};
    strbuf esc_title = {0}, esc_snippet = {0};
    html_escape(&esc_title, f[0], strlen(f[0]));
    html_escape(&esc_snippet, f[4], strlen(f[4]));
    search_hit hit = {.id = f[5], .title = f[0], .title_html = esc_title.data ? esc_title.data : "",
                      .date = size & 1 ? "2024-05-01" : NULL, /* NULL: an undated post */
                      .url = "/x/", .authors = authors, .n_authors = 1, .tags = tags, .n_tags = 1,
                      .categories = tags, .n_categories = 1,
                      .snippet_html = esc_snippet.data ? esc_snippet.data : "", .section = f[1],
                      .anchor = f[1]};
    search_facet facet = {.value = f[2], .count = 1};
    search_results r = {.total_estimate = 1, .hits = &hit, .n_hits = 1, .has_facets = true,
                        .corrected_query = f[1]};
    r.facets[0] = &facet;
    r.n_facets[0] = 1;
    search_request req = {.q = f[1], .q_len = strlen(f[1]), .page = 1, .per_page = 10};
    page_view v = {.query = f[1], .req = &req, .page = 1, .per_page = 10};
    render_format formats[] = {FORMAT_JSON, FORMAT_TEXT, FORMAT_HTML, FORMAT_FRAGMENT, FORMAT_ATOM};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *out = render_results(formats[i], &r, &v);
        if (!out)
            abort();
        if (formats[i] == FORMAT_JSON) {
            json_t *j = json_loads(out, 0, NULL);
            if (!j)
                abort();
            /* The facet lists are written as text around escaped names: the name comes back. */
            json_t *tag = json_array_get(json_object_get(json_object_get(j, "facets"), "tags"), 0);
            const char *back = json_string_value(json_object_get(tag, "value"));
            if (!back || strcmp(back, f[2]) != 0 || json_integer_value(json_object_get(tag, "count")) != 1)
                abort();
            json_decref(j);
        }
        bool html = formats[i] == FORMAT_HTML || formats[i] == FORMAT_FRAGMENT;
        if ((html && !only_tags(out, HTML_TAGS)) || (formats[i] == FORMAT_ATOM && !only_tags(out, ATOM_TAGS)))
            abort(); /* a tag the server did not write */
        if (formats[i] == FORMAT_TEXT && strchr(out, '\x1b'))
            abort();
        free(out);
    }
    sb_free(&esc_title);
    sb_free(&esc_snippet);
    for (size_t i = 0; i < 6; i++)
        free(f[i]);
    return 0;
}
