// xap_tables.cc — what a match over one local shard (the indexer's usual
// output) reads from memory instead of the index: each post's day for the
// recency prior, a set of posts as a filter, and each post's facet values.
//
// Why: the recency prior read each candidate's day from its value stream
// (Xapian's ValueWeightPostingSource: a chunk seek and decode per post), the
// reordering pass named its posts by their id terms (a posting-list open in
// the B-tree per post), and facets read four values of every match and
// counted them in maps of strings. Each cost more than the match it served.
// With one shard the document ids the match reports are the shard's own, so
// a table by document id answers with an array read. The tables are read at
// the first query that wants them after each new revision. Several shards or
// a remote one keep Xapian's stock sources and spies (see xap_search.cc).
#include "xap_internal.h"
#include "schema.h"
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace xapc {

namespace {

// Days since 1970 of every post (the middle day for an undated one), by
// document id; NaN where no document is.
class DaysSource : public Xapian::PostingSource {
  public:
    explicit DaysSource(std::shared_ptr<const day_table> table) : t(std::move(table)) {}

    DaysSource *clone() const override { return new DaysSource(t); }

    void init(const Xapian::Database &) override
    {
        did = 0;
        set_maxweight(t->latest);
    }

    Xapian::doccount get_termfreq_min() const override { return t->posts; }
    Xapian::doccount get_termfreq_est() const override { return t->posts; }
    Xapian::doccount get_termfreq_max() const override { return t->posts; }

    void next(double) override { move_to(did + 1); }
    void skip_to(Xapian::docid to, double) override
    {
        if (to > did) // already there or past it: stay
            move_to(to);
    }
    bool check(Xapian::docid to, double) override
    {
        // Xapian asks only about documents that exist (the AND_MAYBE case),
        // and every one has a day: it is here.
        did = to;
        return true;
    }

    bool at_end() const override { return did > t->days.size(); }
    Xapian::docid get_docid() const override { return did; }
    double get_weight() const override
    {
        // check() may stop on an id without a post: it weighs nothing there.
        double d = did >= 1 && did <= t->days.size() ? t->days[did - 1] : NAN;
        return std::isnan(d) ? 0 : d;
    }

  private:
    void move_to(Xapian::docid to)
    {
        did = to;
        while (did <= t->days.size() && std::isnan(t->days[did - 1]))
            did++;
    }

    std::shared_ptr<const day_table> t;
    Xapian::docid did = 0;
};

// A fixed, sorted set of document ids, weighing nothing: a filter.
class DocidSource : public Xapian::PostingSource {
  public:
    explicit DocidSource(std::vector<Xapian::docid> sorted) : ids(std::move(sorted)) {}

    DocidSource *clone() const override { return new DocidSource(ids); }

    void init(const Xapian::Database &) override
    {
        at = 0;
        started = false;
        set_maxweight(0);
    }

    Xapian::doccount get_termfreq_min() const override { return ids.size(); }
    Xapian::doccount get_termfreq_est() const override { return ids.size(); }
    Xapian::doccount get_termfreq_max() const override { return ids.size(); }

    void next(double) override
    {
        if (started)
            at++;
        started = true;
    }
    void skip_to(Xapian::docid to, double) override
    {
        started = true;
        at = std::lower_bound(ids.begin() + at, ids.end(), to) - ids.begin();
    }

    bool at_end() const override { return at >= ids.size(); }
    Xapian::docid get_docid() const override { return ids[at]; }

  private:
    std::vector<Xapian::docid> ids;
    size_t at = 0;
    bool started = false;
};

} // namespace

double days_floor(const Xapian::Database &db)
{
    if (db.get_value_freq(SLOT_DAYS) == 0)
        return 0;
    return std::min(0.0, Xapian::sortable_unserialise(db.get_value_lower_bound(SLOT_DAYS)));
}

double middle_day(const Xapian::Database &db)
{
    if (db.get_value_freq(SLOT_DAYS) == 0)
        return 0;
    return (Xapian::sortable_unserialise(db.get_value_lower_bound(SLOT_DAYS)) +
            Xapian::sortable_unserialise(db.get_value_upper_bound(SLOT_DAYS))) / 2;
}

std::shared_ptr<const day_table> load_day_table(const Xapian::Database &db)
{
    auto t = std::make_shared<day_table>();
    Xapian::docid last = db.get_lastdocid();
    t->days.assign(last, NAN);
    double hi = -INFINITY;
    for (Xapian::ValueIterator v = db.valuestream_begin(SLOT_DAYS); v != db.valuestream_end(SLOT_DAYS); ++v) {
        double d = Xapian::sortable_unserialise(*v);
        t->days[v.get_docid() - 1] = d;
        hi = std::max(hi, d);
    }
    double middle = middle_day(db); // as the stock sources take it (xap_search.cc)
    // Every post, dated or not, gets a day: the undated ones the middle one;
    // all of them counted from the archive's first day when that is before
    // 1970 (see days_floor()), so that no weight is below zero.
    double floor = days_floor(db);
    for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        double &d = t->days[*p - 1];
        if (std::isnan(d))
            d = middle;
        d -= floor;
        t->posts++;
    }
    t->latest = std::max(hi, middle) - floor;
    t->revision = db.get_revision();
    return t;
}

Xapian::Query days_query(std::shared_ptr<const day_table> table)
{
    return Xapian::Query((new DaysSource(std::move(table)))->release());
}

