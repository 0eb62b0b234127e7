/* test_options.c — the option-table engine (lib/options.c) and the two tables it
 * drives (server/serve_options.c, indexer/index_options.c). One row per option
 * of both programs says, independently of the tables, its default, values that
 * must be taken (a number's min and max) and values that must be refused (min-1,
 * max+1, bad words); each is tried on the command line (both forms), in the
 * environment and in a config file, and the order file < environment < command
 * line is checked for each. Then the one number parser, the one yes/no
 * vocabulary, refusals, --help and the lists of the other program's names. */
#include "index.h"
#include "index_options.h"
#include "options.h"
#include "serve_options.h"
#include "config.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* ---- the programs under test ------------------------------------------------------ */

typedef union settings {
    server_config serve;
    index_options index;
} settings;

typedef struct program_case {
    const opt_program *(*program)(void);
    void (*init)(settings *s); /* what main() starts from */
} program_case;

static void serve_init(settings *s)
{
    s->serve = server_config_defaults();
}

static void index_init(settings *s)
{
    s->index = (index_options){.mode = MODE_UPDATE};
    opt_defaults(index_program(), &s->index);
}

static const program_case SERVE = {serve_program, serve_init};
static const program_case INDEX = {index_program, index_init};

static const char *index_mode_name(const settings *s)
{
    static const char *const names[] = {"update", "rebuild", "rollback", "lexicon", "check", "list"};
    return names[s->index.mode];
}

/* ---- one row per option --------------------------------------------------------------- */

typedef struct option_case {
    const program_case *prog;
    const char *name;
    const char *def;      /* shown with nothing set; NULL: the number of cores */
    const char *good[3];  /* taken: min and max for a number; [0] and [1] differ */
    const char *shown[3]; /* what good[i] shows as (NULL: itself) */
    const char *bad[4];   /* refused */
    bool additive;        /* a list, or an action: later places add, not override */
} option_case;

