/* xap.h — Xapian for C.
 *
 * The only door from loomsearch's C code into Xapian's C++ API. Conventions:
 *  - Handles are opaque. A read handle (xap_db) belongs to one thread: Xapian
 *    objects must never be shared between threads, not even copied.
 *  - A function returns XAP_OK or an error code, output parameter first, and fills
 *    *err (which may be NULL) with the code and Xapian's message.
 *  - Whatever a function hands out through `out` belongs to the caller: release it
 *    with the matching _close/_free, which accept NULL. Strings come from malloc().
 *  - No C++ exception ever crosses into C.
 */
#ifndef LOOM_XAP_H
#define LOOM_XAP_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xap_db xap_db;         /* read handle: one per thread, never shared */
typedef struct xap_writer xap_writer; /* the one write handle of a database */
typedef struct xap_doc xap_doc;       /* a document being built for a writer */
typedef struct xap_hits xap_hits;     /* one page of results, with what snippets need */

/* One code per Xapian error class that callers treat differently. */
typedef enum xap_status {
    XAP_OK = 0,
    XAP_EINVAL = -1,     /* the caller passed something unusable (InvalidArgumentError) */
    XAP_ENOTFOUND = -2,  /* no database at that path (DatabaseNotFoundError) */
    XAP_ENODOC = -3,     /* no such document (DocNotFoundError, or no such id) */
    XAP_ELOCKED = -4,    /* another writer holds the database (DatabaseLockError) */
    XAP_EMODIFIED = -5,  /* a commit overtook this reader: reopen and retry */
    XAP_EIO = -6,        /* files unreadable, corrupt or unwritable (DatabaseError) */
    XAP_EQUERY = -7,     /* the query does not parse (QueryParserError) */
    XAP_ELIMIT = -8,     /* a wildcard or partial term expands past its limit */
    XAP_ENETWORK = -9,   /* a remote shard failed (NetworkError) */
    XAP_ETIMEOUT = -10,  /* a remote shard did not answer in time */
    XAP_ENOMEM = -11,    /* std::bad_alloc */
    XAP_EINTERNAL = -12, /* anything else: a bug, or a Xapian error we do not expect */
} xap_status;

typedef struct xap_error {
    xap_status code;
    char message[256]; /* Xapian's type and message, for logs; never for clients */
} xap_error;

/* A stable lower-case name for a status ("locked", "not_found"...), never NULL. */
const char *xap_status_name(xap_status status);

/* ---- Reading ----------------------------------------------------------------- */

/* Open the database (or stub file) at path for reading.
 * XAP_ENOTFOUND when nothing is there; XAP_EIO when it is unreadable. */
xap_status xap_db_open(xap_db **out, const char *path, xap_error *err);
void xap_db_close(xap_db *db);

/* One database of an index made of several: a local one, or one that
 * xapian-tcpsrv serves at host:port. */
typedef struct xap_shard {
    const char *path; /* a local database; NULL for a remote one */
    const char *host;
    unsigned port;
} xap_shard;

/* Open each shard in turn (a remote one with timeout_ms to connect and for
 * each request after) and join those that open into one database. opened[i]
 * says whether shard i did; err holds the first failure, even when others
 * opened (the call then returns XAP_OK). Fails only when none opened. */
xap_status xap_db_open_shards(xap_db **out, const xap_shard *shards, size_t n, unsigned timeout_ms,
                              bool *opened, xap_error *err);

/* Move to the newest committed revision; *changed says whether it moved.
 * Does not follow a swapped stub or symlink: open the new path instead. */
xap_status xap_db_reopen(bool *changed, xap_db *db, xap_error *err);

typedef struct xap_db_stats {
    unsigned long doccount;
    unsigned long revision; /* 0 for a database of several shards: they have none */
} xap_db_stats;
xap_status xap_db_stats_get(xap_db_stats *out, xap_db *db, xap_error *err);

/* User metadata for key ("" when unset). */
xap_status xap_db_metadata(char **out, xap_db *db, const char *key, xap_error *err);

/* The stored data of the document whose unique id (PREFIX_ID: the source's item
 * id) is id; XAP_ENODOC when none. */
xap_status xap_db_document_data(char **out, size_t *out_len, xap_db *db, const char *id,
                                xap_error *err);
/* A plain word the document with unique id is indexed under, its rarest (so a
 * search for it finds that document first): what proves a build answers
 * searches for a post whatever its title. "" when it has none; XAP_ENODOC. */
xap_status xap_db_document_word(char **out, xap_db *db, const char *id, xap_error *err);

/* ---- Searching --------------------------------------------------------------- */

