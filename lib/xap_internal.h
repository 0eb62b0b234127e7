// xap_internal.h — what the wrapper's C++ files share: the handles behind
// xap.h's opaque types, and the helpers every exported function uses. Never
// included from C.
#ifndef LOOM_XAP_INTERNAL_H
#define LOOM_XAP_INTERNAL_H

#include "xap.h"

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace xapc {
// Every post's day (days since 1970; the middle day for an undated post) by
// document id, NaN where no document is: see xap_tables.cc.
struct day_table {
    std::vector<double> days;
    double latest = 0; // the greatest day
    Xapian::doccount posts = 0;
    Xapian::rev revision = 0; // the database revision it was read at
};

// Where the recency prior counts days from: 0 (1970), or the archive's first
// day when that is earlier. Xapian's matcher drops a post whose weight is
// below zero, so a post from 1944 weighing its days since 1970 was found by
// no filter alone: each day the prior weighs is its day less this.
double days_floor(const Xapian::Database &db);

// The day an undated post weighs: halfway between the slot's bounds (0 with
// no day at all). The value statistics, not the posts left: after deletions
// they are wider, and one shard must score an undated post as several do.
double middle_day(const Xapian::Database &db);

// Every post's facet names, by document id: see xap_tables.cc.
struct facet_table {
    struct column {
        std::vector<std::string> names; // a name's number is its place here
        std::vector<uint32_t> first;    // post d's names: ids[first[d-1] .. first[d])
        std::vector<uint32_t> ids;
    };
    column facets[XAP_FACET_COUNT];
    Xapian::rev revision = 0;
};

// Facet counts of one match from a facet_table.
class table_facets {
  public:
    explicit table_facets(std::shared_ptr<const facet_table> table);
    ~table_facets();
    void attach(Xapian::Enquire &enquire);
    // Count these posts (sorted document ids, from match_set()) instead.
    void count(const std::vector<Xapian::docid> &posts);
    // The facet's names, the most posts first (then by name), at most
    // XAP_FACET_MAX_VALUES of them.
    std::vector<std::pair<std::string, Xapian::doccount>> top(size_t facet) const;

  private:
    struct impl;
    std::unique_ptr<impl> p;
};

// The sorted ids of the documents q matches in db, read from posting lists
// alone; false when q needs more than that (positions, values, expansion):
// see xap_matchset.cc.
bool match_set(const Xapian::Database &db, const Xapian::Query &q, std::vector<Xapian::docid> &out);
} // namespace xapc

struct xap_db {
    Xapian::Database rep;
    bool remote = false; // some shard is served by xapian-tcpsrv
    Xapian::QueryParser parser;
    Xapian::Stem stem{"english"};
    // Read at the first query of each revision, and only for one local
    // shard, whose document ids the match reports as they are.
    std::shared_ptr<const xapc::day_table> days;
    std::shared_ptr<const xapc::facet_table> facets; // the same, for facets
};

struct xap_writer {
    Xapian::WritableDatabase rep;
    Xapian::TermGenerator indexer;
    Xapian::Stem stem{"english"};
    bool in_transaction = false;
    bool spelling_deferred = false; // see xap_writer_defer_spelling()
};

struct xap_doc {
    Xapian::Document rep;
    Xapian::TermGenerator *indexer; // the writer's, which outlives the document
    Xapian::termpos next_pos = 0; // where the next field starts
};

namespace xapc {

// Fill *err and return code.
xap_status record(xap_error *err, xap_status code, const char *type, const char *msg);
// Call only inside a catch block: the one classifier of exceptions.
xap_status fail(xap_error *err) noexcept;
// Clear *err and return XAP_OK.
xap_status ok(xap_error *err);
// A malloc'd copy for C (throws std::bad_alloc).
char *dup_string(const std::string &s);
// "Q" + id, refused when longer than a term may be.
std::string id_term(const char *id);
// Set up a reader's query parser: stemmer, prefixes, date ranges.
void configure_parser(Xapian::QueryParser &parser, const Xapian::Database &db,
                      const Xapian::Stem &stem);
// The table of days, read from a database of one local shard.
std::shared_ptr<const day_table> load_day_table(const Xapian::Database &db);
// The days as a posting source: each post weighs its day (the recency prior).
Xapian::Query days_query(std::shared_ptr<const day_table> table);
// Exactly these documents, weighing nothing: a filter (one local shard only).
Xapian::Query docid_filter(std::vector<Xapian::docid> ids);
// The table of facet names, read from a database of one local shard.
std::shared_ptr<const facet_table> load_facet_table(const Xapian::Database &db);

} // namespace xapc

#endif
