/* routes.c — the handlers: read and bound the parameters, call the core, render,
 * respond. Every limit is checked before Xapian is called, because Xapian cannot
 * stop a match once it runs. */
#include "routes.h"

#include "cache.h"
#include "clock.h"
#include "config.h"
#include "http.h"
#include "logs.h"
#include "metrics.h"
#include "reader.h"
#include "render.h"
#include "request_limits.h"
#include "options.h"
#include "schema.h"
#include "text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char TEXT_TYPE[] = "text/plain; charset=utf-8";

/* A query argument with its true length: the _n lookup, so "%00" cannot cut a
 * value short unseen. present is false when the argument is absent. */
typedef struct arg {
    const char *value;
    size_t len;
    bool present;
} arg;

static arg get_arg(struct MHD_Connection *conn, const char *name)
{
    arg a = {0};
    if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &a.value,
                                      &a.len) == MHD_YES) {
        a.present = true;
        if (!a.value) /* "?q" with no '=' */
            a.value = "", a.len = 0;
    }
    return a;
}

/* The rules every query-string parameter keeps, name and value, whatever the
 * route: no NUL byte (C strings would stop reading at it, and "from=2020%00x"
 * would be read as 2020) and valid UTF-8. The first parameter breaking one. */
typedef struct argument_check {
    const char *name; /* the offending parameter's name (in the request) */
    size_t name_len;
    const char *code, *why;
} argument_check;

static enum MHD_Result check_one_argument(void *cls, enum MHD_ValueKind kind, const char *key,
                                          size_t key_len, const char *value, size_t value_len)
{
    (void)kind;
    argument_check *c = cls;
    if (!value)
        value = "", value_len = 0;
    if (memchr(key, '\0', key_len) || memchr(value, '\0', value_len))
        c->code = "bad_encoding", c->why = "holds a NUL byte";
    else if (!utf8_valid(key, key_len, NULL) || !utf8_valid(value, value_len, NULL))
        c->code = "bad_encoding", c->why = "is not valid UTF-8 text";
    else
        return MHD_YES;
    c->name = key, c->name_len = key_len;
    return MHD_NO;
}

bool arguments_ok(struct MHD_Connection *conn, enum MHD_Result *rc)
{
    argument_check c = {0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, check_one_argument, &c);
    if (!c.code)
        return true;
    strbuf msg = {0};
    sb_puts(&msg, "the parameter '");
    /* The name as printable ASCII only: it goes back into the answer. */
    for (size_t i = 0; i < c.name_len && i < 40; i++) {
        unsigned char ch = (unsigned char)c.name[i];
        sb_putc(&msg, ch >= 0x20 && ch < 0x7f ? (char)ch : '?');
    }
    sb_printf(&msg, "' %s", c.why);
    *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, c.code, msg.data);
    free(msg.data);
    return false;
}

/* A whole number from 1 to max; false when it is anything else (a "%00" inside
 * it included: the value must be all of the argument). */
static bool parse_uint(const arg *a, unsigned max, unsigned *out)
{
    unsigned long v;
    if (strlen(a->value) != a->len || !opt_parse_uint(a->value, 1, max, &v))
        return false;
    *out = (unsigned)v;
    return true;
}

static unsigned count_words(const char *s, size_t len)
{
    unsigned n = 0;
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        bool space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
        if (!space && !in_word)
            n++;
        in_word = !space;
    }
    return n;
}

/* ---- Faults seen by requests ----------------------------------------------
 * /healthz's own probe (open, count, read metadata) touches few blocks and
 * misses most corruption; a request that met an unreadable index has seen
 * more. Such a fault keeps /healthz at 503 for FAULT_HOLD_SECONDS, or until
 * another build is served, so a load balancer stops sending visitors here. */
#define FAULT_HOLD_SECONDS 60

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static double fault_at = -1;
static char fault_build[128];

static void note_index_fault(void)
{
    xap_db *db;
    reader_info info = {0};
    bool open = reader_get(&db, &info, NULL) == XAP_OK;
    pthread_mutex_lock(&fault_lock);
    fault_at = monotonic_seconds();
    snprintf(fault_build, sizeof fault_build, "%s", open && info.build_id ? info.build_id : "");
    pthread_mutex_unlock(&fault_lock);
}

