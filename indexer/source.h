/* source.h — where posts come from: the indexer's input side.
 *
 * A source lists items and turns one item into the post model (post.h). The
 * build loop (build.c: compare, parse pool, one transaction, verified swap)
 * sees only this interface. Sources: a Markdown folder (source_markdown.c,
 * with a site's rules: site.h), a WordPress export (source_wxr.c) and saved
 * WordPress REST pages (source_wpjson.c), both mapped by wordpress.c.
 *
 * How a run uses a source:
 *
 *   1. open      before anything else; a source that cannot be used says why.
 *   2. fork      the parse workers (workers.h) are forked next, before the lock
 *                is taken: each holds a copy of the source as it was opened,
 *                and nothing the parent learns later.
 *   3. list      after the lock: every item, sorted by id, with its change stamp.
 *   4. compare   the build loop compares each stamp with what the index holds:
 *                size and mtime equal -> unchanged, nothing is read; a content
 *                hash known from the listing and equal -> unchanged; otherwise
 *                the item becomes a parse job.
 *   5. read      in a worker, by the item's `where`: the item's bytes. The worker
 *                hashes them (hash.h); equal to the indexed hash -> unchanged.
 *   6. parse     in the same worker, under the per-post CPU limit: the bytes
 *                become a post. A worker that runs over the limit is killed and
 *                the item reported; the run goes on.
 *
 * Sources that are one big file. A WordPress export (1 GB of XML) is read once,
 * by `list`: a streaming reader (xmlTextReader) notes each <item>'s id, its
 * stamp (size = its length in bytes, mtime = its modification date) and, since
 * it has every byte in hand, its content hash, so unchanged items need no job at
 * all. Its `where` is a locator such as "export.xml@OFFSET+LENGTH": `read` in a
 * worker fetches just those bytes with pread() (from the page cache, as the
 * listing has just read them), and `parse` parses one item. No source hands
 * parsed posts to the build loop itself: every parse happens in a worker, so
 * every source gets the CPU limit, the crash isolation and the deterministic
 * order of results for free, and the build loop has one path.
 *
 * Ownership: the caller owns what `open` returns (source_close) and what `list`
 * fills (source_list_free); `read` hands out a malloc'd buffer the caller frees;
 * `parse` a post the caller frees with post_free(). Failures of read and parse
 * are a post_status with a ready-to-print message in post_error ("where: what"),
 * and are the item's own: reported, and the run goes on. */
#ifndef LOOM_SOURCE_H
#define LOOM_SOURCE_H

#include "post.h"
#include "site.h"
#include "text.h"

#include <stdbool.h>
#include <stddef.h>

/* One thing that may become a post. */
typedef struct source_item {
    char *id;          /* stable and unique, the kind of source first; the unique
                        * term and value SLOT_PATH: "md:" + a folder's path
                        * relative to it */
    char *where;       /* where read() finds it, and how messages name it: a
                        * file's path as opened; a locator in an export */
    long long size;    /* change stamp, compared without reading */
    char mtime[32];    /* "seconds.nanoseconds", or what the source has */
    char hash[17];     /* content hash when listing already knows it, else "" */
} source_item;

typedef struct source_list {
    source_item *items; /* sorted by id (strcmp) */
    size_t n;
    unsigned unreadable; /* parts that could not be listed (each reported) */
    unsigned passed_over; /* named like posts but not read: not a regular file (a
                           * FIFO, a device), or in a folder too deep (each reported) */
    bool failed;         /* the listing could not finish (reported): the items
                          * are not the source's, and the run must fail with
                          * nothing written (a truncated WordPress export) */
} source_list;

typedef struct source source;

typedef struct source_ops {
    /* Fill *out with every item, sorted by id (an empty list is not an error:
     * the build loop decides what an empty source means). Problems are
     * reported on stderr and the listing goes on, unless the whole source is
     * unusable: then out->failed. */
    void (*list)(source *s, source_list *out);
    /* In a worker: the bytes of the item at where (malloc'd, NUL-terminated,
     * *len bytes), at most max_bytes. POST_EIO or POST_ETOOBIG. */
    post_status (*read)(const source *s, const char *where, size_t max_bytes, char **buf,
                        size_t *len, post_error *err);
    /* In a worker, under the CPU limit: the item's bytes as a post (*out, or
     * NULL on failure). Any post_status. */
    post_status (*parse)(const source *s, const char *where, const char *buf, size_t len,
                         post **out, post_error *err);
    /* Append how messages name the item with this id, also one no longer
     * listed (a post removed from the source). */
    void (*name)(const source *s, const char *id, strbuf *out);
    void (*close)(source *s);
} source_ops;

