/* post.h — the post model: one Markdown (or MDX) file of any common blog
 * generator, turned into the fields and plain text the indexer needs.
 *
 * Front matter, in any of the forms generators write: YAML between "---" lines
 * (closed by "---" or "..."), TOML between "+++" lines, a JSON object at the very
 * start of the file (the body starts on the line after its closing brace), or
 * none at all. The whole file must be UTF-8 with no NUL byte.
 *
 * Keys that mean the same thing (the first present wins; keys match in any case;
 * Zola's [taxonomies] table counts as front matter):
 *
 *   title       title; else the first key whose name ends in "title" (newstitle,
 *               pageTitle...); else the body's first level-1 heading; else the
 *               file's name made readable ("2019-05-02-my-post.md": "My post")
 *   date        the generator's own date keys (post_reading: Astro's pubDatetime),
 *               then date, publishDate, pubDate, published (unless a yes/no); else the
 *               file or bundle folder name "YYYY-MM-DD-slug"; else the folders
 *               "YYYY/MM/DD/"; else a YYYY/MM/DD in `path`, `url` or `permalink`;
 *               else none: undated. Month and day may be one digit; a time after
 *               the date is ignored, never moved to another zone; a named month
 *               in either order ("Jul 08 2022", "8 July 2022") is read too
 *   summary     summary, description, excerpt, ogSummary, subtitle
 *   authors     authors, author, by, taxonomies.authors: a string is ONE name
 *               (never split), a list several; a table gives its `name`;
 *               "[Jane Doe](https://...)" gives "Jane Doe"
 *   tags        tags, taxonomies.tags; categories: categories, category,
 *               taxonomies.categories. A list, or a string: comma-separated if it
 *               has a comma, else space-separated when unquoted YAML (Jekyll's
 *               "tags: a b c"), else one value (Hugo's tags: "one")
 *   slug        slug (normalised when it is not a valid slug); else the file name,
 *               or a bundle's folder for NAME/index.md, without a leading date
 *   url, image  url (http(s) or site-relative); image (a src, or src + alt)
 *
 * A file is left out by rule (post.skip, never an error): draft: true or
 * published: false; Hugo/Zola _index.md (section index); redirect: or
 * redirect_to: or layout redirect (redirect stub; redirect_from is not one);
 * _build/build render never, headless: true, render = false, permalink: false
 * (no page); README, CONTRIBUTING, LICENSE, CHANGELOG, CODE_OF_CONDUCT files,
 * eleventyExcludeFromCollections: true, a listing page (pagination:,
 * paginate_by, eleventyImport:) or front matter of only template/layout/
 * permalink keys (not a post). Unknown keys are ignored.
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
    POST_ENOFRONT,   /* unused: a file without front matter is read from its body */
    POST_EUNCLOSED,  /* front matter never closed */
    POST_EYAML,      /* front matter is not YAML, or not a mapping */
    POST_EFIELD,     /* a field has the wrong shape, or a date is not a date */
    POST_ETOML,      /* front matter between "+++" lines is not TOML */
    POST_EJSON,      /* front matter starting with "{" is not a JSON object */
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

/* The sections as stored: at most POST_MAX_SECTIONS (the last kept runs to the
 * end of the text; every section's data is read with each hit), and anchors
 * for those without one (an HTML page's own ids are kept): the heading
 * slugified, "section" when that is empty, and "-2", "-3"... where a slug
 * repeats, counted over every heading before it, own ids included (so a
 * made-up anchor never names a heading that has its own). Linear: a map counts the
 * repeats, so a post of 10,000 headings costs no more per heading than one
 * of ten. */
void post_finish_sections(post_section *sections, size_t *n);

/* Why a file that parsed is not indexed: a rule of its generator, not a fault.
 * Counted by reason in the indexer's summary; never an error. */
typedef enum post_skip {
    POST_INDEXED = 0,        /* a post: index it */
    POST_SKIP_DRAFT,         /* draft: true, published: false */
    POST_SKIP_SECTION_INDEX, /* Hugo/Zola _index.md: a section's own page */
    POST_SKIP_REDIRECT,      /* a redirect stub (redirect:, redirect_to:, layout: redirect) */
    POST_SKIP_NOT_A_POST,    /* a listing page, a README, a partial, excluded from collections */
    POST_SKIP_NO_PAGE,       /* a post the site publishes no page for (a link card) */
    POST_SKIP_PRIVATE,       /* published only to some: WordPress private or password-protected */
    POST_SKIP_FUTURE,        /* dated after today, on a site that publishes no future post */
    POST_SKIP_EXPIRED,       /* past its Hugo expiryDate */
    POST_SKIP_COUNT
} post_skip;

/* A stable lower-case name for a skip reason ("draft", "section-index", ...). */
const char *post_skip_name(post_skip skip);

