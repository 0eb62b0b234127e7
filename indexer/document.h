/* document.h — a post as a Xapian document, following the schema in schema.h. */
#ifndef LOOM_DOCUMENT_H
#define LOOM_DOCUMENT_H

#include "post.h"
#include "synonyms.h"
#include "xap.h"

/* Where the post came from: kept in value slots so the next run can tell what
 * changed without reading the file. */
typedef struct post_source {
    const char *rel_path;
    long long size;
    const char *mtime;
    const char *hash;
} post_source;

/* Add or replace the document for p in w. XAP_EINVAL means the post itself
 * cannot be indexed (e.g. a tag too long for a term); other codes are the
 * index's failures. */
xap_status document_write(xap_writer *w, const post *p, const post_source *src,
                          const synonyms *syn, xap_error *err);

#endif
