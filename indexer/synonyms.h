/* synonyms.h — abbreviations that should find their expansion and back
 * ("lcr = liverpool city region").
 *
 * Xapian 1.4 expands a multi-word synonym key only with
 * FLAG_AUTO_MULTIWORD_SYNONYMS and treats a multi-word value as one term that no
 * document has, so synonyms are applied at index time instead: a post that says
 * "Liverpool City Region" is also indexed under "lcr", and a post that says "LCR"
 * also under the words "liverpool city region" (with positions, so the phrase
 * matches too). Queries need nothing special, and remote shards behave the same. */
#ifndef LOOM_SYNONYMS_H
#define LOOM_SYNONYMS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct synonym {
    char *abbrev;    /* one word, lower-case */
    char *expansion; /* one or more words, lower-case, single spaces */
} synonym;

typedef struct synonyms {
    synonym *items;
    size_t n;
    char hash[17];   /* of the file's contents: a change means reindex everything */
} synonyms;

/* The largest synonyms file read: far more than any archive's abbreviations. */
#define SYNONYMS_MAX_BYTES (1024 * 1024)

/* Read a synonyms file (a regular file of at most SYNONYMS_MAX_BYTES): one
 * "abbrev = expansion words" a line, '#' comments and blank lines ignored. On error returns false with a message naming file and
 * line in why[0..why_len). */
bool synonyms_load(synonyms *out, const char *path, char *why, size_t why_len);
void synonyms_free(synonyms *s);

/* Call add(ctx, words) for each piece of text the post should also be indexed
 * under: the abbreviation where the text has the expansion, the expansion where
 * it has the abbreviation. */
void synonyms_apply(const synonyms *s, const char *text, void (*add)(void *ctx, const char *words),
                    void *ctx);

#endif