/* Seconds since a request met a fault in this build; -1 when none is held. */
static double recent_fault(const char *build_id)
{
    pthread_mutex_lock(&fault_lock);
    double age = fault_at < 0 ? -1 : monotonic_seconds() - fault_at;
    if (age > FAULT_HOLD_SECONDS || (build_id && strcmp(build_id, fault_build) != 0))
        age = -1;
    pthread_mutex_unlock(&fault_lock);
    return age;
}

/* Why a request was not answered: status, stable code, words for people. */
typedef struct refusal {
    unsigned status;
    const char *code;
    char message[200];
} refusal;

/* The one translation from a wrapper status to an HTTP refusal. Details of
 * server-side failures go to the log, never to the client. */
static refusal xap_refusal(const xap_error *err)
{
    refusal r = {MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "the search failed; the error is logged"};
    const char *msg = NULL;
    switch (err->code) {
    case XAP_ENOTFOUND:
        r.status = MHD_HTTP_SERVICE_UNAVAILABLE, r.code = "no_index", msg = "no index is being served yet";
        break;
    case XAP_ELIMIT:
        r.status = MHD_HTTP_BAD_REQUEST, r.code = "wildcard_limit";
        msg = "a wildcard matches too many words: type more letters before the *";
        break;
    case XAP_EQUERY:
        r.status = MHD_HTTP_BAD_REQUEST, r.code = "bad_query", msg = "the query cannot be parsed";
        break;
    case XAP_EMODIFIED:
        r.status = MHD_HTTP_SERVICE_UNAVAILABLE, r.code = "index_changing";
        msg = "the index changed during the search: try again";
        break;
    case XAP_ENETWORK:
    case XAP_ETIMEOUT:
        fprintf(stderr, "loomsearch-serve: %s\n", err->message);
        r.status = MHD_HTTP_SERVICE_UNAVAILABLE, r.code = "shard_unavailable";
        msg = "part of the index is not answering: try again shortly";
        break;
    default:
        if (err->code == XAP_EIO)
            note_index_fault();
        fprintf(stderr, "loomsearch-serve: search failed: %s: %s\n", xap_status_name(err->code),
                err->message);
    }
    if (msg)
        snprintf(r.message, sizeof r.message, "%s", msg);
    return r;
}

static enum MHD_Result respond_xap_error(struct MHD_Connection *conn, const xap_error *err)
{
    refusal r = xap_refusal(err);
    return respond_error(conn, r.status, r.code, r.message);
}

/* The formats, by name and by the media type an Accept header names. */
static const struct {
    const char *name;
    const char *accept;       /* NULL: only by format= */
    const char *content_type;
    render_format format;
} formats[] = {
    {"json", "application/json", "application/json; charset=utf-8", FORMAT_JSON},
    {"html", "text/html", "text/html; charset=utf-8", FORMAT_HTML},
    {"atom", "application/atom+xml", "application/atom+xml; charset=utf-8", FORMAT_ATOM},
    {"fragment", NULL, "text/html; charset=utf-8", FORMAT_FRAGMENT},
    {"text", NULL, "text/plain; charset=utf-8", FORMAT_TEXT},
};

static const char *format_name(render_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].format == f)
            return formats[i].name;
    return "text";
}

static const char *content_type_of(render_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].format == f)
            return formats[i].content_type;
    return TEXT_TYPE;
}

/* The format asked for, by the one rule of docs/api.md: format= wins; then an
 * Accept header naming JSON, HTML or Atom; anything else, curl's star-slash-star
 * included, gets text. False when format= names none we have. */
static bool choose_format(struct MHD_Connection *conn, render_format *out, bool *named)
{
    arg f = get_arg(conn, "format");
    *named = true;
    if (f.present) {
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            if (f.len == strlen(formats[i].name) && memcmp(f.value, formats[i].name, f.len) == 0)
                return *out = formats[i].format, true;
        return false;
    }
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    *out = FORMAT_TEXT;
    for (size_t i = 0; accept && i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].accept && strstr(accept, formats[i].accept))
            return *out = formats[i].format, true;
    *named = false;
    return true;
}

#define MAX_FILTER_VALUES 10 /* tag=, author= or category= values in one request */
#define MAX_FILTER_BYTES 100

