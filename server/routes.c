/* routes.c — the handlers: read and bound the parameters, call the core, render,
 * respond. Every limit is checked before Xapian is called, because Xapian cannot
 * stop a match once it runs. */
#include "server.h"

#include "schema.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JSON_TYPE[] = "application/json; charset=utf-8";
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

/* A whole number from 1 to max; false when it is anything else. */
static bool parse_uint(const arg *a, unsigned max, unsigned *out)
{
    if (a->len == 0 || a->len > 9)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < a->len; i++) {
        if (a->value[i] < '0' || a->value[i] > '9')
            return false;
        v = v * 10 + (unsigned)(a->value[i] - '0');
    }
    if (v < 1 || v > max)
        return false;
    *out = v;
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

/* The one translation from a wrapper status to an HTTP answer. Details of
 * server-side failures go to the log, never to the client. */
static enum MHD_Result respond_xap_error(struct MHD_Connection *conn, const xap_error *err)
{
    switch (err->code) {
    case XAP_ENOTFOUND:
        return respond_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no_index",
                             "no index is being served yet");
    case XAP_ELIMIT:
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "wildcard_limit",
                             "a wildcard matches too many words: type more letters before the *");
    case XAP_EQUERY:
        return respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_query", "the query cannot be parsed");
    case XAP_EMODIFIED:
        return respond_error(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "index_changing",
                             "the index changed during the search: try again");
    default:
        fprintf(stderr, "loomsearch-serve: search failed: %s: %s\n", xap_status_name(err->code),
                err->message);
        return respond_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                             "the search failed; the error is logged");
    }
}

/* The format asked for: format= wins, then an Accept naming JSON; anything else,
 * curl's "* / *" included, gets text. False when format= names none we have. */
static bool choose_format(struct MHD_Connection *conn, render_format *out)
{
    arg f = get_arg(conn, "format");
    if (f.present) {
        if (f.len == 4 && memcmp(f.value, "json", 4) == 0)
            return *out = FORMAT_JSON, true;
        if (f.len == 4 && memcmp(f.value, "text", 4) == 0)
            return *out = FORMAT_TEXT, true;
        return false;
    }
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    *out = accept && strstr(accept, "application/json") ? FORMAT_JSON : FORMAT_TEXT;
    return true;
}

typedef struct search_params {
    search_request req;
    render_format format;
} search_params;

/* Read and bound every parameter of /search. On a bad one, respond and return
 * false with *rc set. */
static bool read_search_params(struct MHD_Connection *conn, search_params *p, enum MHD_Result *rc)
{
    char msg[160];
    arg q = get_arg(conn, "q"), page = get_arg(conn, "page"), per_page = get_arg(conn, "per_page");
    arg sort = get_arg(conn, "sort");
    p->req = (search_request){.q = q.value, .q_len = q.len, .page = 1, .per_page = 10};
    if (!choose_format(conn, &p->format)) {
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                            "format must be json or text");
        return false;
    }
    if (!q.present || count_words(q.value, q.len) == 0) {
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "missing_parameter",
                            "q (what to search for) is required");
        return false;
    }
    if (q.len > config->max_query_bytes) {
        snprintf(msg, sizeof msg, "q is longer than %zu bytes", config->max_query_bytes);
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "query_too_long", msg);
        return false;
    }
    if (!utf8_valid(q.value, q.len, NULL)) {
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_encoding",
                            "q is not valid UTF-8 text");
        return false;
    }
    if (count_words(q.value, q.len) > config->max_terms) {
        snprintf(msg, sizeof msg, "q has more than %u words", config->max_terms);
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "too_many_terms", msg);
        return false;
    }
    if (page.present && !parse_uint(&page, config->max_depth, &p->req.page)) {
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                            "page must be a whole number from 1");
        return false;
    }
    if (per_page.present && !parse_uint(&per_page, config->max_per_page, &p->req.per_page)) {
        snprintf(msg, sizeof msg, "per_page must be a whole number from 1 to %u",
                 config->max_per_page);
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter", msg);
        return false;
    }
    if ((unsigned long)p->req.page * p->req.per_page > config->max_depth) {
        snprintf(msg, sizeof msg, "results stop at rank %u: ask for an earlier page",
                 config->max_depth);
        *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "page_too_deep", msg);
        return false;
    }
    static const struct {
        const char *name;
        xap_sort sort;
    } sorts[] = {{"relevance", XAP_SORT_RELEVANCE}, {"newest", XAP_SORT_NEWEST},
                 {"oldest", XAP_SORT_OLDEST}};
    if (sort.present) {
        bool known = false;
        for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++) {
            if (sort.len == strlen(sorts[i].name) && memcmp(sort.value, sorts[i].name, sort.len) == 0) {
                p->req.sort = sorts[i].sort;
                known = true;
            }
        }
        if (!known) {
            *rc = respond_error(conn, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                                "sort must be relevance, newest or oldest");
            return false;
        }
    }
    return true;
}

enum MHD_Result handle_search(struct MHD_Connection *conn)
{
    search_params p;
    enum MHD_Result rc;
    if (!read_search_params(conn, &p, &rc))
        return rc;
    search_results results;
    xap_error err = {0};
    xap_status st = XAP_EMODIFIED;
    /* A commit that overtakes this reader mid-search: reopen and try once more. */
    for (int attempt = 0; attempt < 2 && st == XAP_EMODIFIED; attempt++) {
        xap_db *db;
        st = reader_get(&db, NULL, &err);
        if (st == XAP_OK)
            st = search_run(&results, db, &p.req, &config->search, &err);
    }
    if (st != XAP_OK)
        return respond_xap_error(conn, &err);
    char *query = xstrndup(p.req.q, p.req.q_len);
    char *body = render_results(p.format, &results, query, p.req.page, p.req.per_page);
    rc = respond(conn, MHD_HTTP_OK, p.format == FORMAT_JSON ? JSON_TYPE : TEXT_TYPE, body,
                 strlen(body));
    free(body);
    free(query);
    search_results_free(&results);
    return rc;
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
    if (st != XAP_OK) {
        json_object_set_new(o, "status", json_string("no_index"));
        json_object_set_new(o, "message", json_string("no index can be opened"));
        fprintf(stderr, "loomsearch-serve: healthz: %s: %s\n", xap_status_name(err.code),
                err.message);
    } else {
        json_object_set_new(o, "status", json_string("ok"));
        json_object_set_new(o, "documents", json_integer((json_int_t)stats.doccount));
        json_object_set_new(o, "revision", json_integer((json_int_t)stats.revision));
        json_object_set_new(o, "build_id", json_string(info.build_id));
        json_object_set_new(o, "last_change", json_string(updated));
    }
    free(updated);
    char *body = render_json(o);
    enum MHD_Result rc = respond(conn, st == XAP_OK ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                                 JSON_TYPE, body, strlen(body));
    free(body);
    return rc;
}
