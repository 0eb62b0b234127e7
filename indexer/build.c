/* build.c — the indexer as a short pipeline:
 *   list the corpus -> read + hash + parse each post -> Xapian document -> commit
 *   -> publish the build -> prune old builds.
 * A post that fails is reported with its file and reason and the run goes on. */
#include "build.h"

#include "indexroot.h"
#include "post.h"
#include "schema.h"
#include "text.h"
#include "xap.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define MAX_DEPTH 32          /* folders below the corpus root */
#define FLUSH_THRESHOLD 1000  /* documents per flush: far less memory than Xapian's 10,000 */

/* ---- Listing the corpus ------------------------------------------------------ */

typedef struct path_list {
    char **paths;
    size_t n;
} path_list;

/* Hidden files, editor backups and lock files are not posts. */
static bool is_post_name(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.' || name[0] == '#' || name[n - 1] == '~')
        return false;
    return (n > 3 && strcmp(name + n - 3, ".md") == 0) ||
           (n > 9 && strcmp(name + n - 9, ".markdown") == 0);
}

static void list_posts(path_list *out, const char *dir, int depth, unsigned *failed)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "loomsearch-index: %s: cannot open folder: %s\n", dir, strerror(errno));
        (*failed)++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        strbuf path = {0};
        sb_printf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        /* lstat: symlinks are never followed, so a link loop cannot trap the run. */
        if (lstat(path.data, &st) == 0 && S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
            list_posts(out, path.data, depth + 1, failed);
        } else if (lstat(path.data, &st) == 0 && S_ISREG(st.st_mode) && is_post_name(e->d_name)) {
            out->paths = xrealloc(out->paths, (out->n + 1) * sizeof *out->paths);
            out->paths[out->n++] = sb_take(&path);
        }
        sb_free(&path);
    }
    closedir(d);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- From post to document --------------------------------------------------- */

static json_t *string_array(char **items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

static void set_optional(json_t *obj, const char *key, const char *value)
{
    if (value)
        json_object_set_new(obj, key, json_string(value));
}

/* Cut text to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* The stored data: what the server needs to render a hit without touching the
 * source file. */
static char *document_data(const post *p)
{
    json_t *d = json_object();
    json_object_set_new(d, "id", json_string(p->slug));
    json_object_set_new(d, "title", json_string(p->title));
    json_object_set_new(d, "date", json_string(p->date));
    json_object_set_new(d, "authors", string_array(p->authors, p->n_authors));
    json_object_set_new(d, "tags", string_array(p->tags, p->n_tags));
    set_optional(d, "url", p->url);
    set_optional(d, "summary", p->summary);
    set_optional(d, "image", p->image_src);
    set_optional(d, "image_alt", p->image_alt);
    size_t len = utf8_cut(p->text, strlen(p->text), STORED_TEXT_MAX);
    json_object_set_new(d, "text", json_stringn(p->text, len));
    char *s = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    return s;
}

/* Index text under a prefix and, unprefixed, so plain queries find it too. */
static xap_status index_field(xap_doc *doc, const char *text, unsigned wdf, const char *prefix,
                              xap_error *err)
{
    if (!text || !*text)
        return XAP_OK;
    size_t len = strlen(text);
    xap_status rc = xap_doc_index_text(doc, text, len, wdf, prefix, err);
    if (rc == XAP_OK && *prefix)
        rc = xap_doc_index_text(doc, text, len, wdf, "", err);
    return rc;
}

static char *lower_copy(const char *s)
{
    char *c = xstrdup(s);
    for (char *p = c; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

static xap_status add_terms(xap_doc *doc, const post *p, xap_error *err)
{
    xap_status rc = index_field(doc, p->title, WDF_TITLE, PREFIX_TITLE, err);
    for (size_t i = 0; rc == XAP_OK && i < p->n_authors; i++) {
        char *name = lower_copy(p->authors[i]);
        rc = xap_doc_index_text(doc, p->authors[i], strlen(p->authors[i]), WDF_AUTHOR,
                                PREFIX_AUTHOR, err);
        if (rc == XAP_OK)
            rc = xap_doc_add_boolean(doc, PREFIX_AUTHOR_B, name, err);
        free(name);
    }
    for (size_t i = 0; rc == XAP_OK && i < p->n_tags; i++) {
        rc = xap_doc_add_boolean(doc, PREFIX_TAG, p->tags[i], err);
        if (rc == XAP_OK) /* "open-data" is also the words "open data" */
            rc = xap_doc_index_text(doc, p->tags[i], strlen(p->tags[i]), WDF_TAG, "", err);
    }
    if (rc == XAP_OK)
        rc = index_field(doc, p->summary, WDF_SUMMARY, PREFIX_SUMMARY, err);
    if (rc == XAP_OK)
        rc = xap_doc_index_text(doc, p->headings, strlen(p->headings), WDF_HEADING, PREFIX_HEADING,
                                err);
    if (rc == XAP_OK)
        rc = index_field(doc, p->image_alt, WDF_ALT, PREFIX_ALT, err);
    if (rc == XAP_OK)
        rc = index_field(doc, p->alt_text, WDF_ALT, PREFIX_ALT, err);
    if (rc == XAP_OK) /* headings are part of the text, so they count there too */
        rc = xap_doc_index_text(doc, p->text, strlen(p->text), WDF_BODY, "", err);
    return rc;
}

static xap_status add_values(xap_doc *doc, const post *p, const char *rel_path,
                             const struct stat *st, const char *hash, xap_error *err)
{
    char ymd[9], year[5], month[7], num[32];
    memcpy(ymd, p->date, 4);
    memcpy(ymd + 4, p->date + 5, 2);
    memcpy(ymd + 6, p->date + 8, 2);
    ymd[8] = '\0';
    memcpy(year, ymd, 4);
    year[4] = '\0';
    memcpy(month, ymd, 6);
    month[6] = '\0';
    xap_status rc = xap_doc_set_value(doc, SLOT_DATE, ymd, 8, err);
    if (rc == XAP_OK)
        rc = xap_doc_add_boolean(doc, PREFIX_YEAR, year, err);
    if (rc == XAP_OK)
        rc = xap_doc_add_boolean(doc, PREFIX_MONTH, month, err);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_HASH, hash, strlen(hash), err);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_PATH, rel_path, strlen(rel_path), err);
    snprintf(num, sizeof num, "%lld", (long long)st->st_size);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_SIZE, num, strlen(num), err);
    snprintf(num, sizeof num, "%lld", (long long)st->st_mtime);
    if (rc == XAP_OK)
        rc = xap_doc_set_value(doc, SLOT_MTIME, num, strlen(num), err);
    return rc;
}

