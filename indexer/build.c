/* build.c — one indexer run, as a short pipeline:
 *
 *   list the source -> compare with the index (size and mtime first, then the
 *   content hash) -> parse what changed in the worker pool -> write, replace,
 *   delete -> verify -> commit (in place) or publish (a new build).
 *
 * An incremental run writes inside one Xapian transaction, so readers see all of
 * it or none of it, and a run killed at any point leaves the index as it was. A
 * rebuild writes a new build beside the served one and swaps it in only once it
 * has been verified. A post that fails is reported with its file and reason and
 * the run goes on; the version already indexed, if any, stays.
 *
 * Ids. A document's unique term is its source item's id (PREFIX_ID), so two
 * posts that share a slug are both indexed. Its public id (PREFIX_PUBLIC,
 * SLOT_ID: JSON's id, /similar?id=) is the slug, suffixed "-2", "-3"... when
 * another post holds it: given in item order, and kept while the post exists
 * (also across a rebuild, read from the build it replaces), so a newcomer
 * never takes an existing post's public id. */
#include "build.h"

#include "clock.h"
#include "document.h"
#include "indexroot.h"
#include "schema.h"
#include "source.h"
#include "synonyms.h"
#include "text.h"
#include "workers.h"
#include "writers.h"
#include "xap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_THRESHOLD 1000 /* documents per flush: far less memory than Xapian's 10,000 */
/* Documents per flush in each writer process of a full build. Smaller batches
 * keep Xapian's pending-change maps small: on 10k real-text posts, two writers
 * took 38 s at 100, 46-48 s at 250 and 500, 51 s at 2,000, 56 s at 50. */
#define WRITER_FLUSH 100
#define KEEP_RATIO 0.9       /* a run may not shrink the index below this, unless --force */
#define DELETE_FLOOR 10      /* ... when it deletes more posts than this */
#define MAX_WRITERS 8        /* writer processes of a full build, at most */
#define SMOKE_CANDIDATES 8   /* posts that may prove a new build answers searches */

/* ---- The state of one run ----------------------------------------------------- */

/* A post already in the index, as its values describe it. */
typedef struct entry {
    char *pub; /* its public id */
    char *rel; /* the source item's id: the unique term */
    char *size, *mtime, *hash;
    bool keep; /* still wanted: unchanged, rewritten, or kept after a failure */
} entry;

/* An item left out of the index last time (skipped by rule, or failed), by id. */
typedef struct skipped {
    char kind;      /* 's' skipped by rule, 'f' failed */
    char reason[32]; /* post_skip_name(), or the refusal's reason (index.h) */
    char *size, *mtime, *message;
    bool keep;      /* still true this run */
} skipped;

typedef struct run {
    const index_options *opt;
    index_summary *sum;
    xap_writer *w;   /* the index; with writer processes, the metadata database */
    writer_set *writers; /* a rebuild's writer processes, or NULL: w takes the posts */
    bool rebuild;
    char *build_id, *build_path;
    unsigned long serving_doccount; /* of the build being replaced or updated */
    synonyms syn;
    document_context doc;
    source *src;
    source_list items; /* what the source holds now, sorted by id */
    entry *entries;
    size_t n_entries, cap_entries;
    strmap by_rel;   /* item id -> entry */
    strmap skips;    /* item id -> skipped */
    strmap pub_of;   /* item id -> its public id (malloc'd), NULL once it has none */
    strmap by_pub;   /* public id -> the item id (a string that lives with the run) that
                      * claimed it last; it holds it while pub_of says so */
    char **prior;    /* a rebuild: item ids of the build it replaces (pub_of's keys) */
    size_t n_prior, cap_prior;
    const source_item **job_items;
    bool index_failed;
    bool changed;    /* anything to commit */
    char *smoke[SMOKE_CANDIDATES]; /* the ids of the first posts written */
    size_t n_smoke;
    size_t progress_done, progress_total;
} run;

