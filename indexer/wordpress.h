/* wordpress.h — what a WordPress post's fields mean, whichever way they were saved:
 * an export's <item> (source_wxr.c) or a REST API post object (source_wpjson.c).
 * Both sources read their own format into wp_fields and get the post from here,
 * so the two make the same decisions: which statuses and types are posts, the
 * calendar date, the slug, the author, the terms. */
#ifndef LOOM_WORDPRESS_H
#define LOOM_WORDPRESS_H

#include "post.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct wp_fields {
    const char *id;       /* the post's number, for a slug of last resort */
    const char *title;    /* HTML */
    const char *link;     /* the public URL */
    const char *author;   /* the display name (or login, or number) */
    const char *date;     /* "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS", site local */
    const char *name;     /* post_name / slug, maybe %-encoded */
    const char *status;   /* publish, draft, ... (NULL: not published) */
    const char *type;     /* post, page, attachment, ... (NULL: post) */
    const char *password; /* non-empty: protected */
    const char *excerpt;  /* HTML */
    const char *image;    /* the featured image's URL, or NULL */
    const char *image_alt; /* its alt text, or NULL */
    const char **coauthors; /* display names after author (Co-Authors Plus); not taken */
    size_t n_coauthors;
    char **tags;          /* term names as decoded text; wp_post takes them */
    size_t n_tags;
    char **categories;    /* idem */
    size_t n_categories;
} wp_fields;

/* The post of f (text fields empty: the caller runs html_to_post on the content
 * when p->skip is POST_INDEXED). Takes f->tags and f->categories (and lowercases
 * the tags). pages: --wordpress-pages, a published page is a post. */
post *wp_post(wp_fields *f, bool pages);

/* Finish p: its content's HTML (content, may be NULL) read into its text
 * fields when it is to be indexed (html_to_post). On success *out is p; on
 * failure p is freed and the code returned (err says why, naming where). */
post_status wp_post_content(post **out, post *p, const char *where, const char *content,
                            post_error *err);

/* The visible text of an HTML fragment, white space runs made one space and
 * trimmed; NULL when it has none. */
char *wp_visible_text(const char *html);

/* A term's name as WordPress stores it (HTML-escaped: "Events &amp; Meetings"),
 * decoded and trimmed; NULL when empty. */
char *wp_term_name(const char *raw);

#endif
