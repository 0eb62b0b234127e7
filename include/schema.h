/* schema.h — the index schema, written down once.
 *
 * Every term prefix, value slot and metadata key the indexer writes and the server
 * reads is named here, so the two programs cannot drift apart. Changing anything in
 * this file changes what an index means: bump LOOM_SCHEMA_VERSION with it. */
#ifndef LOOM_SCHEMA_H
#define LOOM_SCHEMA_H

#define LOOM_SCHEMA_VERSION "9"

/* Term prefixes (Omega's conventions where one exists). */
#define PREFIX_ID       "Q"   /* unique id: the source's item id (a Markdown folder: the
                               * file's path relative to it), boolean */
#define PREFIX_PUBLIC   "XP"  /* the public id: the slug, suffixed "-2", "-3"... when
                               * two items share one; JSON's id, /similar?id= */
#define PREFIX_TITLE    "S"   /* title words */
#define PREFIX_AUTHOR   "A"   /* author words */
#define PREFIX_AUTHOR_B "XA"  /* author, lower-cased whole name, boolean */
#define PREFIX_TAG      "K"   /* tag, lower-cased, boolean */
#define PREFIX_CATEGORY "XC"  /* category, lower-cased, boolean (category:) */
#define PREFIX_YEAR     "XY"  /* yyyy, boolean */
#define PREFIX_MONTH    "XM"  /* yyyymm, boolean */
#define PREFIX_HEADING  "XH"  /* section headings */
#define PREFIX_ALT      "XI"  /* image alt text */
#define PREFIX_SUMMARY  "XS"  /* summary */

/* Value slots. */
enum loom_slot {
    SLOT_DATE = 0,  /* "YYYYMMDD": sort, ranges, recency; empty: undated */
    SLOT_HASH = 1,  /* content hash of the source file, 16 hex digits */
    SLOT_PATH = 2,  /* the source's item id (PREFIX_ID without its prefix) */
    SLOT_SIZE = 3,  /* source size in bytes, decimal */
    SLOT_MTIME = 4, /* source mtime, seconds since the epoch, decimal */
    SLOT_ID = 5,    /* the public id (PREFIX_PUBLIC), readable without the term list */
    SLOT_DAYS = 6,  /* days since 1970-01-01, sortable_serialise'd: the recency prior */
    SLOT_TAGS = 7,  /* the tags, joined by FACET_SEPARATOR: facet counts */
    SLOT_AUTHORS = 8, /* the authors as written, joined the same way */
    SLOT_CATEGORIES = 9, /* the categories as written, joined the same way */
    SLOT_YEAR = 10, /* "YYYY": the year facet (a spy over a dozen years, not thousands of dates) */
};

/* Within-document frequency given to each field: how much more a word in the
 * title counts than the same word in the body. Unprefixed copies of title,
 * headings, tags and summary make plain queries find them too. */
enum loom_weight {
    WDF_BODY = 1,
    WDF_TITLE = 5,
    WDF_HEADING = 3,
    WDF_SUMMARY = 2,
    WDF_TAG = 3,
    WDF_ALT = 1,
    WDF_AUTHOR = 2,
};

/* Besides these, each post is indexed under its year as a plain word (no
 * position, no weight), so "elections 2024" finds posts from 2024 as well as
 * posts that mention 2024. */

/* Joins the values of one facet in a value slot; never in a tag or a name. */
#define FACET_SEPARATOR "\x1f"

/* Positions left empty between fields so no phrase or snippet spans two. */
#define FIELD_GAP 100

/* The plain text kept in document data for snippets is capped: snippet cost is
 * linear in the text it reads. */
#define STORED_TEXT_MAX (64 * 1024)

/* Document data is a compact JSON object (id, title, date, authors, tags, url,
 * summary, image, image_alt, sections), then DATA_TEXT_SEPARATOR, then the plain
 * text as it is: a hit's metadata parses without reading its text through a JSON
 * parser. Compact JSON never holds a raw newline. */
#define DATA_TEXT_SEPARATOR '\n'

/* Metadata keys. */
#define META_SCHEMA     "loomsearch.schema"
#define META_BUILD_ID   "loomsearch.build_id"
#define META_BUILT_AT   "loomsearch.built_at"   /* ISO 8601 UTC, when the build began */
#define META_UPDATED_AT "loomsearch.updated_at" /* ISO 8601 UTC, last commit */
#define META_SYNONYMS   "loomsearch.synonyms"   /* hash of the synonyms file indexed with */
/* META_SKIPPED + item id: an item not in the index, skipped by a rule (a draft, a
 * section index...) or refused, "s|f SIZE MTIME REASON\nmessage" (REASON: the
 * skip's or the failure's name), so an unchanged one is not read again. */
#define META_SKIPPED    "loomsearch.skipped:"

#endif
