/* fuzz_query.c — libFuzzer target: any bytes as what a visitor types, run
 * through the same search path the server uses against a small real index
 * built once. It must answer or return an error code, never crash, and never
 * give back invalid UTF-8 in a snippet. With facets, one local shard counts
 * the matches from posting lists where it can (xap_matchset.cc) and two
 * shards (the same database twice) through Xapian's matcher: the second
 * total must be twice the first. */
#include "results.h"
#include "schema.h"
#include "text.h"
#include "xap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static xap_db *db, *twice;

/* A post with a date ("YYYYMMDD", days since 1970) or none (NULL), and tags. */
static void add(xap_writer *w, const char *id, const char *ymd, double days, const char *tags, const char *text)
{
    xap_doc *doc;
    char data[512];
    snprintf(data, sizeof data,
             "{\"id\":\"%s\",\"title\":\"%s\",\"date\":\"2024-01-0%zu\",\"authors\":[],\"tags\":[],"
             "\"text\":\"%s\",\"sections\":[[\"Part\",\"part\",5]]}",
             id, id, strlen(id) % 9 + 1, text);
    xap_doc_new(&doc, w, NULL);
    xap_doc_index_text(doc, text, strlen(text), 1, "", NULL);
    if (ymd) {
        xap_doc_set_value(doc, SLOT_DATE, ymd, 8, NULL);
        xap_doc_set_value(doc, SLOT_YEAR, ymd, 4, NULL);
        xap_doc_set_number(doc, SLOT_DAYS, days, NULL);
    }
    xap_doc_set_value(doc, SLOT_TAGS, tags, strlen(tags), NULL);
    xap_doc_set_data(doc, data, strlen(data), NULL);
    xap_writer_put(w, id, doc, NULL);
    xap_doc_free(doc);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/loomsearch-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    xap_writer *w;
    if (xap_writer_open(&w, dir, 0, NULL) != XAP_OK)
        abort();
    /* One post from before 1970 (a day below zero), one undated. */
    add(w, "looms", "19610301", -3228, "mills" FACET_SEPARATOR "history",
        "Weaving machines changed Manchester; caf\xc3\xa9 and Z\xc3\xbcrich too.");
    add(w, "buses", "20240101", 19723, "transport", "Bus timetables & tram data, 2024 and 2025 <script>x</script>.");
    add(w, "words", NULL, 0, "history", "One two three four five six seven eight nine ten eleven twelve.");
    xap_writer_commit(w, NULL);
    xap_writer_close(w);
    if (xap_db_open(&db, dir, NULL) != XAP_OK)
        abort();
    xap_shard shards[2] = {{.path = dir}, {.path = dir}};
    bool opened[2];
    if (xap_db_open_shards(&twice, shards, 2, 1000, opened, NULL) != XAP_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The server refuses these before searching; so does the harness. */
    if (size > 512 || !utf8_valid((const char *)data, size, NULL))
        return 0;
    search_config cfg = {.permalink = "/{slug}/", .snippet_bytes = 120, .max_expansion = 100, .recency = 0.01};
    search_request req = {.q = (const char *)data, .q_len = size, .page = 1, .per_page = 3,
                          .partial = size % 2, .facets = size % 3 == 0, .explain = size % 5 == 0};
    search_results r;
    xap_error err;
    if (search_run(&r, db, &req, &cfg, &err) != XAP_OK)
        return 0;
    /* The total counts what the pages hold: the first page shows as many
     * hits as the total says, up to per_page. */
    if (r.total_known && r.n_hits != (r.total_exact < req.per_page ? r.total_exact : req.per_page))
        abort();
    for (size_t i = 0; i < r.n_hits; i++)
        if (!utf8_valid(r.hits[i].snippet_html, strlen(r.hits[i].snippet_html), NULL) &&
            r.hits[i].snippet_html[0])
            abort();
    if (req.facets) {
        search_results two;
        if (search_run(&two, twice, &req, &cfg, &err) != XAP_OK)
            abort(); /* the same query answered on one shard */
        if (r.total_known && two.total_known && 2 * r.total_exact != two.total_exact)
            abort();
        search_results_free(&two);
    }
    search_results_free(&r);
    return 0;
}
