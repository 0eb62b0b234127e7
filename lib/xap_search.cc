// xap_search.cc — the Xapian C wrapper's read side: parsing what visitors type,
// filters, ranking, facets, snippets, corrections, completions and related
// posts. Same rules as xap.cc: every exported function catches everything and
// hands it to the one classifier, fail().

#include "xap_internal.h"

#include "schema.h"
#include "xap_query.h"

extern "C" {
#include "text.h"
}

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <memory>
#include <sstream>
#include <string>
#include <strings.h>
#include <unordered_map>
#include <utility>
#include <vector>

struct xap_hits {
    Xapian::Database db;
    Xapian::Enquire enquire;
    Xapian::MSet mset;
    Xapian::Stem stem;
    std::vector<std::string> data; // document data, fetched once per hit
    // The posts' days by document id; set only when the database is one local
    // shard, whose document ids the match reports as they are (xap_tables.cc).
    std::shared_ptr<const xapc::day_table> days;
    bool relaxed = false;
    bool widened = false;
    std::string correction;
    unsigned long correction_total = 0;
    bool correction_shown = false; // the query found nothing: these are the correction's hits
    std::vector<std::pair<std::string, Xapian::doccount>> facets[XAP_FACET_COUNT];
    bool remote = false; // some shard is remote: see find_matches()
    std::vector<std::string> word_starts; // see word_starts(), worked out once
    bool word_starts_known = false;
    bool word_starts_exact = false; // they find every word a snippet would mark
    bool first_letters[256] = {};   // the first bytes of the word starts
    std::string letters;            // the same, each once
    bool ascii_first_letters = false; // every one an ASCII letter or digit
    std::vector<std::string> text_terms; // the query's terms a text's word can be (Z: stems)
    // Words the query has only inside phrases: a snippet marks them only
    // where the whole phrase stands, so alone they do not make a window.
    std::vector<std::string> phrase_only;
    // For marking a chosen window without MSet::snippet (see mark_words()):
    bool marks_known = false;
    bool marks_exact = false; // every mark can be found that way
    std::vector<std::vector<std::string>> phrases; // the query's phrases of text words
    bool phrase_letters[256] = {};                 // the first bytes of their words
    std::vector<std::string> unmarked_alone; // phrase_only words whose stem is not a term alone either
    std::unordered_map<std::string, bool> word_is_term; // is_query_word()'s answers, by word
    // Per hit, the query terms it has and their fields: see find_matches().
    std::vector<std::vector<std::pair<std::string, unsigned>>> matches;
    bool matches_known = false;
    // The words' query, without the bonuses for adjacency and names: what
    // "matched" and the snippet's words are about. Empty: the Enquire's query.
    Xapian::Query words;
    Xapian::Query pairs, name; // the bonuses, for explaining (empty: none)
    std::string prefix;        // the last word, read as a prefix (empty: none)
    // The MSet whose counts are the match's: mset itself, or, when the page
    // came from a reordering of the first posts (see run()), the match that
    // found them (mset's own counts would cover those posts only).
    Xapian::MSet counts;
    // Facets counted every match from posting lists (see run()): then this
    // is the number of matches, exactly, whatever counts says.
    bool all_counted = false;
    Xapian::doccount counted = 0;
    explicit xap_hits(const Xapian::Database &d) : db(d), enquire(d) {}
};

namespace xapc {

namespace {

int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

bool all_digits(const std::string &s, size_t at, size_t n)
{
    for (size_t i = at; i < at + n; i++)
        if (i >= s.size() || s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

// "2023", "2023-06" or "2023-06-14" as the first day of that period (or, with
// end, the last), "YYYYMMDD".
bool period_bound(const std::string &s, bool end, std::string &out)
{
    int y, m = 0, d = 0;
    if (s.size() == 4 && all_digits(s, 0, 4)) {
        y = std::stoi(s);
    } else if (s.size() == 7 && all_digits(s, 0, 4) && s[4] == '-' && all_digits(s, 5, 2)) {
        y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2));
    } else if (s.size() == 10 && all_digits(s, 0, 4) && s[4] == '-' && all_digits(s, 5, 2) &&
               s[7] == '-' && all_digits(s, 8, 2)) {
        y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    } else {
        return false;
    }
    if (y < 1000 || m > 12 || (s.size() > 4 && m == 0) || (s.size() == 10 && d == 0))
        return false;
    int month = m ? m : (end ? 12 : 1);
    if (d > days_in_month(y, month))
        return false;
    int day = d ? d : (end ? days_in_month(y, month) : 1);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, month, day);
    out = buf;
    return true;
}

// The day before YYYYMMDD, as YYYY-MM-DD.
std::string day_before(const std::string &ymd)
{
    int y = std::stoi(ymd.substr(0, 4)), m = std::stoi(ymd.substr(4, 2)), d = std::stoi(ymd.substr(6, 2));
    if (--d == 0) {
        if (--m == 0)
            m = 12, y--;
        d = days_in_month(y, m);
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

// date:2023..2024, date:2023-01..2023-06, date:..2019: Xapian's own
// DateRangeProcessor wants whole dates at both ends.
class PeriodRangeProcessor : public Xapian::RangeProcessor {
  public:
    PeriodRangeProcessor() : Xapian::RangeProcessor(SLOT_DATE, "date:") {}
    Xapian::Query operator()(const std::string &begin, const std::string &end) override
    {
        std::string lo, hi;
        if ((!begin.empty() && !period_bound(begin, false, lo)) ||
            (!end.empty() && !period_bound(end, true, hi)))
            return Xapian::Query(Xapian::Query::OP_INVALID);
        if (begin.empty())
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, SLOT_DATE, hi);
        if (end.empty())
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, SLOT_DATE, lo);
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, SLOT_DATE, lo, hi);
    }
};

// after:X and before:X are not range syntax: rewrite them as date: ranges.
// after:2020 runs from the first day of 2020; before:2019-06 ends on 31 May.
std::string rewrite_after_before(const std::string &text)
{
    std::string out;
    size_t i = 0;
    while (i <= text.size()) {
        size_t end = text.find_first_of(" ()", i);
        if (end == std::string::npos)
            end = text.size();
        std::string token = text.substr(i, end - i), lo;
        if (token.compare(0, 6, "after:") == 0 && period_bound(token.substr(6), false, lo))
            out += "date:" + token.substr(6) + "..";
        else if (token.compare(0, 7, "before:") == 0 && period_bound(token.substr(7), false, lo))
            out += "date:.." + day_before(lo);
        else
            out += token;
        if (end < text.size())
            out += text[end];
        i = end + 1;
    }
    return out;
}

// Synonyms carry accent folding ("zurich" <-> "zürich"), so they are always on.
// No FLAG_SPELLING_CORRECTION: it costs a spelling look-up for every word of
// every query and corrects any word the default field lacks; corrections are
// made only when needed, by plan_correction() (xap_query.cc).
// FLAG_CJK_NGRAM: Chinese, Japanese and Korean text is read as the index
// holds it, one- and two-character terms (a run of such text has no spaces
// to split it into words).
const unsigned BASE_FLAGS = Xapian::QueryParser::FLAG_AUTO_SYNONYMS | Xapian::QueryParser::FLAG_CJK_NGRAM;
const unsigned OPERATOR_FLAGS =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

// Neither SNIPPET_BACKGROUND_MODEL (it looks up the database frequency of every
// word of the text) nor SNIPPET_EXHAUSTIVE (it scores every candidate passage):
// without them a 10-hit page on the sample archive went from 11.7 to 5.4 ms
// (median over HTTP), and the passage is the first good one, which on posts
// that introduce their subject early reads better than the best-scoring one.
// SNIPPET_CJK_NGRAM marks the characters of a CJK search in text that has no
// spaces, as the index and the parser read them.
const unsigned SNIPPET_FLAGS = Xapian::MSet::SNIPPET_CJK_NGRAM;

// Fewer matches than this and a spelling correction is tried.
const Xapian::doccount FEW_MATCHES = 3;

