/* site_files.c — a built static site served beside the search (--site-root).
 * A real deployment puts a web server in front of both; this is that, for one
 * process: the demo, a small blog, a test. Every path is checked twice: by its
 * segments (no "..", nothing hidden) and, once resolved, by where it lands
 * (inside the folder, so a symlink cannot lead out of it). */
#include "site_files.h"

#include "config.h"
#include "fdio.h"
#include "http.h"
#include "text.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SITE_BUFFERED_MAX_BYTES (1u << 20) /* a page or a stylesheet read whole, and gzipped */

static const struct {
    const char *ext, *type;
} site_types[] = {
    {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json; charset=utf-8"},
    {".xml", "application/xml; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},             {".png", "image/png"},
    {".jpg", "image/jpeg"},                {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},                 {".webp", "image/webp"},
    {".avif", "image/avif"},               {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},              {".woff", "font/woff"},
    {".pdf", "application/pdf"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof site_types / sizeof site_types[0]; i++)
        if (strcasecmp(dot, site_types[i].ext) == 0)
            return site_types[i].type;
    return "application/octet-stream";
}

/* A path the site may name: absolute, no empty segment but the last ("//x"
 * would make the slash redirect a link to another host), no segment that is
 * "..", "." or hidden (".git", ".env": a site folder is often a checkout), no
 * backslash. */
static bool path_allowed(const char *url)
{
    if (url[0] != '/' || strchr(url, '\\') || strstr(url, "//"))
        return false;
    for (const char *seg = url + 1; *seg; seg += strcspn(seg, "/") + (seg[strcspn(seg, "/")] ? 1 : 0))
        if (seg[0] == '.')
            return false;
    return true;
}

/* The real path of root + url, or NULL when it does not exist or resolves
 * outside the real root. malloc'd. */
static char *resolve(const char *url)
{
    char root[PATH_MAX], *real;
    if (!realpath(config->site_root, root))
        return NULL;
    strbuf path = {0};
    sb_printf(&path, "%s%s", root, url);
    real = realpath(path.data, NULL);
    sb_free(&path);
    size_t n = strlen(root);
    if (real && (strncmp(real, root, n) != 0 || (real[n] != '/' && real[n] != '\0'))) {
        free(real);
        return NULL;
    }
    return real;
}

/* A path as a Location header carries it: libmicrohttpd decoded it, and bytes
 * outside the path's own characters go back to %XX (no CR or LF can pass). */
static void location_path(strbuf *out, const char *path)
{
    static const char keep[] = "-._~!$&'()*+,;=:@/";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            sb_putc(out, (char)*p);
        else
            sb_printf(out, "%%%02X", *p);
    }
}

/* Pages, styles and scripts (small and textual) go through the buffer, which
 * gzips them for a client that takes it; anything else is sent from the file
 * itself (no copy in memory, no compression: a video does not shrink). */
static bool worth_buffering(const char *type, off_t size)
{
    return size <= SITE_BUFFERED_MAX_BYTES &&
           (strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
            strncmp(type, "application/xml", 15) == 0 || strncmp(type, "image/svg", 9) == 0);
}

static enum MHD_Result send_file(struct MHD_Connection *conn, unsigned status, const char *path)
{
    /* The site's pages run their own scripts and styles: the server's strict
     * policy is for its own pages, not for these. */
    http_header headers[] = {{"Content-Security-Policy", ""}, {"Cache-Control", "public, max-age=300"}};
    const char *type = type_of(path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    }
    if (!worth_buffering(type, st.st_size))
        return respond_file(conn, status, type, fd, (size_t)st.st_size, headers, 2);
    close(fd);
    char *body;
    size_t len;
    if (fd_read_file(&body, &len, path, SITE_BUFFERED_MAX_BYTES, NULL, 0) != FD_OK)
        return respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    enum MHD_Result rc = respond_headers(conn, status, type, body, len, headers, 2);
    free(body);
    return rc;
}

static enum MHD_Result not_found(struct MHD_Connection *conn)
{
    char *page = resolve("/404.html");
    struct stat st;
    enum MHD_Result rc = page && stat(page, &st) == 0 && S_ISREG(st.st_mode)
                             ? send_file(conn, MHD_HTTP_NOT_FOUND, page)
                             : respond_error(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
    free(page);
    return rc;
}

enum MHD_Result serve_site_file(struct MHD_Connection *conn, const char *url)
{
    if (!path_allowed(url))
        return not_found(conn);
    char *real = resolve(url);
    struct stat st;
    if (!real || stat(real, &st) != 0) {
        free(real);
        return not_found(conn);
    }
    enum MHD_Result rc;
    if (S_ISDIR(st.st_mode) && url[strlen(url) - 1] != '/') {
        /* "/2025/08/post" names a folder: its page's relative links need the slash. */
        strbuf to = {0};
        location_path(&to, url);
        sb_putc(&to, '/');
        rc = respond_with(conn, MHD_HTTP_MOVED_PERMANENTLY, "text/plain; charset=utf-8", "", 0,
                          "Location", to.data);
        sb_free(&to);
    } else if (S_ISDIR(st.st_mode)) {
        /* Resolved as its own path: an index.html that is a symlink out of
         * the folder is refused like any other. */
        strbuf index_url = {0};
        sb_printf(&index_url, "%sindex.html", url);
        char *index = resolve(index_url.data);
        rc = index && stat(index, &st) == 0 && S_ISREG(st.st_mode) ? send_file(conn, MHD_HTTP_OK, index)
                                                                   : not_found(conn);
        free(index);
        sb_free(&index_url);
    } else if (S_ISREG(st.st_mode)) {
        rc = send_file(conn, MHD_HTTP_OK, real);
    } else {
        rc = not_found(conn);
    }
    free(real);
    return rc;
}