/* The repeated values of one filter parameter, lower-cased copies. */
typedef struct filter_values {
    const char *name;
    char *values[MAX_FILTER_VALUES];
    size_t n;
    bool bad;        /* too many, too long, not UTF-8 */
} filter_values;

static enum MHD_Result collect_filter(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    filter_values *f = cls;
    if (key_size != strlen(f->name) || memcmp(key, f->name, key_size) != 0 || !value || !value_size)
        return MHD_YES;
    if (f->n == MAX_FILTER_VALUES || value_size > MAX_FILTER_BYTES ||
        !utf8_valid(value, value_size, NULL)) {
        f->bad = true;
        return MHD_YES;
    }
    char *copy = xstrndup(value, value_size);
    f->values[f->n++] = casefold(copy);
    free(copy);
    return MHD_YES;
}

static void filter_values_free(filter_values *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->values[i]);
}

/* The ETag of a search answer in this format from the build db reads: its id
 * and revision. False when the revision cannot be read. */
static bool index_etag(char *out, size_t size, xap_db *db, const reader_info *info,
                       render_format format)
{
    xap_db_stats stats;
    if (config->n_shards) /* shards have no one revision: no ETag, nothing cached */
        return false;
    if (xap_db_stats_get(&stats, db, NULL) != XAP_OK)
        return false;
    snprintf(out, size, "\"%s-%lu-%d\"", info->build_id, stats.revision, (int)format);
    return true;
}

typedef struct search_params {
    search_request req;
    render_format format;
    filter_values tags, authors, categories;
    bool format_named; /* by format= or Accept, not text by default */
    refusal why; /* set when a parameter is refused */
} search_params;

/* A refusal of a search, noted in p; answered by answer_refusal(). */
static bool refuse(search_params *p, unsigned status, const char *code, const char *message)
{
    p->why.status = status;
    p->why.code = code;
    snprintf(p->why.message, sizeof p->why.message, "%s", message);
    return false;
}

/* A refused search, in the format it asked for: a visitor's browser gets a
 * page with the form and the reason, format=text one line, scripts (and curl
 * asking for nothing in particular) the JSON error. */
static enum MHD_Result answer_refusal(struct MHD_Connection *conn, const search_params *p,
                                      const refusal *why)
{
    bool passing = why->status == MHD_HTTP_SERVICE_UNAVAILABLE;
    http_header retry = {"Retry-After", "5"};
    char *query = utf8_clean(p->req.q ? p->req.q : "", p->req.q ? p->req.q_len : 0, NULL);
    char *body = NULL;
    const char *type = content_type_of(p->format);
    if (p->format == FORMAT_HTML || p->format == FORMAT_FRAGMENT)
        body = render_html_error(query, why->message, p->format == FORMAT_HTML);
    else if (p->format == FORMAT_TEXT && p->format_named) /* scripts on curl's default keep JSON */
        body = render_text_error(why->code, why->message);
    free(query);
    if (!body)
        return respond_error(conn, why->status, why->code, why->message);
    return respond_body(conn, why->status, type, body, &retry, passing ? 1 : 0);
}

static void search_params_free(search_params *p)
{
    filter_values_free(&p->tags);
    filter_values_free(&p->authors);
    filter_values_free(&p->categories);
}

/* The answer cache's key for a search read from the build and revision etag
 * names: every setting that shapes the answer, the query with its runs of
 * spaces collapsed (the parser reads them alike). Fixed fields first, filter
 * values with their lengths, the query last, so no two requests share a key. */
static void cache_key(strbuf *key, const char *etag, const search_params *p)
{
    const search_request *r = &p->req;
    sb_printf(key, "%s\x01%u\x01%u\x01%u\x01%d%d%d%d%d%d\x01%s\x01%s\x01", etag, r->page, r->per_page,
              (unsigned)r->sort, r->partial, r->facets, r->explain, r->no_recency, r->no_correction,
              (int)p->format,
              r->filters.from, r->filters.to);
    for (size_t i = 0; i < r->filters.n_tags; i++)
        sb_printf(key, "t%zu:%s", strlen(r->filters.tags[i]), r->filters.tags[i]);
    for (size_t i = 0; i < r->filters.n_authors; i++)
        sb_printf(key, "a%zu:%s", strlen(r->filters.authors[i]), r->filters.authors[i]);
    for (size_t i = 0; i < r->filters.n_categories; i++)
        sb_printf(key, "c%zu:%s", strlen(r->filters.categories[i]), r->filters.categories[i]);
    sb_putc(key, '\x01');
    bool space = false;
    for (size_t i = 0; i < r->q_len; i++) {
        char c = r->q[i];
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (blank) {
            space = key->len > 0 && key->data[key->len - 1] != '\x01';
            continue;
        }
        if (space)
            sb_putc(key, ' ');
        space = false;
        sb_putc(key, c);
    }
}