// Does text hold the word "not" in lower case? In a visitor's sentence ("data
// ethics is not a checklist") it is a word, not an operator.
bool has_lowercase_not(const std::string &text)
{
    for (size_t at = text.find("not"); at != std::string::npos; at = text.find("not", at + 1)) {
        bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == '(';
        bool ends = at + 3 == text.size() || text[at + 3] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}

// Parse what a visitor typed, most generous reading first: operators in any
// case ("and" and "or"; "not" only in capitals), then operators in capitals
// only, then plain words. *relaxed says the last was needed.
Xapian::Query parse_text(Xapian::QueryParser &parser, const std::string &text, unsigned extra,
                         bool *relaxed)
{
    const unsigned any_case = has_lowercase_not(text) ? 0 : Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;
    const unsigned attempts[] = {
        BASE_FLAGS | OPERATOR_FLAGS | any_case | extra,
        BASE_FLAGS | OPERATOR_FLAGS | extra,
    };
    for (unsigned flags : attempts) {
        try {
            return parser.parse_query(text, flags);
        } catch (const Xapian::QueryParserError &) {
            // A visitor's "data and" or "not for profit": try a plainer reading.
        }
    }
    *relaxed = true;
    try {
        return parser.parse_query(text, BASE_FLAGS | extra);
    } catch (const Xapian::QueryParserError &) {
        // Even plain words fail when a range has ends no processor takes
        // ("date:x..y"): search what is left once punctuation is spaces.
        std::string words = text;
        for (char &c : words)
            if (std::ispunct(static_cast<unsigned char>(c)))
                c = ' ';
        return parser.parse_query(words, BASE_FLAGS | extra);
    }
}

Xapian::Query any_of(const std::string &prefix, const char *const *values, size_t n)
{
    std::vector<Xapian::Query> terms;
    for (size_t i = 0; i < n; i++)
        terms.emplace_back(prefix + values[i]);
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The filters as one boolean query in *out; false when there are none. An
// empty Query is also Xapian's MatchNothing (a date range whose start is past
// its end gives one), so "no filters" is said by the result, never by
// *out being empty: a filter that matches nothing must not vanish.
bool filter_query(const xap_filters *f, Xapian::Query *out)
{
    std::vector<Xapian::Query> parts;
    if (f && f->n_tags)
        parts.push_back(any_of(PREFIX_TAG, f->tags, f->n_tags));
    if (f && f->n_authors)
        parts.push_back(any_of(PREFIX_AUTHOR_B, f->authors, f->n_authors));
    if (f && f->n_categories)
        parts.push_back(any_of(PREFIX_CATEGORY, f->categories, f->n_categories));
    // An undated post has no value in SLOT_DATE, so no value range matches it.
    if (f && (f->from[0] || f->to[0])) {
        std::string from = f->from[0] ? f->from : "00000000", to = f->to[0] ? f->to : "99999999";
        parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, SLOT_DATE, from, to);
    }
    if (parts.empty())
        return false;
    bool none = std::any_of(parts.begin(), parts.end(), [](const Xapian::Query &p) { return p.empty(); });
    *out = none ? Xapian::Query::MatchNothing : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    return true;
}

// Counts tags, authors and years over the documents that match, from value
// slots (a post has many tags, so each slot holds them joined): reading three
// values per match costs a fraction of reading its term list. Xapian's own
// ValueCountMatchSpy counts each distinct value; the joined values are split
// and the dates cut to years here, after the match. Being Xapian's, the spies
// also run on stock remote shard servers (a subclass of ours would not).
class StockFacets {
  public:
    // Years from SLOT_YEAR when every dated post has one; an index written
    // before that slot (or partly updated since) counts them from the dates.
    explicit StockFacets(const Xapian::Database &db)
        : dates_(db.get_value_freq(SLOT_YEAR) == db.get_value_freq(SLOT_DATE) ? SLOT_YEAR : SLOT_DATE)
    {
    }
    void attach(Xapian::Enquire &enquire)
    {
        enquire.add_matchspy(&tags_);
        enquire.add_matchspy(&authors_);
        enquire.add_matchspy(&dates_);
        enquire.add_matchspy(&categories_);
    }
    std::vector<std::pair<std::string, Xapian::doccount>> top(size_t facet) const
    {
        std::map<std::string, Xapian::doccount> counts;
        // The spies count no empty value: an undated post adds no year.
        if (facet == XAP_FACET_YEAR)
            for (Xapian::TermIterator v = dates_.values_begin(); v != dates_.values_end(); ++v)
                counts[(*v).substr(0, 4)] += v.get_termfreq();
        else
            count_joined(counts, facet == XAP_FACET_TAG      ? tags_
                                 : facet == XAP_FACET_AUTHOR ? authors_
                                                             : categories_);
        std::vector<std::pair<std::string, Xapian::doccount>> ranked(counts.begin(), counts.end());
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
        if (ranked.size() > XAP_FACET_MAX_VALUES)
            ranked.resize(XAP_FACET_MAX_VALUES);
        return ranked;
    }

  private:
    Xapian::ValueCountMatchSpy tags_{SLOT_TAGS}, authors_{SLOT_AUTHORS}, dates_,
        categories_{SLOT_CATEGORIES};

    // Each distinct joined value counts once per post; every name in it gets that.
    static void count_joined(std::map<std::string, Xapian::doccount> &counts,
                             const Xapian::ValueCountMatchSpy &spy)
    {
        for (Xapian::TermIterator v = spy.values_begin(); v != spy.values_end(); ++v) {
            const std::string joined = *v;
            size_t at = 0;
            while (at < joined.size()) {
                size_t end = joined.find(FACET_SEPARATOR, at);
                if (end == std::string::npos)
                    end = joined.size();
                if (end > at)
                    counts[joined.substr(at, end - at)] += v.get_termfreq();
                at = end + 1;
            }
        }
    }
};

// One table for every reader of the same database at the same revision: the
// server's threads each have a reader, and each read its own copy after a
// new build or commit (at 100,000 posts the facet table is about 0.4 G
// instructions). A database is known by its UUID, new with each build, and
// its revision, new with each commit; a copy lives while some reader holds it.
template <typename Table>
std::shared_ptr<const Table> shared_table(const Xapian::Database &db,
                                          std::shared_ptr<const Table> (*load)(const Xapian::Database &))
{
    static std::mutex lock;
    static std::map<std::string, std::weak_ptr<const Table>> loaded;
    std::string key = db.get_uuid() + "@" + std::to_string(db.get_revision());
    std::lock_guard<std::mutex> hold(lock); // a second reader waits, not loads
    for (auto it = loaded.begin(); it != loaded.end();)
        it = it->second.expired() ? loaded.erase(it) : std::next(it);
    std::shared_ptr<const Table> table = loaded[key].lock();
    if (!table) {
        table = load(db);
        loaded[key] = table;
    }
    return table;
}

// The table a query over one local shard reads (load: how it is read), read
// again when the database has moved to a new revision; none for several
// shards or a remote one.
template <typename Table>
std::shared_ptr<const Table> table_of(xap_db *db, std::shared_ptr<const Table> &kept,
                                      std::shared_ptr<const Table> (*load)(const Xapian::Database &))
{
    if (db->remote || db->rep.size() != 1)
        return nullptr;
    if (!kept || kept->revision != db->rep.get_revision())
        kept = shared_table(db->rep, load);
    return kept;
}

// Facet counts for one match: from the table with one local shard, else from
// Xapian's stock spies.
class Facets {
  public:
    explicit Facets(xap_db *db)
    {
        if (auto table = table_of(db, db->facets, load_facet_table))
            fast = std::make_unique<table_facets>(table);
        else
            stock = std::make_unique<StockFacets>(db->rep);
    }
    void attach(Xapian::Enquire &enquire) { fast ? fast->attach(enquire) : stock->attach(enquire); }
    // Count every post q matches without the matcher, when the table can
    // and q reads from posting lists alone (match_set()); *total is exact.
    bool count_all(const Xapian::Database &db, const Xapian::Query &q, Xapian::doccount *total)
    {
        std::vector<Xapian::docid> posts;
        if (!fast || !match_set(db, q, posts))
            return false;
        fast->count(posts);
        *total = static_cast<Xapian::doccount>(posts.size());
        return true;
    }
    std::vector<std::pair<std::string, Xapian::doccount>> top(size_t facet) const
    {
        return fast ? fast->top(facet) : stock->top(facet);
    }

  private:
    std::unique_ptr<table_facets> fast;
    std::unique_ptr<StockFacets> stock;
};

// How many posts the match found: exact when every match was counted.
Xapian::doccount matches_estimated(const xap_hits *hits)
{
    return hits->all_counted ? hits->counted : hits->counts.get_matches_estimated();
}

void fetch_data(xap_hits *hits)
{
    hits->data.reserve(hits->mset.size());
    for (Xapian::MSetIterator it = hits->mset.begin(); it != hits->mset.end(); ++it)
        hits->data.push_back(it.get_document().get_data());
}

// The text part of a search: parsed, widened to OR when AND finds nothing.
struct text_query {
    Xapian::Query query;
    std::string corrected; // the parser's spelling correction of the text, if any
};

} // namespace

// Words too common to say anything about a post. Dropped from queries (not
// from phrases, and not from the index), so "how do I ask the council for
// information" is about asking, councils and information.
static const char *const STOPWORDS[] = {
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for",
    "from", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so",
    "that", "the", "their", "there", "these", "this", "to", "us", "was", "we", "were", "what",
    "when", "where", "which", "who", "why", "will", "with", "you", "your",
};

namespace {

// category:Events, category:"Open Data": categories are indexed case-folded
// (they are kept as written for display), so the value typed is folded too.
class CategoryProcessor : public Xapian::FieldProcessor {
  public:
    Xapian::Query operator()(const std::string &value) override
    {
        char *folded = casefold(value.c_str());
        std::string term = std::string(PREFIX_CATEGORY) + folded;
        std::free(folded);
        return Xapian::Query(term);
    }
};

} // namespace

void configure_parser(Xapian::QueryParser &parser, const Xapian::Database &db,
                      const Xapian::Stem &stem)
{
    parser = Xapian::QueryParser();
    parser.set_stopper((new Xapian::SimpleStopper(std::begin(STOPWORDS), std::end(STOPWORDS)))->release());
    parser.set_database(db);
    parser.set_stemmer(stem);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.add_prefix("title", PREFIX_TITLE);
    parser.add_prefix("author", PREFIX_AUTHOR);
    parser.add_boolean_prefix("tag", PREFIX_TAG);
    parser.add_boolean_prefix("category", (new CategoryProcessor())->release());
    parser.add_rangeprocessor((new PeriodRangeProcessor())->release());
}

} // namespace xapc

using namespace xapc;

namespace {

bool has_words(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!std::isspace(static_cast<unsigned char>(text[i])))
            return true;
    return false;
}