#define NOTHING {NULL}
static const option_case CASES[] = {
    /* loomsearch-serve */
    {&SERVE, "db", "", {"/srv/index", "/srv/other"}, NOTHING, NOTHING, false},
    {&SERVE, "shard-timeout", "2000", {"50", "600000"}, NOTHING, {"49", "600001", "2s", ""}, false},
    {&SERVE, "on-shard-failure", "partial", {"fail", "partial"}, NOTHING, {"maybe", "FAIL", ""}, false},
    {&SERVE, "listen", "127.0.0.1:8080", {"127.0.0.1:0", "[::1]:65535"}, NOTHING,
     {"localhost:80", "127.0.0.1:65536", "8080", "127.0.0.1:-1"}, false},
    {&SERVE, "threads", NULL, {"1", "256"}, NOTHING, {"0", "257", "-1", "four"}, false},
    {&SERVE, "permalink", "/{yyyy}/{mm}/{slug}/", {"/p/{slug}", "/{yyyy}/{slug}.html"}, NOTHING,
     NOTHING, false},
    {&SERVE, "snippet-bytes", "240", {"40", "2000"}, NOTHING, {"39", "2001"}, false},
    {&SERVE, "public-url", "", {"https://search.example.org", "http://x:8080"}, NOTHING,
     {"search.example.org", "ftp://x"}, false},
    {&SERVE, "metrics-listen", "", {"127.0.0.1:9100", "[::1]:0"}, NOTHING, {"metrics:9100"}, false},
    {&SERVE, "access-log", "", {"-", "/var/log/access.log"}, NOTHING, NOTHING, false},
    {&SERVE, "query-log", "", {"-", "/var/log/queries.log"}, NOTHING, NOTHING, false},
    {&SERVE, "site-root", "", {"/srv/blog/public", "/var/www/site"}, NOTHING, NOTHING, false},
    {&SERVE, "site-url", "", {"https://blog.example.org/", "/"}, NOTHING,
     {"blog.example.org", "//blog.example.org/", "/\\evil.example.org", "ftp://x"}, false},
    {&SERVE, "log-full-ip", "no", {"yes", "no"}, NOTHING, {"maybe", "2"}, false},
    {&SERVE, "allow-origin", "", {"https://blog.example.org", "*"}, NOTHING,
     {"blog.example.org", "**"}, true},
    {&SERVE, "cache", "256", {"0", "1000000"}, NOTHING, {"1000001", "-1"}, false},
    {&SERVE, "max-query-bytes", "512", {"16", "8192"}, NOTHING, {"15", "8193"}, false},
    {&SERVE, "max-terms", "32", {"1", "256"}, NOTHING, {"0", "257", "many"}, false},
    {&SERVE, "max-per-page", "100", {"1", "1000"}, NOTHING, {"0", "1001"}, false},
    {&SERVE, "max-depth", "1000", {"10", "100000"}, NOTHING, {"9", "100001"}, false},
    {&SERVE, "rate", "20", {"0", "100000"}, NOTHING, {"100001", "lots", "1.5"}, false},
    {&SERVE, "burst", "40", {"1", "100000"}, NOTHING, {"0", "100001"}, false},
    {&SERVE, "trusted-proxy", "", {"10.0.0.0/8", "192.0.2.7, ::1", "none"}, NOTHING,
     {"proxy.example.org", "10.0.0", "10.0.0.0/33", "none, 10.0.0.1"}, true},
    {&SERVE, "connection-limit", "256", {"1", "100000"}, NOTHING, {"0", "100001"}, false},
    {&SERVE, "per-ip-limit", "16", {"0", "100000"}, NOTHING, {"100001", "-1"}, false},
    {&SERVE, "timeout", "10", {"1", "3600"}, NOTHING, {"0", "3601"}, false},
    {&SERVE, "deadline", "15", {"1", "3600"}, NOTHING, {"0", "3601"}, false},
    {&SERVE, "header-deadline", "5", {"1", "3600"}, NOTHING, {"0", "3601"}, false},
    {&SERVE, "wait-for-index", "no", {"yes", "no"}, NOTHING, {"perhaps"}, false},
    /* loomsearch-index */
    {&INDEX, "corpus", "", {"/srv/posts", "/srv/other"}, NOTHING, NOTHING, false},
    {&INDEX, "db", "", {"/srv/index", "/srv/other"}, NOTHING, NOTHING, false},
    {&INDEX, "site", "", {"/srv/blog", "/srv/other"}, NOTHING, NOTHING, false},
    {&INDEX, "wordpress", "", {"/srv/export.xml", "other.xml"}, NOTHING, NOTHING, false},
    {&INDEX, "wordpress-json", "", {"/srv/wp-json", "saved"}, NOTHING, NOTHING, false},
    {&INDEX, "wordpress-pages", "no", {"yes", "no"}, NOTHING, {"maybe"}, false},
    {&INDEX, "html", "", {"/srv/public", "_site"}, NOTHING, NOTHING, false},
    {&INDEX, "base-url", "", {"https://blog.example.org/", "/"}, NOTHING, NOTHING, false},
    {&INDEX, "content-selector", "", {".post-body", ".entry-content"}, NOTHING, NOTHING, false},
    {&INDEX, "permalink", "", {"/{yyyy}/{slug}/", "/p/{filename}"}, NOTHING, NOTHING, false},
    {&INDEX, "rebuild", "update", {"yes", "no"}, {"rebuild", "update"}, {"maybe"}, true},
    {&INDEX, "rollback", "update", {"yes", "no"}, {"rollback", "update"}, {"maybe"}, true},
    {&INDEX, "check", "update", {"yes", "no"}, {"check", "update"}, {"maybe"}, true},
    {&INDEX, "list", "update", {"yes", "no"}, {"list", "update"}, {"maybe"}, true},
    {&INDEX, "shard-by", "0", {"hash:2", "hash:64"}, {"2", "64"}, {"hash:1", "hash:65", "mod:2", "2"},
     false},
    {&INDEX, "export-lexicon", "", {"/srv/lexicon", "/srv/other"}, NOTHING, NOTHING, false},
    {&INDEX, "force", "no", {"yes", "no"}, NOTHING, {"maybe"}, false},
    {&INDEX, "dry-run", "no", {"yes", "no"}, NOTHING, {"maybe"}, false},
    {&INDEX, "synonyms", "", {"/etc/synonyms", "syn.txt"}, NOTHING, NOTHING, false},
    {&INDEX, "max-size", "10485760", {"1", "4294967296"}, NOTHING, {"0", "4294967297", "lots"}, false},
    {&INDEX, "parse-timeout", "5", {"1", "3600"}, NOTHING, {"0", "3601"}, false},
    {&INDEX, "jobs", NULL, {"1", "64"}, NOTHING, {"0", "65"}, false},
    {&INDEX, "keep", "3", {"1", "100"}, NOTHING, {"0", "101"}, false},
    {&INDEX, "quiet", "no", {"yes", "no"}, NOTHING, {"maybe"}, false},
    {&INDEX, "verbose", "no", {"yes", "no"}, NOTHING, {"maybe"}, false},
};
enum { N_CASES = sizeof CASES / sizeof CASES[0] };

