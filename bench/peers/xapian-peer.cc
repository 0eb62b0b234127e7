// xapian-peer - index posts and run queries with Xapian directly, as a
// competent engineer would without our engine: the benchmark's ceiling.
//
//   xapian-peer index CORPUS_DIR DB_DIR [--flush N] [--shards K]
//   xapian-peer query DB_DIR QUERIES_FILE [--repeat R] [--no-snippet]
#include "frontmatter.h"
#include "xapian-common.h"

#include <xapian.h>

#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

const char USAGE[] =
    "usage: xapian-peer index CORPUS_DIR DB_DIR [--flush N] [--shards K]\n"
    "       xapian-peer query DB_DIR QUERIES_FILE [--repeat R] [--no-snippet]\n";

[[noreturn]] void usage()
{
    std::fputs(USAGE, stderr);
    std::exit(2);
}

double now_seconds()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

long positive_arg(const char *s)
{
    char *end;
    long v = std::strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0)
        usage();
    return v;
}

// "2019-03-04" (or "2019-03-04T...") -> "20190304"; anything else -> "".
std::string yyyymmdd(const char *date)
{
    std::string out;
    for (const char *c = date; *c && out.size() < 8; c++) {
        if (*c >= '0' && *c <= '9')
            out += *c;
        else if (*c != '-')
            break;
    }
    return out.size() == 8 ? out : std::string();
}

// ---- index ----------------------------------------------------------------

// Index the posts PATHS[i] with i % step == first into a new database at
// DB_DIR.  Returns the number of posts indexed (drafts are skipped).
long index_posts(char **paths, long npaths, long first, long step, const std::string &db_dir)
{
    Xapian::WritableDatabase db(db_dir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    long n = 0;
    for (long i = first; i < npaths; i += step) {
        post p;
        int rc = post_read(paths[i], &p);
        if (rc != 0) {
            std::fprintf(stderr, "xapian-peer: skipping %s: %s\n", paths[i],
                         rc < 0 ? std::strerror(errno) : "no front matter");
        } else if (!p.draft && *p.slug) {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(p.title, 5, "S");
            tg.index_text(p.title, 5);
            tg.increase_termpos();  // no phrase matches across title and body
            for (size_t t = 0; t < p.ntags; t++) {
                tg.index_text(p.tags[t], 1, "K");
                tg.increase_termpos();
            }
            tg.index_text(p.body);

            std::string idterm = std::string("Q") + p.slug;
            doc.add_boolean_term(idterm);
            doc.add_value(peer::SLOT_DATE, yyyymmdd(p.date));
            doc.add_value(peer::SLOT_SLUG, p.slug);
            std::string data(p.title);
            data += '\n';
            data.append(p.body, p.body_len);
            doc.set_data(data);
            db.replace_document(idterm, doc);
            n++;
        }
        post_free(&p);
    }
    db.commit();
    return n;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 4)
        usage();
    const char *corpus = argv[2];
    std::string db_dir = argv[3];
    long shards = 1;
    for (int i = 4; i < argc; i++) {
        if (std::strcmp(argv[i], "--flush") == 0 && i + 1 < argc) {
            // Only set when asked: otherwise Xapian's own default applies.
            setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(positive_arg(argv[++i])).c_str(), 1);
        } else if (std::strcmp(argv[i], "--shards") == 0 && i + 1 < argc) {
            shards = positive_arg(argv[++i]);
        } else {
            usage();
        }
    }

    double start = now_seconds();
    char **paths;
    long npaths = find_posts(corpus, &paths);
    if (npaths < 0) {
        std::fprintf(stderr, "xapian-peer: cannot read %s: %s\n", corpus, std::strerror(errno));
        return 1;
    }

    long total = 0;
    if (shards < 2) {
        total = index_posts(paths, npaths, 0, 1, db_dir);
    } else {
        // Compaction wants a fresh destination; replace an old database there,
        // as the unsharded mode does, but never an arbitrary directory.
        namespace fs = std::filesystem;
        if (fs::exists(db_dir)) {
            if (!fs::exists(fs::path(db_dir) / "iamglass") && !fs::is_empty(db_dir)) {
                std::fprintf(stderr, "xapian-peer: %s exists and is not a database\n",
                             db_dir.c_str());
                return 1;
            }
            fs::remove_all(db_dir);
        }
        // Children report their counts through a shared anonymous mapping.
        void *mem = mmap(nullptr, shards * sizeof(long), PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            std::perror("xapian-peer: mmap");
            return 1;
        }
        long *counts = static_cast<long *>(mem);
        std::vector<pid_t> kids;
        std::fflush(nullptr);
        for (long s = 0; s < shards; s++) {
            pid_t pid = fork();
            if (pid < 0) {
                std::perror("xapian-peer: fork");
                return 1;
            }
            if (pid == 0) {
                int code = 0;
                try {
                    counts[s] = index_posts(paths, npaths, s, shards,
                                            db_dir + ".shard" + std::to_string(s));
                } catch (const Xapian::Error &e) {
                    std::fprintf(stderr, "xapian-peer: shard %ld: %s\n", s,
                                 e.get_description().c_str());
                    code = 1;
                } catch (const std::exception &e) {
                    std::fprintf(stderr, "xapian-peer: shard %ld: %s\n", s, e.what());
                    code = 1;
                }
                std::fflush(nullptr);
                _exit(code);
            }
            kids.push_back(pid);
        }
        bool failed = false;
        for (pid_t pid : kids) {
            int status;
            if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                failed = true;
        }
        if (failed) {
            std::fprintf(stderr, "xapian-peer: a shard failed\n");
            return 1;
        }
        Xapian::Database all;
        for (long s = 0; s < shards; s++) {
            all.add_database(Xapian::Database(db_dir + ".shard" + std::to_string(s)));
            total += counts[s];
        }
        all.compact(db_dir, Xapian::DBCOMPACT_MULTIPASS);
        all.close();
        for (long s = 0; s < shards; s++)
            std::filesystem::remove_all(db_dir + ".shard" + std::to_string(s));
        munmap(mem, shards * sizeof(long));
    }
    paths_free(paths, npaths);
    std::printf("posts=%ld seconds=%.3f\n", total, now_seconds() - start);
    return 0;
}

}  // namespace