static xap_status write_post(xap_writer *w, const post *p, const char *rel_path,
                             const struct stat *st, const char *hash, xap_error *err)
{
    xap_doc *doc;
    xap_status rc = xap_doc_new(&doc, w, err);
    if (rc != XAP_OK)
        return rc;
    char *data = document_data(p);
    rc = add_terms(doc, p, err);
    if (rc == XAP_OK)
        rc = add_values(doc, p, rel_path, st, hash, err);
    if (rc == XAP_OK)
        rc = xap_doc_set_data(doc, data, strlen(data), err);
    if (rc == XAP_OK)
        rc = xap_writer_put(w, p->slug, doc, err);
    free(data);
    xap_doc_free(doc);
    return rc;
}

/* ---- One run ----------------------------------------------------------------- */

typedef struct run {
    const index_options *opt;
    xap_writer *writer;
    struct hsearch_data slugs; /* slug -> first path that claimed it */
    char **claimed;            /* the table's keys, which it does not free */
    size_t n_claimed;
    index_summary *sum;
} run;

static void iso_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *relative_to(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* Read, parse and write one post. Returns false only when the index itself
 * failed (then the run must stop); a bad post is counted and reported. */
static bool index_one(run *r, const char *path)
{
    post_error perr;
    char *buf;
    size_t len;
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "loomsearch-index: %s: vanished before it was read: %s\n", path,
                strerror(errno));
        r->sum->failed++;
        return true;
    }
    if (post_read_file(&buf, &len, path, r->opt->max_post_bytes, &perr) != POST_OK) {
        fprintf(stderr, "loomsearch-index: %s\n", perr.message);
        r->sum->failed++;
        return true;
    }
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)XXH3_64bits(buf, len));
    post *p;
    post_status prc = post_parse(&p, path, buf, len, &perr);
    free(buf);
    if (prc != POST_OK) {
        fprintf(stderr, "loomsearch-index: %s\n", perr.message);
        r->sum->failed++;
        return true;
    }
    if (p->draft) {
        if (!r->opt->quiet)
            fprintf(stderr, "loomsearch-index: %s: draft, not indexed\n", path);
        r->sum->drafts++;
        post_free(p);
        return true;
    }
    ENTRY want = {.key = p->slug}, *found = NULL;
    hsearch_r(want, FIND, &found, &r->slugs);
    if (found) {
        fprintf(stderr, "loomsearch-index: %s: slug '%s' is already taken by %s; not indexed\n",
                path, p->slug, (const char *)found->data);
        r->sum->failed++;
        post_free(p);
        return true;
    }
    ENTRY claim = {.key = xstrdup(p->slug), .data = (void *)path};
    r->claimed = xrealloc(r->claimed, (r->n_claimed + 1) * sizeof *r->claimed);
    r->claimed[r->n_claimed++] = claim.key;
    hsearch_r(claim, ENTER, &found, &r->slugs);
    xap_error err;
    xap_status rc = write_post(r->writer, p, relative_to(path, r->opt->corpus), &st, hash, &err);
    if (rc == XAP_EINVAL) { /* the post's own fault, e.g. a term too long */
        fprintf(stderr, "loomsearch-index: %s: cannot index: %s\n", path, err.message);
        r->sum->failed++;
    } else if (rc != XAP_OK) {
        fprintf(stderr, "loomsearch-index: cannot write the index: %s\n", err.message);
    } else {
        r->sum->indexed++;
    }
    post_free(p);
    return rc == XAP_OK || rc == XAP_EINVAL;
}

