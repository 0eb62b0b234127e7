/* frontmatter.h - a deliberately small reader for the benchmark's blog posts.
 *
 * A post is a Markdown file that starts with a "---" line, then one-line
 * "key: value" pairs, then another "---" line, then the body.  Values may be
 * bare, double-quoted, or (for tags) a one-line list "[a, b, c]".  This is not
 * YAML; it is just enough for the posts the benchmark generates.
 *
 * Shared by the C (SQLite) and C++ (Xapian) peers.
 */
#ifndef PEERS_FRONTMATTER_H
#define PEERS_FRONTMATTER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct post {
    char *raw;        /* the whole file; every string below points into it */
    const char *title, *date, *slug, *body;  /* "" when absent */
    const char **tags;                       /* ntags entries */
    size_t ntags;
    size_t body_len;
    int draft;                               /* "draft: true" */
};

/* Read and parse PATH.  Returns 0 on success, -1 if the file cannot be read
 * (errno set) and 1 if it has no front matter.  Call post_free afterwards
 * in every case. */
int post_read(const char *path, struct post *p);
void post_free(struct post *p);

/* Every "*.md" file below DIR (recursively, skipping dot-files and
 * dot-directories), sorted by byte order of the full path.  Returns the
 * number of paths, or -1 on error.  Free with paths_free. */
long find_posts(const char *dir, char ***paths_out);
void paths_free(char **paths, long n);

#ifdef __cplusplus
}
#endif

#endif
