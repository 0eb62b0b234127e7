/* logs.c — the access log (who asked for what; client addresses shortened
 * unless --log-full-ip) and the query log (what was searched and how it went,
 * with no address at all), each a file or "-" for stderr, reopened on SIGHUP so
 * logrotate can move them. Lines are written whole under a lock. */
#include "logs.h"

#include "config.h"
#include "request_limits.h"
#include "text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct log_file {
    const char *path; /* NULL: off; "-": stderr */
    int fd;
    pthread_mutex_t lock;
} log_file;

static log_file access_log = {.fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};
static log_file query_log = {.fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

static int open_log(log_file *l)
{
    if (!l->path)
        return 0;
    int fd = strcmp(l->path, "-") == 0 ? 2 : open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        fprintf(stderr, "loomsearch-serve: cannot open log %s: %s\n", l->path, strerror(errno));
        return -1;
    }
    pthread_mutex_lock(&l->lock);
    int old = l->fd;
    l->fd = fd;
    pthread_mutex_unlock(&l->lock);
    if (old > 2)
        close(old);
    return 0;
}

int logs_open(void)
{
    access_log.path = config->access_log;
    query_log.path = config->query_log;
    return open_log(&access_log) == 0 && open_log(&query_log) == 0 ? 0 : -1;
}

int logs_reopen(void)
{
    return logs_open();
}

static void write_line(log_file *l, strbuf *line)
{
    sb_putc(line, '\n');
    pthread_mutex_lock(&l->lock);
    if (l->fd >= 0 && write(l->fd, line->data, line->len) < 0) {
        /* A full disk must not stop searches; the log is what gives. */
    }
    pthread_mutex_unlock(&l->lock);
}

/* An address cut to its network: the last byte of IPv4, all but the first 48
 * bits of IPv6. Enough to see where traffic comes from, not who sent it. */
static void shorten_address(char *ip)
{
    if (config->log_full_ip)
        return;
    unsigned char bytes[16];
    if (inet_pton(AF_INET, ip, bytes) == 1) {
        bytes[3] = 0;
        inet_ntop(AF_INET, bytes, ip, 64);
    } else if (inet_pton(AF_INET6, ip, bytes) == 1) {
        memset(bytes + 6, 0, 10);
        inet_ntop(AF_INET6, bytes, ip, 64);
    }
}

static enum MHD_Result append_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    strbuf *url = cls;
    sb_putc(url, url->len ? '&' : '?');
    url_encode(url, key, key_size);
    if (value) {
        sb_putc(url, '=');
        url_encode(url, value, value_size);
    }
    return MHD_YES;
}

static void time_now(char *out, size_t size, const char *format)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, size, format, &tm);
}

void log_access(struct MHD_Connection *conn, const char *method, const char *url, unsigned status,
                double seconds)
{
    if (!access_log.path)
        return;
    char ip[64], when[40];
    client_address(conn, ip);
    shorten_address(ip);
    time_now(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000");
    strbuf args = {0}, line = {0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, append_arg, &args);
    /* The Common Log Format, plus the time taken in milliseconds. Every byte
     * the client chose is escaped: "%0A" in a path must not forge a line. */
    sb_printf(&line, "%s - - [%s] \"", ip[0] ? ip : "-", when);
    log_escape(&line, method ? method : "-", method ? strlen(method) : 1, true);
    sb_putc(&line, ' ');
    log_escape(&line, url ? url : "-", url ? strlen(url) : 1, true);
    if (args.len)
        sb_append(&line, args.data, args.len);
    sb_printf(&line, "\" %u - %.1f", status, seconds * 1000);
    write_line(&access_log, &line);
    sb_free(&args);
    sb_free(&line);
}

void log_query(const search_request *req, const char *format, unsigned long hits,
               const char *corrected, double seconds)
{
    if (!query_log.path)
        return;
    char when[32];
    time_now(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ");
    json_t *o = json_object(), *tags = json_array(), *authors = json_array();
    for (size_t i = 0; i < req->filters.n_tags; i++)
        json_array_append_new(tags, json_string(req->filters.tags[i]));
    for (size_t i = 0; i < req->filters.n_authors; i++)
        json_array_append_new(authors, json_string(req->filters.authors[i]));
    char *q = utf8_clean(req->q, req->q_len, NULL);
    json_object_set_new(o, "time", json_string(when));
    json_object_set_new(o, "q", json_string(q));
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "authors", authors);
    json_object_set_new(o, "from", json_string(req->filters.from));
    json_object_set_new(o, "to", json_string(req->filters.to));
    json_object_set_new(o, "page", json_integer(req->page));
    json_object_set_new(o, "format", json_string(format));
    json_object_set_new(o, "hits", json_integer((json_int_t)hits));
    json_object_set_new(o, "corrected", corrected ? json_string(corrected) : json_null());
    json_object_set_new(o, "ms", json_real(seconds * 1000));
    free(q);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    strbuf line = {0};
    sb_puts(&line, s ? s : "{}");
    free(s);
    write_line(&query_log, &line);
    sb_free(&line);
}