static bool write_metadata(xap_writer *w, const char *build_id, xap_error *err)
{
    char now[32];
    iso_now(now);
    return xap_writer_set_metadata(w, META_SCHEMA, LOOM_SCHEMA_VERSION, err) == XAP_OK &&
           xap_writer_set_metadata(w, META_BUILD_ID, build_id, err) == XAP_OK &&
           xap_writer_set_metadata(w, META_BUILT_AT, now, err) == XAP_OK &&
           xap_writer_set_metadata(w, META_UPDATED_AT, now, err) == XAP_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Write every post of the list into a new build at tmp_path. */
static int build_into(run *r, const path_list *list, const char *tmp_path, const char *build_id)
{
    xap_error err;
    if (xap_writer_open(&r->writer, tmp_path, FLUSH_THRESHOLD, &err) != XAP_OK) {
        fprintf(stderr, "loomsearch-index: cannot create build %s: %s\n", tmp_path, err.message);
        return EXIT_INDEX_FAILED;
    }
    hcreate_r(list->n * 2 + 16, &r->slugs);
    bool ok = true;
    for (size_t i = 0; ok && i < list->n; i++)
        ok = index_one(r, list->paths[i]);
    hdestroy_r(&r->slugs);
    for (size_t i = 0; i < r->n_claimed; i++)
        free(r->claimed[i]);
    free(r->claimed);
    if (ok && r->sum->indexed == 0)
        fprintf(stderr, "loomsearch-index: no post could be indexed from %s\n", r->opt->corpus);
    ok = ok && r->sum->indexed > 0 && write_metadata(r->writer, build_id, &err) &&
         xap_writer_commit(r->writer, &err) == XAP_OK;
    if (!ok && err.code != XAP_OK)
        fprintf(stderr, "loomsearch-index: cannot write the index: %s\n", err.message);
    xap_writer_close(r->writer);
    r->writer = NULL;
    return ok ? EXIT_INDEX_OK : EXIT_INDEX_FAILED;
}

int index_run(const index_options *opt, index_summary *sum)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *sum = (index_summary){0};
    struct stat st;
    if (stat(opt->corpus, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "loomsearch-index: corpus %s is not a folder\n", opt->corpus);
        return EXIT_INDEX_FAILED;
    }
    if (indexroot_init(opt->root) != 0) {
        fprintf(stderr, "loomsearch-index: cannot create index root %s: %s\n", opt->root,
                strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    int lock = indexroot_lock(opt->root);
    if (lock < 0) {
        if (errno == EWOULDBLOCK) {
            fprintf(stderr, "loomsearch-index: another loomsearch-index is running on %s\n",
                    opt->root);
            return EXIT_INDEX_LOCKED;
        }
        fprintf(stderr, "loomsearch-index: cannot lock %s: %s\n", opt->root, strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    path_list list = {0};
    list_posts(&list, opt->corpus, 0, &sum->failed);
    if (list.n > 1)
        qsort(list.paths, list.n, sizeof *list.paths, compare_paths);

    char *id, *tmp_path;
    indexroot_new_build(&id, &tmp_path, opt->root);
    run r = {.opt = opt, .sum = sum};
    int rc = build_into(&r, &list, tmp_path, id);
    if (rc == EXIT_INDEX_OK && indexroot_publish(opt->root, id) != 0) {
        fprintf(stderr, "loomsearch-index: cannot publish build %s: %s\n", id, strerror(errno));
        rc = EXIT_INDEX_FAILED;
    }
    /* Also removes the unpublished build of a failed run. */
    indexroot_prune(opt->root, opt->keep_builds);
    sum->seconds = seconds_since(&t0);
    printf("indexed %u, skipped %u (drafts), failed %u, %.2f s%s%s\n", sum->indexed, sum->drafts,
           sum->failed, sum->seconds, rc == EXIT_INDEX_OK ? ", build " : ", nothing published",
           rc == EXIT_INDEX_OK ? id : "");
    for (size_t i = 0; i < list.n; i++)
        free(list.paths[i]);
    free(list.paths);
    free(id);
    free(tmp_path);
    close(lock);
    return rc;
}
