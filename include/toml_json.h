/* toml_json.h — TOML text as a JSON value, for front matter written between
 * "+++" lines (Hugo, Zola). C has no TOML library in Debian 12, so this wraps
 * toml++ (C++17) the way xap.h wraps Xapian: plain C out, no exception crosses.
 *
 * Tables become objects, arrays arrays, strings strings, integers integers,
 * floats reals (NaN and infinities, which JSON cannot hold, their TOML text),
 * booleans booleans. Dates, times and date-times become strings as TOML writes
 * them ("2024-07-25", "2016-07-01T23:30:00-07:00"): the calendar date stays the
 * one the author wrote, never shifted to another zone. */
#ifndef LOOM_TOML_JSON_H
#define LOOM_TOML_JSON_H

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toml_json_error {
    size_t line;         /* 1-based line of text where parsing stopped; 0 when unknown */
    size_t column;       /* 1-based */
    char message[200];   /* what is wrong, lower case, no position */
} toml_json_error;

/* Parse text[0..len) as one TOML document. On success returns 0 and *out is a
 * new JSON object (the caller's: json_decref it). On failure returns -1, *out
 * is NULL and *err (may be NULL) says where and why. text need not be
 * NUL-terminated; a NUL byte inside it is an error. */
int toml_to_json(json_t **out, const char *text, size_t len, toml_json_error *err);

#ifdef __cplusplus
}
#endif

#endif
