// xap_internal.h — what the wrapper's two C++ files share: the handles behind
// xap.h's opaque types, and the helpers every exported function uses. Never
// included from C.
#ifndef LOOM_XAP_INTERNAL_H
#define LOOM_XAP_INTERNAL_H

#include "xap.h"

#include <xapian.h>

#include <string>

struct xap_db {
    Xapian::Database rep;
    bool remote = false; // some shard is served by xapian-tcpsrv
    Xapian::QueryParser parser;
    Xapian::Stem stem{"english"};
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

} // namespace xapc

#endif