/* A flag parameter: absent gives dflt; "1"/"0" (or "true"/"false"). False in
 * *ok when it is anything else. */
static bool get_flag(struct MHD_Connection *conn, const char *name, bool dflt, bool *ok)
{
    arg a = get_arg(conn, name);
    if (!a.present)
        return dflt;
    if ((a.len == 1 && a.value[0] == '1') || (a.len == 4 && memcmp(a.value, "true", 4) == 0))
        return true;
    if ((a.len == 1 && a.value[0] == '0') || (a.len == 5 && memcmp(a.value, "false", 5) == 0))
        return false;
    *ok = false;
    return dflt;
}

/* from= and to=: "2023", "2023-06" or "2023-06-14". */
static bool read_period(struct MHD_Connection *conn, const char *name, bool end, char out[9])
{
    arg a = get_arg(conn, name);
    out[0] = '\0';
    if (!a.present || a.len == 0)
        return true;
    char period[16];
    if (a.len >= sizeof period)
        return false;
    memcpy(period, a.value, a.len);
    period[a.len] = '\0';
    return xap_period_bound(period, end, out);
}

static bool read_filters(struct MHD_Connection *conn, search_params *p)
{
    char msg[160];
    p->tags.name = "tag";
    p->authors.name = "author";
    p->categories.name = "category";
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_filter, &p->tags);
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_filter, &p->authors);
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_filter, &p->categories);
    if (p->tags.bad || p->authors.bad || p->categories.bad) {
        snprintf(msg, sizeof msg, "tag=, author= and category= take at most %d values of %d bytes of UTF-8",
                 MAX_FILTER_VALUES, MAX_FILTER_BYTES);
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter", msg);
    }
    xap_filters *f = &p->req.filters;
    f->tags = (const char *const *)p->tags.values;
    f->n_tags = p->tags.n;
    f->authors = (const char *const *)p->authors.values;
    f->n_authors = p->authors.n;
    f->categories = (const char *const *)p->categories.values;
    f->n_categories = p->categories.n;
    if (!read_period(conn, "from", false, f->from) || !read_period(conn, "to", true, f->to)) {
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                            "from and to take a year, year-month or date: 2023, 2023-06, 2023-06-14");
    }
    if (f->from[0] && f->to[0] && strcmp(f->from, f->to) > 0) {
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                            "from is later than to: no date is in that period");
    }
    return true;
}

static bool has_filters(const xap_filters *f)
{
    return f->n_tags || f->n_authors || f->n_categories || f->from[0] || f->to[0];
}

/* q within --max-query-bytes and --max-terms, and UTF-8. */
static bool check_query(search_params *p)
{
    const search_request *req = &p->req;
    char msg[160];
    if (req->q_len > config->max_query_bytes) {
        snprintf(msg, sizeof msg, "q is longer than %zu bytes", config->max_query_bytes);
        return refuse(p, MHD_HTTP_BAD_REQUEST, "query_too_long", msg);
    }
    /* UTF-8 and NUL: arguments_ok(), for every parameter, before any route. */
    if (count_words(req->q, req->q_len) > config->max_terms) {
        snprintf(msg, sizeof msg, "q has more than %u words", config->max_terms);
        return refuse(p, MHD_HTTP_BAD_REQUEST, "too_many_terms", msg);
    }
    return true;
}

/* page= and per_page=, within --max-per-page and --max-depth. */
static bool read_page(struct MHD_Connection *conn, search_params *p)
{
    search_request *req = &p->req;
    char msg[160];
    arg page = get_arg(conn, "page"), per_page = get_arg(conn, "per_page");
    if (page.present && !parse_uint(&page, config->max_depth, &req->page)) {
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                            "page must be a whole number from 1");
    }
    if (per_page.present && !parse_uint(&per_page, config->max_per_page, &req->per_page)) {
        snprintf(msg, sizeof msg, "per_page must be a whole number from 1 to %u",
                 config->max_per_page);
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter", msg);
    }
    if ((unsigned long)req->page * req->per_page > config->max_depth) {
        snprintf(msg, sizeof msg, "results stop at rank %u: ask for an earlier page",
                 config->max_depth);
        return refuse(p, MHD_HTTP_BAD_REQUEST, "page_too_deep", msg);
    }
    return true;
}

