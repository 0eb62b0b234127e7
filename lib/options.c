/* options.c — the option-table engine (options.h): one table per program drives its
 * command line, environment, config file, defaults and --help. Values from all
 * places go through one function, set_value(), so a value is checked and stored
 * the same way wherever it came from; only the words around its refusal differ. */
#include "options.h"

#include "fdio.h"

#include "text.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

extern char **environ;

#define HELP_COLUMN 24 /* where help lines start */
#define HELP_WIDTH 79

bool opt_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    if (!s || !*s)
        return false;
    unsigned long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned digit = (unsigned)(*s - '0');
        if (v > (ULONG_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool opt_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; s && i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcasecmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

unsigned long opt_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned long)n : 1;
}

/* ---- memory ------------------------------------------------------------------ */

static void *remember(opt_memory *mem, void *old, void *block)
{
    for (size_t i = 0; old && i < mem->n; i++)
        if (mem->blocks[i] == old)
            return mem->blocks[i] = block;
    mem->blocks = xrealloc(mem->blocks, (mem->n + 1) * sizeof *mem->blocks);
    return mem->blocks[mem->n++] = block;
}

void opt_memory_free(opt_memory *mem)
{
    for (size_t i = 0; i < mem->n; i++)
        free(mem->blocks[i]);
    free(mem->blocks);
    *mem = (opt_memory){0};
}

/* ---- fields ------------------------------------------------------------------ */

#define FIELD(settings, off, T) ((T *)(void *)((char *)(settings) + (off)))

static void store_number(const opt_spec *s, void *settings, unsigned long v)
{
    switch (s->type) {
    case OPT_T_BOOL: *FIELD(settings, s->offset, bool) = v != 0; break;
    case OPT_T_UNSIGNED: *FIELD(settings, s->offset, unsigned) = (unsigned)v; break;
    case OPT_T_INT: *FIELD(settings, s->offset, int) = (int)v; break;
    case OPT_T_SIZE: *FIELD(settings, s->offset, size_t) = (size_t)v; break;
    case OPT_T_DOUBLE: *FIELD(settings, s->offset, double) = (double)v; break;
    case OPT_T_STRING: case OPT_T_NONE: break;
    }
}

static unsigned long load_number(opt_type type, const opt_spec *s, const void *settings)
{
    const void *f = (const char *)settings + s->offset;
    switch (type) {
    case OPT_T_BOOL: return *(const bool *)f;
    case OPT_T_UNSIGNED: return *(const unsigned *)f;
    case OPT_T_INT: return (unsigned long)*(const int *)f;
    case OPT_T_SIZE: return *(const size_t *)f;
    case OPT_T_DOUBLE: return (unsigned long)*(const double *)f;
    case OPT_T_STRING: case OPT_T_NONE: break;
    }
    return 0;
}

static void list_add(const opt_spec *s, void *settings, const char *value, opt_memory *mem)
{
    const char ***list = FIELD(settings, s->offset, const char **);
    size_t *n = FIELD(settings, s->count_offset, size_t);
    const char **grown = xrealloc(*list, (*n + 1) * sizeof **list);
    *list = mem ? remember(mem, *list, grown) : grown;
    (*list)[(*n)++] = value;
}

static bool find_word(const char *const *words, const char *value, unsigned long *index)
{
    for (unsigned long i = 0; words[i]; i++)
        if (strcmp(words[i], value) == 0)
            return *index = i, true;
    return false;
}

/* Say why value is refused: "PROG: WHERE--name wants ..., not 'value'". */
static void refuse(const opt_program *p, const opt_spec *s, const char *where, const char *value)
{
    fprintf(stderr, "%s: %s--%s ", p->name, where, s->name);
    if (s->kind == OPT_ENUM) {
        fputs("is ", stderr);
        for (size_t i = 0; s->words[i]; i++)
            fprintf(stderr, "%s%s", i == 0 ? "" : s->words[i + 1] ? ", " : " or ", s->words[i]);
    } else if (s->kind == OPT_UINT) {
        fprintf(stderr, "wants a whole number from %lu to %lu", s->min, s->max);
    } else if (s->kind == OPT_FLAG || (s->kind == OPT_CUSTOM && !s->metavar)) {
        fputs("wants yes or no (true/false, on/off, 1/0)", stderr);
    } else {
        fprintf(stderr, "wants %s", s->want ? s->want : "another value");
    }
    fprintf(stderr, ", not '%s'\n", value);
}