/* ---- running a parse ----------------------------------------------------------------- */

static char *scratch;

/* Remove every LOOMSEARCH_ variable (a test's own, or the caller's). */
static void clean_environment(void)
{
    for (bool again = true; again;) {
        again = false;
        for (char **e = environ; *e; e++) {
            if (strncmp(*e, "LOOMSEARCH_", 11) == 0) {
                char *name = strndup(*e, strcspn(*e, "="));
                unsetenv(name);
                free(name);
                again = true;
                break;
            }
        }
    }
}

static void variable_of(const char *name, char *out, size_t len)
{
    snprintf(out, len, "LOOMSEARCH_%s", name);
    for (char *c = out; *c; c++)
        *c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
}

/* Where one value of an option comes from in a parse; NULL: not from there. */
typedef struct places {
    const char *file, *env, *arg;
    bool arg_joined; /* --name=value rather than --name value */
} places;

static bool is_flag(const opt_spec *s)
{
    return !s->metavar;
}

/* Parse with name's values from the places given, into *out; its mem is the caller's. */
static opt_result parse(const option_case *c, const places *at, settings *out, opt_memory *mem)
{
    const opt_program *p = c->prog->program();
    const opt_spec *s = opt_find(p, c->name);
    char path[4200], var[128], joined[256], config_arg[4300];
    char *argv[8] = {"prog"};
    int argc = 1;
    clean_environment();
    c->prog->init(out);
    if (at->file) {
        snprintf(path, sizeof path, "%s/test.conf", scratch);
        FILE *f = fopen(path, "w");
        fprintf(f, "# a comment\n\n  %s = %s  # and another\n", c->name, at->file);
        fclose(f);
        snprintf(config_arg, sizeof config_arg, "--config=%s", path);
        argv[argc++] = config_arg;
    }
    if (at->env) {
        variable_of(c->name, var, sizeof var);
        setenv(var, at->env, 1);
    }
    if (at->arg && is_flag(s)) {
        snprintf(joined, sizeof joined, "--%s", c->name);
        if (strcmp(at->arg, "yes") == 0) /* a flag given is on; "no" cannot be said */
            argv[argc++] = joined;
    } else if (at->arg && at->arg_joined) {
        snprintf(joined, sizeof joined, "--%s=%s", c->name, at->arg);
        argv[argc++] = joined;
    } else if (at->arg) {
        snprintf(joined, sizeof joined, "--%s", c->name);
        argv[argc++] = joined;
        argv[argc++] = (char *)at->arg;
    }
    opt_result r = opt_parse(p, out, argc, argv, mem);
    clean_environment();
    return r;
}

/* What c's option holds in s, as a value is written. */
static void shown(const option_case *c, const settings *s, char *buf, size_t len)
{
    const opt_spec *spec = opt_find(c->prog->program(), c->name);
    if (!opt_show(spec, s, buf, len)) /* --rebuild, --rollback: they set the mode */
        snprintf(buf, len, "%s", index_mode_name(s));
}