/* sort= and the flags (partial, facets, explain, recency). */
static bool read_sort_and_flags(struct MHD_Connection *conn, search_params *p)
{
    static const struct {
        const char *name;
        xap_sort sort;
    } sorts[] = {{"relevance", XAP_SORT_RELEVANCE}, {"newest", XAP_SORT_NEWEST},
                 {"oldest", XAP_SORT_OLDEST}};
    arg sort = get_arg(conn, "sort");
    if (sort.present) {
        bool known = false;
        for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++) {
            if (sort.len == strlen(sorts[i].name) && memcmp(sort.value, sorts[i].name, sort.len) == 0) {
                p->req.sort = sorts[i].sort;
                known = true;
            }
        }
        if (!known)
            return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter", "sort must be relevance, newest or oldest");
    }
    bool flags_ok = true;
    p->req.partial = get_flag(conn, "partial", false, &flags_ok);
    p->req.facets = get_flag(conn, "facets", p->format == FORMAT_JSON || p->format == FORMAT_HTML,
                             &flags_ok);
    if (p->format == FORMAT_ATOM) /* a feed reader wants what is new */
        p->req.sort = XAP_SORT_NEWEST;
    p->req.explain = get_flag(conn, "explain", false, &flags_ok);
    p->req.no_recency = !get_flag(conn, "recency", true, &flags_ok);
    p->req.no_correction = !get_flag(conn, "correct", true, &flags_ok);
    if (!flags_ok)
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                      "partial, facets, explain, recency and correct take 1 or 0");
    return true;
}

/* Read and bound every parameter of /search. On a bad one, respond and return
 * false with *rc set. */
static bool read_search_params(struct MHD_Connection *conn, search_params *p)
{
    arg q = get_arg(conn, "q");
    p->req = (search_request){.q = q.value ? q.value : "", .q_len = q.len, .page = 1, .per_page = 10};
    if (!choose_format(conn, &p->format, &p->format_named))
        return refuse(p, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                      "format must be json, html, fragment, text or atom");
    if (!read_filters(conn, p))
        return false;
    if (count_words(p->req.q, p->req.q_len) == 0 && !has_filters(&p->req.filters))
        return refuse(p, MHD_HTTP_BAD_REQUEST, "missing_parameter",
                      "q (what to search for) or a filter (tag, author, category, from, to) is required");
    return check_query(p) && read_page(conn, p) && read_sort_and_flags(conn, p);
}

/* A search against a reader: search_run() or search_similar() behind one shape. */
typedef xap_status (*search_fn)(search_results *out, xap_db *db, const void *what, xap_error *err);

/* A search worth one more try on a fresh reader: a commit overtook it, or a
 * shard stopped answering (the fresh reader leaves it out). */
static bool retry_on_fresh_reader(xap_status st)
{
    if (st == XAP_ENETWORK || st == XAP_ETIMEOUT)
        reader_reset();
    return st == XAP_EMODIFIED || st == XAP_ENETWORK || st == XAP_ETIMEOUT;
}

/* The one retry path: fn on db, the reader reader_get() gave with status st,
 * and when that (or the reader) met a commit or a shard that stopped answering,
 * once more on a fresh reader; never a third time. *fresh says the answer comes
 * from the fresh reader, not from db. */
static xap_status search_retrying(search_fn fn, const void *what, xap_status st, xap_db *db,
                                  search_results *out, bool *fresh, xap_error *err)
{
    if (st == XAP_OK)
        st = fn(out, db, what, err);
    *fresh = retry_on_fresh_reader(st);
    if (*fresh) {
        st = reader_get(&db, NULL, err);
        if (st == XAP_OK)
            st = fn(out, db, what, err);
    }
    return st;
}

/* fn on this thread's reader, retried as search_retrying() says. */
static xap_status with_reader(search_fn fn, const void *what, search_results *out, xap_error *err)
{
    xap_db *db;
    bool fresh;
    xap_status st = reader_get(&db, NULL, err);
    return search_retrying(fn, what, st, db, out, &fresh, err);
}

