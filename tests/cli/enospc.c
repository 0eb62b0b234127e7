/* enospc.c — a full disk, for tests: preloaded (LD_PRELOAD), it lets each
 * process write LOOM_ENOSPC_AFTER bytes to regular files, then fails every
 * further write to one with ENOSPC, as a full file system does. Pipes,
 * terminals and the standard streams are never refused. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long long budget = -1; /* bytes left; -1: not read yet */

static int refuse(int fd, size_t n)
{
    struct stat st;
    if (fd <= 2 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (budget < 0) {
        const char *env = getenv("LOOM_ENOSPC_AFTER");
        budget = env ? atoll(env) : 0;
    }
    if ((long long)n > budget) {
        errno = ENOSPC;
        return 1;
    }
    budget -= (long long)n;
    return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "write");
    return refuse(fd, n) ? -1 : real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t at)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "pwrite");
    return refuse(fd, n) ? -1 : real(fd, buf, n, at);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "pwrite64");
    return refuse(fd, n) ? -1 : real(fd, buf, n, at);
}
