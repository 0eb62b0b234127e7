/* html_text.h — HTML to the post model's text: a WordPress post's content, or
 * the main part of a built page, read with a real HTML5 parser (gumbo). Input
 * that starts with <!DOCTYPE or <html is read as a document (its <head> is not
 * text), anything else as the contents of a <body>.
 *
 * A fragment is read as a document that opens with <body>, as a browser reads
 * it (an unclosed <svg> or <math> ends where the body's next element starts).
 * WordPress content's shortcodes are no text ([caption]'s inner text stays;
 * [youtube=URL] goes), and with html_options.wordpress its [code] and
 * [sourcecode] pairs are code.
 *
 * What a reader sees becomes text, white space collapsed as a browser shows it
 * (kept inside <pre>); block elements end lines, table cells are spaced apart.
 * Headings h1-h6 go to headings; h1-h3 (the levels post.c makes sections of)
 * that are not inside another heading become the post's sections (an element's
 * own non-empty id is kept as the anchor, else the heading is slugified as
 * post.c does, "-2", "-3"... counted over all earlier headings; a built page's
 * heading without an id has none, html_options.ids_as_served; a link in a
 * heading to its own id or a symbol, its permalink, is no part of it). <img alt> goes
 * to alt_text only (as post.c keeps a Markdown image's), <figcaption> to
 * alt_text as well as the text, link text to link_text,
 * <pre>, <code>, <kbd> and <samp> to code (and the text). Dropped: <head>,
 * <script>, <style>, <nav>, <template>, <noscript>, <iframe>, <svg>, elements
 * that are hidden (the hidden attribute but hidden="until-found",
 * aria-hidden="true", style display:none), elements with
 * data-loomsearch-ignore, HTML comments (so Gutenberg's block comments), and
 * WordPress shortcodes in the text outside code: caption, wp_caption, embed,
 * gallery, audio, video and playlist tags always go ([caption]...[/caption]
 * and other pairs keep their inner text; [embed]URL[/embed] goes whole), an
 * unknown [name ...] only when it has attributes (a '=') and any [/name]
 * closer; "[1]", "[sic]" and "[citation needed]" stay. Entities are decoded;
 * invalid markup is read as browsers read it. The text is UTF-8 without
 * control characters but tab and newline.
 *
 * Hostile input is expected: the text is refused before parsing when it is
 * larger than max_bytes or nests deeper than max_depth (counted by a cheap,
 * linear scan of start and end tags that errs towards too deep, see
 * html_text.c; gumbo's time grows with the depth of the open elements), or
 * when a tag has more than 256 attributes (gumbo compares each with all before
 * it). The tree is walked without recursion, and cut flat before gumbo frees
 * it, since gumbo frees it recursively. */
#ifndef LOOM_HTML_TEXT_H
#define LOOM_HTML_TEXT_H

#include "post.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct html_options {
    size_t max_bytes;   /* 0: 8 MiB */
    unsigned max_depth; /* 0: 400 */
    /* A page as it is served (a built site): a heading without an id gets the
     * anchor "" (no deep link), since the page has no such id to link to.
     * Otherwise it is given one (post_finish_sections), for a site whose
     * templates add them. */
    bool ids_as_served;
    /* WordPress content: SyntaxHighlighter's [code] and [sourcecode] pairs
     * are code (a built page shows its own code as <pre>, and may write
     * "[code]" as text). */
    bool wordpress;
} html_options;

/* Fill p's text fields (text, headings, alt_text, link_text, code, sections)
 * from html[0..len) (NULL when len is 0), replacing and freeing what they held;
 * options may be NULL (the defaults). path names the input in messages.
 * POST_ETOOBIG, or POST_EFIELD ("nests deeper than N", "a tag with more than
 * 256 attributes") for input refused before parsing; POST_EUTF8 for bytes that are not UTF-8, POST_EBINARY for a
 * NUL byte. On failure p is unchanged; the post's other fields are always left
 * alone. */
post_status html_to_post(post *p, const char *path, const char *html, size_t len,
                         const html_options *options, post_error *err);

#endif
