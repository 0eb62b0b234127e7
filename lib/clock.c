/* clock.c — the monotonic clock, read in one place (include/clock.h). */
#include "clock.h"

#include <time.h>

double monotonic_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
