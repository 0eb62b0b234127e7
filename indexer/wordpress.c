/* wordpress.c — WordPress fields -> post, shared by the export (source_wxr.c) and
 * the REST API pages (source_wpjson.c). */
#include "wordpress.h"

#include "html_text.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why an item is not a post, by its type, status and password. */
static post_skip skip_of(const wp_fields *f, bool pages)
{
    const char *type = f->type ? f->type : "post";
    if (strcmp(type, "post") != 0 && (strcmp(type, "page") != 0 || !pages))
        return POST_SKIP_NOT_A_POST; /* attachment, nav_menu_item, wp_block, revision... */
    if (f->status && strcmp(f->status, "private") == 0)
        return POST_SKIP_PRIVATE; /* only logged-in editors see it */
    if (!f->status || strcmp(f->status, "publish") != 0)
        return POST_SKIP_DRAFT; /* draft, pending, future, trash, auto-draft */
    if (f->password && *f->password)
        return POST_SKIP_PRIVATE; /* password-protected: the text is not public */
    return POST_INDEXED;
}

/* "YYYY-MM-DD" from "YYYY-MM-DD HH:MM:SS"; NULL for "0000-00-00 ..." or no date. */
static char *date_of(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t k = 0; s && k < 10; k++)
        if (shape[k] == 'd' ? !(s[k] >= '0' && s[k] <= '9') : s[k] != '-')
            return NULL;
    if (!s || strncmp(s, "0000", 4) == 0 || strncmp(s + 5, "00", 2) == 0)
        return NULL;
    return xstrndup(s, 10);
}

/* post_name as it is when valid, else decoded (%xx) and slugified, else from the title. */
static char *slug_of(const wp_fields *f, const char *title)
{
    const char *name = f->name ? f->name : "";
    if (*name && slug_valid(name))
        return xstrdup(name);
    strbuf d = {0};
    percent_decode(&d, name);
    char *slug = utf8_valid(d.data, d.len, NULL) && *d.data && strlen(d.data) == d.len ? slugify(d.data) : NULL;
    sb_free(&d);
    if (!slug || !*slug || !slug_valid(slug))
        free(slug), slug = slugify(title);
    if (!slug || !*slug || !slug_valid(slug)) {
        free(slug);
        /* A real export's id is digits; anything else is made a slug too. */
        strbuf id = {0};
        sb_printf(&id, "post-%s", f->id ? f->id : "0");
        slug = slugify(id.data);
        sb_free(&id);
        if (!slug || !slug_valid(slug))
            free(slug), slug = xstrdup("post");
    }
    return slug;
}

/* The text html shows, as one line: read by the HTML5 parser, so inline
 * elements join ("Mark<sup>up</sup>" is "Markup"), then white space collapsed.
 * NULL for empty text or HTML the parser refuses. */
char *wp_visible_text(const char *html)
{
    if (!html || !*html)
        return NULL;
    post *scratch = xcalloc(1, sizeof *scratch);
    post_error err;
    strbuf out = {0};
    if (html_to_post(scratch, "text", html, strlen(html), &(html_options){.wordpress = true}, &err) != POST_OK)
        scratch->text = NULL;
    for (const char *c = scratch->text; c && *c; c++) {
        bool space = strchr(" \t\r\n", *c) != NULL;
        if (!space)
            sb_putc(&out, *c);
        else if (out.len && c[1] && !strchr(" \t\r\n", c[1]))
            sb_putc(&out, ' ');
    }
    post_free(scratch);
    return out.len ? sb_take(&out) : (sb_free(&out), NULL);
}

char *wp_term_name(const char *raw)
{
    return wp_visible_text(raw);
}

post *wp_post(wp_fields *f, bool pages)
{
    post *p = xcalloc(1, sizeof *p);
    /* A WordPress title is HTML ("Title <em>With</em> Markup", "Tom &amp; Jerry"). */
    char *title = wp_visible_text(f->title);
    p->skip = skip_of(f, pages);
    p->slug = slug_of(f, title ? title : "");
    p->title = title ? title : xstrdup(p->slug);
    p->date = date_of(f->date);
    p->url = f->link && *f->link ? xstrdup(f->link) : NULL;
    p->summary = wp_visible_text(f->excerpt);
    p->authors = xcalloc(f->n_coauthors + 1, sizeof *p->authors);
    if (f->author && *f->author)
        p->authors[p->n_authors++] = xstrdup(f->author);
    for (size_t k = 0; k < f->n_coauthors; k++) /* repeats: post_drop_repeated_terms */
        if (*f->coauthors[k])
            p->authors[p->n_authors++] = xstrdup(f->coauthors[k]);
    p->image_src = f->image && *f->image ? xstrdup(f->image) : NULL;
    p->image_alt = f->image_alt && *f->image_alt ? xstrdup(f->image_alt) : NULL;
    for (size_t k = 0; k < f->n_tags; k++)
        for (char *c = f->tags[k]; *c; c++)
            *c = (char)((*c >= 'A' && *c <= 'Z') ? *c - 'A' + 'a' : *c);
    p->tags = f->tags ? f->tags : xcalloc(1, sizeof *p->tags);
    p->n_tags = f->n_tags;
    p->categories = f->categories ? f->categories : xcalloc(1, sizeof *p->categories);
    p->n_categories = f->n_categories;
    f->tags = f->categories = NULL;
    post_drop_repeated_terms(p);
    p->text = xstrdup(""), p->headings = xstrdup(""), p->alt_text = xstrdup("");
    p->link_text = xstrdup(""), p->code = xstrdup("");
    return p;
}

post_status wp_post_content(post **out, post *p, const char *where, const char *content,
                            post_error *err)
{
    post_status rc = POST_OK;
    if (p->skip == POST_INDEXED && content)
        rc = html_to_post(p, where, content, strlen(content), &(html_options){.wordpress = true}, err);
    if (rc != POST_OK) {
        post_free(p);
        return rc;
    }
    *out = p;
    return POST_OK;
}
