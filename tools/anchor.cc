// anchor.cc — plain BM25 over an in-memory copy of an index (anchor.h).
#include "anchor.h"
#include "schema.h"

#include <jansson.h>
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

struct anchor {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    Xapian::Stem stem{"english"};
};

static void copy_message(char err[256], const std::string &msg)
{
    snprintf(err, 256, "%s", msg.c_str());
}

/* The title (in the JSON head) and the text after the separator, as one
 * unweighted stream of words; the head itself is kept as the document's data. */
static void add_post(anchor *a, Xapian::TermGenerator &gen, const std::string &data)
{
    size_t sep = data.find(DATA_TEXT_SEPARATOR);
    std::string head = data.substr(0, sep);
    std::string text = sep == std::string::npos ? "" : data.substr(sep + 1);
    Xapian::Document doc;
    gen.set_document(doc);
    json_t *fields = json_loadb(head.data(), head.size(), 0, nullptr);
    const char *title = json_string_value(json_object_get(fields, "title"));
    if (title) {
        gen.index_text(title);
        gen.increase_termpos();
    }
    json_decref(fields);
    gen.index_text(text);
    doc.set_data(head);
    a->db.add_document(doc);
}

anchor *anchor_open(const char *path, char err[256])
{
    try {
        Xapian::Database source(path);
        anchor *a = new anchor;
        Xapian::TermGenerator gen;
        gen.set_stemmer(a->stem);
        for (auto it = source.postlist_begin(""); it != source.postlist_end(""); ++it)
            add_post(a, gen, source.get_document(*it).get_data());
        return a;
    } catch (const Xapian::Error &e) {
        copy_message(err, e.get_description());
    } catch (const std::bad_alloc &) {
        copy_message(err, "out of memory");
    }
    return nullptr;
}

void anchor_free(anchor *a)
{
    delete a;
}

/* Every pair of adjacent words as a phrase of their unstemmed, lower-case terms. */
static Xapian::Query adjacent_pairs(const char *query)
{
    std::vector<Xapian::Query> pairs;
    Xapian::TermGenerator gen;
    Xapian::Document doc;
    gen.set_document(doc);
    gen.index_text(query);
    std::vector<std::pair<Xapian::termpos, std::string>> words;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            words.emplace_back(*p, *t);
    std::sort(words.begin(), words.end());
    for (size_t i = 1; i < words.size(); i++) {
        Xapian::Query two[] = {Xapian::Query(words[i - 1].second), Xapian::Query(words[i].second)};
        pairs.emplace_back(Xapian::Query::OP_PHRASE, two, two + 2, 2);
    }
    return Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
}

bool anchor_search(anchor *a, const char *query, bool phrase, unsigned n, char ***heads,
                   size_t *n_out, char err[256])
{
    *heads = nullptr, *n_out = 0;
    try {
        Xapian::QueryParser qp;
        qp.set_stemmer(a->stem);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(a->db);
        Xapian::Query q = qp.parse_query(query, 0);
        if (phrase)
            q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, adjacent_pairs(query));
        Xapian::Enquire enquire(a->db);
        enquire.set_query(q);
        enquire.set_weighting_scheme(Xapian::BM25Weight());
        Xapian::MSet mset = enquire.get_mset(0, n);
        *heads = static_cast<char **>(calloc(mset.size() + 1, sizeof **heads));
        if (!*heads)
            throw std::bad_alloc();
        for (auto it = mset.begin(); it != mset.end(); ++it)
            (*heads)[(*n_out)++] = strdup(it.get_document().get_data().c_str());
        return true;
    } catch (const Xapian::Error &e) {
        copy_message(err, e.get_description());
    } catch (const std::bad_alloc &) {
        copy_message(err, "out of memory");
    }
    return false;
}