/* Check value and store it in s's field; false, after a message naming where it
 * came from, when it is refused. */
static bool set_value(const opt_program *p, const opt_spec *s, void *settings, const char *value,
                      const char *where, opt_memory *mem)
{
    unsigned long n;
    bool on, ok = true;
    switch (s->kind) {
    case OPT_FLAG:
        if ((ok = opt_parse_bool(value, &on)))
            *FIELD(settings, s->offset, bool) = on;
        break;
    case OPT_UINT:
        if ((ok = opt_parse_uint(value, s->min, s->max, &n)))
            store_number(s, settings, n);
        break;
    case OPT_ENUM:
        if ((ok = find_word(s->words, value, &n)))
            store_number(s, settings, n);
        break;
    case OPT_STRING:
        if ((ok = !s->valid || s->valid(value)))
            *FIELD(settings, s->offset, const char *) = value;
        break;
    case OPT_LIST:
        if ((ok = !s->valid || s->valid(value)))
            list_add(s, settings, value, mem);
        break;
    case OPT_CUSTOM:
        if (s->metavar)
            ok = s->set(settings, value);
        else if ((ok = opt_parse_bool(value, &on)) && on)
            ok = s->set(settings, value);
        break;
    case OPT_HEADING: case OPT_CONFIG: case OPT_HELP: case OPT_VERSION:
        break;
    }
    if (!ok)
        refuse(p, s, where, value);
    return ok;
}

/* ---- the table ---------------------------------------------------------------- */

static bool is_option(const opt_spec *s)
{
    return s->kind != OPT_HEADING;
}

static bool at_end(const opt_spec *s)
{
    return s->kind == OPT_HEADING && !s->help;
}

static const opt_spec *find_n(const opt_program *p, const char *name, size_t len)
{
    for (const opt_spec *s = p->specs; !at_end(s); s++)
        if (is_option(s) && strncmp(s->name, name, len) == 0 && s->name[len] == '\0')
            return s;
    return NULL;
}

const opt_spec *opt_find(const opt_program *p, const char *name)
{
    return find_n(p, name, strlen(name));
}

/* A setting the file or environment may hold: not --config, --help, --version. */
static const opt_spec *find_setting(const opt_program *p, const char *name)
{
    const opt_spec *s = opt_find(p, name);
    return s && s->kind != OPT_CONFIG && s->kind != OPT_HELP && s->kind != OPT_VERSION ? s : NULL;
}

static bool is_sibling(const opt_program *p, const char *name)
{
    for (const char *const *w = p->sibling; w && *w; w++)
        if (strcmp(*w, name) == 0)
            return true;
    return false;
}

void opt_defaults(const opt_program *p, void *settings)
{
    for (const opt_spec *s = p->specs; !at_end(s); s++) {
        if (s->kind == OPT_UINT && s->def_fn)
            store_number(s, settings, s->def_fn());
        else if (is_option(s) && s->def)
            set_value(p, s, settings, s->def, "the default of ", NULL);
    }
}

/* ---- the config file ------------------------------------------------------------ */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* One "name = value" line (comment and blanks gone), or an empty one. */
static bool file_line(const opt_program *p, void *settings, char *text, const char *where,
                      opt_memory *mem)
{
    if (!*text)
        return true;
    char *eq = strchr(text, '=');
    if (!eq) {
        fprintf(stderr, "%s: %swant 'name = value'\n", p->name, where);
        return false;
    }
    *eq = '\0';
    char *key = trim(text), *value = trim(eq + 1);
    const opt_spec *s = find_setting(p, key);
    if (!s && is_sibling(p, key))
        return true;
    if (!s) {
        fprintf(stderr, "%s: %sunknown setting '%s'\n", p->name, where, key);
        return false;
    }
    return set_value(p, s, settings, remember(mem, NULL, xstrdup(value)), where, mem);
}

/* The largest config file read; a device or a runaway file is refused. */
#define CONFIG_MAX_BYTES (1024 * 1024)