// The newer-is-better prior: days since 1970 as a weight. An undated post has
// no days value; it gets the weight of the archive's middle day (halfway
// between its oldest and newest post), so undated posts gain nothing and lose
// nothing against the archive as a whole. With one local shard the days come
// from a table in memory (xap_tables.cc); otherwise from stock posting
// sources only, which remote shard servers know.
Xapian::Query recency_prior(const xap_hits *hits)
{
    if (hits->days)
        return days_query(hits->days);
    const Xapian::Database &db = hits->db;
    // No post has a day: every post weighs the same middle day, which ranks
    // as no prior at all. (An empty slot's bounds read as -inf, and a source
    // whose greatest weight is -inf stops the match before it starts.)
    if (db.get_value_freq(SLOT_DAYS) == 0)
        return Xapian::Query();
    Xapian::Query dated((new Xapian::ValueWeightPostingSource(SLOT_DAYS))->release());
    // Posts from before 1970: every post, dated or not (this source matches
    // all), gains the days by which the first post is before 1970
    // (days_floor()), as the table's days do, so that none weighs below 0.
    double floor = days_floor(db);
    if (floor < 0)
        dated = Xapian::Query(Xapian::Query::OP_OR, dated,
                              Xapian::Query((new Xapian::FixedWeightPostingSource(-floor))->release()));
    // Most archives have no undated post: then the second branch, which walks
    // every document, is left out (the value statistics say so for free).
    if (db.get_value_freq(SLOT_DAYS) >= db.get_doccount())
        return dated;
    Xapian::Query middle((new Xapian::FixedWeightPostingSource(middle_day(db)))->release());
    // Every set value is >= "\0"; an empty limit would not do, Xapian reads
    // OP_VALUE_GE "" as every document, and nothing would be left undated.
    Xapian::Query has_date(Xapian::Query::OP_VALUE_GE, SLOT_DATE, std::string(1, '\0'));
    Xapian::Query undated(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, has_date);
    return Xapian::Query(Xapian::Query::OP_OR, dated,
                         Xapian::Query(Xapian::Query::OP_FILTER, middle, undated));
}

// By date, newest or oldest first, undated posts last either way (then by
// relevance). A plain value sort puts an empty value first in ascending
// order, so the key gives them a date past every end of the order.
void sort_by_date(Xapian::Enquire &enquire, bool newest)
{
    Xapian::MultiValueKeyMaker *key = new Xapian::MultiValueKeyMaker();
    key->add_value(SLOT_DATE, newest, newest ? "00000000" : "99999999");
    enquire.set_sort_by_key_then_relevance(key->release(), false);
}

// The text with the request's filters and the recency prior.
Xapian::Query filtered(xap_hits *hits, const Xapian::Query &text, const xap_query *query, bool listing)
{
    Xapian::Query q = listing ? Xapian::Query::MatchAll : text;
    Xapian::Query filter;
    if (filter_query(query->filters, &filter))
        q = filter.empty() ? Xapian::Query::MatchNothing : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
    Xapian::Query prior = query->recency > 0 && !listing ? recency_prior(hits) : Xapian::Query();
    if (!prior.empty()) {
        // Days since 1970 as a weight, scaled so a post a year newer gains
        // `recency`: BM25 weights here are around 1 to 5.
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, prior, query->recency / 365.25));
    }
    return q;
}

// Matches always checked, so that a total up to this many is exact.
const Xapian::doccount EXACT_COUNT_DEPTH = 100;

// How deep the adjacency bonus reorders: the first pages' worth of posts.
const Xapian::doccount REORDER_DEPTH = 50;

// The posts of an MSet as one boolean query: by document id with one local
// shard (a table lookup per candidate), else by their unique id terms (a
// posting list opened per post, but the same on every kind of shard).
Xapian::Query posts_of(const xap_hits *hits, const Xapian::MSet &mset)
{
    if (hits->days) {
        std::vector<Xapian::docid> ids;
        for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
            ids.push_back(*m);
        return docid_filter(std::move(ids));
    }
    std::vector<Xapian::Query> ids;
    for (Xapian::MSetIterator m = mset.begin(); m != mset.end(); ++m)
        ids.emplace_back(PREFIX_ID + m.get_document().get_value(SLOT_PATH));
    return Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
}

// Everything but the text: filters, the recency prior, sorting and facets,
// applied to the text, and the page fetched. With a cheaper form of the text
// (the same words without the adjacency bonus, whose phrase checks read
// positions for every candidate: 4 to 40 times the match's cost), the cheap
// form finds the first REORDER_DEPTH posts, counts and facets, and the whole
// text then ranks only those: the same first pages at a fraction of the cost.
void run(xap_hits *hits, const Xapian::Query &text, const xap_query *query, Facets *spy,
         const Xapian::Query &cheap = Xapian::Query())
{
    // No words given (filters alone) lists everything the filters allow; words
    // that parse to nothing ("-", "date:2024..2023") match nothing.
    bool listing = !has_words(query->text, query->text_len);
    // One hit per post comes from the index (one document per source item,
    // replaced by its Q term). Enquire's collapse key would also give it, but makes the
    // match counts estimates: "see all 20" for 9 posts. Sharded indexes, where
    // one post could sit in two shards, will want it back.
    bool by_date = query->sort != XAP_SORT_RELEVANCE || listing;
    if (by_date)
        sort_by_date(hits->enquire, query->sort != XAP_SORT_OLDEST);
    // Look at EXACT_COUNT_DEPTH matches, or deeper when the page needs it: the
    // total is exact whenever fewer match ("see all 9 results" must find 9,
    // not an estimate of 20), and Xapian's estimate past that (docs/api.md).
    // With facets every match is counted, and the total with them: from the
    // posting lists when the query reads from them alone, else by the
    // matcher, up to 10,000.
    Xapian::doccount check = std::max<Xapian::doccount>(EXACT_COUNT_DEPTH, query->offset + query->limit + 1);
    // The form that finds the posts (and so the counts): the cheap one when
    // there is one, built once with the filters and the prior.
    Xapian::Query finding = filtered(hits, cheap.empty() ? text : cheap, query, listing);
    hits->all_counted = spy && spy->count_all(hits->db, finding, &hits->counted);
    if (spy && !hits->all_counted) {
        spy->attach(hits->enquire);
        check = std::min<Xapian::doccount>(hits->db.get_doccount(), 10000);
    }
    // The cheap form chooses the first posts and the whole text reorders
    // them: REORDER_DEPTH of them, rounded up to whole pages so that no page
    // holds some of them and some of the rest. A page wholly past them goes
    // on in the cheap form's order, whose first posts are the ones reordered:
    // paging on, no post repeats or goes missing (ranked by the whole text,
    // pages 1 to 8 of Rust's blog for 'speeding up the compiler with
    // multithreading' had shown 13 posts twice).
    bool reranked = !cheap.empty() && !by_date;
    Xapian::doccount depth = REORDER_DEPTH;
    if (query->limit > 0)
        depth = (REORDER_DEPTH + query->limit - 1) / query->limit * query->limit;
    bool reorder = reranked && query->offset + query->limit <= depth;
    bool beyond = reranked && query->offset >= depth;
    // A page across them (an offset that is not a page's) is ranked by the
    // whole text, every match checked: Xapian 1.4's pruning of a match with
    // the adjacency phrases can weigh a post differently, and even drop one
    // (the same query's 99th post was on no page). The reordered posts are
    // all checked too, which costs next to nothing.
    if (reranked && !reorder && !beyond)
        check = std::max(check, std::min<Xapian::doccount>(hits->db.get_doccount(), 10000));
    if (!reorder) {
        hits->enquire.set_query(beyond || cheap.empty() ? finding : filtered(hits, text, query, listing));
        hits->mset = hits->counts = hits->enquire.get_mset(query->offset, query->limit, check);
        return;
    }
    hits->enquire.set_query(finding);
    hits->counts = hits->enquire.get_mset(0, depth, std::max(check, depth));
    hits->enquire.clear_matchspies();
    hits->enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, filtered(hits, text, query, listing),
                                          posts_of(hits, hits->counts)));
    hits->mset = hits->enquire.get_mset(query->offset, query->limit, depth);
}

} // namespace

