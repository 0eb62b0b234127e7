/* site.h — a blog's whole folder, read the way its generator reads it
 * (--site ROOT): which generator it is, where its posts are, and the public URL
 * of each post, computed at index time from the generator's own rules and the
 * site's config, and stored in the index.
 *
 * site_open() recognises the generator from its config files, reads the config
 * (TOML, YAML or JSON through data_file_read, post.h) and finds the content
 * folder; the Markdown source (source.h) then lists that folder, and each parse
 * worker, after post_parse(), calls site_apply() to give the post its URL (and
 * what the site's data adds to it). A site is read once, before the workers are
 * forked, and never changed after: the workers share it read-only.
 *
 * Each generator's rules live in a file of their own (site_hugo.c, site_zola.c,
 * site_jekyll.c, site_eleventy.c, site_astro.c, site_gatsby.c) behind one
 * table of site_rules. A post's URL is, in this order: what its front matter
 * says (url, permalink, path: the generator's own precedence), then the
 * generator's rule from the site's config, then --permalink when given. Where
 * the site's own code decides (Astro, Gatsby) the URL is marked guessed. */
#ifndef LOOM_SITE_H
#define LOOM_SITE_H

#include "post.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum site_generator {
    SITE_UNKNOWN = 0, /* no generator recognised: the folder is read as --corpus */
    SITE_HUGO,
    SITE_JEKYLL,
    SITE_ZOLA,
    SITE_ELEVENTY,
    SITE_ASTRO,
    SITE_GATSBY,
    SITE_GENERATOR_COUNT
} site_generator;

typedef struct site {
    site_generator generator;
    char *root;        /* the site's folder, as given */
    char *content;     /* the folder the posts are listed from (root + "/" + ...) */
    json_t *config;    /* the generator's config as one JSON object (never NULL) */
    char *config_path; /* which file(s) it came from, for --check */
    void *rules_state; /* what a generator's rules keep beside the config */
} site;

/* How a post a worker parsed gets its URL. rel is the file's path relative to
 * the content folder, as the Markdown source lists it. */
typedef struct post_place {
    const char *rel;       /* "2024/my-post.md", "releases/1.80/index.md" */
    const char *permalink; /* --permalink, or NULL */
    const json_t *front;   /* the post's front matter (post_front_matter), or NULL */
    const json_t *plain;   /* its keys whose values are unquoted YAML scalars, or NULL */
} post_place;

/* One generator's rules (the table in site.c). */
typedef struct site_rules {
    site_generator generator;
    const char *name;   /* "hugo", "jekyll"... */
    /* Is root this generator's site? Looks for its config files only. */
    bool (*detect)(const char *root);
    /* Read the config into s->config (and s->config_path) and set s->content;
     * false with a message in why when the site cannot be used. */
    bool (*open)(site *s, char *why, size_t why_len);
    /* p's public URL into p->url (a path from the site's root, or an absolute
     * URL when the site names its base URL), p->url_guessed when the site's
     * code could route it otherwise; may also set p->skip (a post that gets
     * no page) and add what site data gives (a folder's data file). */
    void (*apply)(const site *s, const post_place *at, post *p);
    void (*close)(site *s);
} site_rules;

/* Recognise the generator of the site at root and read it. With no generator
 * recognised, *out->generator is SITE_UNKNOWN and content is root itself (the
 * caller says so). NULL, with why, when root is not a folder or its config
 * cannot be read. Free with site_free. */
site *site_open(const char *root, char *why, size_t why_len);
void site_free(site *s);

/* Give p its URL and site data, in a worker, after post_parse(). */
void site_apply(const site *s, const post_place *at, post *p);

/* "hugo", "jekyll", ... "unknown". */
const char *site_generator_name(site_generator g);

/* ---- Helpers for the rules' files ----------------------------------------------- */

/* Read root/name as a data file (TOML, YAML or JSON by its extension) and merge
 * it over *into (objects merged key by key, the new value winning). false with
 * why when it exists but cannot be read; true when it does not exist (*found
 * false) or was merged. */
bool site_merge_config(json_t *into, const char *root, const char *name, bool *found, char *why,
                       size_t why_len);

/* Does root/name exist (file or folder)? */
bool site_has(const char *root, const char *name);