// ---- query ----------------------------------------------------------------

struct QueryContext {
    Xapian::Database db;
    Xapian::Stem stem{"english"};
    Xapian::QueryParser qp;
    bool snippets = true;
    std::string out;          // the rendered result lines for one query
    std::uint64_t checksum = 0;
};

// All the work for one query: parse, search, fetch the top 10, make snippets
// and render.  Kept out of line so callgrind --toggle-collect can isolate it.
extern "C" __attribute__((noinline)) void
bench_one_query(QueryContext *ctx, const std::string *query, Xapian::doccount *estimated)
{
    ctx->out.clear();
    *estimated = 0;
    Xapian::Query q;
    try {
        q = ctx->qp.parse_query(*query, peer::PARSE_FLAGS);
    } catch (const Xapian::QueryParserError &) {
        return;  // counted as no matches
    }
    Xapian::Enquire enquire(ctx->db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    *estimated = mset.get_matches_estimated();
    std::string title, body;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        peer::split_data(doc.get_data(), title, body);
        ctx->out += "{\"id\":\"";
        peer::json_escape(ctx->out, doc.get_value(peer::SLOT_SLUG));
        ctx->out += "\",\"title\":\"";
        peer::json_escape(ctx->out, title);
        if (ctx->snippets) {
            ctx->out += "\",\"snippet\":\"";
            peer::json_escape(ctx->out, mset.snippet(body, peer::SNIPPET_BYTES, ctx->stem));
        }
        ctx->out += "\"}\n";
    }
    std::uint64_t h = ctx->checksum;  // FNV-1a, so the output is really used
    for (unsigned char c : ctx->out)
        h = (h ^ c) * 1099511628211ull;
    ctx->checksum = h;
}

namespace {

std::vector<std::string> read_queries(const char *file)
{
    std::ifstream in(file);
    if (!in) {
        std::fprintf(stderr, "xapian-peer: cannot read %s\n", file);
        std::exit(1);
    }
    std::vector<std::string> queries;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (!line.empty() && line[0] != '#')
            queries.push_back(line);
    }
    return queries;
}

int cmd_query(int argc, char **argv)
{
    if (argc < 4)
        usage();
    long repeat = 1;
    QueryContext ctx;
    for (int i = 4; i < argc; i++) {
        if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = positive_arg(argv[++i]);
        else if (std::strcmp(argv[i], "--no-snippet") == 0)
            ctx.snippets = false;
        else
            usage();
    }
    ctx.db = Xapian::Database(argv[2]);
    peer::setup_parser(ctx.qp, ctx.db, ctx.stem);
    std::vector<std::string> queries = read_queries(argv[3]);

    Xapian::doccount estimated;
    for (const std::string &q : queries)  // warm-up, untimed
        bench_one_query(&ctx, &q, &estimated);
    for (long r = 0; r < repeat; r++) {
        for (const std::string &q : queries) {
            double t0 = now_seconds();
            bench_one_query(&ctx, &q, &estimated);
            double t1 = now_seconds();
            std::printf("%.0f\t%u\t%s\n", (t1 - t0) * 1e6, estimated, q.c_str());
        }
    }
    std::fprintf(stderr, "checksum=%016llx\n", static_cast<unsigned long long>(ctx.checksum));
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    try {
        if (std::strcmp(argv[1], "index") == 0)
            return cmd_index(argc, argv);
        if (std::strcmp(argv[1], "query") == 0)
            return cmd_query(argc, argv);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian-peer: %s\n", e.get_description().c_str());
        return 1;
    }
    usage();
}
