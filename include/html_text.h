/* html_text.h — HTML to the post model's text: a WordPress post's content, or
 * the main part of a built page, read with a real HTML5 parser (gumbo).
 *
 * What a reader sees becomes text; headings keep their level and become the
 * post's sections (an element's own id is kept as the anchor, else the heading
 * is slugified as post.h does); <img alt> and <figcaption> go to alt_text as
 * well as the text, link text to link_text, <pre>/<code> to code. Dropped:
 * <script>, <style>, <nav>, <template>, <noscript>, <iframe>, <svg>, elements
 * that are hidden (the hidden attribute, aria-hidden="true", style
 * display:none), elements with data-loomsearch-ignore, HTML comments (so
 * Gutenberg's block comments), and WordPress shortcodes in the text
 * ([caption]...[/caption] and other pairs keep their inner text; [gallery],
 * [embed] and unknown [name ...] tags go). Entities are decoded; invalid
 * markup is read as browsers read it.
 *
 * Hostile input is expected: the text is refused before parsing when it is
 * larger than max_bytes or nests deeper than max_depth (counted by a cheap scan
 * of start tags, since gumbo frees its tree recursively), and the tree is then
 * walked without recursion. */
#ifndef LOOM_HTML_TEXT_H
#define LOOM_HTML_TEXT_H

#include "post.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct html_limits {
    size_t max_bytes;   /* 0: 8 MiB */
    unsigned max_depth; /* 0: 400 */
} html_limits;

/* Fill p's text fields (text, headings, alt_text, link_text, code, sections)
 * from html[0..len), replacing what they held. path names the input in
 * messages. POST_ETOOBIG, or POST_EFIELD ("nests deeper than N") for input
 * refused before parsing; POST_EUTF8 for bytes that are not UTF-8. The post's
 * other fields are left alone. */
post_status html_to_post(post *p, const char *path, const char *html, size_t len,
                         const html_limits *limits, post_error *err);

#endif