namespace {

const struct {
    const char *prefix;
    unsigned field;
} FIELD_PREFIXES[] = {{PREFIX_TITLE, XAP_FIELD_TITLE},     {PREFIX_AUTHOR, XAP_FIELD_AUTHOR},
                      {PREFIX_HEADING, XAP_FIELD_HEADING}, {PREFIX_SUMMARY, XAP_FIELD_SUMMARY},
                      {PREFIX_ALT, XAP_FIELD_ALT}};

// Which of the page's documents have term: one walk of its posting list, in
// docid order, skipping to each. Far cheaper than reading each document's
// whole (compressed) term list.
std::vector<bool> page_has_term(const Xapian::Database &db, const std::string &term,
                                const std::vector<std::pair<Xapian::docid, size_t>> &page)
{
    std::vector<bool> has(page.size(), false);
    Xapian::PostingIterator p = db.postlist_begin(term), end = db.postlist_end(term);
    for (const auto &hit : page) {
        if (p == end)
            break;
        p.skip_to(hit.first);
        if (p != end && *p == hit.first)
            has[hit.second] = true;
    }
    return has;
}

// For every hit of the page, the query terms it has and the fields each is in:
// a walk of each term's posting list answers for the whole page. Over remote
// shards a posting list (or a hit's term list) is a network round trip of its
// own, 15-20 ms a hit measured at 100k posts: there the terms are not listed
// and the caller falls back on what the highlighting shows.
void find_matches(xap_hits *hits)
{
    hits->matches.assign(hits->mset.size(), {});
    hits->matches_known = true;
    if (hits->remote)
        return;
    std::vector<std::pair<Xapian::docid, size_t>> page; // (docid, rank), by docid
    for (Xapian::MSetIterator it = hits->mset.begin(); it != hits->mset.end(); ++it)
        page.emplace_back(*it, page.size());
    std::sort(page.begin(), page.end());
    const Xapian::Query &query = hits->words.empty() ? hits->enquire.get_query() : hits->words;
    for (Xapian::TermIterator t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        const std::string &term = *t;
        std::vector<bool> in_doc = page_has_term(hits->db, term, page);
        // A stemmed term is "Z" + stem; its field forms are "Z" + prefix + stem.
        bool stemmed = !term.empty() && term[0] == 'Z';
        std::string bare = stemmed ? term.substr(1) : term;
        std::vector<unsigned> fields(page.size(), 0);
        if (term.compare(0, 1, PREFIX_TAG) == 0)
            fields.assign(page.size(), XAP_FIELD_TAG);
        for (const auto &f : FIELD_PREFIXES) {
            if (std::none_of(in_doc.begin(), in_doc.end(), [](bool b) { return b; }))
                break;
            std::vector<bool> in_field =
                page_has_term(hits->db, (stemmed ? "Z" : "") + std::string(f.prefix) + bare, page);
            for (size_t r = 0; r < page.size(); r++)
                if (in_field[r])
                    fields[r] |= f.field;
        }
        for (size_t r = 0; r < page.size(); r++)
            if (in_doc[r])
                hits->matches[r].emplace_back(term, fields[r]);
    }
}

// The weight part alone gives hit: BM25 sums over terms, so this is the
// part's share (query-length effects aside). A search of its own: for explaining.
double weight_alone(xap_hits *hits, Xapian::MSetIterator hit, const Xapian::Query &part)
{
    if (part.empty())
        return 0.0;
    std::string id = hits->db.get_document(*hit).get_value(SLOT_PATH);
    Xapian::Enquire alone(hits->db);
    alone.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part, Xapian::Query(PREFIX_ID + id)));
    Xapian::MSet one = alone.get_mset(0, 1);
    return one.empty() ? 0.0 : one.begin().get_weight();
}

} // namespace

