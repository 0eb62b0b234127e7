/* permalink.h — a post's URL from a pattern: loomsearch-index --permalink (at
 * index time, with every field) and loomsearch-serve --permalink (for posts an
 * index stores no URL for). */
#ifndef LOOM_PERMALINK_H
#define LOOM_PERMALINK_H

/* What a pattern may name. Any field may be NULL (unknown): its token then
 * expands to nothing, and a date part's following "/" goes with it. */
typedef struct permalink_fields {
    const char *slug;     /* {slug} */
    const char *date;     /* "YYYY-MM-DD": {yyyy} {mm} {dd}; NULL or "": undated */
    const char *title;    /* {title}: slugified */
    const char *filename; /* {filename}: the file's name as written, dots kept,
                           * without its extension ("Rust.1.43.1") */
    const char *section;  /* {section}: the first folder of the post's path */
} permalink_fields;

/* The pattern with each token replaced; anything else is copied as it is
 * (an unknown "{word}" too). Returns a malloc'd string. */
char *permalink_expand(const char *pattern, const permalink_fields *f);

#endif