typedef struct post {
    char *slug;        /* id: [a-z0-9._-], from front matter or the file name */
    char *title;       /* never NULL or empty (see the title rule above) */
    char *date;        /* "YYYY-MM-DD", the calendar date as written; NULL: undated */
    char **authors;    /* n_authors names, as written */
    size_t n_authors;
    char **tags;       /* n_tags tags, lower-cased, trimmed */
    size_t n_tags;
    char **categories; /* n_categories categories, as written, trimmed */
    size_t n_categories;
    char *url;         /* http(s) or site-relative; NULL when not given */
    bool url_guessed;  /* url was computed where the site's own code decides (site.h) */
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

/* How a generator names its headings' ids. */
typedef enum post_anchor_style {
    POST_ANCHOR_SLUG,   /* post_finish_sections' own: slugified, then "-2", "-3"... */
    POST_ANCHOR_GITHUB, /* github_anchor() (text.h), then "-1", "-2"...: Astro, Gatsby */
    /* as GITHUB, but "--" and "---" are no part of it: kramdown has made them
     * dashes, which its GFM ids drop ("CPU -- 600 ms" is cpu--600-ms): Jekyll */
    POST_ANCHOR_KRAMDOWN,
    /* github_anchor() of the heading as written in the Markdown (a link's URL,
     * an entity's name, a tag's name and attributes included), then "-1",
     * "-2"...: Hugo, whose goldmark makes ids from the heading's source line */
    POST_ANCHOR_GOLDMARK,
    POST_ANCHOR_SLUG_1, /* slugified, then "-1", "-2"...: Zola */
} post_anchor_style;

/* Which ids written in the Markdown a heading takes as its anchor (the
 * generator's own syntax; else the anchor is made from its words). */
typedef enum post_heading_ids {
    POST_IDS_NONE,      /* none: markdown-it, remark (Eleventy, Astro, Gatsby) */
    POST_IDS_ATTRIBUTE, /* "## Title {#id .class}" ending the line: Hugo, Zola, plain folders */
    POST_IDS_KRAMDOWN,  /* "## Title {#id}", or "{: #id}" on the next line: Jekyll */
} post_heading_ids;

/* Parse buf[0..len), the contents of the file at path (used for messages and the
 * default slug). On success *out is a new post: free it with post_free(). */
/* Caps on a post's fields, whatever the source (docs/operations.md): one post
 * must not make every search that finds it dear (10,000 tags were 1.28 MB of
 * JSON per matching search). A post over one is refused, naming the field. */
#define POST_MAX_TITLE_BYTES 1000
#define POST_MAX_SUMMARY_BYTES 4000
#define POST_MAX_TERMS 100      /* tags, categories, authors: each list */
#define POST_MAX_SECTIONS 1000  /* sections kept; later headings stay text */
/* The caps applied: a summary over its cap is cut (with an ellipsis); over
 * any other, POST_EFIELD with err naming the field and the cap. */
post_status post_apply_caps(post *p, const char *path, post_error *err);

post_status post_parse(post **out, const char *path, const char *buf, size_t len,
                       post_error *err);

struct html_options; /* html_text.h */

/* How a body is read, by what its generator renders. */
typedef struct post_reading {
    bool liquid_in_code; /* Jekyll renders Liquid inside code too: it is no text */
    bool shortcodes_in_code; /* Hugo renders its shortcodes inside code too */
    /* A front-matter date we cannot read is the file name's date, when the
     * name has one (Jekyll: Ruby's Time.parse reads "11-9-2017", and a post's
     * file name always holds its day); else the post is refused for it. */
    bool dated_by_name;
    post_anchor_style anchors; /* how a Markdown body's headings get their ids */
    post_heading_ids heading_ids; /* and which ids written in it they keep */
    /* The generator's own date keys, NULL-ended (NULL: none), looked for before
     * the common ones: a theme's schema names its date (AstroPaper's
     * pubDatetime), and a key no generator reads must not date a post. */
    const char *const *date_keys;
    /* A string of tags splits on commas only (Eleventy: "Film review" is one
     * tag); else an unquoted one with no comma splits on spaces (Jekyll). */
    bool tags_on_commas_only;
    /* When the body is HTML, not Markdown (a Jekyll post.html): what reads it
     * into p's text fields (html_to_post, html_text.h); NULL for Markdown. */
    post_status (*read_html)(post *p, const char *path, const char *html, size_t len,
                             const struct html_options *options, post_error *err);
} post_reading;

/* post_parse, the body read as how says (NULL: as post_parse reads it). */
post_status post_parse_as(post **out, const char *path, const char *buf, size_t len,
                          const post_reading *how, post_error *err);

/* The front matter of buf[0..len) alone, as one JSON object whatever its form
 * (a new reference; an empty object when the file has none), for rules that
 * read keys the post model does not keep (a site's URL rules, site.h). *plain
 * (when plain is not NULL) is a new object naming the top-level keys whose
 * values are unquoted YAML scalars (key: true). The codes are post_parse's. */
post_status post_front_matter(json_t **out, json_t **plain, const char *path, const char *buf,
                              size_t len, post_error *err);

/* Read the file at path (refusing more than max_bytes) and parse it. */
post_status post_load(post **out, const char *path, size_t max_bytes, post_error *err);

void post_free(post *p);

/* Drop a tag, category or author named like an earlier one (tags exactly, as
 * they are lower-case; the others in any ASCII case), keeping the first: two
 * WordPress categories may share a name under different nicenames, a front
 * matter may list a tag twice. */
void post_drop_repeated_terms(post *p);

/* A data file (a site's config, a folder's data file) as one JSON object, by
 * the extension of path: .toml (toml++), .yaml/.yml (libyaml), .json (jansson).
 * buf[0..len) is its text. On success *out is a new reference; POST_ETOML,
 * POST_EYAML or POST_EJSON name path:line otherwise, POST_EFIELD for another
 * extension or a document that is not a mapping. */
post_status data_file_read(json_t **out, const char *path, const char *buf, size_t len,
                           post_error *err);

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