namespace {

// Has the query a wildcard (its words are not among its terms)?
bool has_wildcard(const Xapian::Query &query)
{
    if (query.get_type() == Xapian::Query::OP_WILDCARD)
        return true;
    for (size_t i = 0; i < query.get_num_subqueries(); i++)
        if (has_wildcard(query.get_subquery(i)))
            return true;
    return false;
}

// The query's terms, each into in_phrase or loose by whether it stands in a
// phrase there (a term may be in both).
void sort_terms(const Xapian::Query &query, bool phrase, std::vector<std::string> &in_phrase,
                std::vector<std::string> &loose)
{
    if (query.get_type() == Xapian::Query::LEAF_TERM) {
        (phrase ? in_phrase : loose).push_back(*query.get_unique_terms_begin());
        return;
    }
    phrase = phrase || query.get_type() == Xapian::Query::OP_PHRASE;
    for (size_t i = 0; i < query.get_num_subqueries(); i++)
        sort_terms(query.get_subquery(i), phrase, in_phrase, loose);
}

// Is a word plain ASCII? Words of other scripts may be written without
// spaces (Chinese, Japanese), where a match need not begin a word.
bool is_ascii(const std::string &w)
{
    return std::all_of(w.begin(), w.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The query's words as they begin in text: stems and plain words, lower case.
// Exact (word_starts_exact) when every word a snippet would mark begins like
// one of them: no wildcard, no word of a script written without spaces.
// A stem is cut back past a final "e", "i" or "y", which the English stemmer
// adds, drops or swaps ("make": making, "use": using, "citi": city, "sky":
// skies, "dure": during, "die": dying), to what every form of it begins with.
const std::vector<std::string> &word_starts(xap_hits *hits)
{
    if (hits->word_starts_known)
        return hits->word_starts;
    hits->word_starts_known = true;
    const Xapian::Query &query = hits->words.empty() ? hits->enquire.get_query() : hits->words;
    for (Xapian::TermIterator t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        std::string w = *t;
        if (!w.empty() && w[0] == 'Z')
            w.erase(0, 1);
        if (w.empty() || std::isupper(static_cast<unsigned char>(w[0])))
            continue; // a field's or a filter's term: not in the text as such
        hits->text_terms.push_back(*t);
        while (w.size() > 1 && (w.back() == 'e' || w.back() == 'i' || w.back() == 'y'))
            w.pop_back();
        hits->word_starts.push_back(w);
        if (!hits->first_letters[static_cast<unsigned char>(w[0])])
            hits->letters += w[0];
        hits->first_letters[static_cast<unsigned char>(w[0])] = true;
    }
    std::vector<std::string> in_phrase, loose;
    sort_terms(query, false, in_phrase, loose);
    for (const std::string &w : in_phrase)
        if (std::find(loose.begin(), loose.end(), w) == loose.end())
            hits->phrase_only.push_back(w);
    hits->ascii_first_letters = std::all_of(hits->letters.begin(), hits->letters.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
    hits->word_starts_exact = !hits->word_starts.empty() && !has_wildcard(query) &&
                              std::all_of(hits->word_starts.begin(), hits->word_starts.end(), is_ascii);
    return hits->word_starts;
}

// Letters, digits and any byte of a multi-byte character: a table, as this
// runs on every byte of a hit's text (no locale lookup either).
struct WordBytes {
    bool is[256];
    bool ascii[256];          // ASCII letters and digits only
    unsigned char lower[256]; // ASCII letters lower-cased, every other byte as it is
    WordBytes() : is(), ascii(), lower()
    {
        for (int c = 0; c < 256; c++) {
            ascii[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            is[c] = ascii[c] || c >= 0x80;
            lower[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
};
const WordBytes word_bytes;

// Past the word at t[i]: past its letters and digits, and past any multi-byte
// characters, which may be punctuation (a curly quote, a dash: Xapian reads
// the word after it as a word of its own).
inline size_t word_end(const unsigned char *t, size_t i, size_t to)
{
    size_t j = i + 1;
    if (t[i] < 0x80)
        while (j < to && word_bytes.ascii[t[j]])
            j++;
    while (j < to && t[j] >= 0x80)
        j++;
    return j;
}

// Do two words stand side by side, only spaces and punctuation between the
// end of one and the start of the other? Not an ASCII letter or digit, and
// not many bytes of anything else (a dash or a quote, not a word of another
// script).
inline bool side_by_side(const unsigned char *t, size_t end, size_t start)
{
    if (start < end || start - end > 8)
        return false;
    for (size_t i = end; i < start; i++)
        if (t[i] < 0x80 && word_bytes.is[t[i]])
            return false;
    return true;
}

// Does t[i, to) begin like w (lower case), whose first letter it has?
inline bool begins_like(const unsigned char *t, size_t i, size_t to, const std::string &w)
{
    if (w.size() > to - i)
        return false;
    for (size_t k = 1; k < w.size(); k++)
        if (word_bytes.lower[t[i + k]] != static_cast<unsigned char>(w[k]))
            return false;
    return true;
}

// Where the words of text[from, to) that begin like a query word start, in
// order, when every query word starts with an ASCII letter or digit: found by
// memchr for each first letter in either case (a word starts where the byte
// before is not an ASCII letter or digit), which reads the text far faster
// than a loop over its bytes. The same words each_query_like_word's loop finds.
std::vector<size_t> words_by_letter(const xap_hits *hits, const char *text, size_t from, size_t to)
{
    const unsigned char *t = reinterpret_cast<const unsigned char *>(text);
    std::vector<size_t> at;
    std::vector<const std::string *> group; // the query words with this first letter
    for (char lower : hits->letters) {
        group.clear();
        for (const std::string &w : hits->word_starts)
            if (w[0] == lower)
                group.push_back(&w);
        char cases[2] = {lower, static_cast<char>(std::toupper(static_cast<unsigned char>(lower)))};
        for (int k = 0; k < (cases[1] == lower ? 1 : 2); k++) {
            const char *p = text + from;
            while ((p = static_cast<const char *>(memchr(p, cases[k], text + to - p)))) {
                size_t i = static_cast<size_t>(p - text);
                if (i == from || !word_bytes.ascii[t[i - 1]])
                    for (const std::string *w : group)
                        if (begins_like(t, i, to, *w)) {
                            at.push_back(i);
                            break;
                        }
                p++;
            }
        }
    }
    std::sort(at.begin(), at.end());
    return at;
}

// Calls found(offset) for each word of text[from, to) that begins like one of
// the query's words (word_starts(), lower case): one pass over the bytes,
// comparing only words whose first letter some query word has.
template <typename Found>
void each_query_like_word(xap_hits *hits, const char *text, size_t from, size_t to, Found found)
{
    const std::vector<std::string> &words = word_starts(hits);
    if (hits->ascii_first_letters) {
        for (size_t i : words_by_letter(hits, text, from, to))
            found(i);
        return;
    }
    const unsigned char *t = reinterpret_cast<const unsigned char *>(text);
    size_t i = from;
    while (i < to) {
        while (i < to && !word_bytes.is[t[i]])
            i++;
        if (i == to)
            break;
        if (hits->first_letters[word_bytes.lower[t[i]]])
            for (const std::string &w : words)
                if (w.size() <= to - i && strncasecmp(text + i, w.data(), w.size()) == 0) {
                    found(i);
                    break;
                }
        i = word_end(t, i, to);
    }
}

// Is a word (lower case) one a snippet would mark: the word itself, or its
// stem, a term of the query? Each distinct word is stemmed once a query.
bool is_term_word(xap_hits *hits, const std::string &word)
{
    auto known = hits->word_is_term.find(word);
    if (known != hits->word_is_term.end())
        return known->second; // a word seen in an earlier hit: not stemmed again
    const std::vector<std::string> &terms = hits->text_terms;
    bool yes = std::find(terms.begin(), terms.end(), word) != terms.end() ||
               std::find(terms.begin(), terms.end(), "Z" + hits->stem(word)) != terms.end();
    hits->word_is_term.emplace(word, yes);
    return yes;
}

// The ASCII letters and digits at text[at], lower case: the word as far as
// the scan reads it.
std::string ascii_word_at(const char *text, size_t at, size_t to)
{
    std::string word;
    for (size_t i = at; i < to && word_bytes.ascii[static_cast<unsigned char>(text[i])]; i++)
        word += static_cast<char>(word_bytes.lower[static_cast<unsigned char>(text[i])]);
    return word;
}

// Is the word at text[at] one a snippet would mark: the word itself, or its
// stem, a term of the query? Asked only of a word that begins like one (a few
// a text), as stemming costs what scanning a whole text does. A word that goes
// on in a way this does not read ("c++", "don't", "café") is given the benefit
// of the doubt.
bool is_query_word(xap_hits *hits, const char *text, size_t at, size_t to)
{
    std::string word = ascii_word_at(text, at, to);
    size_t i = at + word.size();
    if (i < to && !std::isspace(static_cast<unsigned char>(text[i])) && !std::strchr(".,;:!?()[]\"-/", text[i]))
        return true;
    return is_term_word(hits, word);
}

// Is the word at text[at] one the query has only inside phrases?
bool is_phrase_only(const xap_hits *hits, const char *text, size_t at, size_t to)
{
    if (hits->phrase_only.empty())
        return false;
    std::string word = ascii_word_at(text, at, to);
    return std::find(hits->phrase_only.begin(), hits->phrase_only.end(), word) != hits->phrase_only.end();
}

// Where the words of text[0, to) that a snippet could mark start, in order:
// each word that begins like a query word (and is one, when that can be told).
// A word the query has only in phrases counts only right beside another query
// word: a window full of "a" and "was" does not show "was a great".
std::vector<size_t> query_word_offsets(xap_hits *hits, const char *text, size_t to)
{
    struct seen {
        size_t at, end; // where the word starts and ends
        bool lone;      // a phrase's word: counts only beside another
    };
    bool exact = hits->word_starts_exact;
    const unsigned char *t = reinterpret_cast<const unsigned char *>(text);
    std::vector<seen> found;
    each_query_like_word(hits, text, 0, to, [&](size_t i) {
        if (!exact || is_query_word(hits, text, i, to))
            found.push_back(seen{i, word_end(t, i, to), exact && is_phrase_only(hits, text, i, to)});
    });
    std::vector<size_t> at;
    for (size_t k = 0; k < found.size(); k++) {
        bool beside = (k + 1 < found.size() && side_by_side(t, found[k].end, found[k + 1].at)) ||
                      (k > 0 && side_by_side(t, found[k - 1].end, found[k].at));
        if (!found[k].lone || beside)
            at.push_back(found[k].at);
    }
    return at;
}

// What the adjacency of two typed words adds, as a share of their phrase's
// weight; from this many words on, a query ranks the posts with any of its
// words, those with all of them gaining COORDINATION_WEIGHT of the AND's
// weight. Chosen on the tune halves of the judgment sets (docs/ranking.md).
const double ADJACENCY_WEIGHT = 0.5;
const size_t LONG_QUERY_WORDS = 3;
const double COORDINATION_WEIGHT = 0.5;

// Parse text with the stop words the visitor capitalised mid-text kept.
Xapian::Query parse_keeping(Xapian::QueryParser &parser, const std::string &text, unsigned extra,
                            bool *relaxed)
{
    std::vector<std::string> kept =
        capitalised_stopwords(text, STOPWORDS, sizeof STOPWORDS / sizeof STOPWORDS[0]);
    if (kept.empty())
        return parse_text(parser, text, extra, relaxed);
    Xapian::SimpleStopper *fewer = new Xapian::SimpleStopper();
    for (const char *w : STOPWORDS)
        if (std::find(kept.begin(), kept.end(), w) == kept.end())
            fewer->add(w);
    parser.set_stopper(fewer->release());
    try {
        Xapian::Query q = parse_text(parser, text, extra, relaxed);
        parser.set_stopper((new Xapian::SimpleStopper(std::begin(STOPWORDS), std::end(STOPWORDS)))->release());
        return q;
    } catch (...) {
        parser.set_stopper((new Xapian::SimpleStopper(std::begin(STOPWORDS), std::end(STOPWORDS)))->release());
        throw;
    }
}

// The words of a parsed query that weigh: its distinct terms, a word's
// stemmed and unstemmed forms counted once.
size_t weighed_words(const Xapian::Query &q)
{
    std::vector<std::string> words;
    for (Xapian::TermIterator t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
        std::string w = *t;
        if (!w.empty() && w[0] == 'Z')
            w.erase(0, 1);
        if (std::find(words.begin(), words.end(), w) == words.end())
            words.push_back(w);
    }
    return words.size();
}

// The query that ranks, and its parts: the words ANDed (ORed from
// LONG_QUERY_WORDS on, with the AND as a bonus), words typed together as a
// bonus, and a name typed alone putting its author first.
struct shaped {
    Xapian::Query ranked;
    Xapian::Query all_words; // the plain AND, for counting
    Xapian::Query words;     // without the bonuses: what "matched" is about
    Xapian::Query cheap;     // ranked without the adjacency bonus (empty: none to drop)
    Xapian::Query pairs;     // the adjacency bonus as it weighs, or empty
    Xapian::Query name;      // the name bonus, or empty
    bool relaxed = false;    // the text did not parse with its operators
};

shaped shape_query(xap_db *db, const std::string &text, unsigned extra)
{
    shaped s;
    db->parser.set_default_op(Xapian::Query::OP_AND);
    s.all_words = s.words = parse_keeping(db->parser, text, extra, &s.relaxed);
    if (!s.relaxed && weighed_words(s.all_words) >= LONG_QUERY_WORDS) {
        db->parser.set_default_op(Xapian::Query::OP_OR);
        bool ignored = false;
        Xapian::Query any = parse_keeping(db->parser, text, extra, &ignored);
        db->parser.set_default_op(Xapian::Query::OP_AND);
        // A phrase alone ("was a great") reads the same either way: the
        // same weights, but its positions checked once per post, not twice.
        if (any.get_description() == s.all_words.get_description())
            s.words = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, s.all_words, 1 + COORDINATION_WEIGHT);
        else
            s.words = Xapian::Query(Xapian::Query::OP_OR, any,
                                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, s.all_words,
                                                  COORDINATION_WEIGHT));
    }
    s.ranked = s.words;
    Xapian::Query pairs = adjacent_pairs(text);
    if (!pairs.empty() && ADJACENCY_WEIGHT > 0) {
        s.pairs = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, pairs, ADJACENCY_WEIGHT);
        s.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, s.ranked, s.pairs);
    }
    s.name = author_named(db->rep, text);
    if (!s.pairs.empty())
        s.cheap = s.name.empty() ? s.words : Xapian::Query(Xapian::Query::OP_AND_MAYBE, s.words, s.name);
    if (!s.name.empty())
        s.ranked = Xapian::Query(Xapian::Query::OP_AND_MAYBE, s.ranked, s.name);
    return s;
}

// Keep what explaining and highlighting need of the query the page came from.
void keep_parts(xap_hits *hits, const shaped &s)
{
    hits->words = s.words;
    hits->pairs = s.pairs;
    hits->name = s.name;
}

// How many posts q matches with the request's filters: a count, no page.
Xapian::doccount count_matches(xap_db *db, const Xapian::Query &q, const xap_query *query)
{
    xap_hits probe(db->rep);
    xap_query count_only = *query;
    count_only.offset = 0;
    count_only.limit = 1;
    count_only.recency = 0;
    run(&probe, q, &count_only, nullptr);
    return probe.mset.get_matches_estimated();
}

// Is text only words to leave out ("-ward", "-ward -city")? Then *words
// holds them without their minus signs. Xapian reads a lone "-ward" as "ward",
// the opposite of what was asked, so such a query is answered here.
bool only_exclusions(const std::string &text, std::string *words)
{
    std::istringstream in(text);
    std::string token;
    bool any = false;
    words->clear();
    while (in >> token) {
        if (token.size() < 2 || token[0] != '-' || token[1] == '-')
            return false;
        *words += token.substr(1) + " ";
        any = true;
    }
    return any;
}

// Every post without any of the words, newest first unless another order was
// asked for; nothing to highlight.
void search_without(xap_hits *hits, xap_db *db, const std::string &words, const xap_query *query)
{
    db->parser.set_default_op(Xapian::Query::OP_OR);
    bool relaxed = false;
    Xapian::Query any = parse_text(db->parser, words, 0, &relaxed);
    db->parser.set_default_op(Xapian::Query::OP_AND);
    xap_query listing = *query;
    if (listing.sort == XAP_SORT_RELEVANCE)
        listing.sort = XAP_SORT_NEWEST;
    std::unique_ptr<Facets> spy = query->facets ? std::make_unique<Facets>(db) : nullptr;
    run(hits, Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, any), &listing, spy.get());
    hits->words = Xapian::Query::MatchAll; // no term of it is in the text
    for (int f = 0; spy && f < XAP_FACET_COUNT; f++)
        hits->facets[f] = spy->top(f);
}

// The visitor's text, read: the last word as a prefix when it is one being
// typed, run; then a correction checked against the archive, offered when it
// matches more posts with every word, and shown in place of the text when the
// text's words together matched fewer than FEW_MATCHES posts (see
// docs/ranking.md); then, when every word at once matched nothing, any word.
void search_text(xap_hits *hits, xap_db *db, const xap_query *query)
{
    std::string text = without_version_v(rewrite_after_before(std::string(query->text, query->text_len)));
    std::string excluded;
    if (only_exclusions(text, &excluded))
        return search_without(hits, db, excluded, query);
    query_plan plan;
    unsigned extra = query->partial ? Xapian::QueryParser::FLAG_PARTIAL : 0;
    if (plan_prefix(plan, db->rep, text))
        extra |= Xapian::QueryParser::FLAG_PARTIAL;
    db->parser.set_max_expansion(query->max_expansion, Xapian::Query::WILDCARD_LIMIT_ERROR,
                                 Xapian::QueryParser::FLAG_WILDCARD);
    db->parser.set_max_expansion(query->max_expansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                                 Xapian::QueryParser::FLAG_PARTIAL);
    shaped first = shape_query(db, text, extra);
    hits->relaxed = first.relaxed;
    hits->prefix = plan.prefix;
    keep_parts(hits, first);
    Xapian::Query all_words = first.all_words;
    std::unique_ptr<Facets> spy = query->facets ? std::make_unique<Facets>(db) : nullptr;
    auto rerun = [&](const Xapian::Query &again, const Xapian::Query &cheaper) {
        hits->enquire = Xapian::Enquire(hits->db);
        spy = query->facets ? std::make_unique<Facets>(db) : nullptr;
        run(hits, again, query, spy.get(), cheaper);
    };
    run(hits, first.ranked, query, spy.get(), first.cheap);
    bool unknown_word = false;
    std::string corrected =
        query->spelling ? plan_correction(plan, db->rep, text, &unknown_word) : std::string();
    if (!corrected.empty()) {
        shaped fixed = shape_query(db, corrected, extra);
        Xapian::doccount with_all = count_matches(db, all_words, query);
        Xapian::doccount fixed_count = count_matches(db, fixed.all_words, query);
        if (fixed_count > with_all) {
            hits->correction = corrected;
            hits->correction_total = fixed_count;
            // Matched poorly: a word the archive lacks left fewer than
            // FEW_MATCHES posts with every word, in a short query (a long one
            // ranks posts with any of its words, and so reads past a word it
            // lacks); otherwise only when the text found nothing at all.
            bool any_word_ranked = !first.words.empty() && first.words.get_type() == Xapian::Query::OP_OR;
            bool poorly = unknown_word && !any_word_ranked ? with_all < FEW_MATCHES : matches_estimated(hits) == 0;
            if (poorly) {
                rerun(fixed.ranked, fixed.cheap);
                keep_parts(hits, fixed);
                hits->correction_shown = true;
                all_words = fixed.all_words;
            }
        }
    }
    if (matches_estimated(hits) == 0 && !all_words.empty() && all_words.get_length() > 1) {
        // Every word at once found nothing: any of them may.
        db->parser.set_default_op(Xapian::Query::OP_OR);
        bool relaxed_or = false;
        Xapian::Query wider = parse_keeping(db->parser, hits->correction_shown ? hits->correction : text,
                                            extra, &relaxed_or);
        db->parser.set_default_op(Xapian::Query::OP_AND);
        rerun(wider, Xapian::Query());
        keep_parts(hits, shaped{wider, wider, wider, Xapian::Query(), Xapian::Query(), Xapian::Query(), false});
        hits->widened = matches_estimated(hits) > 0;
    }
    for (int f = 0; spy && f < XAP_FACET_COUNT; f++)
        hits->facets[f] = spy->top(f);
}
} // namespace

namespace {

// Could a term be a word of the text as the marker reads it: lower-case ASCII
// letters, digits, '_' and an apostrophe?
bool plain_term(const std::string &term)
{
    return std::all_of(term.begin(), term.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '\'';
    });
}

// The query's phrases of text words (a field's phrase is not in the text);
// false when some phrase-like part cannot be matched word by word (NEAR, a
// phrase of something other than plain terms).
bool collect_phrases(const Xapian::Query &q, std::vector<std::vector<std::string>> &out)
{
    Xapian::Query::op type = q.get_type();
    if (type == Xapian::Query::OP_NEAR)
        return false;
    if (type != Xapian::Query::OP_PHRASE) {
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            if (!collect_phrases(q.get_subquery(i), out))
                return false;
        return true;
    }
    std::vector<std::string> words;
    for (size_t i = 0; i < q.get_num_subqueries(); i++) {
        Xapian::Query sub = q.get_subquery(i);
        if (sub.get_type() != Xapian::Query::LEAF_TERM)
            return false;
        words.push_back(*sub.get_unique_terms_begin());
    }
    if (!words.empty() && std::isupper(static_cast<unsigned char>(words[0][0])))
        return true; // title:"..." and the like
    if (!std::all_of(words.begin(), words.end(), plain_term))
        return false;
    out.push_back(words);
    return true;
}

// Worked out once a query: can windows be marked without MSet::snippet, and
// the phrases of the query the MSet came from (with the adjacency bonus: a
// snippet marks those too, whole).
void plan_marks(xap_hits *hits)
{
    if (hits->marks_known)
        return;
    hits->marks_known = true;
    word_starts(hits);
    bool plain = std::all_of(hits->text_terms.begin(), hits->text_terms.end(), [](const std::string &t) {
        return plain_term(t[0] == 'Z' ? t.substr(1) : t);
    });
    hits->marks_exact = hits->word_starts_exact && plain && collect_phrases(hits->enquire.get_query(), hits->phrases);
    for (const auto &phrase : hits->phrases)
        for (const std::string &w : phrase)
            hits->phrase_letters[static_cast<unsigned char>(w[0])] = true;
    // A phrase's word whose stem the query also has alone is marked anywhere.
    const std::vector<std::string> &terms = hits->text_terms;
    for (const std::string &w : hits->phrase_only)
        if (std::find(terms.begin(), terms.end(), "Z" + hits->stem(w)) == terms.end())
            hits->unmarked_alone.push_back(w);
}

// Punctuation written with more than one byte that separates words (a
// no-break space, dashes, curly quotes, an ellipsis): its length, else 0.
size_t punctuation_at(const unsigned char *t, size_t i, size_t to)
{
    if (i + 1 < to && t[i] == 0xC2 && (t[i + 1] == 0xA0 || t[i + 1] == 0xAB || t[i + 1] == 0xBB || t[i + 1] == 0xB7))
        return 2;
    if (i + 2 < to && t[i] == 0xE2 && t[i + 1] == 0x80 &&
        ((t[i + 2] >= 0x90 && t[i + 2] <= 0x9F) || t[i + 2] == 0xA2 || t[i + 2] == 0xA6))
        return 3;
    return 0;
}

inline bool ascii_word_byte(unsigned char c)
{
    return c < 0x80 && (word_bytes.is[c] || c == '_');
}

// A word of a window as a snippet reads it (near enough: see mark_words).
struct token {
    size_t from, to;
    std::string word; // lower case, a curly apostrophe made straight
    bool foreign;     // has a character other than ASCII
};

// The word starting at t[i]: letters, digits, '_', other characters but
// punctuation, and an apostrophe between letters ("don't", "stay’s").
token read_token(const unsigned char *t, size_t i, size_t to)
{
    token k{i, i, std::string(), false};
    while (i < to) {
        unsigned char c = t[i];
        bool inside = i > k.from;
        if (ascii_word_byte(c)) {
            k.word += static_cast<char>(word_bytes.lower[c]);
            i++;
        } else if (c == '\'' && inside && i + 1 < to && ascii_word_byte(t[i + 1])) {
            k.word += '\'';
            i++;
        } else if (c == 0xE2 && inside && i + 3 < to && t[i + 1] == 0x80 && t[i + 2] == 0x99 &&
                   ascii_word_byte(t[i + 3])) {
            k.word += '\'';
            i += 3;
        } else if (c >= 0x80 && punctuation_at(t, i, to) == 0) {
            k.word += static_cast<char>(c);
            k.foreign = true;
            i++;
        } else {
            break;
        }
    }
    k.to = i;
    return k;
}

// The words of t[from, to).
std::vector<token> read_tokens(const unsigned char *t, size_t from, size_t to)
{
    std::vector<token> out;
    size_t i = from;
    while (i < to) {
        size_t p = punctuation_at(t, i, to);
        if (p || (t[i] < 0x80 && !ascii_word_byte(t[i]))) {
            i += p ? p : 1;
            continue;
        }
        out.push_back(read_token(t, i, to));
        i = out.back().to;
    }
    return out;
}

// Is a word glued to another by a character Xapian may read as part of one
// word ("example.com", "c++", "1,000", "at&t")? Then only a snippet can tell.
bool glued(const unsigned char *t, const token &k, size_t from, size_t to)
{
    static const char joins[] = ".,&+#@";
    if (k.to < to && t[k.to] && std::strchr("+#", t[k.to]))
        return true;
    if (k.to + 1 < to && t[k.to] && std::strchr(joins, t[k.to]) && ascii_word_byte(t[k.to + 1]))
        return true;
    return k.from >= from + 2 && t[k.from - 1] && std::strchr(joins, t[k.from - 1]) &&
           ascii_word_byte(t[k.from - 2]);
}

// Does a word matter to the marks: begins like a query word, or is a phrase's?
bool matters(const xap_hits *hits, const std::string &w)
{
    if (w.empty())
        return false;
    if (hits->first_letters[static_cast<unsigned char>(w[0])])
        for (const std::string &start : hits->word_starts)
            if (w.compare(0, start.size(), start) == 0)
                return true;
    if (hits->phrase_letters[static_cast<unsigned char>(w[0])])
        for (const auto &phrase : hits->phrases)
            if (std::find(phrase.begin(), phrase.end(), w) != phrase.end())
                return true;
    return false;
}

// Does a word with characters other than ASCII matter: any run of ASCII
// letters and digits in it? Xapian may read the other characters as
// punctuation ("‹t" is "t"), or the whole as one word ("café").
bool foreign_matters(const xap_hits *hits, const std::string &w)
{
    size_t i = 0;
    while (i < w.size()) {
        size_t j = i;
        while (j < w.size() && ascii_word_byte(static_cast<unsigned char>(w[j])))
            j++;
        if (j > i && matters(hits, w.substr(i, j - i)))
            return true;
        i = j + 1;
    }
    return false;
}

// The longest of the query's phrases that the words from k on spell, in words.
size_t phrase_at(const xap_hits *hits, const std::vector<token> &words, size_t k)
{
    size_t best = 0;
    for (const auto &phrase : hits->phrases) {
        if (phrase.size() <= best || k + phrase.size() > words.size())
            continue;
        size_t j = 0;
        while (j < phrase.size() && words[k + j].word == phrase[j])
            j++;
        if (j == phrase.size())
            best = j;
    }
    return best;
}

// A window as a snippet shows it: from its first word (and the quote that
// opens it), and without the white
// space and the punctuation that leads on (a comma, a dash, an opening quote)
// at its end, where the cut is then marked.
void trim_window(const unsigned char *t, size_t *from, size_t *to)
{
    size_t start = *from;
    while (*from < *to && !ascii_word_byte(t[*from])) {
        size_t p = punctuation_at(t, *from, *to);
        if (p == 0 && t[*from] >= 0x80)
            break; // a letter of another script
        *from += p ? p : 1;
    }
    // With the quote or bracket that opens the first word.
    if (*from > start && t[*from - 1] && std::strchr("(\"'[", t[*from - 1]))
        (*from)--;
    else if (*from >= start + 3 && t[*from - 3] == 0xE2 && t[*from - 2] == 0x80 &&
             (t[*from - 1] == 0x9C || t[*from - 1] == 0x98))
        *from -= 3;
    for (;;) {
        size_t end = *to;
        while (end > *from && (std::isspace(t[end - 1]) || (t[end - 1] && std::strchr(",;:-(", t[end - 1]))))
            end--;
        // A dash or an opening quote written with three bytes (U+2013, U+2014, U+201C).
        if (end >= *from + 3 && t[end - 3] == 0xE2 && t[end - 2] == 0x80 &&
            (t[end - 1] == 0x93 || t[end - 1] == 0x94 || t[end - 1] == 0x9C))
            end -= 3;
        if (end == *to)
            return;
        *to = end;
    }
}

void escape_into(std::string &out, const char *text, size_t from, size_t to)
{
    if (to <= from)
        return;
    size_t plain = from; // copied in runs: most bytes need no escaping
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c != '&' && c != '<' && c != '>')
            continue;
        out.append(text + plain, i - plain);
        out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
        plain = i + 1;
    }
    out.append(text + plain, to - plain);
}