static void expect_shown(const option_case *c, const places *at, const char *want)
{
    settings s;
    opt_memory mem = {0};
    char buf[512];
    assert_int_equal(parse(c, at, &s, &mem), OPT_OK);
    shown(c, &s, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("--%s: shows '%s', wanted '%s'", c->name, buf, want);
    opt_memory_free(&mem);
}

static void expect_refused(const option_case *c, const places *at)
{
    settings s;
    opt_memory mem = {0};
    if (parse(c, at, &s, &mem) != OPT_USAGE)
        fail_msg("--%s: a bad value was taken", c->name);
    opt_memory_free(&mem);
}

static const char *shown_of(const option_case *c, int i)
{
    return c->shown[i] ? c->shown[i] : c->good[i];
}

/* ---- each option, everywhere ------------------------------------------------------- */

static void every_option_has_a_row(void **state)
{
    (void)state;
    const program_case *progs[] = {&SERVE, &INDEX};
    for (size_t k = 0; k < 2; k++) {
        for (const opt_spec *s = progs[k]->program()->specs; s->kind || s->help; s++) {
            if (s->kind == OPT_HEADING || s->kind == OPT_CONFIG || s->kind == OPT_HELP ||
                s->kind == OPT_VERSION)
                continue;
            size_t rows = 0;
            for (size_t i = 0; i < N_CASES; i++)
                rows += CASES[i].prog == progs[k] && strcmp(CASES[i].name, s->name) == 0;
            if (rows != 1)
                fail_msg("%s --%s: %zu rows", progs[k]->program()->name, s->name, rows);
        }
    }
    for (size_t i = 0; i < N_CASES; i++)
        assert_non_null(opt_find(CASES[i].prog->program(), CASES[i].name));
}

static void defaults(void **state)
{
    (void)state;
    char cores[32];
    snprintf(cores, sizeof cores, "%lu", opt_cores());
    for (size_t i = 0; i < N_CASES; i++)
        expect_shown(&CASES[i], &(places){0}, CASES[i].def ? CASES[i].def : cores);
}

static void good_values_everywhere(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const option_case *c = &CASES[i];
        for (int g = 0; g < 3 && c->good[g]; g++) {
            const char *want = shown_of(c, g);
            bool flag_off = is_flag(opt_find(c->prog->program(), c->name)) &&
                            strcmp(c->good[g], "no") == 0;
            expect_shown(c, &(places){.file = c->good[g]}, want);
            expect_shown(c, &(places){.env = c->good[g]}, want);
            expect_shown(c, &(places){.arg = c->good[g]}, flag_off ? c->def : want);
            expect_shown(c, &(places){.arg = c->good[g], .arg_joined = true},
                         flag_off ? c->def : want);
        }
    }
}

static void bad_values_everywhere(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const option_case *c = &CASES[i];
        bool flag = is_flag(opt_find(c->prog->program(), c->name));
        for (int b = 0; b < 4 && c->bad[b]; b++) {
            expect_refused(c, &(places){.file = c->bad[b]});
            expect_refused(c, &(places){.env = c->bad[b]});
            if (!flag) /* a flag on the command line takes no value at all */
                expect_refused(c, &(places){.arg = c->bad[b], .arg_joined = true});
        }
    }
}

/* file < environment < command line; a list adds up in that order, and an action
 * (--rebuild) once asked for stays asked for. */
static void precedence(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const option_case *c = &CASES[i];
        bool flag = is_flag(opt_find(c->prog->program(), c->name));
        if (flag && c->additive) {
            expect_shown(c, &(places){.file = "yes", .env = "no"}, c->shown[0]);
            continue;
        }
        /* a is said weaker, b stronger; a flag can only be put on from the command line */
        const char *a = flag ? "no" : c->good[0], *b = flag ? "yes" : c->good[1];
        char a_b[512], b_a[512], a_b_a[512];
        snprintf(a_b, sizeof a_b, "%s,%s", a, b);
        snprintf(b_a, sizeof b_a, "%s,%s", b, a);
        snprintf(a_b_a, sizeof a_b_a, "%s,%s,%s", a, b, a);
        const char *sa = flag ? "no" : shown_of(c, 0), *sb = flag ? "yes" : shown_of(c, 1);
        expect_shown(c, &(places){.file = a, .env = b}, c->additive ? a_b : sb);
        expect_shown(c, &(places){.file = b, .env = a}, c->additive ? b_a : sa);
        expect_shown(c, &(places){.env = a, .arg = b}, c->additive ? a_b : sb);
        expect_shown(c, &(places){.file = a, .arg = b}, c->additive ? a_b : sb);
        if (!flag)
            expect_shown(c, &(places){.file = a, .env = b, .arg = a}, c->additive ? a_b_a : sa);
    }
}

/* ---- the engine ---------------------------------------------------------------------- */

static void whole_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        unsigned long min, max;
        bool ok;
        unsigned long want;
    } cases[] = {
        {"0", 0, 10, true, 0},          {"10", 0, 10, true, 10},      {"007", 0, 10, true, 7},
        {"11", 0, 10, false, 0},        {"0", 1, 10, false, 0},       {"", 0, 10, false, 0},
        {"-1", 0, 10, false, 0},        {"+1", 0, 10, false, 0},      {" 1", 0, 10, false, 0},
        {"1 ", 0, 10, false, 0},        {"1.0", 0, 10, false, 0},     {"0x1", 0, 10, false, 0},
        {"18446744073709551615", 0, ULONG_MAX, true, ULONG_MAX},
        {"18446744073709551616", 0, ULONG_MAX, false, 0},
        {"99999999999999999999999", 0, ULONG_MAX, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned long v = 12345;
        bool ok = opt_parse_uint(cases[i].s, cases[i].min, cases[i].max, &v);
        if (ok != cases[i].ok)
            fail_msg("opt_parse_uint('%s'): %d", cases[i].s, ok);
        assert_int_equal(v, ok ? cases[i].want : 12345); /* untouched when refused */
    }
    assert_false(opt_parse_uint(NULL, 0, 10, &(unsigned long){0}));
}

