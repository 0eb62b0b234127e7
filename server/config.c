/* config.c — where loomsearch-serve's settings come from, and in what order:
 * the command line wins over environment variables (LOOMSEARCH_LISTEN for
 * --listen), which win over a config file (--config FILE or LOOMSEARCH_CONFIG:
 * "listen = 127.0.0.1:8080" lines), which win over the defaults. All three are
 * turned into one argument list, file first, so the one option parser reads
 * them all and later settings override earlier ones (--allow-origin adds up).
 * An unknown key or variable is refused, naming where it was. */
#include "config.h"

#include "text.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

const server_config *config;

/* The recency prior: weight a post gains per year newer. BM25 weights on the
 * sample archive run from about 1 to 8; see docs/ranking.md for how it was set. */
#define RECENCY_PER_YEAR 0.01

server_config server_config_defaults(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return (server_config){
        .listen = "127.0.0.1:8080",
        .threads = cores > 0 ? (unsigned)cores : 2,
        .connection_limit = 256,
        .per_ip_limit = 16,
        .timeout_s = 10,
        .deadline_s = 15,
        .rate_per_second = 20,
        .rate_burst = 40,
        .max_query_bytes = 512,
        .max_terms = 32,
        .max_per_page = 100,
        .max_depth = 1000,
        .cache_entries = 256,
        .shard_timeout_ms = 2000,
        .search = {.permalink = "/{yyyy}/{mm}/{slug}/", .snippet_bytes = 240, .max_expansion = 100,
                   .recency = RECENCY_PER_YEAR},
    };
}

static const struct option *find(const struct option *options, const char *name)
{
    for (const struct option *o = options; o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

static void push(strbuf *unused, char ***args, size_t *n, char *arg)
{
    (void)unused;
    *args = xrealloc(*args, (*n + 2) * sizeof **args);
    (*args)[(*n)++] = arg;
    (*args)[*n] = NULL;
}

/* name and value as one argument: "--name=value", or "--name" for a flag
 * that is on; false in *ok for a flag given something else than true/false. */
static void push_setting(char ***args, size_t *n, const struct option *o, const char *value,
                         bool *ok)
{
    strbuf arg = {0};
    if (o->has_arg == no_argument) {
        if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "yes") == 0) {
            sb_printf(&arg, "--%s", o->name);
        } else if (strcmp(value, "false") != 0 && strcmp(value, "0") != 0 && strcmp(value, "no") != 0) {
            *ok = false;
            return;
        } else {
            return;
        }
    } else {
        sb_printf(&arg, "--%s=%s", o->name, value);
    }
    push(NULL, args, n, sb_take(&arg));
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static bool read_file(const char *path, const struct option *options, char ***args, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "loomsearch-serve: cannot read config file %s\n", path);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    bool ok = true;
    while (ok && getline(&line, &cap, f) > 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *text = trim(line);
        if (!*text)
            continue;
        char *eq = strchr(text, '=');
        if (!eq) {
            fprintf(stderr, "loomsearch-serve: %s:%d: want 'name = value'\n", path, lineno);
            ok = false;
            break;
        }
        *eq = '\0';
        char *key = trim(text), *value = trim(eq + 1);
        const struct option *o = find(options, key);
        if (!o || strcmp(key, "config") == 0 || strcmp(key, "help") == 0 || strcmp(key, "version") == 0) {
            fprintf(stderr, "loomsearch-serve: %s:%d: unknown setting '%s'\n", path, lineno, key);
            ok = false;
            break;
        }
        push_setting(args, n, o, value, &ok);
        if (!ok)
            fprintf(stderr, "loomsearch-serve: %s:%d: '%s' wants true or false\n", path, lineno, key);
    }
    free(line);
    fclose(f);
    return ok;
}

static bool read_environment(const struct option *options, char ***args, size_t *n)
{
    static const char PREFIX[] = "LOOMSEARCH_";
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, PREFIX, sizeof PREFIX - 1) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        /* LOOMSEARCH_ALLOW_ORIGIN -> allow-origin */
        char *name = xstrndup(*e + sizeof PREFIX - 1, (size_t)(eq - *e) - (sizeof PREFIX - 1));
        for (char *c = name; *c; c++)
            *c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
        const struct option *o = find(options, name);
        bool ok = o && strcmp(name, "help") != 0 && strcmp(name, "version") != 0;
        if (ok && strcmp(name, "config") != 0) /* the file is read before */
            push_setting(args, n, o, eq + 1, &ok);
        free(name);
        if (!ok) {
            fprintf(stderr, "loomsearch-serve: environment variable %.*s: unknown, or not true/false\n",
                    (int)(eq - *e), *e);
            return false;
        }
    }
    return true;
}

/* The config file named by --config (or --config=) on the command line, else
 * by LOOMSEARCH_CONFIG, else NULL. */
static const char *config_file(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            return argv[i + 1];
        if (strncmp(argv[i], "--config=", 9) == 0)
            return argv[i] + 9;
    }
    return getenv("LOOMSEARCH_CONFIG");
}

bool gather_settings(int argc, char **argv, const struct option *options, int *out_argc,
                     char ***out_argv)
{
    char **args = NULL;
    size_t n = 0;
    push(NULL, &args, &n, xstrdup(argv[0]));
    const char *file = config_file(argc, argv);
    bool ok = (!file || read_file(file, options, &args, &n)) && read_environment(options, &args, &n);
    for (int i = 1; ok && i < argc; i++)
        push(NULL, &args, &n, xstrdup(argv[i]));
    *out_argc = (int)n;
    *out_argv = args;
    return ok;
}

void settings_free(char **args)
{
    for (char **a = args; a && *a; a++)
        free(*a);
    free(args);
}