// Can the marks of text[0, len) be found word by word as Xapian reads it? Not
// when a word that matters is glued to another ("example.com", "c++") or has
// a character other than ASCII, when single letters make a dotted acronym
// ("N.A.S.A." is one word to Xapian), when a symbol of another script stands
// between two words that matter (Xapian reads past "→" or an emoji, so a
// phrase runs over it), or when words glued together are longer than Xapian
// reads as one (it then runs them into the next word's span).
bool readable(const xap_hits *hits, const unsigned char *t, size_t len, const std::vector<token> &words)
{
    size_t run = 0; // where the words glued to this one by "&", "." and the like start
    for (size_t i = 0; i < words.size(); i++) {
        const token &k = words[i];
        bool joined = i > 0 && k.from == words[i - 1].to + 1 && t[k.from - 1] && std::strchr(".,&+#@", t[k.from - 1]);
        if (!joined)
            run = k.from;
        if (k.to - run > 64 || (k.foreign ? foreign_matters(hits, k.word)
                                          : matters(hits, k.word) && glued(t, k, 0, len)))
            return false;
        if (joined && t[k.from - 1] == '.' && k.word.size() == 1 && words[i - 1].word.size() == 1)
            return false;
        bool symbol = k.foreign && std::none_of(k.word.begin(), k.word.end(), [](char c) {
                          return ascii_word_byte(static_cast<unsigned char>(c));
                      });
        if (symbol && i > 0 && i + 1 < words.size() && matters(hits, words[i - 1].word) &&
            matters(hits, words[i + 1].word))
            return false;
    }
    return true;
}

