// mini-server - the smallest reasonable HTTP search server over a database
// built by "xapian-peer index": libmicrohttpd plus Xapian, the HTTP ceiling.
//
//   mini-server DB_DIR PORT [--threads N]
//
// GET /search?q=... answers
//   {"total":N,"hits":[{"id":"slug","title":"...","snippet":"..."}]}
// with the top 10 hits, parsed exactly like xapian-peer's query mode.  Listens
// on 127.0.0.1 only and runs until SIGINT or SIGTERM.
#include "xapian-common.h"

#include <xapian.h>
#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

const char USAGE[] = "usage: mini-server DB_DIR PORT [--threads N]\n";

std::string g_db_dir;

// One database and parser per MHD pool thread: Xapian objects are not meant
// to be shared between threads.  Opened on the thread's first request.
struct Searcher {
    Xapian::Database db;
    Xapian::Stem stem{"english"};
    Xapian::QueryParser qp;
    explicit Searcher(const std::string &dir) : db(dir) { peer::setup_parser(qp, db, stem); }
};
thread_local std::unique_ptr<Searcher> t_searcher;

// Returns the HTTP status and fills BODY.
unsigned search(const std::string &query, std::string &body)
{
    if (!t_searcher)
        t_searcher = std::make_unique<Searcher>(g_db_dir);
    Searcher &s = *t_searcher;
    Xapian::Query q;
    try {
        q = s.qp.parse_query(query, peer::PARSE_FLAGS);
    } catch (const Xapian::QueryParserError &e) {
        body = "{\"error\":\"";
        peer::json_escape(body, e.get_msg());
        body += "\"}";
        return MHD_HTTP_BAD_REQUEST;
    }
    Xapian::Enquire enquire(s.db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    body = "{\"total\":";
    body += std::to_string(mset.get_matches_estimated());
    body += ",\"hits\":[";
    std::string title, text;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        peer::split_data(doc.get_data(), title, text);
        if (it != mset.begin())
            body += ',';
        body += "{\"id\":\"";
        peer::json_escape(body, doc.get_value(peer::SLOT_SLUG));
        body += "\",\"title\":\"";
        peer::json_escape(body, title);
        body += "\",\"snippet\":\"";
        peer::json_escape(body, mset.snippet(text, peer::SNIPPET_BYTES, s.stem));
        body += "\"}";
    }
    body += "]}";
    return MHD_HTTP_OK;
}

MHD_Result reply(MHD_Connection *conn, unsigned status, const std::string &body)
{
    MHD_Response *resp = MHD_create_response_from_buffer(
        body.size(), const_cast<char *>(body.data()), MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

MHD_Result handle(void *, MHD_Connection *conn, const char *url, const char *method,
                  const char *, const char *, size_t *, void **)
{
    // A GET has no body, so it can be answered on the first call.
    if (std::strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"method not allowed\"}");
    if (std::strcmp(url, "/search") != 0)
        return reply(conn, MHD_HTTP_NOT_FOUND, "{\"error\":\"not found\"}");
    const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "q");
    if (!q)
        return reply(conn, MHD_HTTP_BAD_REQUEST, "{\"error\":\"missing q\"}");
    std::string body;
    unsigned status;
    try {
        status = search(q, body);
    } catch (const Xapian::Error &e) {
        body = "{\"error\":\"";
        peer::json_escape(body, e.get_description());
        body += "\"}";
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    return reply(conn, status, body);
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fputs(USAGE, stderr);
        return 2;
    }
    g_db_dir = argv[1];
    char *end;
    long port = std::strtol(argv[2], &end, 10);
    long threads = 2;
    bool ok = *argv[2] && !*end && port > 0 && port < 65536;
    for (int i = 3; ok && i < argc; i++) {
        if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = std::strtol(argv[++i], &end, 10);
            ok = *argv[i] && !*end && threads > 0;
        } else {
            ok = false;
        }
    }
    if (!ok) {
        std::fputs(USAGE, stderr);
        return 2;
    }
    try {
        Xapian::Database check(g_db_dir);  // fail now, not on the first request
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "mini-server: %s\n", e.get_description().c_str());
        return 1;
    }

    // Block the stop signals before MHD starts its threads, so they inherit
    // the mask and only sigwait below sees them.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    signal(SIGPIPE, SIG_IGN);

    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    MHD_Daemon *d = MHD_start_daemon(
        flags, static_cast<uint16_t>(port), nullptr, nullptr, &handle, nullptr,
        MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(threads),
        MHD_OPTION_END);
    if (!d) {
        std::fprintf(stderr, "mini-server: cannot listen on 127.0.0.1:%ld\n", port);
        return 1;
    }
    std::printf("listening on 127.0.0.1:%ld threads=%ld\n", port, threads);
    std::fflush(stdout);

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
