/* templates.h — template syntax out of a Markdown body. Blog posts carry the
 * syntax of the generator that renders them: Liquid and Nunjucks tags, Hugo and
 * Zola shortcodes, Go-template helpers, MDX imports, exports, components and
 * expressions. None of it is text a reader sees, so it must not be indexed or
 * shown in a snippet. templates_strip() removes it from the body before cmark
 * parses it; inside code (fenced and indented code blocks, inline code spans)
 * everything stays exactly as written, unless the generator renders templates
 * there too (templates_strip_for: Jekyll's Liquid, Hugo's shortcodes).
 *
 * What is recognised, and what becomes of it (outside code):
 *
 *   {% tag ... %}            Liquid, Nunjucks, Zola tags       removed
 *   {{ expr }}  {{{ expr }}} Liquid output, Zola shortcode     removed
 *                            calls, Go-template helpers,
 *                            Handlebars
 *   {{ "text" }}             a string alone on one line        its text (how Liquid
 *                                                              posts show "{{")
 *   {# ... #}                Nunjucks / Jinja / Zola comment   removed
 *   {{< sc >}}  {{% sc %}}   Hugo shortcodes                   removed (a pair's
 *                                                              inner text stays)
 *   {{</ * sc * />}}         Hugo's escaped shortcode          written as Hugo
 *   {{%/ * sc * /%}}         (no space between / and *: a C    shows it: {{< sc >}}
 *                            comment cannot hold them)
 *   {% raw %}..{% endraw %}, {% verbatim %}..{% endverbatim %},
 *   {% highlight x %}..{% endhighlight %}, {{< highlight x >}}..{{< /highlight >}}
 *                            verbatim pairs                    the two tags removed,
 *                                                              the content kept as
 *                                                              written, templates and all
 *   {% comment %}..{% endcomment %}
 *                            Liquid comment                    removed with its content
 *   import ... / export ...  MDX ESM, at the start of a block  removed up to the next
 *                            at column 0                       blank line outside
 *                                                              brackets
 *   <Name ...>, </Name>, <Name ... />
 *                            JSX components (capital first     the tags removed, the
 *                            letter; lowercase tags are HTML   text between them kept
 *                            and left to cmark)
 *   {/ * ... * /}            MDX comment                       removed
 *   {expr}                   MDX expression alone on its line  removed
 *                            (braces balanced, quotes skipped;
 *                            {a, b} within prose is text)
 *   {#id}  {.class}  {: ...} heading / kramdown attributes at  removed
 *                            the end of a line
 *
 * Every newline of the input is kept, so cmark's blocks and line numbers are
 * those of the original; a removed span becomes nothing.
 *
 * Where a construct does not end:
 *  - an opener whose closer is missing before the end of its paragraph (a blank
 *    line or a fence) is not a template: it is left as written ("{%" in prose,
 *    "{{" with no "}}"); so is a component tag with no ">";
 *  - a verbatim pair or a comment whose end tag never comes is not a pair: its
 *    opening tag is removed like any tag and the rest is read as usual;
 *  - a verbatim pair ends at its first end tag, as Liquid's does, even one
 *    inside code (which then stays in the code, as all code does).
 *
 * Limits, for hostile input: time is linear in the input (each "no closer here"
 * is remembered for the rest of the paragraph; a component tag is looked for
 * over at most 2 KiB, and all of a paragraph's over four times its length, an
 * expression within its own line), nothing recurses, and the
 * only memory is the output, never longer than the input. Pairs do not nest:
 * only the verbatim pairs and comments are paired at all, and those end at
 * their first end tag, as Liquid's do. A backtick run longer than 32 never
 * opens a code span. */
#ifndef LOOM_TEMPLATES_H
#define LOOM_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>

/* The kinds of construct, for counting what was removed. */
typedef enum templates_kind {
    TMPL_TAG,          /* {% ... %} */
    TMPL_OUTPUT,       /* {{ ... }}, {{{ ... }}} */
    TMPL_COMMENT,      /* {# ... #}, {% comment %}...{% endcomment %} */
    TMPL_SHORTCODE,    /* {{< ... >}}, {{% ... %}} */
    TMPL_ESCAPED,      /* Hugo's escaped shortcodes */
    TMPL_VERBATIM,     /* raw, verbatim and highlight pairs */
    TMPL_ESM,          /* MDX import / export blocks */
    TMPL_COMPONENT,    /* JSX component tags */
    TMPL_EXPRESSION,   /* MDX {expressions} and comments */
    TMPL_ATTRIBUTE,    /* {#id}, {.class}, {: ...} at a line's end */
    TMPL_N_KINDS
} templates_kind;

/* What one call removed: a count for each kind. */
typedef struct templates_counts {
    size_t n[TMPL_N_KINDS];
} templates_counts;

/* md[0..len) without its template syntax, as a malloc'd NUL-terminated string
 * of *out_len bytes (never more than len; the caller frees it). counts may be
 * NULL; otherwise it is zeroed and filled. Never fails (out of memory aborts,
 * see text.h); any bytes are accepted, and valid UTF-8 stays valid. */
char *templates_strip(const char *md, size_t len, size_t *out_len, templates_counts *counts);

/* templates_strip, and with liquid_in_code also Liquid's {{ ... }} and
 * {% ... %} inside code (each on one line), as Jekyll renders them there:
 * only {% raw %}...{% endraw %} keeps them, and its two tags go. Code inside
 * a verbatim pair opened outside it stays as written. With
 * shortcodes_in_code, Hugo's shortcodes inside code (each on one line) go as
 * well, and an escaped one is shown as the shortcode, as Hugo renders them
 * there (also inside its highlight pair). */
char *templates_strip_for(const char *md, size_t len, size_t *out_len, templates_counts *counts,
                          bool liquid_in_code, bool shortcodes_in_code);

/* A short name of a kind ("tag", "output", ...), for reports. */
const char *templates_kind_name(templates_kind kind);

#endif
