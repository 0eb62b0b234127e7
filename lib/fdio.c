/* fdio.c — see fdio.h. */
#include "fdio.h"

#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One loop for both directions: io is read or write. */
static bool transfer_all(ssize_t (*io)(int, void *, size_t), int fd, char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = io(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static ssize_t write_some(int fd, void *buf, size_t len)
{
    return write(fd, buf, len);
}

bool fd_write_all(int fd, const void *buf, size_t len)
{
    /* write() does not change buf; the cast lets one loop serve both. */
    return transfer_all(write_some, fd, (char *)buf, len);
}

bool fd_read_all(int fd, void *buf, size_t len)
{
    return transfer_all(read, fd, buf, len);
}

static fd_status fail(fd_status code, char *why, size_t why_len, const char *path, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
static fd_status fail(fd_status code, char *why, size_t why_len, const char *path, const char *fmt,
                      ...)
{
    if (!why || !why_len)
        return code;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(why, why_len, "%s: %s", path, what);
    return code;
}

/* Read fd to its end, within max_bytes; the file may grow while it is read. */
static fd_status read_to_end(int fd, size_t size, size_t max_bytes, char **out, size_t *out_len,
                             const char *path, char *why, size_t why_len)
{
    size_t cap = size + 1, len = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            return fail(FD_EIO, why, why_len, path, "cannot read: %s", strerror(errno));
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max_bytes) {
            free(buf);
            return fail(FD_ETOOBIG, why, why_len, path,
                        "grew past the limit of %zu bytes while read", max_bytes);
        }
        if (len == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return FD_OK;
}

fd_status fd_read_file(char **out, size_t *out_len, const char *path, size_t max_bytes, char *why,
                       size_t why_len)
{
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return fail(FD_EIO, why, why_len, path, "cannot open: %s", strerror(errno));
    struct stat st;
    fd_status rc;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = fail(FD_EIO, why, why_len, path, "not a regular file");
    else if ((size_t)st.st_size > max_bytes)
        rc = fail(FD_ETOOBIG, why, why_len, path, "%lld bytes, over the limit of %zu",
                  (long long)st.st_size, max_bytes);
    else
        rc = read_to_end(fd, (size_t)st.st_size, max_bytes, out, out_len, path, why, why_len);
    close(fd);
    return rc;
}