typedef enum xap_sort {
    XAP_SORT_RELEVANCE = 0,
    XAP_SORT_NEWEST,
    XAP_SORT_OLDEST,
} xap_sort;

/* Filters narrow a search without changing its ranking. Within one field the
 * values are alternatives (OR); different fields must all hold (AND). */
typedef struct xap_filters {
    const char *const *tags;    /* lower-case tags */
    size_t n_tags;
    const char *const *authors; /* lower-case full names */
    size_t n_authors;
    const char *const *categories; /* lower-case categories */
    size_t n_categories;
    char from[9];               /* "YYYYMMDD", inclusive, or "" (undated posts never match) */
    char to[9];                 /* "YYYYMMDD", inclusive, or "" (undated posts never match) */
} xap_filters;

typedef struct xap_query {
    const char *text;       /* what the visitor typed: UTF-8, already bounded; may be
                             * empty when filters are given (then all matching posts) */
    size_t text_len;
    unsigned offset;        /* first hit to return, 0-based */
    unsigned limit;         /* hits per page */
    xap_sort sort;
    unsigned max_expansion; /* terms a wildcard may expand to; past it XAP_ELIMIT */
    const xap_filters *filters; /* or NULL */
    bool partial;           /* the last word may be unfinished ("inst" finds "installation") */
    bool spelling;          /* when little is found, try the spelling correction */
    bool facets;            /* count tags, authors, years and categories over all matches */
    double recency;         /* weight per year of the newer-is-better prior; 0: none.
                             * Undated posts get the prior of the archive's middle day */
} xap_query;

/* Parse and run a query. Operators (AND, OR, NOT, quotes, -word, title:, tag:,
 * category:, date:2023..2024) are honoured in capitals, and in lower case where the text
 * still parses with them; text that does not parse is searched as plain words
 * (xap_hits_relaxed). Words are ANDed; when that finds nothing the search is
 * run again with OR (xap_hits_widened). */
xap_status xap_search(xap_hits **out, xap_db *db, const xap_query *query, xap_error *err);
void xap_hits_free(xap_hits *hits);

size_t xap_hits_count(const xap_hits *hits);            /* hits on this page */
unsigned long xap_hits_estimate(const xap_hits *hits);  /* matches in all, estimated */
/* true with *total set when the number of matches is known exactly. */
bool xap_hits_exact(const xap_hits *hits, unsigned long *total);
bool xap_hits_relaxed(const xap_hits *hits);            /* operators were dropped */
bool xap_hits_widened(const xap_hits *hits);            /* AND found nothing: ORed */
/* The last word, read as a prefix because the archive has no such word but
 * words it begins (or NULL); valid while hits lives. */
const char *xap_hits_prefix(const xap_hits *hits);
/* What hit i gained from the words typed together standing together in it,
 * and from being by the author the text names whole (0 when not). For explain:
 * a search each. */
xap_status xap_hits_bonuses(xap_hits *hits, size_t i, double *adjacency, double *name,
                            xap_error *err);
/* A spelling correction that finds more than the query did, or NULL; *total is
 * what it finds. Owned by the hits. */
const char *xap_hits_correction(const xap_hits *hits, unsigned long *total);
/* The query itself found nothing, so the hits are the correction's. */
bool xap_hits_correction_shown(const xap_hits *hits);

/* The most values of one facet an answer carries, the most frequent first: a
 * page shows a few, and an archive of 10,000 tags must not make every answer
 * list them all. */
#define XAP_FACET_MAX_VALUES 50

typedef enum xap_facet {
    XAP_FACET_TAG,
    XAP_FACET_AUTHOR,
    XAP_FACET_YEAR,     /* undated posts are not counted */
    XAP_FACET_CATEGORY,
    XAP_FACET_COUNT
} xap_facet;
/* Facet values counted over the matches (with facets asked for), most frequent
 * first; value owned by the hits. */
size_t xap_hits_facet_size(const xap_hits *hits, xap_facet facet);
void xap_hits_facet(const xap_hits *hits, xap_facet facet, size_t i, const char **value,
                    unsigned long *count);

typedef struct xap_hit {
    unsigned docid;
    double weight;
    const char *data; /* stored document data, owned by the hits */
    size_t data_len;
} xap_hit;
/* Hit i (0-based) of the page; XAP_EINVAL past the end. */
xap_status xap_hits_get(xap_hit *out, xap_hits *hits, size_t i, xap_error *err);

/* Fields of a hit, as bits, for xap_hits_matched. */
enum xap_field {
    XAP_FIELD_TEXT = 1, XAP_FIELD_TITLE = 2, XAP_FIELD_AUTHOR = 4, XAP_FIELD_TAG = 8,
    XAP_FIELD_HEADING = 16, XAP_FIELD_SUMMARY = 32, XAP_FIELD_ALT = 64,
};
/* For each query term hit i contains: fn(ctx, term, fields it is in, and with
 * weigh the weight the term alone gives this post (a search per term: for
 * explaining, not for every page), else 0). */
