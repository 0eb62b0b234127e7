// xap.cc — the Xapian C wrapper: opening, writing and checking databases. With
// xap_search.cc (queries and results), the only C++ in loomsearch.
//
// Each exported function runs its body inside try/catch and hands any exception
// to fail(), the one classifier that maps Xapian's error classes onto xap_status.
// Nothing thrown here ever unwinds into C frames.

#include "xap_internal.h"

#include "schema.h"
extern "C" {
#include "text.h" // has_east_asian
}

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace xapc {

static const size_t MAX_TERM_BYTES = 245; // Xapian's limit for glass


xap_status record(xap_error *err, xap_status code, const char *type, const char *msg)
{
    if (err) {
        err->code = code;
        std::snprintf(err->message, sizeof err->message, "%s%s%s", type, *type ? ": " : "", msg);
    }
    return code;
}

xap_status record(xap_error *err, xap_status code, const Xapian::Error &e)
{
    // The system's reason, when there is one ("No space left on device"): what
    // an operator can act on, where "Error writing block 46" alone is not.
    const char *why = e.get_error_string();
    std::string msg = e.get_msg();
    if (why && *why)
        msg += std::string(" (") + why + ")";
    return record(err, code, e.get_type(), msg.c_str());
}

// Call only inside a catch block: re-throws the active exception and classifies it.
// Most-derived classes come first.
xap_status fail(xap_error *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return record(err, XAP_ENOTFOUND, e);
    } catch (const Xapian::DatabaseLockError &e) {
        return record(err, XAP_ELOCKED, e);
    } catch (const Xapian::DatabaseModifiedError &e) {
        return record(err, XAP_EMODIFIED, e);
    } catch (const Xapian::DatabaseError &e) { // corrupt, opening, version, I/O, closed
        return record(err, XAP_EIO, e);
    } catch (const Xapian::DocNotFoundError &e) {
        return record(err, XAP_ENODOC, e);
    } catch (const Xapian::QueryParserError &e) {
        return record(err, XAP_EQUERY, e);
    } catch (const Xapian::WildcardError &e) {
        return record(err, XAP_ELIMIT, e);
    } catch (const Xapian::NetworkTimeoutError &e) {
        return record(err, XAP_ETIMEOUT, e);
    } catch (const Xapian::NetworkError &e) {
        return record(err, XAP_ENETWORK, e);
    } catch (const Xapian::InvalidArgumentError &e) {
        return record(err, XAP_EINVAL, e);
    } catch (const Xapian::Error &e) {
        return record(err, XAP_EINTERNAL, e);
    } catch (const std::bad_alloc &) {
        return record(err, XAP_ENOMEM, "", "out of memory");
    } catch (const std::exception &e) {
        return record(err, XAP_EINTERNAL, "std::exception", e.what());
    } catch (...) {
        return record(err, XAP_EINTERNAL, "", "unknown exception");
    }
}

xap_status ok(xap_error *err)
{
    if (err) {
        err->code = XAP_OK;
        err->message[0] = '\0';
    }
    return XAP_OK;
}

char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

std::string id_term(const char *id)
{
    std::string term = std::string(PREFIX_ID) + id;
    if (term.size() > MAX_TERM_BYTES)
        throw Xapian::InvalidArgumentError("id longer than a term may be");
    return term;
}

} // namespace xapc

using namespace xapc;

