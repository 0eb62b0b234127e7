/* fuzz_request.c — libFuzzer target: any bytes as the query string (and
 * path) of a request to the real access handler, over a real socket to a
 * libmicrohttpd daemon in this process, against a small real index. Every
 * request must get an answer with a status line, never a crash. */
#include "config.h"
#include "dispatch.h"
#include "http.h"
#include "indexroot.h"
#include "request_limits.h"
#include "reader.h"
#include "text.h"
#include "xap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static server_config cfg = {
    .threads = 1, .connection_limit = 64, .timeout_s = 5, .deadline_s = 30,
    .max_query_bytes = 512, .max_terms = 32, .max_per_page = 100, .max_depth = 1000,
    .public_url = "http://127.0.0.1", .search = {.permalink = "/{slug}/", .snippet_bytes = 120,
                                               .max_expansion = 100, .recency = 0.01},
};
const server_config *config = &cfg;
static unsigned short port;

static void make_index(const char *root)
{
    char *id, *tmp;
    indexroot_init(root);
    indexroot_new_build(&id, &tmp, root);
    xap_writer *w;
    if (xap_writer_open(&w, tmp, 0, NULL) != XAP_OK)
        abort();
    const char *texts[] = {"Weaving machines in Manchester, caf\xc3\xa9 and Z\xc3\xbcrich.",
                           "Bus timetables and tram data for 2024.", "Open data day workshop notes."};
    for (int i = 0; i < 3; i++) {
        xap_doc *doc;
        char slug[16], data[256];
        snprintf(slug, sizeof slug, "post-%d", i);
        snprintf(data, sizeof data, "{\"id\":\"%s\",\"title\":\"T %d\",\"date\":\"2024-01-0%d\","
                                    "\"authors\":[\"A\"],\"tags\":[\"t\"],\"text\":\"%s\"}",
                 slug, i, i + 1, texts[i]);
        xap_doc_new(&doc, w, NULL);
        xap_doc_index_text(doc, texts[i], strlen(texts[i]), 1, "", NULL);
        xap_doc_set_value(doc, 0, "20240101", 8, NULL);
        xap_doc_set_data(doc, data, strlen(data), NULL);
        xap_writer_put(w, slug, doc, NULL);
        xap_doc_free(doc);
    }
    xap_writer_commit(w, NULL);
    xap_writer_close(w);
    indexroot_publish(root, id);
    free(id);
    free(tmp);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static char root[] = "/tmp/loomsearch-fuzz-root-XXXXXX";
    if (!mkdtemp(root))
        abort();
    make_index(root);
    cfg.root = root;
    reader_init();
    watchdog_start();
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d)
        abort();
    port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4000)
        return 0;
    /* The input is the request target after "/": a path, "?", arguments. */
    strbuf req = {0};
    sb_puts(&req, "GET /");
    for (size_t i = 0; i < size; i++) /* keep it one request line */
        sb_putc(&req, data[i] == '\r' || data[i] == '\n' || data[i] == ' ' ? '+' : (char)data[i]);
    sb_puts(&req, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        abort();
    if (write(fd, req.data, req.len) < 0) {
        /* the server may refuse and close first: that is an answer too */
    }
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    sb_free(&req);
    /* A NUL cuts the request line short: libmicrohttpd may just close. */
    if (n > 0 && strncmp(buf, "HTTP/1.", 7) != 0)
        abort();
    return 0;
}
