/* options.h — one table of options per program, and everything driven by it: the
 * command line (--name value and --name=value), the environment (PREFIX + the name
 * in capitals with '-' as '_': LOOMSEARCH_MAX_TERMS for --max-terms), a config file
 * of "name = value" lines ('#' starts a comment), the defaults and the --help text.
 * A default is written once, in the table; help prints it and the bounds from there.
 *
 * Precedence: the command line over the environment over the file over the default.
 * A list option (OPT_LIST) adds up across all three instead. An unknown option,
 * variable or key is refused, naming where it was; so is a value out of bounds.
 *
 * The one whole-number parser and the one yes/no vocabulary of the project are here
 * too; everything that reads a number or a yes/no from text calls them.
 */
#ifndef LOOM_OPTIONS_H
#define LOOM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* s is a whole number from min to max: decimal digits only (no sign, no space,
 * at least one digit; leading zeros are fine), without overflow. *out is set only
 * on true. */
bool opt_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* s is a yes or a no, in any case: true, yes, on, 1 / false, no, off, 0. This is
 * the union of what front matter (draft: yes) and config files (log-full-ip =
 * false) always took. *out is set only on true. */
bool opt_parse_bool(const char *s, bool *out);

typedef enum opt_kind {
    OPT_HEADING,  /* not an option: a heading in --help (help is its text) */
    OPT_FLAG,     /* bool field; no value on the command line, yes/no elsewhere */
    OPT_UINT,     /* whole number from min to max, into a field of type `type` */
    OPT_STRING,   /* const char * field; `valid`, when set, vets the value */
    OPT_LIST,     /* repeatable: const char ** at offset, size_t count at count_offset */
    OPT_ENUM,     /* one of words[], its index stored by `type` */
    OPT_CUSTOM,   /* set(settings, value) parses and stores; no value when metavar is NULL */
    OPT_CONFIG,   /* --config FILE: command line only (the environment has PREFIX CONFIG) */
    OPT_HELP,     /* --help: print the help to stdout */
    OPT_VERSION,  /* --version: print "program version" to stdout */
} opt_kind;

/* How the field at offset is stored (OPT_UINT, OPT_ENUM; OPT_CUSTOM for opt_show). */
typedef enum opt_type {
    OPT_T_NONE,     /* nothing opt_show can print */
    OPT_T_BOOL,
    OPT_T_UNSIGNED,
    OPT_T_INT,
    OPT_T_SIZE,     /* size_t */
    OPT_T_DOUBLE,   /* a whole number kept in a double */
    OPT_T_STRING,   /* const char * */
} opt_type;

typedef struct opt_spec {
    const char *name;        /* long name, no "--"; also the file key and variable */
    opt_kind kind;
    opt_type type;           /* OPT_UINT, OPT_ENUM, OPT_CUSTOM: the field's type */
    size_t offset;           /* of the field in the settings struct */
    size_t count_offset;     /* OPT_LIST: of its size_t count */
    const char *def;         /* the default, as a value would be written; NULL: none */
    unsigned long (*def_fn)(void); /* OPT_UINT: a computed default; def then says what */
    unsigned long min, max;  /* OPT_UINT bounds, both accepted */
    const char *const *words; /* OPT_ENUM: NULL-terminated */
    bool (*valid)(const char *value);            /* OPT_STRING, OPT_LIST: vet it */
    bool (*set)(void *settings, const char *value); /* OPT_CUSTOM */
    const char *want;        /* what a refused value should be: "--NAME wants WANT" */
    const char *metavar;     /* the value's name in --help; NULL: takes no value */
    const char *help;        /* one line or two; wrapped by opt_help */
} opt_spec;

/* The entries every program ends its table with: --config FILE, --help,
 * --version, and the end of the table. */
#define OPT_LAST_ENTRIES                                                              \
    {.name = "config", .kind = OPT_CONFIG, .metavar = "FILE",                         \
     .help = "read settings from FILE ('name = value' lines, '#' comments)"},         \
        {.name = "help", .kind = OPT_HELP, .help = "this text"},                      \
        {.name = "version", .kind = OPT_VERSION, .help = "the version"}, {0}

/* The number of cores online, at least 1: a def_fn for "default: the cores". */
unsigned long opt_cores(void);

/* A program: its table (ended by an entry with kind OPT_HEADING and help NULL,
 * i.e. {0}) and the words around it. */
typedef struct opt_program {
    const char *name;          /* "loomsearch-serve": the start of every message */
    const char *version;
    const char *env_prefix;    /* "LOOMSEARCH_" */
    const opt_spec *specs;
    const char *const *sibling; /* names another program reads from the same
                                 * environment or file (the other program's
                                 * options): passed over there, not refused.
                                 * NULL-terminated; may be NULL */
    const char *synopsis;      /* help: "usage: ..." and what the program does */
    const char *epilogue;      /* help: after the options; may be NULL */
} opt_program;

/* What a parse allocated (strings read from a file, the arrays of lists). The
 * settings point into it: free it only when they are no longer used. */
typedef struct opt_memory {
    void **blocks;
    size_t n;
} opt_memory;

void opt_memory_free(opt_memory *mem); /* leaves it empty; accepts an empty one */

typedef enum opt_result {
    OPT_OK = 0,    /* the settings are filled in */
    OPT_DONE = 1,  /* --help or --version was answered on stdout: exit 0 */
    OPT_USAGE = 2, /* refused, with a message on stderr: exit 2 */
} opt_result;

/* Set every option of p that has a default in settings. Fields without one are
 * left as they are. */
void opt_defaults(const opt_program *p, void *settings);

/* Fill settings from, in rising strength, the config file (--config FILE in argv,
 * else the variable PREFIX CONFIG), the environment and argv[1..argc). Defaults
 * are not applied: call opt_defaults first. Memory the settings then point to is
 * recorded in mem (values from the file and the environment are copies; argv is
 * pointed into as it is). */
opt_result opt_parse(const opt_program *p, void *settings, int argc, char **argv, opt_memory *mem);

/* The help text: p's synopsis, then each option with its metavar, help line,
 * bounds and default, then p's epilogue. */
void opt_help(const opt_program *p, FILE *to);

/* The entry of p named name, or NULL. */
const opt_spec *opt_find(const opt_program *p, const char *name);

/* The value of s's field in settings as a value would be written ("32", "yes",
 * "partial", "a,b" for a list, "" for unset); false for OPT_T_NONE. */
bool opt_show(const opt_spec *s, const void *settings, char *buf, size_t len);

#endif