typedef void (*xap_term_fn)(void *ctx, const char *term, unsigned fields, double weight);
xap_status xap_hits_matched(xap_hits *hits, size_t i, bool weigh, xap_term_fn fn, void *ctx,
                            xap_error *err);

/* Where in a text to make its snippet from, found cheaply: one scan, no
 * stemming, counting the words that begin like a query word. Piece i is
 * text[starts[i], starts[i + 1]) (n pieces, n + 1 starts). For each piece that
 * has such words, most first (earliest on a tie), out (room for n) gets the
 * piece and the window of about width bytes (whole words) where they are
 * densest, so that a snippet stems only that much. Returns how many; 0 also
 * when the query's words cannot be told this way (a wildcard). */
typedef struct xap_passage {
    size_t piece, from, to;
} xap_passage;
size_t xap_hits_find_passages(xap_hits *hits, const char *text, const size_t *starts, size_t n,
                              size_t width, xap_passage *out);

/* Does the cheap count find every word a snippet would mark (no wildcard, no
 * word of a script written without spaces)? When it does, a text in which
 * xap_hits_find_passages finds nothing does not match. */
bool xap_hits_words_exact(xap_hits *hits);

/* Could text[0, len) match the query: has it a word that begins like one of the
 * query's words (true too when the query's words cannot be told this way)? A
 * cheap test before a snippet, which stems every word. */
bool xap_hits_may_match(xap_hits *hits, const char *text, size_t len);

/* The passage of text that best matches the query, at most about `length` bytes,
 * HTML-escaped (& < >), with matches between hi_start and hi_end and `omit` where
 * text was cut. Uses the query's own stemmer. With only_if_match, "" when no
 * query term occurs in the text. */
xap_status xap_hits_snippet(char **out, xap_hits *hits, const char *text, size_t text_len,
                            size_t length, const char *hi_start, const char *hi_end,
                            const char *omit, bool only_if_match, xap_error *err);

/* The whole of text[0, len) (a window already chosen), marked as
 * xap_hits_snippet would mark it, without stemming every word: each distinct
 * word that begins like a query word is stemmed once a query. Where a word
 * cannot be read that way (a wildcard query, a word glued to another by "." or
 * "+", a word of another script) it asks xap_hits_snippet. */
xap_status xap_hits_mark(char **out, xap_hits *hits, const char *text, size_t len, const char *hi_start,
                         const char *hi_end, const char *omit, bool only_if_match, xap_error *err);

/* Up to n words of the index that start with prefix, most frequent first:
 * fn(ctx, word, frequency). */
typedef void (*xap_word_fn)(void *ctx, const char *word, unsigned long freq);
xap_status xap_db_complete(xap_db *db, const char *prefix, size_t n, xap_word_fn fn, void *ctx,
                           xap_error *err);

/* Posts like the one whose public id (PREFIX_PUBLIC, JSON's id) is id, best
 * first, itself left out: built from the most telling words of that post.
 * XAP_ENODOC when there is no such post. */
xap_status xap_similar(xap_hits **out, xap_db *db, const char *id, unsigned limit,
                       xap_error *err);

/* "2023", "2023-06" or "2023-06-14" as the first day of that period (or, with
 * end, the last) in out as "YYYYMMDD"; false when it is none of those. */
bool xap_period_bound(const char *period, bool end, char out[9]);

/* ---- Writing ----------------------------------------------------------------- */

/* Open path for writing, creating it when absent. XAP_ELOCKED while another
 * writer holds it. flush_threshold: documents buffered before Xapian flushes
 * (0 = Xapian's default). */
xap_status xap_writer_open(xap_writer **out, const char *path, unsigned flush_threshold,
                           xap_error *err);
/* The same, for a database that is only ever read by xap_compact() (a shard of a
 * full build): its commits are not synced to disk, since the compactor syncs
 * what it writes. A crash can leave it unreadable: throw it away. */
xap_status xap_writer_open_scratch(xap_writer **out, const char *path, unsigned flush_threshold,
                                   xap_error *err);
/* Close without committing: an open transaction is abandoned. */
void xap_writer_close(xap_writer *w);

/* All changes between begin and commit become visible to readers at once. */
xap_status xap_writer_begin(xap_writer *w, xap_error *err);
xap_status xap_writer_commit(xap_writer *w, xap_error *err);

xap_status xap_writer_set_metadata(xap_writer *w, const char *key, const char *value,
                                   xap_error *err);