/* Every source starts with this; its own state follows. */
struct source {
    const source_ops *ops;
    const char *label; /* the input as the user named it ("corpus/"), for messages */
};

/* The Markdown folder at dir: *.md, *.mdx and *.markdown files found by walking it
 * (source_markdown.c). Each parsed post gets its URL from in_site's rules when
 * in_site is not NULL (the source owns it from now on, also on failure), else
 * from the permalink pattern when one is given (permalink.h), else none (the
 * server's --permalink then applies). NULL, with a message in why, when dir is
 * not a folder. */
source *source_markdown_open(const char *dir, site *in_site, const char *permalink, char *why,
                             size_t why_len);

/* The WordPress export (WXR) at path: every <item> a post, pages too when pages
 * is true (source_wxr.c). The channel's author table is read here, before the
 * workers fork. NULL, with a message in why, when path is not readable, is not
 * a WordPress export, or has a DOCTYPE. */
source *source_wxr_open(const char *path, bool pages, char *why, size_t why_len);

/* Saved pages of the WordPress REST API in dir: posts-*.json (arrays of post
 * objects, _embed'ed) and, when present, ids.json, the site's full id list
 * (source_wpjson.c). Pages are posts too when pages is true. NULL, with a
 * message in why, when dir is not a folder. */
source *source_wpjson_open(const char *dir, bool pages, char *why, size_t why_len);

/* The built site at dir (a generator's public/ or _site/): every *.html file
 * a page (source_html.c), its URL base_url joined with its path, its text the
 * main content only (content_selector, "#id" or ".class", when not NULL).
 * dir/sitemap.xml, when there, is read here: a page not in it is skipped. NULL,
 * with a message in why, when dir is not a folder or the selector is not
 * simple. */
source *source_html_open(const char *dir, const char *base_url, const char *content_selector,
                         char *why, size_t why_len);

/* The site a Markdown source reads with (NULL: none, or another source). */
const site *source_site(const source *s);

/* Release s (NULL is fine). */
void source_close(source *s);

/* The item with this id in l, or NULL (binary search). */
const source_item *source_find(const source_list *l, const char *id);

/* Keep only the items for which keep(ctx, item) is true; the others are freed.
 * The list stays sorted. */
void source_list_filter(source_list *l, bool (*keep)(void *ctx, const source_item *item),
                        void *ctx);

/* Keep only the items of partition index of count (--shard-by hash:N): those
 * whose id hashes to it (hash.h), known without reading the item and stable
 * while it keeps its id. */
void source_list_keep_partition(source_list *l, unsigned index, unsigned count);

/* Append an item (id and where are copied); the caller sorts at the end with
 * source_list_sort(). For sources' list(). */
void source_list_add(source_list *l, const char *id, const char *where, long long size,
                     const char *mtime);
void source_list_sort(source_list *l);

/* Items that are byte ranges of one big file (an export, saved API pages) name
 * themselves "PATH@OFFSET+LENGTH". source_locator_parse splits one (false when
 * where is not one); source_read_range, for a source's read(), preads the range
 * (POST_EIO naming where, or POST_ETOOBIG past max_bytes). */
bool source_locator_parse(const char *where, size_t *path_len, long long *off, long long *len);
post_status source_read_range(const char *where, size_t max_bytes, char **buf, size_t *len,
                              post_error *err);

/* Add every regular file under root whose name want() accepts (hidden files and
 * folders are never looked at), with the id id_kind + its path relative to root
 * (root has no trailing slash) and its size and mtime as stamp, then sort. For
 * the folder sources (Markdown, built HTML). Symlinks are never followed
 * (lstat), so a link loop cannot trap the walk and a link cannot pull in files
 * from outside the folder; a folder deeper than 32 levels is reported and
 * skipped, an unreadable one reported and counted in l->unreadable. */
void source_walk(source_list *l, const char *root, const char *id_kind,
                 bool (*want)(const char *name));
void source_list_free(source_list *l);

#endif
