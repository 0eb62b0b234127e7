/* clock.h — the one clock the programs time things with: seconds on the
 * monotonic clock, which no change of the system's date moves. For durations,
 * deadlines and intervals; a time to show or store is wall-clock time(NULL). */
#ifndef LOOM_CLOCK_H
#define LOOM_CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC), with nanosecond
 * resolution: subtract two readings for the time between them. */
double monotonic_seconds(void);

#endif