/* Add or replace the document whose unique id (the source's item id) is id (its words become
 * spelling entries, unless the writer defers them). */
xap_status xap_writer_put(xap_writer *w, const char *id, xap_doc *doc, xap_error *err);
/* Delete the document whose unique id is id (nothing happens when there is none). */
xap_status xap_writer_delete(xap_writer *w, const char *id, xap_error *err);

/* A new empty document, indexed with the writer's English stemmer and
 * positions. */
xap_status xap_doc_new(xap_doc **out, xap_writer *w, xap_error *err);
void xap_doc_free(xap_doc *doc);

/* Index text with positions: each word counts wdf_inc times, under prefix ("" for
 * none). Fields are separated by a gap of positions so phrases never span two. */
xap_status xap_doc_index_text(xap_doc *doc, const char *text, size_t len, unsigned wdf_inc,
                              const char *prefix, xap_error *err);
/* A boolean (filter) term prefix+value; XAP_EINVAL when longer than Xapian allows. */
xap_status xap_doc_add_boolean(xap_doc *doc, const char *prefix, const char *value,
                               xap_error *err);
xap_status xap_doc_set_value(xap_doc *doc, unsigned slot, const char *value, size_t len,
                             xap_error *err);
/* A number in a value slot, encoded so that values sort as numbers. */
xap_status xap_doc_set_number(xap_doc *doc, unsigned slot, double number, xap_error *err);
xap_status xap_doc_set_data(xap_doc *doc, const char *data, size_t len, xap_error *err);

/* Make a word and its accent-free form synonyms of each other (both as written
 * and as stemmed), so a search for either finds both: "zürich" <-> "zurich". */
xap_status xap_writer_add_accent_synonym(xap_writer *w, const char *word, const char *folded,
                                         xap_error *err);

/* The writer's user metadata for key ("" when unset). */
xap_status xap_writer_metadata(char **out, xap_writer *w, const char *key, xap_error *err);

/* Called once per document by xap_writer_each with the values of the slots asked
 * for (values[i] is "" with lens[i] 0 when unset; valid only during the call).
 * Return false to stop early. */
typedef bool (*xap_each_fn)(void *ctx, const char *const *values, const size_t *lens);
/* Visit every document of the writer's database, committed or not. */
xap_status xap_writer_each(xap_writer *w, const unsigned *slots, size_t n_slots, xap_each_fn fn,
                           void *ctx, xap_error *err);

/* Call fn(ctx, key, value) for each user metadata entry whose key starts with
 * prefix (key and value valid only during the call); fn returns false to stop. */
typedef bool (*xap_meta_fn)(void *ctx, const char *key, const char *value);
xap_status xap_writer_each_metadata(xap_writer *w, const char *prefix, xap_meta_fn fn, void *ctx,
                                    xap_error *err);

/* Set one value of the document whose unique id is id, keeping the rest of it.
 * XAP_ENODOC when there is none. */
xap_status xap_writer_set_doc_value(xap_writer *w, const char *id, unsigned slot,
                                    const char *value, size_t len, xap_error *err);

/* Xapian keeps spelling entries when the documents that gave them go: remove each
 * entry whose word is no longer a term of the database. *removed counts them. */
xap_status xap_writer_prune_spelling(unsigned long *removed, xap_writer *w, xap_error *err);

/* ---- Checking ---------------------------------------------------------------- */

/* Check the database files at path as xapian-check does; *problems counts what
 * is wrong (0: consistent). XAP_EIO when the files cannot be read at all. */
xap_status xap_check(size_t *problems, const char *path, xap_error *err);

/* Spelling entries ("did you mean") are a word and how many posts hold it. By
 * default each document adds its own words as it is put. A full build defers
 * them and adds every word of the database once at the end, with its count:
 * far less work than once per post. */
xap_status xap_writer_defer_spelling(xap_writer *w);
/* Commit, then add a spelling entry for each word of the database. */
xap_status xap_writer_spell_from_terms(xap_writer *w, xap_error *err);

/* Write a new database at to holding only the spelling entries and synonyms
 * of the database at from: no documents, so it can join remote shards as one
 * more (local) shard that gives "did you mean" and accent folding, which the
 * remote backend does not serve. */
xap_status xap_export_lexicon(const char *from, const char *to, size_t *words, size_t *keys,
                              xap_error *err);

/* Merge the databases at sources into one new, compacted database at dest (which
 * must not exist): documents renumbered in source order, spelling, synonyms and
 * metadata merged. */
xap_status xap_compact(const char *const *sources, size_t n, const char *dest, xap_error *err);

#ifdef __cplusplus
}
#endif

#endif