static void yes_and_no(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "yes", "on", "1", "TRUE", "Yes", "ON"};
    static const char *const no[] = {"false", "no", "off", "0", "False", "NO", "Off"};
    static const char *const neither[] = {"", "y", "n", "2", "maybe", "yes ", "nope", "truth"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        bool v = false;
        assert_true(opt_parse_bool(yes[i], &v));
        assert_true(v);
        assert_true(opt_parse_bool(no[i], &v));
        assert_false(v);
    }
    for (size_t i = 0; i < sizeof neither / sizeof neither[0]; i++) {
        bool v = true;
        if (opt_parse_bool(neither[i], &v))
            fail_msg("'%s' taken for a yes or no", neither[i]);
        assert_true(v);
    }
}

/* argv and a file's text (NULL: none); the result of parsing them for prog. */
static opt_result parse_raw(const program_case *prog, const char *file_text, char **args)
{
    char path[4200], config_arg[4300];
    char *argv[8] = {"prog"};
    int argc = 1;
    if (file_text) {
        snprintf(path, sizeof path, "%s/raw.conf", scratch);
        FILE *f = fopen(path, "w");
        fputs(file_text, f);
        fclose(f);
        snprintf(config_arg, sizeof config_arg, "--config=%s", path);
        argv[argc++] = config_arg;
    }
    for (; args && *args; args++)
        argv[argc++] = *args;
    settings s;
    opt_memory mem = {0};
    prog->init(&s);
    opt_result r = opt_parse(prog->program(), &s, argc, argv, &mem);
    opt_memory_free(&mem);
    return r;
}