namespace {

// An unprefixed, unstemmed word that is not a number: what spelling
// suggestions are made from. Prefixes and stems ("Z") start upper-case. CJK
// text is indexed as one- and two-character terms, which are no words to
// suggest (and were most of a Chinese blog's spelling table).
bool is_plain_word(const std::string &term)
{
    unsigned char c = term.empty() ? 0 : static_cast<unsigned char>(term[0]);
    return (c >= 'a' && c <= 'z') || (c >= 0x80 && !has_east_asian(term.c_str()));
}

// A version or dotted number ("1.80.0", "v8.4"): digits and dots, at least
// one dot, maybe a leading "v". Unprefixed terms only.
bool is_version(const std::string &t)
{
    size_t at = !t.empty() && t[0] == 'v' ? 1 : 0;
    if (at >= t.size() || !std::isdigit(static_cast<unsigned char>(t[at])))
        return false;
    bool dot = false;
    for (size_t i = at; i < t.size(); i++) {
        if (t[i] == '.')
            dot = true;
        else if (!std::isdigit(static_cast<unsigned char>(t[i])))
            return false;
    }
    return dot && t.back() != '.';
}

// "1.80.0" is also "1.80", "v8.4.1" also "8.4.1" and "8.4": a visitor who
// types the shorter form means every release it begins (and a "v" is not
// typed). Each form gets the version's wdf and positions, so it ranks and
// takes part in phrases as the version does.
void add_version_forms(Xapian::Document &doc)
{
    std::vector<std::pair<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>>> found;
    for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        if (is_version(*t))
            found.push_back({*t, {t.get_wdf(), std::vector<Xapian::termpos>(t.positionlist_begin(),
                                                                          t.positionlist_end())}});
    for (const auto &v : found) {
        std::string form = v.first[0] == 'v' ? v.first.substr(1) : v.first;
        for (;;) {
            if (form != v.first) {
                for (Xapian::termpos pos : v.second.second)
                    doc.add_posting(form, pos, 0);
                doc.add_term(form, v.second.first);
            }
            size_t last_dot = form.rfind('.');
            if (last_dot == std::string::npos || form.find('.') == last_dot)
                break; // "1.80" is as short as a version gets
            form.resize(last_dot);
        }
    }
}

} // namespace