static xap_status run_search(search_results *out, xap_db *db, const void *what, xap_error *err)
{
    return search_run(out, db, what, &config->search, err);
}

/* What a results page that found nothing offers instead: the newest posts,
 * and the archive's tags (facets over every post). One listing, no words. */
static bool browse_archive(search_results *out)
{
    search_request all = {.q = "", .page = 1, .per_page = 5, .sort = XAP_SORT_NEWEST, .facets = true};
    xap_error err = {0};
    return with_reader(run_search, &all, out, &err) == XAP_OK;
}

/* A search answer rendered: run on db (reader_get()'s, with status st), logged,
 * rendered into *body and kept in the cache under key (NULL: not kept). False,
 * with err set, when the search failed; *fresh as search_retrying() says. */
static bool search_answer(const search_params *p, xap_status st, xap_db *db, const char *key,
                          char **body, bool *fresh, xap_error *err)
{
    search_results results;
    st = search_retrying(run_search, &p->req, st, db, &results, fresh, err);
    if (st != XAP_OK)
        return false;
    log_query(&p->req, format_name(p->format), results.total_estimate, results.corrected_query,
              request_seconds());
    char *query = utf8_clean(p->req.q, p->req.q_len, NULL); /* no control characters echoed */
    page_view view = {.query = query, .req = &p->req, .page = p->req.page,
                      .per_page = p->req.per_page, .explain = p->req.explain};
    view.n_missing_shards = reader_missing_shards(&view.missing_shards);
    char *updated = NULL; /* Atom's <updated> for undated posts */
    if (p->format == FORMAT_ATOM && xap_db_metadata(&updated, db, META_UPDATED_AT, NULL) == XAP_OK &&
        *updated)
        view.index_updated = updated;
    search_results browse;
    bool browsing = p->format == FORMAT_HTML && results.n_hits == 0 && browse_archive(&browse);
    if (browsing)
        view.browse = &browse;
    *body = render_results(p->format, &results, &view);
    if (browsing)
        search_results_free(&browse);
    free(updated);
    if (key && !*fresh) /* a fresh reader may hold a newer revision than the key names */
        cache_put(key, *body, strlen(*body),
                  &(cache_note){.total = results.total_estimate, .corrected = results.corrected_query});
    free(query);
    search_results_free(&results);
    return true;
}

/* Does an If-None-Match header list etag? Its grammar: "*", or a comma-
 * separated list of entity tags, each perhaps weak ("W/"). Compared whole,
 * never as a substring. */
static bool etag_listed(const char *header, const char *etag)
{
    while (header && *header) {
        header += strspn(header, " \t,");
        size_t n = strcspn(header, ",");
        size_t len = n;
        while (len > 0 && (header[len - 1] == ' ' || header[len - 1] == '\t'))
            len--;
        const char *tag = header;
        if (len >= 2 && strncmp(tag, "W/", 2) == 0)
            tag += 2, len -= 2;
        if ((len == 1 && *tag == '*') || (len == strlen(etag) && strncmp(tag, etag, len) == 0))
            return true;
        header += n;
    }
    return false;
}

