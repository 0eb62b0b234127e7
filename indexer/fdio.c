/* fdio.c — see fdio.h. */
#include "fdio.h"

#include <errno.h>
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