static void refusals(void **state)
{
    (void)state;
    static const struct {
        const program_case *prog;
        const char *file, *env;
        char *args[3];
        opt_result want;
    } cases[] = {
        {&SERVE, "max-tems = 2\n", NULL, {NULL}, OPT_USAGE},        /* unknown key */
        {&SERVE, "max-terms 2\n", NULL, {NULL}, OPT_USAGE},         /* no '=' */
        {&SERVE, "config = x\n", NULL, {NULL}, OPT_USAGE},          /* not a setting */
        {&SERVE, "help = yes\n", NULL, {NULL}, OPT_USAGE},
        {&SERVE, NULL, "LOOMSEARCH_LISTN=x", {NULL}, OPT_USAGE},    /* unknown variable */
        {&SERVE, NULL, "LOOMSEARCH_HELP=1", {NULL}, OPT_USAGE},
        {&SERVE, NULL, NULL, {"--bogus"}, OPT_USAGE},
        {&SERVE, NULL, NULL, {"--max-ter", "3"}, OPT_USAGE},        /* no abbreviations */
        {&SERVE, NULL, NULL, {"--max-terms"}, OPT_USAGE},           /* no value */
        {&SERVE, NULL, NULL, {"--log-full-ip=yes"}, OPT_USAGE},     /* a flag takes none */
        {&SERVE, NULL, NULL, {"stray"}, OPT_USAGE},
        {&SERVE, NULL, NULL, {"--", "--db"}, OPT_USAGE},
        {&SERVE, NULL, NULL, {"--config", "/nonexistent/serve.conf"}, OPT_USAGE},
        {&SERVE, NULL, NULL, {"--help"}, OPT_DONE},
        {&INDEX, NULL, NULL, {"--version"}, OPT_DONE},
        /* the other program's settings in a shared environment or file pass */
        {&INDEX, "listen = 127.0.0.1:1\nmax-terms = 3\n", "LOOMSEARCH_LISTEN=x", {NULL}, OPT_OK},
        {&SERVE, "corpus = /srv/posts\n", "LOOMSEARCH_JOBS=many", {NULL}, OPT_OK},
        {&INDEX, "corpus = /srv/posts\n", "LOOMSEARCH_DB=/srv/index", {NULL}, OPT_OK},
        /* ... but not on the command line */
        {&INDEX, NULL, NULL, {"--listen", "127.0.0.1:1"}, OPT_USAGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clean_environment();
        if (cases[i].env)
            putenv((char *)cases[i].env);
        opt_result r = parse_raw(cases[i].prog, cases[i].file, (char **)cases[i].args);
        clean_environment();
        if (r != cases[i].want)
            fail_msg("case %zu: %d, wanted %d", i, r, cases[i].want);
    }
}

/* LOOMSEARCH_CONFIG names the file when argv does not; --config wins over it. */
static void config_variable(void **state)
{
    (void)state;
    char good[4200], bad[4200];
    snprintf(good, sizeof good, "%s/good.conf", scratch);
    snprintf(bad, sizeof bad, "%s/bad.conf", scratch);
    FILE *f = fopen(good, "w");
    fputs("max-terms = 7\n", f);
    fclose(f);
    f = fopen(bad, "w");
    fputs("max-terms = many\n", f);
    fclose(f);
    settings s;
    opt_memory mem = {0};
    clean_environment();
    setenv("LOOMSEARCH_CONFIG", good, 1);
    serve_init(&s);
    assert_int_equal(opt_parse(serve_program(), &s, 1, (char *[]){"prog", NULL}, &mem), OPT_OK);
    assert_int_equal(s.serve.max_terms, 7);
    setenv("LOOMSEARCH_CONFIG", bad, 1);
    serve_init(&s);
    assert_int_equal(opt_parse(serve_program(), &s, 3, (char *[]){"prog", "--config", good, NULL},
                               &mem), OPT_OK);
    assert_int_equal(s.serve.max_terms, 7);
    clean_environment();
    opt_memory_free(&mem);
}

/* --help names every option and, where there is one, its default. */
static void help_lists_every_default(void **state)
{
    (void)state;
    const program_case *progs[] = {&SERVE, &INDEX};
    for (size_t k = 0; k < 2; k++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        opt_help(progs[k]->program(), f);
        fclose(f);
        /* one space between words, as wrapping does not matter */
        char *w = text;
        for (const char *r = text; *r; r++)
            if (!isspace((unsigned char)*r) || (w > text && w[-1] != ' '))
                *w++ = isspace((unsigned char)*r) ? ' ' : *r;
        *w = '\0';
        for (const opt_spec *s = progs[k]->program()->specs; s->kind || s->help; s++) {
            char want[256];
            snprintf(want, sizeof want, "--%s", s->name ? s->name : "");
            if (s->kind != OPT_HEADING && !strstr(text, want))
                fail_msg("--help lacks %s", want);
            snprintf(want, sizeof want, "default %s", s->def ? s->def : "");
            if (s->def && !strstr(text, want))
                fail_msg("--help lacks '%s'", want);
            if (s->kind == OPT_UINT) {
                snprintf(want, sizeof want, "%lu to %lu", s->min, s->max);
                if (!strstr(text, want))
                    fail_msg("--help lacks the bounds of --%s", s->name);
            }
        }
        free(text);
    }
}

/* Each program passes over exactly the settings of the other that it has not. */
static void siblings_are_the_other_program(void **state)
{
    (void)state;
    const opt_program *a = serve_program(), *b = index_program();
    for (int k = 0; k < 2; k++, a = index_program(), b = serve_program()) {
        size_t n_sibling = 0;
        for (const char *const *w = a->sibling; *w; w++, n_sibling++) {
            const opt_spec *theirs = opt_find(b, *w);
            if (!theirs || opt_find(a, *w))
                fail_msg("%s: '%s' is not only %s's", a->name, *w, b->name);
        }
        size_t n_theirs = 0;
        for (const opt_spec *s = b->specs; s->kind || s->help; s++)
            n_theirs += s->kind != OPT_HEADING && s->kind != OPT_CONFIG && s->kind != OPT_HELP &&
                        s->kind != OPT_VERSION && !opt_find(a, s->name);
        assert_int_equal(n_sibling, n_theirs);
    }
}

static int setup(void **state)
{
    (void)state;
    scratch = scratch_dir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scratch_remove(scratch);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_option_has_a_row),
        cmocka_unit_test(defaults),
        cmocka_unit_test(good_values_everywhere),
        cmocka_unit_test(bad_values_everywhere),
        cmocka_unit_test(precedence),
        cmocka_unit_test(whole_numbers),
        cmocka_unit_test(yes_and_no),
        cmocka_unit_test(refusals),
        cmocka_unit_test(config_variable),
        cmocka_unit_test(help_lists_every_default),
        cmocka_unit_test(siblings_are_the_other_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
