// xap_query.cc — what a visitor's words mean beyond what Xapian's QueryParser
// reads: a last word still being typed, a spelling correction that is checked
// against the archive, words that stand together, a version typed short, and
// a name typed alone. xap_search.cc runs the plan; the reasons for each rule
// are in docs/ranking.md.

#include "xap_internal.h"
#include "xap_query.h"

#include "schema.h"

extern "C" {
#include "text.h"
}

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace xapc {

namespace {

// A word of the text as typed: where it is, and whether it sits inside quotes
// or follows a field name ("title:x"), where it is not ours to change.
struct typed_word {
    size_t at, len;
    bool guarded;
};

inline bool is_letter_byte(unsigned char c)
{
    return std::isalpha(c) || c >= 0x80;
}

// Runs of letters, digits and multi-byte characters, with what guards them.
std::vector<typed_word> typed_words(const std::string &text)
{
    std::vector<typed_word> words;
    bool quoted = false;
    for (size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"')
            quoted = !quoted;
        if (!is_word_byte(c)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i])))
            i++;
        bool field = i < text.size() && text[i] == ':';
        bool after_field = start > 0 && text[start - 1] == ':';
        words.push_back({start, i - start, quoted || field || after_field});
    }
    return words;
}

std::string lower(const std::string &s)
{
    char *folded = casefold(s.c_str());
    std::string out(folded);
    std::free(folded);
    return out;
}

bool has_digit(const std::string &s)
{
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool all_letters(const std::string &s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return is_letter_byte(c); });
}

// An operator in capitals is the visitor's: never a word to correct or pair.
bool is_operator(const std::string &w)
{
    return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR";
}

// A word of an author's name, a title, a tag or a category: the archive's own
// name for something, never corrected however rare.
bool is_name_or_title_word(const Xapian::Database &db, const std::string &word)
{
    for (const char *prefix : {PREFIX_AUTHOR, PREFIX_TITLE, PREFIX_TAG, PREFIX_CATEGORY})
        if (db.term_exists(prefix + word))
            return true;
    return false;
}

} // namespace

// The last word, when the text ends inside it and the archive holds no such
// word but holds words it begins: the visitor is still typing it. A
// hyphenated last word ("Okonjo-Bir") would be a phrase, where Xapian's
// FLAG_PARTIAL does nothing, so its hyphens become spaces.
bool plan_prefix(query_plan &plan, const Xapian::Database &db, std::string &text)
{
    std::vector<typed_word> words = typed_words(text);
    if (words.empty() || words.back().guarded || words.back().at + words.back().len != text.size())
        return false;
    const typed_word &last = words.back();
    std::string word = lower(text.substr(last.at, last.len));
    if (word.size() < PREFIX_MIN_LETTERS || !all_letters(word) || db.term_exists(word))
        return false;
    Xapian::TermIterator t = db.allterms_begin(word);
    if (t == db.allterms_end(word))
        return false;
    plan.prefix = word;
    for (size_t i = last.at; i > 0 && (text[i - 1] == '-' || is_word_byte(text[i - 1])); i--)
        if (text[i - 1] == '-')
            text[i - 1] = ' ';
    return true;
}

// A word the archive does not hold, or holds in so few posts that it is more
// likely a typo than a word (under RARE_POSTS posts and under 1/RARE_RATIO of
// its candidate's), becomes the archive word Xapian's spelling data suggests.
// Never a number, a word with digits, a word in quotes or after a field, an
// operator, or the word being typed (plan.prefix).
std::string plan_correction(const query_plan &plan, const Xapian::Database &db,
                            const std::string &text, bool *unknown_word)
{
    *unknown_word = false;
    std::string out;
    size_t copied = 0;
    bool changed = false;
    std::vector<typed_word> words = typed_words(text);
    for (size_t k = 0; k < words.size(); k++) {
        const typed_word &w = words[k];
        std::string typed = text.substr(w.at, w.len), word = lower(typed);
        bool typing = k + 1 == words.size() && !plan.prefix.empty();
        if (w.guarded || typing || has_digit(word) || is_operator(typed) || word.size() < 3)
            continue;
        Xapian::doccount freq = db.get_termfreq(word);
        if (freq >= RARE_POSTS || is_name_or_title_word(db, word))
            continue;
        std::string suggestion = db.get_spelling_suggestion(word, 2);
        if (suggestion.empty() || suggestion == word ||
            (freq > 0 && db.get_termfreq(suggestion) < RARE_RATIO * freq))
            continue;
        *unknown_word |= freq == 0;
        out += text.substr(copied, w.at - copied) + suggestion;
        copied = w.at + w.len;
        changed = true;
    }
    return changed ? out + text.substr(copied) : std::string();
}

