/* post.h — the post model: one Markdown file with YAML front matter, turned into
 * the fields and plain text the indexer needs.
 *
 * A post file starts with a line "---", then YAML (a mapping), then a line "---"
 * (or "..."), then the Markdown body. Keys: title, date (YYYY-MM-DD, optionally
 * followed by a time; none: undated), author or authors, tags and categories (a
 * list; a string is read as a comma-separated list), slug, url, summary, image (src + alt, or just a src),
 * draft. Unknown keys are ignored. The whole file must be UTF-8 with no NUL byte.
 */
#ifndef LOOM_POST_H
#define LOOM_POST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum post_status {
    POST_OK = 0,
    POST_EIO,        /* the file could not be read */
    POST_ETOOBIG,    /* larger than the caller's limit */
    POST_EBINARY,    /* a NUL byte: not a text file */
    POST_EUTF8,      /* invalid UTF-8 */
    POST_ENOFRONT,   /* no front matter at the top */
    POST_EUNCLOSED,  /* front matter never closed */
    POST_EYAML,      /* front matter is not YAML, or not a mapping */
    POST_EFIELD,     /* a field is missing or has the wrong shape */
} post_status;

typedef struct post_error {
    post_status code;
    size_t line;        /* 1-based line in the file; 0 when it concerns the whole file */
    char message[320];  /* "path:line: what is wrong", ready to print */
} post_error;

/* A section of a long post: where a level-2 or level-3 heading starts in the
 * post's text. Anchors are the heading slugified (see slugify in text.h), with
 * "-2", "-3"... added to repeats: the rule a host site's templates can follow. */
typedef struct post_section {
    char *heading;
    char *anchor;
    size_t offset;     /* byte offset of the heading in post.text */
} post_section;

/* Why a file that parsed is not indexed: a rule of its generator, not a fault.
 * Counted by reason in the indexer's summary; never an error. */
typedef enum post_skip {
    POST_INDEXED = 0,        /* a post: index it */
    POST_SKIP_DRAFT,         /* draft: true, published: false */
    POST_SKIP_SECTION_INDEX, /* Hugo/Zola _index.md: a section's own page */
    POST_SKIP_REDIRECT,      /* a redirect stub (redirect:, redirect_to:, layout: redirect) */
    POST_SKIP_NOT_A_POST,    /* a listing page, a README, a partial, excluded from collections */
    POST_SKIP_NO_PAGE,       /* a post the site publishes no page for (a link card) */
    POST_SKIP_COUNT
} post_skip;

/* A stable lower-case name for a skip reason ("draft", "section-index", ...). */
const char *post_skip_name(post_skip skip);

typedef struct post {
    char *slug;        /* unique id; from front matter or the file name */
    char *title;
    char *date;        /* "YYYY-MM-DD", the calendar date as written; NULL: undated */
    char **authors;    /* n_authors names, as written */
    size_t n_authors;
    char **tags;       /* n_tags tags, lower-cased, trimmed */
    size_t n_tags;
    char **categories; /* n_categories categories, as written, trimmed */
    size_t n_categories;
    char *url;         /* http(s) or site-relative; NULL when not given */
    char *summary;     /* NULL when not given */
    char *image_src;   /* NULL when not given */
    char *image_alt;   /* NULL when not given */
    post_skip skip;    /* POST_INDEXED, or why the file is left out by rule */

    /* The body as plain text, pieces kept apart so the indexer can weight them.
     * Never NULL; "" when the body has none. */
    char *text;        /* all visible text in reading order, headings included */
    char *headings;    /* heading text, one heading per line */
    char *alt_text;    /* alt text of images in the body */
    char *link_text;   /* text of links */
    char *code;        /* inline code and code blocks */
    post_section *sections; /* n_sections, in order */
    size_t n_sections;
} post;

/* Parse buf[0..len), the contents of the file at path (used for messages and the
 * default slug). On success *out is a new post: free it with post_free(). */
post_status post_parse(post **out, const char *path, const char *buf, size_t len,
                       post_error *err);

/* Read the file at path (refusing more than max_bytes) and parse it. */
post_status post_load(post **out, const char *path, size_t max_bytes, post_error *err);

void post_free(post *p);

/* The post as one JSON object (malloc'd text), and back: how the indexer's parse
 * workers hand posts to the process that writes the index. post_from_json returns
 * NULL when the text is not such an object. */
char *post_to_json(const post *p);
/* The sections starting before byte `below` of the text, as a JSON array of
 * [heading, anchor, offset] (a new reference). */
json_t *post_sections_to_json(const post *p, size_t below);
post *post_from_json(const char *json, size_t len);

/* A stable lower-case name for a status, never NULL. */
const char *post_status_name(post_status status);

#endif
