/* check.c — --check and --list: the source read and parsed exactly as a run
 * reads it (the same workers, limits and rules), and nothing written. */
#include "check.h"

#include "source.h"
#include "text.h"
#include "workers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_POSTS 5 /* posts --check shows */

/* Counts: the summary a run would print, and what only --check says. */
typedef struct tally {
    index_summary sum;          /* found, skipped and refused by reason, undated */
    unsigned indexed;
    unsigned with_url, guessed; /* posts given a URL, and those whose URL is a guess */
    unsigned shown;
} tally;

/* s with tabs and line breaks as spaces: one field of a tab-separated line. */
/* A field of a row: tabs, newlines and every other control byte (a
 * terminal escape in a file's name) become spaces. */
static void put_field(const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        putchar(c < 0x20 || c == 0x7f ? ' ' : *s);
    }
}

static void put_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            putchar('|');
        put_field(items[i]);
    }
}

/* Template markers ({%, %}, {{, }}) left in the post's text outside its code:
 * what --list reports so a run on a real archive can prove none reach a
 * snippet. Code is taken out of a copy of the text piece by piece (the text
 * holds each code piece as written). */
/* s with every run of white space made one space, trimmed (malloc'd). */
static char *squeeze(const char *s, size_t len)
{
    char *out = xmalloc(len + 1), *o = out;
    bool space = true; /* drop leading space */
    for (size_t i = 0; i < len; i++) {
        bool ws = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (ws && !space)
            *o++ = ' ';
        else if (!ws)
            *o++ = s[i];
        space = ws;
    }
    if (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    return out;
}

static size_t template_markers(const post *p)
{
    char *text = squeeze(p->text ? p->text : "", p->text ? strlen(p->text) : 0);
    const char *code = p->code ? p->code : "";
    while (*code) {
        size_t n = strcspn(code, "\n");
        char *piece = squeeze(code, n), *hit;
        size_t len = strlen(piece);
        if (len > 1)
            while ((hit = memmem(text, strlen(text), piece, len)))
                memmove(hit, hit + len, strlen(hit + len) + 1);
        free(piece);
        code += n + (code[n] == '\n');
    }
    size_t count = 0;
    static const char *const markers[] = {"{%", "%}", "{{", "}}"};
    for (size_t m = 0; m < 4; m++)
        for (const char *at = text; (at = strstr(at, markers[m])); at += 2)
            count++;
    free(text);
    return count;
}

static void list_row(const source_item *it, const parse_result *res, const post *p)
{
    put_field(it->id);
    putchar('\t');
    if (res->kind == PARSE_FAILED) {
        printf("refused:%s\t", res->reason ? res->reason : "unknown");
        put_field(res->message);
        fputs("\t\t\t\t\t\t\t0\t0\n", stdout);
        return;
    }
    fputs(p->skip == POST_INDEXED ? "indexed" : "skipped:", stdout);
    if (p->skip != POST_INDEXED)
        fputs(post_skip_name(p->skip), stdout);
    printf("\t");
    put_field(p->title);
    printf("\t");
    put_field(p->date);
    printf("\t");
    put_list(p->authors, p->n_authors);
    printf("\t");
    put_list(p->tags, p->n_tags);
    printf("\t");
    put_list(p->categories, p->n_categories);
    printf("\t");
    put_field(p->summary);
    printf("\t");
    put_field(p->url);
    printf("\t%zu\t%zu\n", word_count(p->text), template_markers(p));
}

/* --check: one post of the sample, as a person reads it. */
static void sample_row(const source_item *it, const post *p)
{
    printf("  ");
    put_field(it->id);
    printf("\n    title: ");
    put_field(p->title);
    printf("\n    date: ");
    put_field(p->date ? p->date : "(none)");
    printf("\n    authors: ");
    put_list(p->authors, p->n_authors);
    printf("\n    tags: ");
    put_list(p->tags, p->n_tags);
    printf("\n    categories: ");
    put_list(p->categories, p->n_categories);
    printf("\n    url: ");
    put_field(p->url ? p->url : "(the server's --permalink)");
    printf("%s\n", p->url_guessed ? " (guessed)" : "");
}

/* PREFIX then TEXT as one line on stdout, TEXT escaped as report() escapes
 * (a file's name or a parser's message may carry terminal escapes). */
static void print_escaped(const char *prefix, const char *text)
{
    strbuf line = {0};
    sb_puts(&line, prefix);
    log_escape(&line, text ? text : "", text ? strlen(text) : 0, false);
    sb_putc(&line, '\n');
    fwrite(line.data, 1, line.len, stdout);
    sb_free(&line);
}

static void note(const index_options *opt, tally *t, const source_item *it,
                 const parse_result *res, const post *p)
{
    t->sum.found++;
    if (res->kind == PARSE_FAILED) {
        summary_refused(&t->sum, res->reason ? res->reason : "unknown");
        if (opt->verbose && opt->mode == MODE_CHECK)
            print_escaped("refused: ", res->message);
        return;
    }
    if (p->skip != POST_INDEXED) {
        t->sum.skipped[p->skip]++;
        if (opt->verbose && opt->mode == MODE_CHECK) {
            char prefix[64];
            snprintf(prefix, sizeof prefix, "skipped (%s): ", post_skip_name(p->skip));
            print_escaped(prefix, it->where);
        }
        return;
    }
    t->indexed++;
    t->sum.undated += !p->date;
    if (opt->mode != MODE_CHECK)
        return;
    t->with_url += p->url != NULL;
    t->guessed += p->url_guessed;
    if (t->shown++ < SAMPLE_POSTS) {
        if (t->shown == 1)
            printf("a few of the posts it would index:\n");
        sample_row(it, p);
    }
}

static void print_tally(const source *src, const source_list *items, const tally *t)
{
    printf("%s: %zu files; would index %u (%u with a URL, %u of them guessed); ", src->label,
           items->n, t->indexed, t->with_url, t->guessed);
    summary_print_counts(stdout, &t->sum);
    printf("\n");
}

/* Parse every item and hand each result to the listing or the tally. */
static int read_all(const index_options *opt, const source *src, parse_pool *pool,
                    const source_list *items)
{
    parse_job *jobs = xmalloc((items->n + 1) * sizeof *jobs);
    for (size_t i = 0; i < items->n; i++)
        jobs[i] = (parse_job){.where = items->items[i].where, .known_hash = ""};
    pool_begin(pool, jobs, items->n);
    if (opt->mode == MODE_LIST)
        printf("id\tstatus\ttitle\tdate\tauthors\ttags\tcategories\tsummary\turl\twords\t"
               "templates\n");
    tally t = {0};
    size_t job;
    parse_result res;
    int got;
    while ((got = pool_next(pool, &job, &res)) == 1) {
        post *p = res.kind == PARSE_OK ? post_from_json(res.json, res.json_len) : NULL;
        if (res.kind == PARSE_OK && !p)
            res = (parse_result){.kind = PARSE_FAILED, .message = "a parse worker sent a post that cannot be read back"};
        if (opt->mode == MODE_LIST)
            list_row(&items->items[job], &res, p);
        note(opt, &t, &items->items[job], &res, p);
        post_free(p);
    }
    free(jobs);
    if (got < 0) {
        report("the parse workers stopped: %s", strerror(errno));
        return EXIT_INDEX_FAILED;
    }
    if (opt->mode == MODE_CHECK)
        print_tally(src, items, &t);
    /* The exit status a run would have: 5 when too many posts are refused. */
    return summary_check_refused(&t.sum, "(nothing was written)");
}

/* What --site found: the generator, its config, the folder read. */
static void describe_site(const index_options *opt, const source *src)
{
    const site *s = source_site(src);
    if (!opt->site || !s)
        return;
    printf("site %s: %s", opt->site, site_generator_name(s->generator));
    if (s->config_path)
        printf(" (%s)", s->config_path);
    printf("; posts read from %s\n", src->label);
}

int index_check(const index_options *opt)
{
    source *src = index_open_source(opt);
    if (!src)
        return EXIT_INDEX_FAILED;
    parse_pool *pool = pool_start(src, opt->jobs, opt->max_post_bytes, opt->parse_cpu_seconds);
    if (!pool) {
        report("cannot start parse workers: %s", strerror(errno));
        source_close(src);
        return EXIT_INDEX_FAILED;
    }
    source_list items = {0};
    src->ops->list(src, &items);
    if (opt->mode == MODE_CHECK)
        describe_site(opt, src);
    int rc = items.failed ? EXIT_INDEX_FAILED : read_all(opt, src, pool, &items);
    pool_stop(pool);
    source_list_free(&items);
    source_close(src);
    return rc;
}