/* News, not trouble: silent with --quiet. */
static void say(const run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const run *r, const char *fmt, ...)
{
    if (r->opt->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

/* A write to the build failed: where, and the system's reason ("No space
 * left on device"); the served index is never the one written. */
static void report_write_failure(const run *r, const xap_error *err)
{
    report("cannot write the index in %s: %s; the served index is untouched",
           r->build_path ? r->build_path : r->opt->root, err->message);
}

static void iso_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void progress(run *r)
{
    if (!r->opt->progress || r->opt->quiet)
        return;
    r->progress_done++;
    size_t step = r->progress_total / 100 + 1;
    if (r->progress_done % step == 0 || r->progress_done == r->progress_total)
        fprintf(stderr, "\r%zu/%zu posts read", r->progress_done, r->progress_total);
    if (r->progress_done == r->progress_total)
        fputs("\r\033[K", stderr);
}

/* ---- Public ids ---------------------------------------------------------------- */

/* Give the item rel (a string that lives with the run) the public id pub, or
 * none (NULL): it leaves the index or never entered it. */
static void set_public_id(run *r, const char *rel, const char *pub)
{
    free(map_get(&r->pub_of, rel));
    map_put(&r->pub_of, rel, pub ? xstrdup(pub) : NULL);
    if (pub)
        map_put(&r->by_pub, pub, (void *)rel);
}

/* Is pub held by another item than rel, one still in the source? */
static bool public_id_taken(const run *r, const char *pub, const char *rel)
{
    const char *holder = map_get(&r->by_pub, pub);
    if (!holder || strcmp(holder, rel) == 0)
        return false;
    const char *held = map_get(&r->pub_of, holder);
    return held && strcmp(held, pub) == 0 && source_find(&r->items, holder);
}

/* Is pub the slug, or the slug suffixed "-N" (N >= 2)? */
static bool public_id_of_slug(const char *pub, const char *slug)
{
    size_t n = strlen(slug);
    if (strncmp(pub, slug, n) != 0)
        return false;
    if (!pub[n])
        return true;
    if (pub[n] != '-' || !pub[n + 1] || pub[n + 1] == '0')
        return false;
    for (const char *d = pub + n + 1; *d; d++)
        if (*d < '0' || *d > '9')
            return false;
    return strcmp(pub + n + 1, "1") != 0;
}

/* The public id of the item rel, whose post has this slug: the one it has
 * when that is still its slug's, else the slug, or the slug with the first
 * free suffix. Owned by the run. */
static const char *public_id_for(run *r, const char *rel, const char *slug)
{
    const char *pub = map_get(&r->pub_of, rel);
    if (pub && public_id_of_slug(pub, slug) && !public_id_taken(r, pub, rel))
        return pub;
    strbuf cand = {0};
    sb_puts(&cand, slug);
    for (unsigned n = 2; public_id_taken(r, cand.data, rel); n++) {
        cand.len = 0;
        sb_printf(&cand, "%s-%u", slug, n);
    }
    set_public_id(r, rel, cand.data);
    sb_free(&cand);
    return map_get(&r->pub_of, rel);
}

/* ---- Loading what the index holds --------------------------------------------- */

static bool load_entry(void *ctx, const char *const *v, const size_t *len)
{
    run *r = ctx;
    (void)len;
    if (!*v[0]) /* a document without our values: not ours, leave it */
        return true;
    if (r->n_entries == r->cap_entries) {
        r->cap_entries = r->cap_entries ? r->cap_entries * 2 : 256;
        r->entries = xrealloc(r->entries, r->cap_entries * sizeof *r->entries);
    }
    entry *e = &r->entries[r->n_entries++];
    *e = (entry){.pub = xstrdup(v[0]), .rel = xstrdup(v[1]), .size = xstrdup(v[2]),
                 .mtime = xstrdup(v[3]), .hash = xstrdup(v[4])};
    return true;
}

/* A document of the build a rebuild replaces: its item keeps its public id. */
static bool load_prior(void *ctx, const char *const *v, const size_t *len)
{
    run *r = ctx;
    (void)len;
    if (!*v[0] || !*v[1])
        return true;
    if (r->n_prior == r->cap_prior) {
        r->cap_prior = r->cap_prior ? r->cap_prior * 2 : 256;
        r->prior = xrealloc(r->prior, r->cap_prior * sizeof *r->prior);
    }
    r->prior[r->n_prior] = xstrdup(v[0]);
    set_public_id(r, r->prior[r->n_prior++], v[1]);
    return true;
}

/* Before a rebuild: the public ids of the served build, so that it keeps
 * them. A build that cannot be read gives none: ids are then given afresh. */
static void load_prior_ids(run *r, const char *current)
{
    static const unsigned slots[] = {SLOT_PATH, SLOT_ID};
    xap_writer *w;
    if (xap_writer_open(&w, current, 0, NULL) != XAP_OK)
        return;
    xap_writer_each(w, slots, 2, load_prior, r, NULL);
    xap_writer_close(w);
}

static bool load_skipped(void *ctx, const char *key, const char *value)
{
    run *r = ctx;
    skipped *s = xmalloc(sizeof *s);
    char size[32] = "", mtime[40] = "";
    *s = (skipped){.kind = value[0]};
    const char *nl = strchr(value, '\n');
    if (sscanf(value + 1, " %31s %39s %31s", size, mtime, s->reason) != 3 || !nl) {
        free(s); /* unreadable: forget it, the post is simply read again */
        return true;
    }
    s->size = xstrdup(size);
    s->mtime = xstrdup(mtime);
    s->message = xstrdup(nl + 1);
    map_put(&r->skips, key + strlen(META_SKIPPED), s);
    return true;
}

static int load_state(run *r, xap_error *err)
{
    static const unsigned slots[] = {SLOT_ID, SLOT_PATH, SLOT_SIZE, SLOT_MTIME, SLOT_HASH};
    if (xap_writer_each(r->w, slots, 5, load_entry, r, err) != XAP_OK ||
        xap_writer_each_metadata(r->w, META_SKIPPED, load_skipped, r, err) != XAP_OK) {
        report("cannot read the index: %s", err->message);
        return EXIT_INDEX_FAILED;
    }
    /* Pointers into entries only now that it has stopped growing. */
    for (size_t i = 0; i < r->n_entries; i++) {
        map_put(&r->by_rel, r->entries[i].rel, &r->entries[i]);
        set_public_id(r, r->entries[i].rel, r->entries[i].pub);
    }
    return EXIT_INDEX_OK;
}

/* ---- Choosing between an update in place and a new build ---------------------- */

static unsigned long doccount_of(const char *path)
{
    xap_db *db;
    xap_db_stats stats = {0};
    if (xap_db_open(&db, path, NULL) == XAP_OK) {
        xap_db_stats_get(&stats, db, NULL);
        xap_db_close(db);
    }
    return stats.doccount;
}

/* Why the served build cannot be updated in place, or NULL when it can. */
static const char *needs_rebuild(run *r)
{
    char *schema = NULL, *syn = NULL;
    const char *why = NULL;
    if (xap_writer_metadata(&schema, r->w, META_SCHEMA, NULL) != XAP_OK ||
        strcmp(schema, LOOM_SCHEMA_VERSION) != 0)
        why = "the index schema changed: rebuilding everything";
    else if (xap_writer_metadata(&syn, r->w, META_SYNONYMS, NULL) != XAP_OK ||
             strcmp(syn, r->syn.hash) != 0)
        why = "the synonyms changed: rebuilding everything";
    free(schema);
    free(syn);
    return why;
}

static int open_writer(run *r, const char *path)
{
    xap_error err;
    xap_status st = xap_writer_open(&r->w, path, FLUSH_THRESHOLD, &err);
    if (st == XAP_ELOCKED) {
        report("another process is writing %s", path);
        return EXIT_INDEX_LOCKED;
    }
    if (st != XAP_OK) {
        report("cannot open %s for writing: %s", path, err.message);
        return EXIT_INDEX_FAILED;
    }
    return EXIT_INDEX_OK;
}

/* A full build on more than one core: a writer process per core, merged at
 * the end; the parent writes metadata to a database of its own (writers.h). */
static int start_writers(run *r)
{
    strbuf dir = {0};
    size_t len = strlen(r->build_path);
    /* Beside the build, named so that pruning removes what a killed run left. */
    sb_printf(&dir, "%.*s.parts.tmp", (int)(len - strlen(".tmp")), r->build_path);
    unsigned n = r->opt->jobs < MAX_WRITERS ? r->opt->jobs : MAX_WRITERS;
    r->writers = writers_start(n, dir.data, WRITER_FLUSH, &r->syn);
    sb_free(&dir);
    if (!r->writers) {
        report("cannot start the index writers: %s", strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    return open_writer(r, writers_meta_path(r->writers));
}

static int open_target(run *r)
{
    char *current = NULL;
    bool have = indexroot_current(&current, NULL, r->opt->root) == 0;
    r->rebuild = r->opt->mode == MODE_REBUILD || !have;
    int rc = EXIT_INDEX_OK;
    if (have)
        r->serving_doccount = doccount_of(current);
    if (!r->rebuild) {
        rc = open_writer(r, current);
        const char *why = rc == EXIT_INDEX_OK ? needs_rebuild(r) : NULL;
        if (why) {
            say(r, "%s", why);
            xap_writer_close(r->w);
            r->w = NULL;
            r->rebuild = true;
        }
    }
    if (rc == EXIT_INDEX_OK && r->rebuild && have)
        load_prior_ids(r, current);
    if (rc == EXIT_INDEX_OK && r->rebuild) {
        indexroot_new_build(&r->build_id, &r->build_path, r->opt->root);
        rc = r->opt->jobs > 1 ? start_writers(r) : open_writer(r, r->build_path);
        if (rc == EXIT_INDEX_OK && !r->writers) /* spelling once per word, at the end */
            xap_writer_defer_spelling(r->w);
    } else if (rc == EXIT_INDEX_OK) {
        r->build_path = current;
        current = NULL;
        xap_error err;
        rc = xap_writer_begin(r->w, &err) == XAP_OK ? load_state(r, &err) : EXIT_INDEX_FAILED;
    }
    free(current);
    return rc;
}

/* ---- Applying each parsed post ------------------------------------------------- */

/* Remember an item left out (kind 's' by rule, 'f' failed, for reason) so that,
 * unchanged, it is not read again. */
static void remember_skipped(run *r, const source_item *it, char kind, const char *reason,
                             const char *message)
{
    skipped *s = map_get(&r->skips, it->id);
    if (!s) {
        s = xmalloc(sizeof *s);
        *s = (skipped){.kind = kind, .size = xstrdup(""), .mtime = xstrdup(""), .message = xstrdup("")};
        map_put(&r->skips, it->id, s);
    }
    s->keep = true; /* written below: not to be cleared as stale */
    strbuf key = {0}, value = {0};
    sb_printf(&key, "%s%s", META_SKIPPED, it->id);
    sb_printf(&value, "%c %lld %s %s\n%s", kind, it->size, it->mtime, reason, message ? message : "");
    xap_error err;
    if (xap_writer_set_metadata(r->w, key.data, value.data, &err) != XAP_OK) {
        report_write_failure(r, &err);
        r->index_failed = true;
    }
    r->changed = true;
    sb_free(&key);
    sb_free(&value);
}

static void post_failed(run *r, const source_item *it, entry *e, const char *reason,
                        const char *message)
{
    summary_refused(r->sum, reason);
    report("%s%s", message, e ? " (the version already indexed stays)" : "");
    if (e)
        e->keep = true;
    set_public_id(r, it->id, e ? e->pub : NULL); /* the version indexed keeps its own */
    remember_skipped(r, it, 'f', reason, message);
}

/* Left out by a rule of the site's generator (a draft, a section's index...). */
static void post_skipped(run *r, const source_item *it, const entry *e, post_skip skip)
{
    r->sum->skipped[skip]++;
    set_public_id(r, it->id, NULL);
    if (r->opt->verbose || e) /* news when it leaves the index; else --verbose names it */
        say(r, "%s: %s, not indexed%s", it->where, post_skip_name(skip),
            e ? " (removed from the index)" : "");
    remember_skipped(r, it, 's', post_skip_name(skip), NULL);
}

/* Hand a parsed post to the index: to its writer process as the worker's JSON,
 * or decoded and written here. XAP_EINVAL: the post's own fault. */
static xap_status store_post(run *r, const parse_result *res, const post_source *src,
                             xap_error *err)
{
    if (r->writers) {
        /* Its writer reports it at the end if it cannot be indexed. */
        if (writers_put(r->writers, src, res->json, res->json_len))
            return XAP_OK;
        snprintf(err->message, sizeof err->message, "an index writer process has stopped");
        return XAP_EIO;
    }
    post *p = post_from_json(res->json, res->json_len);
    if (!p) {
        snprintf(err->message, sizeof err->message, "a parse worker sent a post that cannot be read back");
        return XAP_EINVAL;
    }
    r->doc.w = r->w;
    r->doc.syn = &r->syn;
    xap_status st = document_write(&r->doc, p, src, err);
    post_free(p);
    return st;
}

/* Counted, named and remembered as a proof candidate once it is written. */
static void post_written(run *r, const source_item *it, entry *e, const parse_result *res,
                         const char *pub)
{
    r->changed = true;
    if (e) /* the same item: replaced under its id, whatever its slug now */
        e->keep = true;
    if (e)
        r->sum->updated++;
    else
        r->sum->added++;
    r->sum->undated += res->undated;
    r->sum->suffixed += strcmp(pub, res->slug) != 0;
    if (r->opt->verbose)
        say(r, "%s: %s%s%s%s", it->where, e ? "updated" : "added", res->undated ? ", undated" : "",
            strcmp(pub, res->slug) != 0 ? ", public id " : "", strcmp(pub, res->slug) != 0 ? pub : "");
    if (r->n_smoke < SMOKE_CANDIDATES) {
        r->smoke[r->n_smoke++] = xstrdup(it->id);
    }
}

static void write_post(run *r, const source_item *it, entry *e, const parse_result *res)
{
    const char *pub = public_id_for(r, it->id, res->slug);
    post_source src = {.rel_path = it->id, .public_id = pub, .size = it->size, .mtime = it->mtime,
                       .hash = res->hash};
    xap_error err;
    xap_status st = store_post(r, res, &src, &err);
    if (st == XAP_EINVAL) { /* the post's own fault, e.g. a tag too long for a term */
        strbuf msg = {0};
        sb_printf(&msg, "%s: cannot be indexed: %s", it->where, err.message);
        post_failed(r, it, e, "not_indexable", msg.data);
        sb_free(&msg);
        return;
    }
    if (st != XAP_OK) {
        report_write_failure(r, &err);
        r->index_failed = true;
        return;
    }
    post_written(r, it, e, res, pub);
}

/* A writer process could not index the post with item id rel: as if
 * write_post had failed. */
static void on_writer_failed(void *ctx, const char *rel, const char *message)
{
    run *r = ctx;
    const source_item *it = source_find(&r->items, rel);
    if (!it)
        return;
    strbuf msg = {0};
    sb_printf(&msg, "%s: cannot be indexed: %s", it->where, message);
    r->sum->added--;
    post_failed(r, it, NULL, "not_indexable", msg.data);
    sb_free(&msg);
    for (size_t i = 0; i < r->n_smoke; i++)
        if (strcmp(r->smoke[i], rel) == 0)
            r->smoke[i][0] = '\0'; /* cannot prove anything */
}

static int finish_writers(run *r)
{
    char why[512];
    if (writers_finish(r->writers, on_writer_failed, r, why, sizeof why))
        return r->index_failed ? EXIT_INDEX_FAILED : EXIT_INDEX_OK;
    /* The writer said why on stderr (a full disk, say); this says where,
     * as a failed write in this process does. */
    report("cannot write the index in %s: %s; the served index is untouched",
           r->build_path ? r->build_path : r->opt->root, why);
    return EXIT_INDEX_FAILED;
}

/* The hash matched: the post is as indexed; only its size or mtime moved (a
 * checkout, a copy). Record them so the next run need not read it. */
static void post_unchanged(run *r, const source_item *it, entry *e)
{
    r->sum->unchanged++;
    e->keep = true;
    char size[32];
    snprintf(size, sizeof size, "%lld", it->size);
    xap_error err;
    if (xap_writer_set_doc_value(r->w, e->rel, SLOT_SIZE, size, strlen(size), &err) != XAP_OK ||
        xap_writer_set_doc_value(r->w, e->rel, SLOT_MTIME, it->mtime, strlen(it->mtime), &err) != XAP_OK) {
        report_write_failure(r, &err);
        r->index_failed = true;
    }
    r->changed = true;
}

/* One parse result, in item order. */
static void apply_result(run *r, const source_item *it, const parse_result *res)
{
    entry *e = map_get(&r->by_rel, it->id);
    progress(r);
    if (r->index_failed)
        return;
    if (res->kind == PARSE_UNCHANGED && e) {
        post_unchanged(r, it, e);
    } else if (res->kind == PARSE_FAILED) {
        post_failed(r, it, e, res->reason, res->message);
    } else if (res->kind == PARSE_OK && res->skip != POST_INDEXED) {
        post_skipped(r, it, e, res->skip);
    } else if (res->kind == PARSE_OK) {
        write_post(r, it, e, res);
    }
}

/* An item skipped by rule last time, unchanged: counted under its reason. */
static void known_skipped(run *r, const source_item *it, const char *reason)
{
    int k = POST_SKIP_DRAFT;
    while (k < POST_SKIP_COUNT - 1 && strcmp(post_skip_name((post_skip)k), reason) != 0)
        k++;
    r->sum->skipped[k]++;
    if (r->opt->verbose)
        say(r, "%s: %s, not indexed (unchanged)", it->where, reason);
}

/* Is the item known, unchanged, from the last run? Counts it if so. */
static bool known_unchanged(run *r, const source_item *it)
{
    char size[32];
    snprintf(size, sizeof size, "%lld", it->size);
    entry *e = map_get(&r->by_rel, it->id);
    if (e && strcmp(e->size, size) == 0 && strcmp(e->mtime, it->mtime) == 0) {
        e->keep = true;
        r->sum->unchanged++;
        return true;
    }
    if (e && it->hash[0] && strcmp(e->hash, it->hash) == 0) {
        post_unchanged(r, it, e); /* the source hashed it while listing */
        return true;
    }
    skipped *s = map_get(&r->skips, it->id);
    /* A post skipped as not yet due is read again each run: its day comes
     * without the file changing. */
    bool may_be_due = s && s->kind == 's' && strcmp(s->reason, post_skip_name(POST_SKIP_FUTURE)) == 0;
    if (s && !may_be_due && strcmp(s->size, size) == 0 && strcmp(s->mtime, it->mtime) == 0) {
        s->keep = true;
        set_public_id(r, it->id, e ? e->pub : NULL);
        if (s->kind == 's')
            known_skipped(r, it, s->reason);
        else {
            summary_refused(r->sum, s->reason);
            report("%s (unchanged since it failed)", s->message);
        }
        return true;
    }
    return false;
}

/* Compare every item with the index, parse what changed in the pool, and
 * apply each result in item order. */
static int apply_changes(run *r, parse_pool *pool)
{
    parse_job *jobs = xmalloc((r->items.n + 1) * sizeof *jobs);
    r->job_items = xmalloc((r->items.n + 1) * sizeof *r->job_items);
    size_t n = 0;
    for (size_t i = 0; i < r->items.n; i++) {
        const source_item *it = &r->items.items[i];
        if (known_unchanged(r, it))
            continue;
        entry *e = map_get(&r->by_rel, it->id);
        jobs[n] = (parse_job){.where = it->where, .known_hash = e ? e->hash : ""};
        r->job_items[n++] = it;
    }
    r->sum->read = (unsigned)n;
    r->progress_total = n;
    pool_begin(pool, jobs, n);
    size_t job;
    parse_result res;
    int got;
    while ((got = pool_next(pool, &job, &res)) > 0)
        apply_result(r, r->job_items[job], &res);
    if (got < 0)
        report("the parse workers failed: %s", strerror(errno));
    free(jobs);
    return r->index_failed || got < 0 ? EXIT_INDEX_FAILED : EXIT_INDEX_OK;
}

/* ---- Finishing: deletions, bookkeeping, verification --------------------------- */

static int delete_gone(run *r)
{
    size_t gone = 0;
    for (size_t i = 0; i < r->n_entries; i++)
        gone += !r->entries[i].keep;
    /* An unmounted or emptied source must not empty the index: refuse to
     * delete everything, or more than a tenth of the posts when that is more
     * than a few (a small archive loses one post in ten in ordinary weeks). */
    unsigned long after = r->n_entries - gone + r->sum->added;
    bool emptied = after == 0 && r->n_entries > 0;
    bool shrunk = gone > DELETE_FLOOR && after < KEEP_RATIO * (double)r->n_entries;
    if (!r->opt->force && (emptied || shrunk)) {
        report("refusing to delete %zu of %zu posts (the index would keep %lu): is the corpus "
               "folder complete? --force deletes them",
               gone, r->n_entries, after);
        return EXIT_INDEX_REFUSED;
    }
    xap_error err;
    for (size_t i = 0; i < r->n_entries; i++) {
        entry *e = &r->entries[i];
        if (e->keep)
            continue;
        r->sum->deleted++;
        r->changed = true;
        if (r->opt->verbose) {
            strbuf name = {0};
            r->src->ops->name(r->src, e->rel, &name);
            say(r, "%s: removed", name.data);
            sb_free(&name);
        }
        if (xap_writer_delete(r->w, e->rel, &err) != XAP_OK) {
            report_write_failure(r, &err);
            return EXIT_INDEX_FAILED;
        }
    }
    return EXIT_INDEX_OK;
}

static bool clear_stale_skip(void *ctx, const char *key, const char *value)
{
    run *r = ctx;
    (void)value;
    skipped *s = map_get(&r->skips, key + strlen(META_SKIPPED));
    if (s && s->keep)
        return true;
    r->changed = true;
    return xap_writer_set_metadata(r->w, key, "", NULL) == XAP_OK;
}

static int write_bookkeeping(run *r)
{
    xap_error err = {0};
    bool ok = xap_writer_each_metadata(r->w, META_SKIPPED, clear_stale_skip, r, &err) == XAP_OK;
    if (ok && !r->rebuild && (r->sum->deleted || r->sum->updated)) {
        unsigned long removed;
        ok = xap_writer_prune_spelling(&removed, r->w, &err) == XAP_OK;
        if (ok && removed && r->opt->verbose)
            say(r, "%lu spelling entries no longer in any post removed", removed);
    }
    if (ok && (r->changed || r->rebuild)) {
        char now[32];
        iso_now(now);
        ok = xap_writer_set_metadata(r->w, META_UPDATED_AT, now, &err) == XAP_OK;
        if (ok && r->rebuild)
            ok = xap_writer_set_metadata(r->w, META_SCHEMA, LOOM_SCHEMA_VERSION, &err) == XAP_OK &&
                 xap_writer_set_metadata(r->w, META_SYNONYMS, r->syn.hash, &err) == XAP_OK &&
                 xap_writer_set_metadata(r->w, META_BUILD_ID, r->build_id, &err) == XAP_OK &&
                 xap_writer_set_metadata(r->w, META_BUILT_AT, now, &err) == XAP_OK;
    }
    if (!ok)
        report_write_failure(r, &err);
    return ok ? EXIT_INDEX_OK : EXIT_INDEX_FAILED;
}

/* Does the build find the post with this id by searching for a word it holds
 * (its rarest)? A post's title may have no searchable word at all ("*", an
 * emoji), so the word comes from the index itself. A post with no word is
 * proved present by its stored data alone. */
static bool build_finds(xap_db *db, const char *id)
{
    char *word = NULL, *data = NULL;
    size_t len;
    xap_error err = {0};
    if (!*id || xap_db_document_word(&word, db, id, &err) != XAP_OK ||
        xap_db_document_data(&data, &len, db, id, &err) != XAP_OK) {
        free(word);
        return false;
    }
    bool found = !*word;
    xap_query q = {.text = word, .text_len = strlen(word), .limit = 10, .max_expansion = 100};
    xap_hits *hits = NULL;
    if (!found && xap_search(&hits, db, &q, &err) == XAP_OK) {
        xap_hit hit;
        for (size_t i = 0; !found && i < xap_hits_count(hits); i++)
            found = xap_hits_get(&hit, hits, i, &err) == XAP_OK && hit.data_len == len &&
                    memcmp(hit.data, data, len) == 0;
    }
    xap_hits_free(hits);
    free(word);
    free(data);
    return found;
}


/* A new build must hold about as many posts as the one it replaces, answer a
 * query, and pass Xapian's own consistency check. */
static int verify_build(run *r)
{
    xap_db *db;
    xap_error err;
    xap_db_stats stats;
    if (xap_db_open(&db, r->build_path, &err) != XAP_OK || xap_db_stats_get(&stats, db, &err) != XAP_OK) {
        report("the new build cannot be opened: %s", err.message);
        return EXIT_INDEX_REFUSED;
    }
    int rc = EXIT_INDEX_OK;
    if (!r->opt->force && stats.doccount < KEEP_RATIO * (double)r->serving_doccount) {
        report("the new build has %lu posts, under 90%% of the %lu served: not published "
               "(--force publishes it)",
               stats.doccount, r->serving_doccount);
        rc = EXIT_INDEX_REFUSED;
    }
    const char *smoke_id = ""; /* the first post written that stayed */
    for (size_t i = 0; i < r->n_smoke && !*smoke_id; i++)
        smoke_id = r->smoke[i];
    if (rc == EXIT_INDEX_OK && !build_finds(db, smoke_id)) {
        report("the new build does not find %s by a word it holds: not published", smoke_id);
        rc = EXIT_INDEX_REFUSED;
    }
    xap_db_close(db);
    size_t problems;
    if (rc == EXIT_INDEX_OK && (xap_check(&problems, r->build_path, &err) != XAP_OK || problems)) {
        report("the new build fails Xapian's check (%zu problems): not published", problems);
        rc = EXIT_INDEX_REFUSED;
    }
    return rc;
}

static int commit_or_publish(run *r)
{
    xap_error err;
    if (!r->rebuild) {
        if (!r->changed || r->opt->dry_run)
            return EXIT_INDEX_OK; /* closing the writer abandons the transaction */
        if (xap_writer_commit(r->w, &err) != XAP_OK) {
            report("cannot commit the changes: %s (the index is as it was)", err.message);
            return EXIT_INDEX_FAILED;
        }
        return EXIT_INDEX_OK;
    }
    if (r->sum->added == 0) {
        report("no post could be indexed from %s", r->src->label);
        return EXIT_INDEX_FAILED;
    }
    xap_status st = r->writers ? XAP_OK : xap_writer_spell_from_terms(r->w, &err);
    if (st == XAP_OK)
        st = xap_writer_commit(r->w, &err);
    xap_writer_close(r->w);
    r->w = NULL;
    if (st != XAP_OK) {
        report("cannot write the new build: %s (the served index is untouched)", err.message);
        return EXIT_INDEX_FAILED;
    }
    char why[512];
    if (r->writers && !writers_merge(r->writers, r->build_path, why, sizeof why)) {
        report("%s (the served index is untouched)", why);
        return EXIT_INDEX_FAILED;
    }
    int rc = verify_build(r);
    if (rc != EXIT_INDEX_OK || r->opt->dry_run)
        return rc;
    if (indexroot_publish(r->opt->root, r->build_id) != 0) {
        report("cannot publish build %s: %s", r->build_id, strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    return EXIT_INDEX_OK;
}

/* ---- The run ------------------------------------------------------------------ */

/* What the run changed in the served index. A run that failed published
 * nothing: its counts say so (what it had read stays visible in brackets), and
 * the posts are the ones still served, not those a failed write held. */
static void print_summary(const run *r, int rc)
{
    const index_summary *s = r->sum;
    bool failed = rc != EXIT_INDEX_OK && rc != EXIT_INDEX_MOSTLY_REFUSED;
    if (failed)
        printf("added 0, updated 0, deleted 0 (not published: %u, %u and %u), unchanged %u; ",
               s->added, s->updated, s->deleted, s->unchanged);
    else
        printf("added %u, updated %u, deleted %u, unchanged %u; ", s->added, s->updated, s->deleted,
               s->unchanged);
    summary_print_counts(stdout, s);
    printf("; read %u of %zu files", s->read, r->items.n);
    if (r->items.passed_over + r->items.unreadable)
        printf(" (%u passed over, each named above)", r->items.passed_over + r->items.unreadable);
    printf("; %lu posts%s; %.2f s", failed ? r->serving_doccount : s->doccount,
           failed ? " served" : "", s->seconds);
    if (failed)
        printf("; nothing changed in the served index\n");
    else if (r->opt->dry_run)
        printf("; dry run: nothing written\n");
    else if (r->rebuild)
        printf("; new build %s\n", r->build_id);
    else
        printf("%s\n", r->changed ? "" : "; nothing changed");
}

static void run_free(run *r)
{
    xap_writer_close(r->w);
    for (size_t i = 0; i < r->n_entries; i++) {
        entry *e = &r->entries[i];
        free(e->pub), free(e->rel), free(e->size), free(e->mtime), free(e->hash);
    }
    free(r->entries);
    for (size_t i = 0; i < r->skips.cap; i++) {
        skipped *s = r->skips.values[i];
        if (s)
            free(s->size), free(s->mtime), free(s->message), free(s);
    }
    map_free(&r->doc.accents_done);
    for (size_t i = 0; i < r->pub_of.cap; i++)
        free(r->pub_of.values[i]);
    for (size_t i = 0; i < r->n_prior; i++)
        free(r->prior[i]);
    free(r->prior);
    map_free(&r->by_rel);
    map_free(&r->pub_of);
    map_free(&r->by_pub);
    map_free(&r->skips);
    free(r->job_items);
    free(r->build_id);
    free(r->build_path);
    for (size_t i = 0; i < r->n_smoke; i++)
        free(r->smoke[i]);
    writers_free(r->writers);
    synonyms_free(&r->syn);
    source_list_free(&r->items);
    source_close(r->src);
}


/* Open the run's input: the one place that knows which source there is. */
/* Lock, list, compare with what the index holds: the run's state, ready for
 * the changes. */
static int open_run(run *r, int *lock)
{
    const index_options *opt = r->opt;
    int rc = index_lock(opt, lock);
    if (rc != EXIT_INDEX_OK)
        return rc;
    r->src->ops->list(r->src, &r->items);
    if (r->items.failed)
        return EXIT_INDEX_FAILED; /* the listing said why; nothing is written */
    if (opt->in_shard)
        source_list_keep_partition(&r->items, opt->shard_index, opt->shard_count);
    r->sum->found = (unsigned)r->items.n;
    return open_target(r);
}

/* The changes, then deletions and bookkeeping, then commit or publish. */
static int finish_run(run *r, int rc)
{
    if (r->writers && rc == EXIT_INDEX_OK)
        rc = finish_writers(r);
    if (rc == EXIT_INDEX_OK)
        rc = delete_gone(r);
    if (rc == EXIT_INDEX_OK)
        rc = write_bookkeeping(r);
    if (rc == EXIT_INDEX_OK)
        rc = commit_or_publish(r);
    return rc;
}

int index_update(const index_options *opt, index_summary *sum)
{
    double t0 = monotonic_seconds();
    run r = {.opt = opt, .sum = sum};
    char why[512];
    if (!(r.src = index_open_source(opt)))
        return EXIT_INDEX_FAILED;
    if (opt->synonyms_path && !synonyms_load(&r.syn, opt->synonyms_path, why, sizeof why)) {
        report("%s", why);
        source_close(r.src);
        return EXIT_INDEX_FAILED;
    }
    /* Workers first: forked before the lock and the index are opened. */
    parse_pool *pool = pool_start(r.src, opt->jobs, opt->max_post_bytes, opt->parse_cpu_seconds);
    if (!pool) {
        report("cannot start parse workers: %s", strerror(errno));
        synonyms_free(&r.syn);
        source_close(r.src);
        return EXIT_INDEX_FAILED;
    }
    int lock = -1;
    int rc = open_run(&r, &lock);
    if (rc == EXIT_INDEX_OK)
        rc = apply_changes(&r, pool);
    pool_stop(pool);
    rc = finish_run(&r, rc);
    if (rc == EXIT_INDEX_OK) /* loud when much of the source could not be indexed */
        rc = summary_check_refused(sum, "what could be indexed is published");
    sum->rebuilt = r.rebuild;
    sum->doccount = (r.rebuild ? 0 : r.n_entries) + sum->added - sum->deleted;
    if (lock >= 0) {
        xap_writer_close(r.w); /* before pruning: it may be the build pruned */
        r.w = NULL;
        indexroot_prune(opt->root, opt->keep_builds); /* also a failed run's new build */
        close(lock);
    }
    sum->seconds = monotonic_seconds() - t0;
    print_summary(&r, rc);
    run_free(&r);
    return rc;
}
