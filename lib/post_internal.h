/* post_internal.h — what the post model's three files share: post.c (the model,
 * its JSON and the body), frontmatter.c (each form of front matter into one JSON
 * tree) and post_fields.c (that tree into the post's fields and skip reason). */
#ifndef LOOM_POST_INTERNAL_H
#define LOOM_POST_INTERNAL_H

#include "post.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The front matter of one file, whatever form it was written in, as one tree. */
typedef struct front_matter {
    json_t *root;       /* an object of the keys; empty when the file has none */
    json_t *lines;      /* top-level key -> file line of its value, where known */
    json_t *plain;      /* top-level keys whose value is an unquoted YAML scalar */
    size_t first_line;  /* file line of the opening fence: the line of errors with no key */
    const char *body;   /* the Markdown after the front matter */
    size_t body_len;
} front_matter;

/* Record a failure in *err (may be NULL) as "path:line: what" (line 0: "path: what")
 * and return code. */
post_status post_fail(post_error *err, post_status code, const char *path, size_t line,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Split buf[0..len) (checked UTF-8 without NUL) into front matter and body and
 * read the front matter: YAML between "---" lines, TOML between "+++" lines, a
 * JSON object at the very start, or none. On success *out holds new references
 * (release with front_matter_free); on failure it is empty. */
post_status front_matter_read(front_matter *out, const char *path, const char *buf, size_t len,
                              post_error *err);
void front_matter_free(front_matter *fm);

/* Fill p's fields and skip reason from the front matter, the file's path and the
 * body's first level-1 heading (NULL when none): the generator's own date
 * keys (how->date_keys) looked for before the common ones, a string of tags
 * split as how says. POST_EFIELD names the key's line. */
post_status post_fields_read(post *p, const front_matter *fm, const char *path,
                             const char *first_h1, const post_reading *how, post_error *err);

/* The lines of a Markdown body, read forward for the ids its headings were
 * given (heading_ids.c). */
typedef struct heading_lines {
    const char *src; /* the body as written, before templates_strip */
    size_t len;
    post_heading_ids style;
    size_t line, offset; /* the cursor: a 1-based line and where it starts */
} heading_lines;

/* The id written for the heading on lines start_line..end_line (cmark's,
 * 1-based) in h's style, as a malloc'd string, or NULL when it has none.
 * With source, *source is the heading's text as written (malloc'd, or NULL),
 * from its column (cmark's start column: past a quote's or list's marker):
 * an ATX line less its #s and attributes, a setext heading's last line, the
 * text goldmark makes Hugo's ids from. Headings must come in document order:
 * the cursor only moves forward, so a body costs one pass whatever its number
 * of headings. */
char *heading_id(heading_lines *h, size_t start_line, size_t end_line, size_t column, char **source);

#endif