Xapian::Query docid_filter(std::vector<Xapian::docid> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return Xapian::Query((new DocidSource(std::move(ids)))->release());
}

namespace {

// Interns names: the same name always gets the same number.
struct name_ids {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<std::string> *names;
    uint32_t of(const std::string &name)
    {
        auto found = ids.emplace(name, static_cast<uint32_t>(names->size()));
        if (found.second)
            names->push_back(name);
        return found.first->second;
    }
};

// The names a post's value holds: the joined names of a list, or the year of a
// date ("YYYYMMDD" or "YYYY"); each once.
void split_value(std::vector<uint32_t> &out, name_ids &ids, const std::string &value, bool year)
{
    out.clear();
    if (year) {
        if (value.size() >= 4)
            out.push_back(ids.of(value.substr(0, 4)));
        return;
    }
    size_t at = 0;
    while (at < value.size()) {
        size_t end = value.find(FACET_SEPARATOR, at);
        if (end == std::string::npos)
            end = value.size();
        if (end > at) {
            uint32_t id = ids.of(value.substr(at, end - at));
            if (std::find(out.begin(), out.end(), id) == out.end())
                out.push_back(id);
        }
        at = end + 1;
    }
}

// One facet's column: for every document id, the numbers of its names.
void load_facet(facet_table::column &col, const Xapian::Database &db, Xapian::valueno slot, bool year)
{
    Xapian::docid last = db.get_lastdocid();
    col.first.assign(last + 1, 0);
    name_ids ids{{}, &col.names};
    std::vector<uint32_t> one;
    Xapian::docid filled = 0; // col.first[0..filled] are set
    for (Xapian::ValueIterator v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
        Xapian::docid did = v.get_docid();
        for (; filled < did - 1; filled++)
            col.first[filled + 1] = col.ids.size();
        split_value(one, ids, *v, year);
        col.ids.insert(col.ids.end(), one.begin(), one.end());
        col.first[did] = col.ids.size();
        filled = did;
    }
    for (; filled < last; filled++)
        col.first[filled + 1] = col.ids.size();
}

// Counts every match's facet names from the table, by number.
class TableSpy : public Xapian::MatchSpy {
  public:
    explicit TableSpy(std::shared_ptr<const facet_table> table) : t(std::move(table))
    {
        for (int f = 0; f < XAP_FACET_COUNT; f++)
            counts[f].assign(t->facets[f].names.size(), 0);
    }
    void operator()(const Xapian::Document &doc, double) override { count(doc.get_docid()); }
    void count(Xapian::docid did)
    {
        for (int f = 0; f < XAP_FACET_COUNT; f++) {
            const facet_table::column &col = t->facets[f];
            if (did >= col.first.size())
                continue;
            for (uint32_t k = col.first[did - 1]; k < col.first[did]; k++)
                counts[f][col.ids[k]]++;
        }
    }
    std::shared_ptr<const facet_table> t;
    std::vector<Xapian::doccount> counts[XAP_FACET_COUNT];
};

} // namespace

std::shared_ptr<const facet_table> load_facet_table(const Xapian::Database &db)
{
    auto t = std::make_shared<facet_table>();
    load_facet(t->facets[XAP_FACET_TAG], db, SLOT_TAGS, false);
    load_facet(t->facets[XAP_FACET_AUTHOR], db, SLOT_AUTHORS, false);
    load_facet(t->facets[XAP_FACET_CATEGORY], db, SLOT_CATEGORIES, false);
    // An index written before the year slot (or partly updated since) counts
    // years from the dates.
    bool years = db.get_value_freq(SLOT_YEAR) == db.get_value_freq(SLOT_DATE);
    load_facet(t->facets[XAP_FACET_YEAR], db, years ? SLOT_YEAR : SLOT_DATE, true);
    t->revision = db.get_revision();
    return t;
}

struct table_facets::impl {
    TableSpy spy;
};

table_facets::table_facets(std::shared_ptr<const facet_table> table) : p(new impl{TableSpy(std::move(table))}) {}
table_facets::~table_facets() = default;

void table_facets::attach(Xapian::Enquire &enquire) { enquire.add_matchspy(&p->spy); }

void table_facets::count(const std::vector<Xapian::docid> &posts)
{
    for (Xapian::docid did : posts)
        p->spy.count(did);
}

std::vector<std::pair<std::string, Xapian::doccount>> table_facets::top(size_t facet) const
{
    const std::vector<Xapian::doccount> &counts = p->spy.counts[facet];
    const std::vector<std::string> &names = p->spy.t->facets[facet].names;
    std::vector<std::pair<std::string, Xapian::doccount>> ranked;
    std::vector<uint32_t> seen;
    for (uint32_t id = 0; id < counts.size(); id++)
        if (counts[id] > 0)
            seen.push_back(id);
    // The most posts first, then by name: only the first page of names is sorted.
    auto before = [&](uint32_t a, uint32_t b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : names[a] < names[b];
    };
    size_t n = std::min<size_t>(seen.size(), XAP_FACET_MAX_VALUES);
    std::partial_sort(seen.begin(), seen.begin() + n, seen.end(), before);
    for (size_t i = 0; i < n; i++)
        ranked.emplace_back(names[seen[i]], counts[seen[i]]);
    return ranked;
}

} // namespace xapc
