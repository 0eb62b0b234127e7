/* fuzz_marks.c — libFuzzer target, differential: any bytes as a query (up to
 * the first newline) and a window of a post's text (the rest). The window is
 * marked by reading its words (xap_hits_mark) and by Xapian's own snippet
 * (xap_hits_snippet). Every word the snippet marks must be marked too, in the
 * same order, every mark closed, and the marked window valid UTF-8.
 * Not the other way round, nor span for span: where two phrases overlap
 * ("fwaq a" and "a great" over "fwaq a great") Xapian's snippet drops a word
 * the query also has alone ("great"), which the marker keeps. And only for
 * queries whose phrases are all two words long (the pairs of words typed
 * together; no quotes, no "well-known-fact" or "a:b:c"): with phrases of different
 * lengths Xapian's snippet compares the shorter ones with the wrong earlier
 * words (its ring of recent words is as long as the longest phrase) and marks
 * "aa great" for the phrase "a great". */
#include "text.h"
#include "xap.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static xap_db *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/loomsearch-fuzz-marks-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    xap_writer *w;
    xap_doc *doc;
    const char *text = "stay alive was a great day, don't stop; well-known caf\xc3\xa9 staying c++ example.com";
    if (xap_writer_open(&w, dir, 0, NULL) != XAP_OK || xap_doc_new(&doc, w, NULL) != XAP_OK)
        abort();
    xap_doc_index_text(doc, text, strlen(text), 1, "", NULL);
    xap_writer_put(w, "all", doc, NULL);
    xap_doc_free(doc);
    xap_writer_commit(w, NULL);
    xap_writer_close(w);
    if (xap_db_open(&db, dir, NULL) != XAP_OK)
        abort();
    return 0;
}

/* The letters and digits of what a snippet marks, run together: which words
 * are marked, whatever the spans. NULL when a mark is not closed. */
static char *marked(const char *snippet)
{
    strbuf sb = {0};
    for (const char *p = strstr(snippet, "\x01"); p; p = strstr(p, "\x01")) {
        const char *end = strstr(p, "\x02");
        if (!end) {
            sb_free(&sb);
            return NULL;
        }
        for (const char *c = p + 1; c < end; c++)
            if (isalnum((unsigned char)*c) || (unsigned char)*c >= 0x80)
                sb_putc(&sb, *c);
        p = end;
    }
    return sb_take(&sb);
}

/* Is `part` a subsequence of `all`? */
static bool within(const char *part, const char *all)
{
    for (; *part; part++) {
        all = strchr(all, *part);
        if (!all)
            return false;
        all++;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nl = memchr(in, '\n', size);
    if (!nl || size > 4096 || memchr(in, '\0', size) || memchr(in, '\x01', size) || memchr(in, '\x02', size) ||
        memchr(in, '\x03', size) || !utf8_valid(in, size, NULL))
        return 0;
    size_t qlen = (size_t)(nl - in);
    const char *text = nl + 1;
    size_t len = size - qlen - 1;
    char *query = strndup(in, qlen);
    xap_query q = {.text = query, .text_len = qlen, .limit = 10, .max_expansion = 100};
    xap_hits *hits;
    if (xap_search(&hits, db, &q, NULL) != XAP_OK) {
        free(query);
        return 0;
    }
    char *ours = NULL, *theirs = NULL;
    if (xap_hits_mark(&ours, hits, text, len, "\x01", "\x02", "", false, NULL) == XAP_OK &&
        /* Room to spare: cut at its length, the snippet can lose a mark's end. */
        xap_hits_snippet(&theirs, hits, text, len, 2 * len + 64, "\x01", "\x02", "", false, NULL) == XAP_OK) {
        char *a = marked(ours), *b = marked(theirs);
        if (!a) {
            fprintf(stderr, "a mark is not closed: %s\n", ours);
            abort();
        }
        /* Xapian's snippet itself can lose a mark's end (and the text after
         * it) after a phrase across a full stop: nothing to compare then. */
        /* Xapian's phrase generators ("-./:@\\'" between letters) make phrases
         * of other lengths, as quotes do ("t:le:la" is a phrase of three). */
        bool one_phrase_length = !memchr(query, '"', qlen) && !strpbrk(query, "-./:@'\\");
        if (b && one_phrase_length && !within(b, a)) {
            fprintf(stderr, "marked differently:\n ours:   %s\n xapian: %s\n", a, b);
            abort();
        }
        if (!utf8_valid(ours, strlen(ours), NULL)) {
            fprintf(stderr, "not UTF-8: %s\n", ours);
            abort();
        }
        free(a);
        free(b);
    }
    free(ours);
    free(theirs);
    xap_hits_free(hits);
    free(query);
    return 0;
}