/* The first of the NULL-ended names that root has, or NULL. */
const char *site_first_of(const char *root, const char *const *names);

/* The value at a dotted path in obj ("permalinks.post"), or NULL. Keys are
 * matched in any case (Hugo's are). Borrowed: valid while obj is. */
json_t *site_config_value(const json_t *obj, const char *dotted);

/* A string value at a dotted path in obj, or NULL. */
const char *site_config_string(const json_t *obj, const char *dotted);

/* A true/false value at a dotted path in obj (a JSON boolean, or the text
 * "true"/"false" as YAML may give it), or dflt when it is not one. */
bool site_config_bool(const json_t *obj, const char *dotted, bool dflt);

/* Compare the day a date begins with ("YYYY-MM-DD", any time after it
 * ignored) with today in UTC: -1 before, 0 today, 1 after; 0 also when date
 * does not begin with a day. Days, not hours: a post due later today is due. */
int site_day_vs_today(const char *date);

/* The front matter of the post at `at` as a new JSON object: the keys the post
 * model does not keep (Zola's `path`, the slug as written). at->front when the
 * worker passed it, else the file content/rel read again; an empty object
 * when it cannot be read. */
json_t *site_front_matter(const site *s, const post_place *at);

/* A page's place from rel, its path in the content folder, as Hugo and Zola
 * both read it: its folders (*dir, "" at the top) and its name (*name: the
 * file name without its extension; for a bundle's NAME/index.md, NAME, and
 * *dir is NAME's folder). A name ending in ".LANG" for a key LANG of
 * languages (the site's, may be NULL) is a translation: *lang is LANG in
 * lower case and the name goes without it; else *lang is NULL. All three
 * malloc'd. */
void site_page_place(const char *rel, const json_t *languages, char **dir, char **name,
                     char **lang);

/* The path part of a base URL ("https://x.org/blog/" -> "/blog"), "" for none. */
char *site_base_path(const char *base_url);

/* Give p the URL url (malloc'd, taken over; NULL leaves p->url as it is),
 * guessed or not. */
void site_set_url(post *p, char *url, bool guessed);

/* The URL the --permalink pattern gives p at rel (its path under the content
 * folder): malloc'd. */
char *site_permalink_url(const char *pattern, const char *rel, const post *p);

/* p's URL from the --permalink pattern and the fields of rel (its path under
 * the content folder), unless p has a URL already or pattern is NULL. */
void site_apply_permalink(const char *pattern, const char *rel, post *p);

/* "https://x.org" + "/blog" + "/a/b/": the site's base (scheme and host, or
 * NULL) and base path ("" or "/blog") before a path from the site's root;
 * malloc'd. */
char *site_url_join(const char *base, const char *base_path, const char *path);

/* The text of root/name (a JS config the rules read without running it), or
 * NULL when it cannot be read; malloc'd. */
char *site_read_text(const char *root, const char *name);

/* ---- Reading JS configs without running them ------------------------------------- *
 * A property `key: <literal>` (key bare or quoted) found by scanning the text:
 * strings and comments are skipped as a tokenizer would, nothing is evaluated. */

/* Where the value of the first property key in js[0..len) starts (after the
 * colon and blanks), or NULL. */
const char *site_js_value(const char *js, size_t len, const char *key);
/* The same, for a property of the object (or call) block[0..len) itself, not
 * of an object nested in it. */
const char *site_js_member(const char *block, size_t len, const char *key);
/* The string literal ('..', "..", or `..` without ${}) at p, malloc'd, or NULL
 * when p holds none. A leading `${__dirname}/` is dropped (a folder's path). */
char *site_js_string(const char *p, const char *end);
/* The length of the bracketed block ({..}, [..] or (..)) starting at p, or 0. */
size_t site_js_block(const char *p, const char *end);
/* p past the string literal or comment that starts there; p when none does. */
const char *site_js_skip(const char *p, const char *end);
/* p past blanks, commas and comments. */
const char *site_js_skip_blank(const char *p, const char *end);
/* A person's name at p: a string literal, or an object's `name` literal
 * ({ name: "Jane", url: ... }); malloc'd, or NULL. */
char *site_js_name(const char *p, const char *end);

#endif
