/* document.h — a post as a Xapian document, following the schema in schema.h. */
#ifndef LOOM_DOCUMENT_H
#define LOOM_DOCUMENT_H

#include "post.h"
#include "synonyms.h"
#include "text.h"
#include "xap.h"

/* Where the post came from: kept in value slots so the next run can tell what
 * changed without reading the file; and the ids the run gave it. */
typedef struct post_source {
    const char *rel_path;  /* the source's item id: the unique term (PREFIX_ID) */
    const char *public_id; /* the slug, or the slug suffixed "-2"...: PREFIX_PUBLIC, SLOT_ID */
    long long size;
    const char *mtime;
    const char *hash;
} post_source;

/* What stays the same from one post to the next in a run. */
typedef struct document_context {
    xap_writer *w;
    const synonyms *syn;
    strmap accents_done; /* words whose accent-free synonym is recorded this run */
} document_context;

/* Add or replace the document for p. XAP_EINVAL means the post itself cannot be
 * indexed (e.g. a tag too long for a term); other codes are the index's
 * failures. */
xap_status document_write(document_context *ctx, const post *p, const post_source *src,
                          xap_error *err);

#endif
