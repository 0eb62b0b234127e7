/* site_files.h — the blog's own files beside the search (--site-root DIR): a
 * built static site served from the same origin, as a web server in front of
 * both would (site_files.c). */
#ifndef LOOM_SERVER_SITE_FILES_H
#define LOOM_SERVER_SITE_FILES_H

#include <microhttpd.h>
#include <stdbool.h>

/* Answer url (the request's path, percent-decoded) from --site-root: the file,
 * a folder's index.html, a redirect to "url/" for a folder named without its
 * slash, or the site's own 404.html (else a JSON 404). Never a file outside
 * the folder, a hidden one, or one reached through a symlink leaving it. */
enum MHD_Result serve_site_file(struct MHD_Connection *conn, const char *url);

#endif