// The spans of text[0, len) a snippet would mark: each phrase of the query
// where it stands (whole, the longest first, left to right) and each word
// that is, or stems to, a query term. False when the text is not readable()
// word by word: then only MSet::snippet can tell.
bool find_marks(xap_hits *hits, const char *text, size_t len, std::vector<std::pair<size_t, size_t>> &marks)
{
    const unsigned char *t = reinterpret_cast<const unsigned char *>(text);
    std::vector<token> words = read_tokens(t, 0, len);
    if (!readable(hits, t, len, words))
        return false;
    for (size_t k = 0; k < words.size();) {
        size_t n = phrase_at(hits, words, k);
        if (n) {
            marks.emplace_back(words[k].from, words[k + n - 1].to);
            k += n;
            continue;
        }
        const std::string &w = words[k].word;
        const std::vector<std::string> &kept = hits->unmarked_alone;
        if (matters(hits, w) && std::find(kept.begin(), kept.end(), w) == kept.end() && is_term_word(hits, w))
            marks.emplace_back(words[k].from, words[k].to);
        k++;
    }
    return true;
}

} // namespace

extern "C" {

bool xap_period_bound(const char *period, bool end, char out[9])
{
    try {
        std::string ymd;
        if (!period_bound(period, end, ymd))
            return false;
        std::memcpy(out, ymd.c_str(), 9);
        return true;
    } catch (...) {
        return false;
    }
}

xap_status xap_search(xap_hits **out, xap_db *db, const xap_query *query, xap_error *err)
{
    *out = nullptr;
    if (query->limit == 0)
        return record(err, XAP_EINVAL, "", "a page holds at least one hit");
    try {
        xap_hits *hits = new xap_hits(db->rep);
        hits->remote = db->remote;
        try {
            hits->stem = db->stem;
            hits->days = table_of(db, db->days, load_day_table);
            search_text(hits, db, query);
            fetch_data(hits);
        } catch (...) {
            delete hits;
            throw;
        }
        *out = hits;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

void xap_hits_free(xap_hits *hits)
{
    delete hits;
}

size_t xap_hits_count(const xap_hits *hits)
{
    return hits->data.size();
}

unsigned long xap_hits_estimate(const xap_hits *hits)
{
    return matches_estimated(hits);
}

bool xap_hits_exact(const xap_hits *hits, unsigned long *total)
{
    if (hits->all_counted) {
        *total = hits->counted;
        return true;
    }
    if (hits->counts.get_matches_lower_bound() != hits->counts.get_matches_upper_bound())
        return false;
    *total = hits->counts.get_matches_lower_bound();
    return true;
}

bool xap_hits_relaxed(const xap_hits *hits)
{
    return hits->relaxed;
}

bool xap_hits_widened(const xap_hits *hits)
{
    return hits->widened;
}

bool xap_hits_correction_shown(const xap_hits *hits)
{
    return hits->correction_shown;
}

const char *xap_hits_correction(const xap_hits *hits, unsigned long *total)
{
    if (hits->correction.empty())
        return nullptr;
    *total = hits->correction_total;
    return hits->correction.c_str();
}

size_t xap_hits_facet_size(const xap_hits *hits, xap_facet facet)
{
    return hits->facets[facet].size();
}

void xap_hits_facet(const xap_hits *hits, xap_facet facet, size_t i, const char **value,
                    unsigned long *count)
{
    *value = hits->facets[facet][i].first.c_str();
    *count = hits->facets[facet][i].second;
}

xap_status xap_hits_get(xap_hit *out, xap_hits *hits, size_t i, xap_error *err)
{
    if (i >= hits->data.size())
        return record(err, XAP_EINVAL, "", "hit index past the end of the page");
    try {
        Xapian::MSetIterator it = hits->mset[static_cast<Xapian::doccount>(i)];
        out->docid = *it;
        out->weight = it.get_weight();
        out->data = hits->data[i].data();
        out->data_len = hits->data[i].size();
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}


xap_status xap_hits_matched(xap_hits *hits, size_t i, bool weigh, xap_term_fn fn, void *ctx,
                            xap_error *err)
{
    if (i >= hits->data.size())
        return record(err, XAP_EINVAL, "", "hit index past the end of the page");
    try {
        if (!hits->matches_known)
            find_matches(hits);
        Xapian::MSetIterator hit = hits->mset[static_cast<Xapian::doccount>(i)];
        for (const auto &m : hits->matches[i])
            fn(ctx, m.first.c_str(), m.second,
               weigh ? weight_alone(hits, hit, Xapian::Query(m.first)) : 0.0);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

const char *xap_hits_prefix(const xap_hits *hits)
{
    return hits->prefix.empty() ? nullptr : hits->prefix.c_str();
}

xap_status xap_hits_bonuses(xap_hits *hits, size_t i, double *adjacency, double *name,
                            xap_error *err)
{
    *adjacency = *name = 0.0;
    if (i >= hits->data.size())
        return record(err, XAP_EINVAL, "", "hit index past the end of the page");
    try {
        Xapian::MSetIterator hit = hits->mset[static_cast<Xapian::doccount>(i)];
        *adjacency = weight_alone(hits, hit, hits->pairs);
        *name = weight_alone(hits, hit, hits->name);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

// Xapian 1.4's snippet can end inside a mark (after a phrase that runs over a
// full stop it may stop there): the page must not be left inside a <mark>.
static void close_marks(std::string &s, const char *hi_start, const char *hi_end, const char *omit)
{
    size_t open = 0, close = 0;
    for (size_t at = s.find(hi_start); *hi_start && at != std::string::npos; at = s.find(hi_start, at + 1))
        open++;
    for (size_t at = s.find(hi_end); *hi_end && at != std::string::npos; at = s.find(hi_end, at + 1))
        close++;
    // Before the snippet's own "…", which must stay last to say it was cut.
    size_t end = s.size(), n = strlen(omit);
    if (n && end >= n && s.compare(end - n, n, omit) == 0)
        end -= n;
    for (; close < open; close++)
        s.insert(end, hi_end);
}

// One mark where two touch: the characters of a CJK word are terms of their
// own ("节", "点"), each marked, and a word is read better marked whole.
static void join_marks(std::string &s, const char *hi_start, const char *hi_end)
{
    if (!*hi_start || !*hi_end)
        return;
    const std::string seam = std::string(hi_end) + hi_start;
    for (size_t at = s.find(seam); at != std::string::npos; at = s.find(seam, at))
        s.erase(at, seam.size());
}

xap_status xap_hits_snippet(char **out, xap_hits *hits, const char *text, size_t text_len,
                            size_t length, const char *hi_start, const char *hi_end,
                            const char *omit, bool only_if_match, xap_error *err)
{
    *out = nullptr;
    try {
        unsigned flags = SNIPPET_FLAGS | (only_if_match ? Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH : 0);
        std::string s = hits->mset.snippet(std::string(text, text_len), length, hits->stem, flags,
                                           hi_start, hi_end, omit);
        close_marks(s, hi_start, hi_end, omit);
        join_marks(s, hi_start, hi_end);
        *out = dup_string(s);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}


namespace {

// The window of about `width` bytes (whole words) of text[from, to) that holds
// the most of the matches at[] (sorted offsets inside it), starting a little
// before its first match; earliest on a tie.
// How far a window's edge moves to meet a word's start or end, in bytes.
const size_t WORD_REACH = 32;

void densest_window(const char *text, const size_t *at, size_t n_at, size_t width, size_t *from,
                    size_t *to)
{
    if (*to - *from <= width || n_at == 0)
        return;
    size_t best = 0, best_count = 0;
    for (size_t i = 0, j = 0; i < n_at; i++) {
        while (j < n_at && at[j] < at[i] + width * 3 / 4)
            j++;
        if (j - i > best_count)
            best = i, best_count = j - i;
    }
    // A little before the first match; from the piece's start when that is
    // near (no "…" cutting off a section's first words).
    size_t start = at[best] > *from + width / 2 ? at[best] - width / 4 : *from;
    size_t end = std::min(*to, start + width);
    if (end == *to) // near the piece's end: a whole window still, reaching back
        start = std::max(*from, end > width ? end - width : 0);
    // Back to a word's start and on to a word's end, but not far: a script
    // written without spaces is one long "word" here.
    const unsigned char *t = reinterpret_cast<const unsigned char *>(text);
    for (size_t n = 0; start > *from && n < WORD_REACH && is_word_byte(t[start - 1]); n++)
        start--;
    for (size_t n = 0; end < *to && n < WORD_REACH && is_word_byte(t[end]); n++)
        end++;
    while (start > *from && (t[start] & 0xC0) == 0x80)
        start--; // not inside a character
    while (end < *to && (t[end] & 0xC0) == 0x80)
        end++;
    *from = start, *to = end;
}

} // namespace

xap_status xap_hits_mark(char **out, xap_hits *hits, const char *text, size_t len, const char *hi_start,
                         const char *hi_end, const char *omit, bool only_if_match, xap_error *err)
{
    *out = nullptr;
    try {
        plan_marks(hits);
        std::vector<std::pair<size_t, size_t>> marks;
        if (!hits->marks_exact || !find_marks(hits, text, len, marks))
            return xap_hits_snippet(out, hits, text, len, len, hi_start, hi_end, omit, only_if_match, err);
        if (marks.empty() && only_if_match) {
            *out = dup_string("");
            return ok(err);
        }
        size_t from = 0, to = len;
        trim_window(reinterpret_cast<const unsigned char *>(text), &from, &to);
        std::string s;
        s.reserve(to - from + marks.size() * 16);
        size_t at = from;
        for (const auto &m : marks) {
            escape_into(s, text, at, m.first);
            s += hi_start;
            escape_into(s, text, m.first, m.second);
            s += hi_end;
            at = m.second;
        }
        escape_into(s, text, at, to);
        *out = dup_string(s);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

bool xap_hits_words_exact(xap_hits *hits)
{
    try {
        word_starts(hits);
        return hits->word_starts_exact;
    } catch (...) {
        return false;
    }
}

size_t xap_hits_find_passages(xap_hits *hits, const char *text, const size_t *starts, size_t n,
                              size_t width, xap_passage *out)
{
    try {
        if (word_starts(hits).empty() || n == 0)
            return 0;
        // One scan of the whole text: where each query word starts, and the
        // first of them in each piece.
        std::vector<size_t> at = query_word_offsets(hits, text, starts[n]), first(n + 1);
        size_t piece = 0;
        first[0] = 0;
        for (size_t k = 0; k < at.size(); k++)
            while (piece < n && at[k] >= starts[piece + 1])
                first[++piece] = k;
        while (piece < n)
            first[++piece] = at.size();
        std::vector<std::pair<size_t, size_t>> counted; // (count, piece)
        for (size_t p = 0; p < n; p++)
            if (first[p + 1] > first[p])
                counted.emplace_back(first[p + 1] - first[p], p);
        std::stable_sort(counted.begin(), counted.end(),
                         [](const auto &a, const auto &b) { return a.first > b.first; });
        for (size_t k = 0; k < counted.size(); k++) {
            size_t p = counted[k].second;
            out[k] = xap_passage{p, starts[p], starts[p + 1]};
            densest_window(text, at.data() + first[p], first[p + 1] - first[p], width, &out[k].from,
                           &out[k].to);
        }
        return counted.size();
    } catch (...) {
        return 0; // out of memory: the caller tries every piece
    }
}

bool xap_hits_may_match(xap_hits *hits, const char *text, size_t len)
{
    try {
        word_starts(hits);
        if (!hits->word_starts_exact)
            return true; // a wildcard or the like: only a snippet can tell
        bool found = false;
        each_query_like_word(hits, text, 0, len, [&](size_t i) {
            found = found || is_query_word(hits, text, i, len);
        });
        return found;
    } catch (...) {
        return true;
    }
}

xap_status xap_db_complete(xap_db *db, const char *prefix, size_t n, xap_word_fn fn, void *ctx,
                           xap_error *err)
{
    // Stop after this many candidates: a one-letter prefix has thousands.
    const size_t SCAN_LIMIT = 5000;
    try {
        std::vector<std::pair<std::string, Xapian::doccount>> words;
        size_t scanned = 0;
        for (Xapian::TermIterator it = db->rep.allterms_begin(prefix);
             it != db->rep.allterms_end(prefix) && scanned < SCAN_LIMIT; ++it, ++scanned)
            words.emplace_back(*it, it.get_termfreq());
        std::stable_sort(words.begin(), words.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
        for (size_t i = 0; i < words.size() && i < n; i++)
            fn(ctx, words[i].first.c_str(), words[i].second);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_similar(xap_hits **out, xap_db *db, const char *id, unsigned limit, xap_error *err)
{
    *out = nullptr;
    try {
        std::string id_q = std::string(PREFIX_PUBLIC) + id;
        Xapian::PostingIterator post = db->rep.postlist_begin(id_q);
        if (post == db->rep.postlist_end(id_q))
            return record(err, XAP_ENODOC, "", "no document with that id");
        xap_hits *hits = new xap_hits(db->rep);
        hits->remote = db->remote;
        try {
            hits->stem = db->stem;
            Xapian::RSet rset;
            rset.add_document(*post);
            // Plain words only: no prefixed field copies, no numbers.
            struct words_only : public Xapian::ExpandDecider {
                bool operator()(const std::string &t) const override
                {
                    return !t.empty() && t[0] >= 'a' && t[0] <= 'z' && t.size() > 2;
                }
            } decider;
            Xapian::ESet eset = hits->enquire.get_eset(20, rset, &decider);
            Xapian::Query like(Xapian::Query::OP_OR, eset.begin(), eset.end());
            hits->enquire.set_query(
                Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_q)));
            hits->mset = hits->enquire.get_mset(0, limit);
            fetch_data(hits);
        } catch (...) {
            delete hits;
            throw;
        }
        *out = hits;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

} // extern "C"
