// xap_matchset.cc — the posts a query matches, read from its posting lists
// alone. Facets count every match; through Xapian's matcher with a match spy
// that costs about 700 instructions a match (a Document made for each, the
// weights, the spy's virtual call), several times what the page itself costs.
// A query of terms joined by AND, OR, NOT and their kin needs no weights to
// say which posts match: sorted lists of document ids, intersected and
// merged, give the same set. Anything that needs positions (phrases), values
// (date ranges) or expansion (wildcards) is not read here: the caller then
// asks the matcher.

#include "xap_internal.h"

#include <algorithm>
#include <iterator>

namespace xapc {

namespace {

using ids = std::vector<Xapian::docid>;

void postings(const Xapian::Database &db, const std::string &term, ids &out)
{
    out.clear();
    out.reserve(term.empty() ? db.get_doccount() : db.get_termfreq(term));
    for (Xapian::PostingIterator p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
        out.push_back(*p);
}

bool read(const Xapian::Database &db, const Xapian::Query &q, ids &out);

// Every subquery's set, folded into out by op (AND: intersect, OR: merge,
// NOT: remove); the first subquery's set is where it starts.
template <typename Fold> bool fold(const Xapian::Database &db, const Xapian::Query &q, ids &out, Fold op)
{
    size_t n = q.get_num_subqueries();
    if (n == 0 || !read(db, q.get_subquery(0), out))
        return false;
    ids next, joined;
    for (size_t i = 1; i < n; i++) {
        if (!read(db, q.get_subquery(i), next))
            return false;
        joined.clear();
        op(out, next, std::back_inserter(joined));
        out.swap(joined);
    }
    return true;
}

bool read(const Xapian::Database &db, const Xapian::Query &q, ids &out)
{
    auto both = [](const ids &a, const ids &b, std::back_insert_iterator<ids> to) {
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), to);
    };
    auto either = [](const ids &a, const ids &b, std::back_insert_iterator<ids> to) {
        std::set_union(a.begin(), a.end(), b.begin(), b.end(), to);
    };
    auto without = [](const ids &a, const ids &b, std::back_insert_iterator<ids> to) {
        std::set_difference(a.begin(), a.end(), b.begin(), b.end(), to);
    };
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        postings(db, *q.get_terms_begin(), out);
        return true;
    case Xapian::Query::LEAF_MATCH_ALL:
        postings(db, std::string(), out);
        return true;
    case Xapian::Query::LEAF_MATCH_NOTHING:
        out.clear();
        return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
        return fold(db, q, out, both);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
        return fold(db, q, out, either);
    case Xapian::Query::OP_AND_NOT:
        return fold(db, q, out, without);
    // The rest only weighs: the posts are the first subquery's.
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
        return q.get_num_subqueries() > 0 && read(db, q.get_subquery(0), out);
    default:
        return false;
    }
}

} // namespace

bool match_set(const Xapian::Database &db, const Xapian::Query &q, std::vector<Xapian::docid> &out)
{
    return read(db, q, out);
}

} // namespace xapc