enum MHD_Result handle_search(struct MHD_Connection *conn)
{
    search_params p = {0};
    enum MHD_Result rc;
    if (!read_search_params(conn, &p)) {
        /* A results page asked for nothing (the form sent empty): ask again. */
        bool empty_form = p.format == FORMAT_HTML && strcmp(p.why.code, "missing_parameter") == 0;
        rc = empty_form ? handle_home(conn) : answer_refusal(conn, &p, &p.why);
        search_params_free(&p);
        return rc;
    }
    char etag[192];
    xap_db *db;
    reader_info info;
    xap_error err = {0};
    xap_status st = reader_get(&db, &info, &err);
    bool tagged = st == XAP_OK && index_etag(etag, sizeof etag, db, &info, p.format);
    http_header headers[] = {{"Vary", "Accept"}, {"Cache-Control", "public, max-age=60"}, {"ETag", etag}};
    strbuf key = {0};
    if (tagged)
        cache_key(&key, etag, &p);
    char *body;
    size_t len;
    cache_note note;
    bool fresh = false, answered = true;
    if (tagged && cache_get(key.data, &body, &len, &note)) {
        log_query(&p.req, format_name(p.format), note.total, note.corrected, request_seconds());
        free(note.corrected);
    } else if (search_answer(&p, st, db, tagged ? key.data : NULL, &body, &fresh, &err)) {
        tagged = tagged && !fresh; /* a newer revision than the ETag says */
    } else {
        answered = false;
    }
    /* An answer is fixed by the request and the index's revision: a client
     * that has it gets 304 in place of the body. Only in place of a 200: a
     * request that breaks a limit is a 400 whatever the client holds. */
    const char *seen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    refusal why;
    if (!answered)
        why = xap_refusal(&err), rc = answer_refusal(conn, &p, &why);
    else if (tagged && etag_listed(seen, etag)) {
        free(body);
        rc = respond_headers(conn, MHD_HTTP_NOT_MODIFIED, NULL, "", 0, headers, 3);
    } else
        rc = respond_body(conn, MHD_HTTP_OK, content_type_of(p.format), body, headers, tagged ? 3 : 1);
    sb_free(&key);
    search_params_free(&p);
    return rc;
}

typedef struct similar_args {
    const char *id;
    unsigned n;
} similar_args;

static xap_status run_similar(search_results *out, xap_db *db, const void *what, xap_error *err)
{
    const similar_args *a = what;
    return search_similar(out, db, a->id, a->n, &config->search, err);
}

enum MHD_Result handle_similar(struct MHD_Connection *conn)
{
    arg id = get_arg(conn, "id"), n = get_arg(conn, "n");
    similar_args a = {.n = 5};
    /* A public id: a slug of up to 200 bytes, perhaps suffixed "-2"... */
    if (!id.present || id.len == 0)
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "missing_parameter",
                             "id (a post's id, as search results give it) is required");
    if (id.len > 240)
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                             "id is longer than 240 bytes: no post has such an id");
    if (n.present && !parse_uint(&n, 20, &a.n))
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                             "n must be a whole number from 1 to 20");
    a.id = id.value;
    search_results results;
    xap_error err = {0};
    xap_status st = with_reader(run_similar, &a, &results, &err);
    if (st == XAP_ENODOC)
        return respond_error(conn, MHD_HTTP_NOT_FOUND, "no_such_post", "no post has that id");
    if (st != XAP_OK)
        return respond_xap_error(conn, &err);
    char *body = render_similar(&results, a.id);
    search_results_free(&results);
    return respond_body(conn, MHD_HTTP_OK, HTTP_JSON_TYPE, body, NULL, 0);
}

#define SUGGEST_MAX_BYTES 64
#define SUGGESTIONS 5

typedef struct completion_ctx {
    json_t *list;
    const char *head;   /* the words before the last, as typed */
    size_t head_len;
} completion_ctx;

static void add_completion(void *ctx, const char *word, unsigned long freq)
{
    (void)freq;
    completion_ctx *c = ctx;
    strbuf sb = {0};
    sb_append(&sb, c->head, c->head_len);
    sb_puts(&sb, word);
    json_array_append_new(c->list, json_string(sb.data));
    sb_free(&sb);
}

/* /suggest?q=inst: the query with its last word completed from the index's
 * most frequent words, and the titles of the posts it would find. */
enum MHD_Result handle_suggest(struct MHD_Connection *conn)
{
    arg q = get_arg(conn, "q");
    if (!q.present || count_words(q.value, q.len) == 0)
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "missing_parameter", "q is required");
    if (q.len > SUGGEST_MAX_BYTES || !utf8_valid(q.value, q.len, NULL))
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                             "q for suggestions is at most 64 bytes of UTF-8");
    size_t last = q.len;
    while (last > 0 && q.value[last - 1] != ' ')
        last--;
    char *word = xstrndup(q.value + last, q.len - last);
    char *prefix = casefold(word);
    free(word);
    xap_db *db;
    xap_error err = {0};
    json_t *completions = json_array();
    completion_ctx ctx = {.list = completions, .head = q.value, .head_len = last};
    xap_status st = reader_get(&db, NULL, &err);
    if (st == XAP_OK && *prefix)
        st = xap_db_complete(db, prefix, SUGGESTIONS, add_completion, &ctx, &err);
    free(prefix);
    search_results results = {0};
    search_request req = {.q = q.value, .q_len = q.len, .page = 1, .per_page = SUGGESTIONS,
                          .partial = true};
    if (st == XAP_OK)
        st = search_run(&results, db, &req, &config->search, &err);
    if (st != XAP_OK) {
        json_decref(completions);
        return respond_xap_error(conn, &err);
    }
    char *query = xstrndup(q.value, q.len);
    char *body = render_suggestions(query, completions, &results);
    free(query);
    search_results_free(&results);
    return respond_body(conn, MHD_HTTP_OK, HTTP_JSON_TYPE, body, NULL, 0);
}

