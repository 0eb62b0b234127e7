/* fdio.h — whole reads and writes on a pipe or file descriptor, retried across
 * signals and short counts: what the indexer's processes say to each other. */
#ifndef LOOM_FDIO_H
#define LOOM_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/* All len bytes of buf, or false (the other end is gone, or an error). */
bool fd_write_all(int fd, const void *buf, size_t len);
/* Exactly len bytes into buf, or false (end of input first, or an error). */
bool fd_read_all(int fd, void *buf, size_t len);

#endif