// "v8.4" typed is "8.4": the index holds every version without its "v" and
// every shorter form of it ("1.80" for "1.80.0"), see xap.cc.
std::string without_version_v(const std::string &text)
{
    std::string out = text;
    for (size_t i = 0; i + 2 < out.size(); i++) {
        bool starts = i == 0 || !is_word_byte(static_cast<unsigned char>(out[i - 1]));
        if (starts && (out[i] == 'v' || out[i] == 'V') && std::isdigit(static_cast<unsigned char>(out[i + 1]))) {
            size_t j = i + 1;
            while (j < out.size() && (std::isdigit(static_cast<unsigned char>(out[j])) || out[j] == '.'))
                j++;
            bool ends = j == out.size() || !is_word_byte(static_cast<unsigned char>(out[j]));
            if (ends && out.find('.', i) < j)
                out.erase(i, 1);
        }
    }
    return out;
}

// Every two words typed next to each other, as a phrase of their unstemmed
// terms (stemmed terms carry no positions): posts where they stand together
// gain. Nothing for text with operators, fields or quotes (the visitor said
// what they meant) or fewer than two words.
Xapian::Query adjacent_pairs(const std::string &text)
{
    std::vector<typed_word> words = typed_words(text);
    std::vector<Xapian::Query> pairs;
    for (size_t k = 1; k < words.size(); k++) {
        const typed_word &a = words[k - 1], &b = words[k];
        std::string between = text.substr(a.at + a.len, b.at - a.at - a.len);
        bool adjacent = between.find_first_not_of(" -") == std::string::npos;
        std::string wa = text.substr(a.at, a.len), wb = text.substr(b.at, b.len);
        if (a.guarded || b.guarded || !adjacent || is_operator(wa) || is_operator(wb))
            continue;
        Xapian::Query two[] = {Xapian::Query(lower(wa)), Xapian::Query(lower(wb))};
        pairs.emplace_back(Xapian::Query::OP_PHRASE, two, two + 2, 2);
    }
    return Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
}

// The text is a name the archive has as an author's: that author's posts
// first (a fixed weight above any BM25 score, on the posts with the name).
Xapian::Query author_named(const Xapian::Database &db, const std::string &text)
{
    std::string name = lower(text);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    std::string term = PREFIX_AUTHOR_B + name;
    if (name.empty() || !db.term_exists(term))
        return Xapian::Query();
    Xapian::Query boost((new Xapian::FixedWeightPostingSource(NAME_BOOST))->release());
    return Xapian::Query(Xapian::Query::OP_FILTER, boost, Xapian::Query(term));
}

// Stop words the visitor capitalised in the middle of the text ("Friends of
// The Earth", "The Printworks") are part of a name: kept.
std::vector<std::string> capitalised_stopwords(const std::string &text,
                                               const char *const *stopwords, size_t n)
{
    std::vector<std::string> kept;
    std::vector<typed_word> words = typed_words(text);
    for (size_t k = 1; k < words.size(); k++) {
        std::string w = text.substr(words[k].at, words[k].len);
        if (!std::isupper(static_cast<unsigned char>(w[0])) || is_operator(w))
            continue;
        std::string l = lower(w);
        if (std::find_if(stopwords, stopwords + n, [&](const char *s) { return l == s; }) !=
            stopwords + n)
            kept.push_back(l);
    }
    return kept;
}

} // namespace xapc