static bool read_file(const opt_program *p, void *settings, const char *path, opt_memory *mem)
{
    char *text, why[4200];
    size_t len;
    fd_status st = fd_read_file(&text, &len, path, CONFIG_MAX_BYTES, why, sizeof why);
    if (st != FD_OK || memchr(text, '\0', len)) {
        if (st == FD_ETOOBIG)
            snprintf(why, sizeof why, "%s: over %d bytes", path, CONFIG_MAX_BYTES);
        else if (st == FD_OK)
            snprintf(why, sizeof why, "%s: holds a NUL byte, not text", path);
        fprintf(stderr, "%s: cannot read config file %s\n", p->name, why);
        free(st == FD_OK ? text : NULL);
        return false;
    }
    char where[4200];
    bool ok = true;
    char *line = text;
    for (int lineno = 1; ok && line < text + len; lineno++) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : text + len;
        if (end)
            *end = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        snprintf(where, sizeof where, "%s:%d: ", path, lineno);
        ok = file_line(p, settings, trim(line), where, mem);
        line = next;
    }
    free(text);
    return ok;
}

/* ---- the environment ------------------------------------------------------------ */

/* PREFIX_MAX_TERMS=8: max-terms, or NULL when it is not one of ours at all. */
static char *env_name(const opt_program *p, const char *entry)
{
    size_t plen = strlen(p->env_prefix);
    const char *eq = strchr(entry, '=');
    if (strncmp(entry, p->env_prefix, plen) != 0 || !eq)
        return NULL;
    char *name = xstrndup(entry + plen, (size_t)(eq - entry) - plen);
    for (char *c = name; *c; c++)
        *c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
    return name;
}

static bool read_environment(const opt_program *p, void *settings, opt_memory *mem)
{
    bool ok = true;
    for (char **e = environ; ok && *e; e++) {
        char *name = env_name(p, *e);
        if (!name || strcmp(name, "config") == 0 || is_sibling(p, name)) {
            free(name);
            continue;
        }
        int name_len = (int)(strchr(*e, '=') - *e);
        char where[300];
        snprintf(where, sizeof where, "environment variable %.*s: ", name_len, *e);
        const opt_spec *s = find_setting(p, name);
        if (!s)
            fprintf(stderr, "%s: %sunknown setting\n", p->name, where);
        /* a copy: the environment may change under a pointer into it */
        ok = s && set_value(p, s, settings, remember(mem, NULL, xstrdup(*e + name_len + 1)), where,
                            mem);
        free(name);
    }
    return ok;
}

/* ---- the command line ----------------------------------------------------------- */

/* The file --config (or --config=) names in argv, else PREFIX CONFIG, else NULL. */
static const char *config_path(const opt_program *p, int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0)
            continue;
        size_t len = strcspn(a + 2, "=");
        const opt_spec *s = find_n(p, a + 2, len);
        if (s && s->kind == OPT_CONFIG)
            return a[2 + len] == '=' ? a + 3 + len : i + 1 < argc ? argv[i + 1] : NULL;
        if (s && s->metavar && !a[2 + len])
            i++; /* its value, which could look like an option */
    }
    char var[128];
    snprintf(var, sizeof var, "%sCONFIG", p->env_prefix);
    return getenv(var);
}

/* One option of argv (its value in argv[*i + 1] when not after '='). */
static opt_result one_arg(const opt_program *p, void *settings, int argc, char **argv, int *i,
                          opt_memory *mem)
{
    const char *a = argv[*i] + 2, *value = NULL;
    size_t len = strcspn(a, "=");
    const opt_spec *s = find_n(p, a, len);
    if (!s) {
        fprintf(stderr, "%s: unknown option '--%.*s' (see --help)\n", p->name, (int)len, a);
        return OPT_USAGE;
    }
    if (a[len] == '=' && !s->metavar) {
        fprintf(stderr, "%s: --%s takes no value\n", p->name, s->name);
        return OPT_USAGE;
    }
    if (s->metavar && !(value = a[len] == '=' ? a + len + 1 : *i + 1 < argc ? argv[++*i] : NULL)) {
        fprintf(stderr, "%s: --%s wants a value (%s)\n", p->name, s->name, s->metavar);
        return OPT_USAGE;
    }
    if (s->kind == OPT_HELP) {
        opt_help(p, stdout);
        return OPT_DONE;
    }
    if (s->kind == OPT_VERSION) {
        printf("%s %s\n", p->name, p->version);
        return OPT_DONE;
    }
    return set_value(p, s, settings, value ? value : "yes", "", mem) ? OPT_OK : OPT_USAGE;
}

