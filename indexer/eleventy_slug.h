/* eleventy_slug.h — Eleventy's two slug filters, as a permalink pattern uses
 * them ({{ title | slugify }}, {{ title | slug }}). */
#ifndef LOOM_ELEVENTY_SLUG_H
#define LOOM_ELEVENTY_SLUG_H

/* Eleventy's `slugify` filter (@sindresorhus/slugify, decamelize off):
 * "Don't Panic: it's Über-fine & C++" is "dont-panic-its-ueber-fine-and-c".
 * malloc'd; NULL when s holds a letter of a script the package transliterates
 * by a table we do not hold (Greek, Cyrillic, Arabic...): the caller cannot
 * know the URL. */
char *eleventy_slugify(const char *s);

/* Eleventy's `slug` filter (the slugify package, replacement "-", lower):
 * "Don't Panic & relax" is "don't-panic-and-relax". malloc'd, or NULL as for
 * eleventy_slugify. */
char *eleventy_slug(const char *s);

#endif
