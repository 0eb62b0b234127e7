// xapian-common.h - pieces shared by xapian-peer and mini-server, so that the
// two parse queries and build results the same way.
#ifndef PEERS_XAPIAN_COMMON_H
#define PEERS_XAPIAN_COMMON_H

#include <xapian.h>

#include <string>

namespace peer {

// Value slots written by "xapian-peer index".
constexpr Xapian::valueno SLOT_DATE = 0;  // YYYYMMDD
constexpr Xapian::valueno SLOT_SLUG = 1;  // slug, so results need no termlist walk

constexpr unsigned SNIPPET_BYTES = 200;

// The query parser every peer uses: English stemmer, STEM_SOME, AND between
// bare words, "title:" for the title field.  set_database is needed for
// wildcard (word*) expansion.
inline void setup_parser(Xapian::QueryParser &qp, const Xapian::Database &db,
                         const Xapian::Stem &stem)
{
    qp.set_database(db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.add_prefix("title", "S");
}

constexpr unsigned PARSE_FLAGS =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

// Document data is "<title>\n<body>".
inline void split_data(const std::string &data, std::string &title, std::string &body)
{
    std::string::size_type nl = data.find('\n');
    if (nl == std::string::npos) {
        title = data;
        body.clear();
    } else {
        title.assign(data, 0, nl);
        body.assign(data, nl + 1, std::string::npos);
    }
}

// Append S to OUT as the inside of a JSON string.
inline void json_escape(std::string &out, const std::string &s)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
}

}  // namespace peer

#endif