opt_result opt_parse(const opt_program *p, void *settings, int argc, char **argv, opt_memory *mem)
{
    const char *file = config_path(p, argc, argv);
    if ((file && !read_file(p, settings, file, mem)) || !read_environment(p, settings, mem))
        return OPT_USAGE;
    bool options_end = false;
    for (int i = 1; i < argc; i++) {
        if (!options_end && strcmp(argv[i], "--") == 0) {
            options_end = true;
            continue;
        }
        if (options_end || strncmp(argv[i], "--", 2) != 0) {
            fprintf(stderr, "%s: unexpected argument '%s'\n", p->name, argv[i]);
            return OPT_USAGE;
        }
        opt_result r = one_arg(p, settings, argc, argv, &i, mem);
        if (r != OPT_OK)
            return r;
    }
    return OPT_OK;
}

/* ---- help ---------------------------------------------------------------------- */

/* text from column `col` on, wrapped at HELP_WIDTH, continued at HELP_COLUMN. */
static void wrap(FILE *to, const char *text, size_t col)
{
    while (*text) {
        size_t word = strcspn(text, " ");
        if (col > HELP_COLUMN && col + 1 + word > HELP_WIDTH) {
            fprintf(to, "\n%*s", HELP_COLUMN, "");
            col = HELP_COLUMN;
        } else if (col > HELP_COLUMN) {
            fputc(' ', to);
            col++;
        }
        fwrite(text, 1, word, to);
        col += word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', to);
}

/* The help line of s with what the table knows: bounds, words, default. */
static char *help_text(const opt_spec *s)
{
    strbuf sb = {0};
    sb_puts(&sb, s->help ? s->help : "");
    if (s->kind == OPT_UINT)
        sb_printf(&sb, " (%lu to %lu", s->min, s->max);
    else if (s->kind == OPT_ENUM)
        for (size_t i = 0; s->words[i]; i++)
            sb_printf(&sb, "%s%s", i ? " or " : " (", s->words[i]);
    else if (s->kind == OPT_LIST)
        sb_puts(&sb, " (repeatable");
    else if (s->def)
        sb_puts(&sb, " (");
    if (s->def)
        sb_printf(&sb, "%sdefault %s", s->kind == OPT_STRING || s->kind == OPT_CUSTOM ? "" : "; ",
                  s->def);
    if (s->def || s->kind == OPT_UINT || s->kind == OPT_ENUM || s->kind == OPT_LIST)
        sb_putc(&sb, ')');
    return sb_take(&sb);
}

void opt_help(const opt_program *p, FILE *to)
{
    fputs(p->synopsis, to);
    for (const opt_spec *s = p->specs; !at_end(s); s++) {
        if (!is_option(s)) {
            fprintf(to, "\n%s%s", s->help, *s->help ? "\n" : "");
            continue;
        }
        int col = fprintf(to, "  --%s%s%s", s->name, s->metavar ? " " : "", s->metavar ? s->metavar : "");
        if (col >= HELP_COLUMN - 1) {
            fputc('\n', to);
            col = 0;
        }
        fprintf(to, "%*s", HELP_COLUMN - col, "");
        char *text = help_text(s);
        wrap(to, text, HELP_COLUMN);
        free(text);
    }
    if (p->epilogue)
        fprintf(to, "\n%s", p->epilogue);
}

/* ---- showing a value ------------------------------------------------------------ */

bool opt_show(const opt_spec *s, const void *settings, char *buf, size_t len)
{
    if (s->kind == OPT_LIST) {
        const char *const *list = *(const char *const *const *)(const void *)((const char *)settings + s->offset);
        size_t n = *(const size_t *)(const void *)((const char *)settings + s->count_offset);
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < n && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", list[i]);
        return true;
    }
    opt_type type = s->kind == OPT_FLAG ? OPT_T_BOOL : s->kind == OPT_STRING ? OPT_T_STRING : s->type;
    if (type == OPT_T_NONE)
        return false;
    if (type == OPT_T_STRING) {
        const char *v = *(const char *const *)(const void *)((const char *)settings + s->offset);
        snprintf(buf, len, "%s", v ? v : "");
    } else if (s->kind == OPT_ENUM) {
        snprintf(buf, len, "%s", s->words[load_number(type, s, settings)]);
    } else if (type == OPT_T_BOOL) {
        snprintf(buf, len, "%s", load_number(type, s, settings) ? "yes" : "no");
    } else {
        snprintf(buf, len, "%lu", load_number(type, s, settings));
    }
    return true;
}