extern "C" {

const char *xap_status_name(xap_status status)
{
    switch (status) {
    case XAP_OK: return "ok";
    case XAP_EINVAL: return "invalid_argument";
    case XAP_ENOTFOUND: return "not_found";
    case XAP_ENODOC: return "no_document";
    case XAP_ELOCKED: return "locked";
    case XAP_EMODIFIED: return "modified";
    case XAP_EIO: return "io";
    case XAP_EQUERY: return "query";
    case XAP_ELIMIT: return "limit";
    case XAP_ENETWORK: return "network";
    case XAP_ETIMEOUT: return "timeout";
    case XAP_ENOMEM: return "no_memory";
    case XAP_EINTERNAL: return "internal";
    }
    return "unknown";
}

xap_status xap_db_open(xap_db **out, const char *path, xap_error *err)
{
    *out = nullptr;
    try {
        xap_db *db = new xap_db;
        try {
            db->rep = Xapian::Database(path);
            configure_parser(db->parser, db->rep, db->stem);
        } catch (...) {
            delete db;
            throw;
        }
        *out = db;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_db_open_shards(xap_db **out, const xap_shard *shards, size_t n, unsigned timeout_ms,
                              bool *opened, xap_error *err)
{
    *out = nullptr;
    xap_status first = XAP_OK;
    try {
        Xapian::Database all;
        size_t n_open = 0;
        for (size_t i = 0; i < n; i++) {
            opened[i] = false;
            try {
                // One by one, so that a shard that is down is named and left
                // out; a stub file would throw at the first.
                Xapian::Database one = shards[i].path
                                           ? Xapian::Database(shards[i].path)
                                           : Xapian::Remote::open(shards[i].host, shards[i].port,
                                                                  timeout_ms, timeout_ms);
                all.add_database(one);
                opened[i] = true;
                n_open++;
            } catch (...) {
                xap_status rc = fail(first == XAP_OK ? err : nullptr);
                if (first == XAP_OK)
                    first = rc;
            }
        }
        if (n_open == 0)
            return first != XAP_OK ? first : record(err, XAP_ENOTFOUND, "", "no shards listed");
        xap_db *db = new xap_db;
        try {
            db->rep = all;
            for (size_t i = 0; i < n; i++)
                db->remote = db->remote || (opened[i] && !shards[i].path);
            configure_parser(db->parser, db->rep, db->stem);
        } catch (...) {
            delete db;
            throw;
        }
        *out = db;
        return first == XAP_OK ? ok(err) : XAP_OK; // err keeps the first failure
    } catch (...) {
        return fail(err);
    }
}

void xap_db_close(xap_db *db)
{
    delete db; // Xapian's destructors do not throw
}

xap_status xap_db_reopen(bool *changed, xap_db *db, xap_error *err)
{
    *changed = false;
    try {
        *changed = db->rep.reopen();
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_db_stats_get(xap_db_stats *out, xap_db *db, xap_error *err)
{
    try {
        out->doccount = db->rep.get_doccount();
        // Several shards have no one revision (Xapian throws): 0 says so.
        out->revision = db->rep.size() == 1 ? db->rep.get_revision() : 0;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_db_metadata(char **out, xap_db *db, const char *key, xap_error *err)
{
    *out = nullptr;
    try {
        *out = dup_string(db->rep.get_metadata(key));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_db_document_data(char **out, size_t *out_len, xap_db *db, const char *id,
                                xap_error *err)
{
    *out = nullptr;
    *out_len = 0;
    try {
        Xapian::PostingIterator it = db->rep.postlist_begin(id_term(id));
        if (it == db->rep.postlist_end(id_term(id)))
            return record(err, XAP_ENODOC, "", "no document with that id");
        std::string data = db->rep.get_document(*it).get_data();
        *out = dup_string(data);
        *out_len = data.size();
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_db_document_word(char **out, xap_db *db, const char *id, xap_error *err)
{
    *out = nullptr;
    try {
        Xapian::PostingIterator it = db->rep.postlist_begin(id_term(id));
        if (it == db->rep.postlist_end(id_term(id)))
            return record(err, XAP_ENODOC, "", "no document with that id");
        Xapian::Document doc = db->rep.get_document(*it);
        std::string best;
        Xapian::doccount best_freq = 0;
        for (Xapian::TermIterator t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            const std::string &term = *t;
            // Unprefixed words only: prefixes are capitals, stems start with Z.
            unsigned char c = static_cast<unsigned char>(term[0]);
            if (!(std::islower(c) || std::isdigit(c) || c >= 0x80) || term.size() > 64)
                continue;
            Xapian::doccount freq = t.get_termfreq();
            if (best.empty() || freq < best_freq)
                best = term, best_freq = freq;
        }
        *out = dup_string(best);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

} // extern "C"

namespace {

xap_status writer_open(xap_writer **out, const char *path, unsigned flush_threshold, int flags,
                       xap_error *err)
{
    *out = nullptr;
    try {
        if (flush_threshold > 0) {
            // Xapian reads its flush threshold from the environment when a
            // writer opens; there is no API for it in 1.4.
            std::string n = std::to_string(flush_threshold);
            setenv("XAPIAN_FLUSH_THRESHOLD", n.c_str(), 1);
        }
        xap_writer *w = new xap_writer;
        try {
            w->rep = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | flags);
            w->indexer.set_stemmer(w->stem);
            w->indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
            // A run of CJK text has no spaces: indexed as one word, a sentence
            // longer than 64 bytes was no term at all. As one- and
            // two-character terms (with positions) any word in it is found.
            w->indexer.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
            w->indexer.set_database(w->rep);
            // No FLAG_SPELLING: it records every occurrence of every word;
            // spelling entries are added per document or per build (below).
        } catch (...) {
            delete w;
            throw;
        }
        *out = w;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

} // namespace

extern "C" {

xap_status xap_writer_open(xap_writer **out, const char *path, unsigned flush_threshold,
                           xap_error *err)
{
    return writer_open(out, path, flush_threshold, 0, err);
}

xap_status xap_writer_open_scratch(xap_writer **out, const char *path, unsigned flush_threshold,
                                   xap_error *err)
{
    // Each flush commits, and each commit syncs every table: a shard that
    // only the compactor reads needs none of that (it syncs what it writes).
    return writer_open(out, path, flush_threshold, Xapian::DB_NO_SYNC, err);
}

void xap_writer_close(xap_writer *w)
{
    if (!w)
        return;
    try {
        if (w->in_transaction)
            w->rep.cancel_transaction();
    } catch (...) {
        // Closing is best effort: the uncommitted work is lost either way.
    }
    delete w;
}

xap_status xap_writer_begin(xap_writer *w, xap_error *err)
{
    try {
        w->rep.begin_transaction(true);
        w->in_transaction = true;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_commit(xap_writer *w, xap_error *err)
{
    try {
        if (w->in_transaction) {
            w->in_transaction = false;
            w->rep.commit_transaction();
        } else {
            w->rep.commit();
        }
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_set_metadata(xap_writer *w, const char *key, const char *value,
                                   xap_error *err)
{
    try {
        w->rep.set_metadata(key, value);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_put(xap_writer *w, const char *id, xap_doc *doc, xap_error *err)
{
    try {
        std::string term = id_term(id);
        doc->rep.add_boolean_term(term);
        add_version_forms(doc->rep);
        if (!w->spelling_deferred)
            for (Xapian::TermIterator t = doc->rep.termlist_begin(); t != doc->rep.termlist_end(); ++t)
                if (is_plain_word(*t))
                    w->rep.add_spelling(*t, 1);
        w->rep.replace_document(term, doc->rep);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_delete(xap_writer *w, const char *id, xap_error *err)
{
    try {
        w->rep.delete_document(id_term(id));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_doc_new(xap_doc **out, xap_writer *w, xap_error *err)
{
    *out = nullptr;
    try {
        xap_doc *doc = new xap_doc;
        doc->indexer = &w->indexer;
        *out = doc;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

void xap_doc_free(xap_doc *doc)
{
    delete doc;
}

xap_status xap_doc_index_text(xap_doc *doc, const char *text, size_t len, unsigned wdf_inc,
                              const char *prefix, xap_error *err)
{
    try {
        // The term generator is the writer's, shared by every document, and
        // set_document() restarts positions at 0: carry on after the last field.
        doc->indexer->set_document(doc->rep);
        doc->indexer->set_termpos(doc->next_pos);
        doc->indexer->index_text(std::string(text, len), wdf_inc, prefix);
        doc->next_pos = doc->indexer->get_termpos() + FIELD_GAP;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_doc_add_boolean(xap_doc *doc, const char *prefix, const char *value,
                               xap_error *err)
{
    try {
        std::string term = std::string(prefix) + value;
        if (term.size() > MAX_TERM_BYTES)
            return record(err, XAP_EINVAL, "", "term longer than Xapian allows");
        doc->rep.add_boolean_term(term);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_doc_set_value(xap_doc *doc, unsigned slot, const char *value, size_t len,
                             xap_error *err)
{
    try {
        doc->rep.add_value(slot, std::string(value, len));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_doc_set_number(xap_doc *doc, unsigned slot, double number, xap_error *err)
{
    try {
        doc->rep.add_value(slot, Xapian::sortable_serialise(number));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_add_accent_synonym(xap_writer *w, const char *word, const char *folded,
                                         xap_error *err)
{
    try {
        // Both ways, and for the stemmed forms too: the query parser looks up
        // synonyms of the term it makes, which is "Z" + stem for most words.
        std::string a = word, b = folded;
        std::string za = "Z" + w->stem(a), zb = "Z" + w->stem(b);
        // A key past Xapian's limit is refused only at the commit, which it
        // would stop; a word that long is no term anyway.
        if (std::max({a.size(), b.size(), za.size(), zb.size()}) > MAX_TERM_BYTES)
            return ok(err);
        w->rep.add_synonym(a, b);
        w->rep.add_synonym(b, a);
        if (za != zb) {
            w->rep.add_synonym(za, zb);
            w->rep.add_synonym(zb, za);
        }
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_doc_set_data(xap_doc *doc, const char *data, size_t len, xap_error *err)
{
    try {
        doc->rep.set_data(std::string(data, len));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_metadata(char **out, xap_writer *w, const char *key, xap_error *err)
{
    *out = nullptr;
    try {
        *out = dup_string(w->rep.get_metadata(key));
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_each(xap_writer *w, const unsigned *slots, size_t n_slots, xap_each_fn fn,
                           void *ctx, xap_error *err)
{
    try {
        // Value streams read each slot in docid order: far cheaper than fetching
        // every document. Walk all documents and catch each stream up.
        std::vector<Xapian::ValueIterator> streams;
        for (size_t i = 0; i < n_slots; i++)
            streams.push_back(w->rep.valuestream_begin(slots[i]));
        std::vector<std::string> values(n_slots);
        std::vector<const char *> ptrs(n_slots);
        std::vector<size_t> lens(n_slots);
        const Xapian::ValueIterator end = w->rep.valuestream_end(0);
        for (Xapian::PostingIterator it = w->rep.postlist_begin(""); it != w->rep.postlist_end("");
             ++it) {
            Xapian::docid did = *it;
            for (size_t i = 0; i < n_slots; i++) {
                if (streams[i] != end && streams[i].get_docid() < did)
                    streams[i].skip_to(did);
                values[i] = (streams[i] != end && streams[i].get_docid() == did) ? *streams[i]
                                                                                : std::string();
                ptrs[i] = values[i].c_str();
                lens[i] = values[i].size();
            }
            if (!fn(ctx, ptrs.data(), lens.data()))
                break;
        }
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_each_metadata(xap_writer *w, const char *prefix, xap_meta_fn fn, void *ctx,
                                    xap_error *err)
{
    try {
        // Copy the keys first: the callback may set or clear metadata.
        std::vector<std::string> keys;
        for (Xapian::TermIterator it = w->rep.metadata_keys_begin(prefix);
             it != w->rep.metadata_keys_end(prefix); ++it)
            keys.push_back(*it);
        for (const std::string &key : keys)
            if (!fn(ctx, key.c_str(), w->rep.get_metadata(key).c_str()))
                break;
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_set_doc_value(xap_writer *w, const char *id, unsigned slot,
                                    const char *value, size_t len, xap_error *err)
{
    try {
        std::string term = id_term(id);
        Xapian::PostingIterator it = w->rep.postlist_begin(term);
        if (it == w->rep.postlist_end(term))
            return record(err, XAP_ENODOC, "", "no document with that id");
        Xapian::Document doc = w->rep.get_document(*it);
        doc.add_value(slot, std::string(value, len));
        w->rep.replace_document(*it, doc);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_defer_spelling(xap_writer *w)
{
    w->spelling_deferred = true;
    return XAP_OK;
}

xap_status xap_writer_spell_from_terms(xap_writer *w, xap_error *err)
{
    try {
        w->rep.commit(); // so that the term list below holds every document
        for (Xapian::TermIterator t = w->rep.allterms_begin(); t != w->rep.allterms_end(); ++t)
            if (is_plain_word(*t))
                w->rep.add_spelling(*t, t.get_termfreq());
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_writer_prune_spelling(unsigned long *removed, xap_writer *w, xap_error *err)
{
    *removed = 0;
    try {
        // Collect first: removing while iterating the spelling table is not safe.
        std::vector<std::pair<std::string, Xapian::termcount>> gone;
        for (Xapian::TermIterator it = w->rep.spellings_begin(); it != w->rep.spellings_end(); ++it)
            if (!w->rep.term_exists(*it))
                gone.emplace_back(*it, it.get_termfreq());
        for (const auto &entry : gone)
            w->rep.remove_spelling(entry.first, entry.second);
        *removed = gone.size();
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_check(size_t *problems, const char *path, xap_error *err)
{
    *problems = 0;
    try {
        *problems = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE, nullptr);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_export_lexicon(const char *from, const char *to, size_t *words, size_t *keys,
                              xap_error *err)
{
    *words = *keys = 0;
    try {
        Xapian::Database src(from);
        Xapian::WritableDatabase dst(to, Xapian::DB_CREATE);
        for (Xapian::TermIterator w = src.spellings_begin(); w != src.spellings_end(); ++w, ++*words)
            dst.add_spelling(*w, w.get_termfreq());
        for (Xapian::TermIterator k = src.synonym_keys_begin(); k != src.synonym_keys_end(); ++k, ++*keys)
            for (Xapian::TermIterator s = src.synonyms_begin(*k); s != src.synonyms_end(*k); ++s)
                dst.add_synonym(*k, *s);
        dst.commit();
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

xap_status xap_compact(const char *const *sources, size_t n, const char *dest, xap_error *err)
{
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(sources[i]));
        // FULL splits an item across two blocks where that fills the first:
        // 10,000 posts, 137.6 MB -> 136.2 MB (stored data and term lists) against
        // the default's whole items. Not FULLER: on Xapian 1.4 it leaves the term
        // list a fifth larger (31.7 MB against 26.2 MB, every other table the same).
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL);
        return ok(err);
    } catch (...) {
        return fail(err);
    }
}

} // extern "C"
