// xap_query.h — the rules that shape a visitor's query beyond Xapian's
// QueryParser (xap_query.cc), for xap_search.cc. Never included from C.
#ifndef LOOM_XAP_QUERY_H
#define LOOM_XAP_QUERY_H

#include <xapian.h>

#include <string>
#include <vector>

namespace xapc {

// A byte of a word: an ASCII letter or digit, or any byte of a multi-byte
// character (the query's reading and the snippet scan's agree on this).
inline bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// A last word shorter than this is not read as a prefix on /search.
const size_t PREFIX_MIN_LETTERS = 3;
// A word in fewer posts than this may be a typo, when its candidate is in at
// least RARE_RATIO times as many.
const Xapian::doccount RARE_POSTS = 3;
const Xapian::doccount RARE_RATIO = 20;
// What a post by the author named gains: more than BM25 gives on these archives.
const double NAME_BOOST = 20.0;

struct query_plan {
    std::string prefix; // the last word, read as a prefix; empty: none
};

// Is the last word of text one still being typed? Sets plan.prefix and may
// turn a hyphenated last word's hyphens into spaces in text.
bool plan_prefix(query_plan &plan, const Xapian::Database &db, std::string &text);
// text with its unknown or rare words replaced by the archive's spelling; empty
// when nothing changes. *unknown_word: a word replaced is no word of the archive
// (else all were rare words of it).
std::string plan_correction(const query_plan &plan, const Xapian::Database &db,
                            const std::string &text, bool *unknown_word);
// text with "v" dropped before a version ("v8.4" -> "8.4").
std::string without_version_v(const std::string &text);
// Two-word phrases of the words typed next to each other (an empty Query: none).
Xapian::Query adjacent_pairs(const std::string &text);
// A fixed weight on the posts of the author text names whole (empty: none).
Xapian::Query author_named(const Xapian::Database &db, const std::string &text);
// Stop words capitalised after the first word: to be kept.
std::vector<std::string> capitalised_stopwords(const std::string &text,
                                               const char *const *stopwords, size_t n);

} // namespace xapc

#endif