enum MHD_Result handle_healthz(struct MHD_Connection *conn)
{
    xap_db *db;
    reader_info info;
    xap_error err = {0};
    xap_db_stats stats;
    char *updated = NULL;
    json_t *o = json_object();
    xap_status st = reader_get(&db, &info, &err);
    if (st == XAP_OK)
        st = xap_db_stats_get(&stats, db, &err);
    if (st == XAP_OK)
        st = xap_db_metadata(&updated, db, META_UPDATED_AT, &err);
    double fault = st == XAP_OK ? recent_fault(info.build_id) : -1;
    if (st != XAP_OK) {
        json_object_set_new(o, "status", json_string("no_index"));
        json_object_set_new(o, "message", json_string("no index can be opened"));
        fprintf(stderr, "loomsearch-serve: healthz: %s: %s\n", xap_status_name(err.code),
                err.message);
    } else if (fault >= 0) {
        json_object_set_new(o, "status", json_string("index_fault"));
        json_object_set_new(o, "message",
                            json_string("a request met an unreadable or corrupt index: rebuild it "
                                        "(loomsearch-index --rebuild)"));
        json_object_set_new(o, "seconds_since_fault", json_integer((json_int_t)fault));
        json_object_set_new(o, "build_id", json_string(info.build_id));
        st = XAP_EIO;
    } else {
        json_object_set_new(o, "status", json_string("ok"));
        json_object_set_new(o, "documents", json_integer((json_int_t)stats.doccount));
        json_object_set_new(o, "revision", json_integer((json_int_t)stats.revision));
        json_object_set_new(o, "build_id", json_string(info.build_id));
        json_object_set_new(o, "last_change", json_string(updated));
    }
    free(updated);
    return respond_body(conn, st == XAP_OK ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                        HTTP_JSON_TYPE, render_json(o), NULL, 0);
}

enum MHD_Result handle_home(struct MHD_Connection *conn)
{
    return respond_body(conn, MHD_HTTP_OK, "text/html; charset=utf-8", render_home_page(), NULL, 0);
}

enum MHD_Result handle_opensearch(struct MHD_Connection *conn)
{
    return respond_body(conn, MHD_HTTP_OK, "application/opensearchdescription+xml; charset=utf-8",
                        render_opensearch(), NULL, 0);
}

/* Seconds since an ISO 8601 UTC time ("2025-11-25T03:15:00Z"), or -1. */
static long age_of(const char *iso)
{
    struct tm tm = {0};
    if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return -1;
    return (long)(time(NULL) - timegm(&tm));
}

/* /metrics: the counters, and what this thread's reader, the cache and the
 * watchdog know. */
enum MHD_Result handle_metrics(struct MHD_Connection *conn)
{
    connection_counts cuts = watchdog_counts();
    metrics_facts facts = {.route_names = route_names, .n_routes = ROUTE_COUNT,
                           .deadline_cuts = cuts.deadline_cuts, .header_cuts = cuts.header_cuts,
                           .evictions = cuts.evictions, .per_ip_refusals = cuts.per_ip_refusals};
    cache_counts(&facts.cache_hits, &facts.cache_misses);
    xap_db *db;
    xap_db_stats stats;
    char *built = NULL;
    facts.index_open = reader_get(&db, NULL, NULL) == XAP_OK &&
                       xap_db_stats_get(&stats, db, NULL) == XAP_OK &&
                       xap_db_metadata(&built, db, META_BUILT_AT, NULL) == XAP_OK;
    if (facts.index_open) {
        facts.documents = stats.doccount;
        facts.revision = stats.revision;
        facts.build_age_seconds = age_of(built);
    }
    free(built);
    return respond_body(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                        metrics_render(&facts), NULL, 0);
}
