/* fdio.h — whole reads and writes: on a pipe or file descriptor, retried across
 * signals and short counts (what the indexer's processes say to each other),
 * and of a whole file within a size limit (a post, a list the indexer wrote). */
#ifndef LOOM_FDIO_H
#define LOOM_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/* All len bytes of buf, or false (the other end is gone, or an error). */
bool fd_write_all(int fd, const void *buf, size_t len);
/* Exactly len bytes into buf, or false (end of input first, or an error). */
bool fd_read_all(int fd, void *buf, size_t len);

typedef enum fd_status {
    FD_OK = 0,
    FD_EIO,      /* cannot be opened or read, or not a regular file */
    FD_ETOOBIG,  /* larger than max_bytes (also when it grew past them while read) */
} fd_status;

/* Read the whole file at path into *out (malloc'd, NUL-terminated, *out_len
 * bytes; the caller frees it), refusing more than max_bytes and anything that is
 * not a regular file (symlinks included). On failure *out is NULL and why
 * (why_len bytes, may be NULL) says "path: what went wrong". */
fd_status fd_read_file(char **out, size_t *out_len, const char *path, size_t max_bytes, char *why,
                       size_t why_len);

#endif
