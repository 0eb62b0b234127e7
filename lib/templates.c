/* templates.c — template syntax out of a Markdown body (include/templates.h is
 * the manual). One forward pass. At a line that starts a block, the block is
 * classified as cmark would: blank, fenced or indented code (copied as is), an
 * MDX import/export or expression block (removed), else a paragraph. A
 * paragraph runs to the next blank line, fence or heading; inside it code spans
 * are copied as is and the constructs of the tables below are removed. Every
 * "not found from here" is remembered for the rest of the paragraph (or the
 * input), which keeps the pass linear on hostile input. */
#include "templates.h"

#include "text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define NONE SIZE_MAX
#define MAX_BACKTICKS 32    /* a longer run never opens a code span */
#define MAX_COMPONENT 2048  /* bytes a component tag may span */
#define MAX_EXPRESSION 4096 /* bytes of an expression line */
#define MAX_ESM 16384       /* past this an ESM block ends at any blank line */
#define MAX_ATTRIBUTE 256   /* bytes of a {#id} attribute */

#define LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"

/* Delimited constructs, tried in order at a '{' outside code: the first whose
 * opener matches, whose next character (after whitespace control and spaces)
 * is one of lead, and whose closer comes before the paragraph ends, wins. */
typedef struct delim {
    const char *open, *close;
    const char *lead; /* NULL: anything may follow */
    templates_kind kind;
} delim;

static const delim delims[] = {
    {"{{</*", "*/>}}", NULL, TMPL_ESCAPED},
    {"{{%/*", "*/%}}", NULL, TMPL_ESCAPED},
    {"{{<", ">}}", LETTERS "/", TMPL_SHORTCODE},
    {"{{%", "%}}", LETTERS "/", TMPL_SHORTCODE},
    {"{{{", "}}}", LETTERS ".", TMPL_OUTPUT},
    {"{{", "}}", LETTERS ".$\"'(/!#>^&@[", TMPL_OUTPUT},
    {"{%", "%}", LETTERS "#", TMPL_TAG},
    {"{#", "#}", NULL, TMPL_COMMENT},
    {"{/*", "*/}", NULL, TMPL_EXPRESSION},
};
#define N_DELIMS (sizeof delims / sizeof delims[0])

/* Tags that open a pair: the content of a kept pair stays as written, that of
 * a dropped pair goes with its tags. family is the opener of both tags. */
typedef struct pair {
    const char *family, *name, *end;
    bool keep;
    bool code; /* its content is code, shown as a code block */
} pair;

static const pair pairs[] = {
    {"{%", "raw", "endraw", true, false},
    {"{%", "verbatim", "endverbatim", true, false},
    {"{%", "highlight", "endhighlight", true, true},
    {"{%", "comment", "endcomment", false, false},
    {"{{<", "highlight", "/highlight", true, true},
    {"{{%", "highlight", "/highlight", true, true},
};
#define N_PAIRS (sizeof pairs / sizeof pairs[0])

/* What may follow "export " for the line to be MDX's ESM. */
static const char *const export_words[] = {
    "const", "let", "var", "function", "class", "default", "async", "type", "interface", "enum",
};

static const char *const kind_names[TMPL_N_KINDS] = {
    [TMPL_TAG] = "tag",           [TMPL_OUTPUT] = "output",   [TMPL_COMMENT] = "comment",
    [TMPL_SHORTCODE] = "shortcode", [TMPL_ESCAPED] = "escaped", [TMPL_VERBATIM] = "verbatim",
    [TMPL_ESM] = "esm",           [TMPL_COMPONENT] = "component",
    [TMPL_EXPRESSION] = "expression", [TMPL_ATTRIBUTE] = "attribute",
};

typedef struct scan {
    const char *s;
    size_t n, p;   /* the input, its length, where the pass is */
    char *out;     /* the output, never longer than the input */
    size_t len;
    templates_counts counts;
    size_t scope_end;   /* end of the paragraph being read (a line start) */
    size_t list_indent; /* content column of the list being read, 0 outside */
    char fence;         /* '`' or '~' inside a fenced code block, else 0 */
    size_t fence_len, fence_indent;
    int verbatim;                       /* the open kept pair, or -1 */
    bool verbatim_fenced;               /* its tags became the fences of a code block */
    size_t verbatim_at, verbatim_end;   /* where its end tag is */
    size_t no_close[N_DELIMS];          /* this paragraph: no closer from here on */
    size_t bt_last[MAX_BACKTICKS + 1];  /* this paragraph: last run of each length */
    bool bt_scanned;                    /* bt_last is filled */
    size_t tag_budget;                  /* this paragraph: bytes component tags may still scan */
    size_t no_end[N_PAIRS];             /* the input: no end tag from here on */
    bool liquid_code;                   /* Liquid in code is removed (Jekyll) */
    bool shortcode_code;                /* Hugo's shortcodes in code are rendered (Hugo) */
    bool code_raw;                      /* in code, inside {% raw %} */
    size_t code_no_close[2];            /* in code: no "}}" / "%}" before here */
} scan;

/* One line as the block parser sees it. */
typedef struct line_shape {
    size_t end;        /* its '\n', or the input's end */
    size_t text;       /* after blockquote markers and indentation */
    size_t content;    /* after a list marker too */
    size_t indent;     /* columns of indentation (after blockquote markers) */
    size_t marker_col; /* content column after a list marker, 0 when none */
    bool quoted, blank;
} line_shape;

/* ---- Output ---------------------------------------------------------------- */

static void copy_to(scan *sc, size_t end)
{
    memcpy(sc->out + sc->len, sc->s + sc->p, end - sc->p);
    sc->len += end - sc->p;
    sc->p = end;
}

/* Drop s[p..end) but its newlines, so the lines stay where they were. */
static void blank_to(scan *sc, size_t end)
{
    const char *nl;
    while (sc->p < end && (nl = memchr(sc->s + sc->p, '\n', end - sc->p))) {
        sc->out[sc->len++] = '\n';
        sc->p = (size_t)(nl - sc->s) + 1;
    }
    sc->p = end;
}

/* A construct of kind found at p, ending at end: removed and counted. */
static bool remove_span(scan *sc, size_t end, templates_kind kind)
{
    blank_to(sc, end);
    sc->counts.n[kind]++;
    return true;
}

static void emit(scan *sc, const char *s, size_t n)
{
    memcpy(sc->out + sc->len, s, n);
    sc->len += n;
}

/* ---- Small scanners ------------------------------------------------------------ */

/* The first occurrence of needle in s[from..to), or NONE. */
static size_t find(const char *s, size_t from, size_t to, const char *needle)
{
    size_t k = strlen(needle);
    if (from >= to || to - from < k)
        return NONE;
    const char *hit = memmem(s + from, to - from, needle, k);
    return hit ? (size_t)(hit - s) : NONE;
}

static size_t run_of(const char *s, size_t i, size_t to, char c)
{
    size_t j = i;
    while (j < to && s[j] == c)
        j++;
    return j - i;
}

static size_t line_end(const scan *sc, size_t from)
{
    const char *nl = memchr(sc->s + from, '\n', sc->n - from);
    return nl ? (size_t)(nl - sc->s) : sc->n;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool only_space(const char *s, size_t i, size_t to)
{
    while (i < to && is_space(s[i]))
        i++;
    return i == to;
}

/* Whether c is one of set (never for NUL). */
static bool in_set(char c, const char *set)
{
    return c && strchr(set, c);
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whitespace control ("{%-", "{{~") and spaces after an opener. */
static size_t skip_inside(const char *s, size_t i, size_t to)
{
    while (i < to && (s[i] == '-' || s[i] == '~' || s[i] == '+'))
        i++;
    while (i < to && is_space(s[i]))
        i++;
    return i;
}

/* The length of a list marker at s[i] with the spaces after it, or 0. */
static size_t list_marker(const char *s, size_t i, size_t eol)
{
    size_t j = i;
    if (j < eol && (s[j] == '-' || s[j] == '*' || s[j] == '+'))
        j++;
    else {
        while (j < eol && j - i < 9 && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == i || j >= eol || (s[j] != '.' && s[j] != ')'))
            return 0;
        j++;
    }
    if (j < eol && s[j] != ' ' && s[j] != '\t')
        return 0;
    size_t spaces = run_of(s, j, eol, ' ');
    return j - i + (spaces > 4 ? 1 : spaces);
}

static line_shape shape_of(const scan *sc, size_t at)
{
    const char *s = sc->s;
    line_shape ls = {.end = line_end(sc, at)};
    size_t i = at;
    for (;;) { /* blockquote markers, each after up to 3 spaces */
        size_t j = i + run_of(s, i, ls.end, ' ');
        if (j - i > 3 || j >= ls.end || s[j] != '>')
            break;
        ls.quoted = true;
        i = j + 1 + (j + 1 < ls.end && s[j + 1] == ' ');
    }
    for (; i < ls.end && (s[i] == ' ' || s[i] == '\t'); i++)
        ls.indent = s[i] == '\t' ? ls.indent + 4 - ls.indent % 4 : ls.indent + 1;
    ls.text = i;
    ls.blank = only_space(s, i, ls.end);
    size_t m = ls.blank ? 0 : list_marker(s, i, ls.end);
    ls.marker_col = m ? ls.indent + m : 0;
    ls.content = i + m;
    return ls;
}

/* Whether the line opens a fenced code block; its fence in *ch and *len. */
static bool fence_opens(const scan *sc, const line_shape *ls, char *ch, size_t *len)
{
    const char *s = sc->s;
    size_t i = ls->content;
    if (ls->indent > sc->list_indent + 3 || i >= ls->end || (s[i] != '`' && s[i] != '~'))
        return false;
    size_t k = run_of(s, i, ls->end, s[i]);
    if (k < 3 || (s[i] == '`' && memchr(s + i + k, '`', ls->end - i - k)))
        return false;
    *ch = s[i];
    *len = k;
    return true;
}

static bool heading_line(const scan *sc, const line_shape *ls)
{
    size_t k = run_of(sc->s, ls->content, ls->end, '#');
    size_t after = ls->content + k;
    return k >= 1 && k <= 6 && (after == ls->end || is_space(sc->s[after]));
}

/* ---- Blocks ---------------------------------------------------------------- */

/* Where the paragraph that starts at from ends: the next blank line, fence or
 * heading, or after from's line when that is a heading. */
static size_t paragraph_end(const scan *sc, size_t from)
{
    line_shape ls = shape_of(sc, from);
    if (heading_line(sc, &ls))
        return ls.end < sc->n ? ls.end + 1 : sc->n;
    size_t i = ls.end;
    while (i < sc->n) {
        i++;
        ls = shape_of(sc, i);
        char ch;
        size_t k;
        if (ls.blank || fence_opens(sc, &ls, &ch, &k) || heading_line(sc, &ls))
            return i;
        i = ls.end;
    }
    return sc->n;
}

static void open_paragraph(scan *sc)
{
    sc->scope_end = paragraph_end(sc, sc->p);
    for (size_t i = 0; i < N_DELIMS; i++)
        sc->no_close[i] = NONE;
    sc->bt_scanned = false;
    /* Tags that do not close would make a paragraph of "<A {" quadratic. */
    sc->tag_budget = 4 * (sc->scope_end - sc->p) + MAX_COMPONENT;
}

/* The Liquid tag's name at s[i..) just past "{%" ("raw", "endraw"), its
 * length in *n. */
static const char *liquid_name(const scan *sc, size_t i, size_t to, size_t *n)
{
    while (i < to && (sc->s[i] == '-' || is_space(sc->s[i])))
        i++;
    size_t j = i;
    while (j < to && name_char(sc->s[j]))
        j++;
    *n = j - i;
    return sc->s + i;
}

/* Is the output s[from..to) (inside "{{" and "}}") only a quoted string on
 * one line, as Liquid and Nunjucks authors write to show braces ({{ "{{" }})?
 * Then its text is s[*lit..*lit_end), which the page shows. */
static bool string_output(const char *s, size_t from, size_t to, size_t *lit, size_t *lit_end)
{
    if (memchr(s + from, '\n', to - from))
        return false; /* one line: every newline of the input stays where it was */
    while (from < to && (s[from] == '-' || is_space(s[from])))
        from++;
    while (to > from && (s[to - 1] == '-' || is_space(s[to - 1])))
        to--;
    if (to - from < 2 || (s[from] != '"' && s[from] != '\'') || s[to - 1] != s[from] ||
        memchr(s + from + 1, s[from], to - from - 2))
        return false;
    *lit = from + 1, *lit_end = to - 1;
    return true;
}

/* Remove the output at sc->p..end, or write the string it shows. */
static void remove_output(scan *sc, size_t end)
{
    size_t lit, lit_end;
    if (!string_output(sc->s, sc->p + 2, end - 2, &lit, &lit_end)) {
        remove_span(sc, end, TMPL_OUTPUT);
        return;
    }
    emit(sc, sc->s + lit, lit_end - lit);
    sc->p = end;
    sc->counts.n[TMPL_OUTPUT]++;
}

/* The end of a Liquid {{ ... }} or {% ... %} opening at `at` inside code, on
 * its line (before to), or NONE. Each kind's failed search is remembered to
 * the line's end, so a line of openers with no closer is read once. */
static size_t code_liquid_end(scan *sc, size_t at, size_t to)
{
    int kind = sc->s[at + 1] == '{' ? 0 : sc->s[at + 1] == '%' ? 1 : -1;
    if (kind < 0 || (sc->code_no_close[kind] != NONE && at < sc->code_no_close[kind]))
        return NONE;
    const char *nl = memchr(sc->s + at, '\n', to - at);
    size_t eol = nl ? (size_t)(nl - sc->s) : to;
    size_t close = find(sc->s, at + 2, eol, kind == 0 ? "}}" : "%}");
    if (close == NONE)
        sc->code_no_close[kind] = eol;
    return close == NONE ? NONE : close + 2;
}

/* A Hugo shortcode opening at `at` inside code, on its line (before to): its
 * end, or NONE; *escaped when it is the escaped form (see templates.h). */
static size_t code_shortcode_end(const scan *sc, size_t at, size_t to, bool *escaped)
{
    const char *nl = memchr(sc->s + at, '\n', to - at);
    size_t eol = nl ? (size_t)(nl - sc->s) : to;
    for (size_t d = 0; d < 4; d++) { /* delims[0..3]: the escaped forms, then the plain */
        size_t ol = strlen(delims[d].open);
        if (at + ol > eol || memcmp(sc->s + at, delims[d].open, ol) != 0)
            continue;
        size_t lead = at + ol;
        while (lead < eol && is_space(sc->s[lead]))
            lead++;
        if (delims[d].lead && (lead == eol || !in_set(sc->s[lead], delims[d].lead)))
            return NONE;
        size_t close = find(sc->s, at + ol, eol, delims[d].close);
        *escaped = delims[d].kind == TMPL_ESCAPED;
        return close == NONE ? NONE : close + strlen(delims[d].close);
    }
    return NONE;
}

/* Copy code up to end as Hugo renders it: a shortcode is its output, which
 * is unknown here, so it goes ('version="{{< latest >}}"' is 'version=""');
 * an escaped one is shown as the shortcode. Hugo does so in its own
 * highlight pair too. */
static void copy_code_hugo(scan *sc, size_t end)
{
    while (sc->p < end) {
        const char *b = memchr(sc->s + sc->p, '{', end - sc->p);
        size_t at = b ? (size_t)(b - sc->s) : end;
        copy_to(sc, at);
        bool escaped = false;
        size_t close = at < end ? code_shortcode_end(sc, at, end, &escaped) : NONE;
        if (close == NONE) {
            copy_to(sc, at < end ? at + 1 : end);
            continue;
        }
        if (escaped) { /* shown as the shortcode: its "/ *" and "* /" go */
            emit(sc, sc->s + at, 3);
            emit(sc, sc->s + at + 5, close - at - 10);
            emit(sc, sc->s + close - 3, 3);
            sc->p = close;
            sc->counts.n[TMPL_ESCAPED]++;
        } else {
            remove_span(sc, close, TMPL_SHORTCODE);
        }
    }
}

/* Copy code up to end; for Jekyll, without the Liquid Jekyll renders there;
 * for Hugo, with its shortcodes rendered. */
static void copy_code(scan *sc, size_t end)
{
    if (sc->shortcode_code && (sc->verbatim < 0 || pairs[sc->verbatim].family[1] == '{')) {
        copy_code_hugo(sc, end);
        return;
    }
    if (!sc->liquid_code || sc->verbatim >= 0) {
        copy_to(sc, end);
        return;
    }
    while (sc->p < end) {
        const char *b = memchr(sc->s + sc->p, '{', end - sc->p);
        size_t at = b ? (size_t)(b - sc->s) : end;
        copy_to(sc, at);
        if (at + 1 >= end) {
            copy_to(sc, end);
            return;
        }
        size_t close = code_liquid_end(sc, at, end), n = 0;
        const char *name = close != NONE && sc->s[at + 1] == '%' ? liquid_name(sc, at + 2, close, &n) : "";
        bool raw_tag = n == 3 && strncmp(name, "raw", 3) == 0;
        bool endraw_tag = n == 6 && strncmp(name, "endraw", 6) == 0;
        if (close == NONE || (sc->code_raw && !endraw_tag)) {
            copy_to(sc, at + 1);
            continue;
        }
        sc->code_raw = raw_tag || (sc->code_raw && !endraw_tag);
        if (sc->s[at + 1] == '{')
            remove_output(sc, close);
        else
            remove_span(sc, close, TMPL_TAG);
    }
}

static void copy_line(scan *sc, const line_shape *ls)
{
    copy_code(sc, ls->end < sc->n ? ls->end + 1 : sc->n);
}

/* A line inside a fenced code block: copied; a closing fence ends the block. */
static void fence_line(scan *sc)
{
    line_shape ls = shape_of(sc, sc->p);
    size_t k = run_of(sc->s, ls.text, ls.end, sc->fence);
    if (k >= sc->fence_len && ls.indent <= sc->fence_indent + 3 &&
        only_space(sc->s, ls.text + k, ls.end))
        sc->fence = 0;
    copy_line(sc, &ls);
}

/* Whether the line starts an MDX import or export. */
static bool esm_starts(const scan *sc, const line_shape *ls)
{
    const char *s = sc->s + ls->text;
    size_t n = ls->end - ls->text;
    if (ls->quoted || ls->indent || n < 8 || !is_space(s[6]))
        return false;
    size_t i = 6;
    while (i < n && is_space(s[i]))
        i++;
    if (i == n)
        return false;
    if (memcmp(s, "import", 6) == 0) {
        if (in_set(s[i], "{*\"'"))
            return true;
        size_t w = i;
        while (i < n && name_char(s[i]))
            i++;
        size_t after = i;
        while (after < n && s[after] == ' ')
            after++;
        return i > w && after < n &&
               (s[after] == ',' || (n - after > 5 && memcmp(s + after, "from", 4) == 0 &&
                                    in_set(s[after + 4], " '\"")));
    }
    if (memcmp(s, "export", 6) != 0)
        return false;
    if (s[i] == '{' || s[i] == '*')
        return true;
    for (size_t w = 0; w < sizeof export_words / sizeof export_words[0]; w++) {
        size_t k = strlen(export_words[w]);
        if (n - i > k && memcmp(s + i, export_words[w], k) == 0 && !name_char(s[i + k]))
            return true;
    }
    return false;
}

/* Whether the line after the newline at i is blank (or there is none). */
static bool blank_follows(const scan *sc, size_t i)
{
    size_t j = i + 1;
    while (j < sc->n && (sc->s[j] == ' ' || sc->s[j] == '\t' || sc->s[j] == '\r'))
        j++;
    return j >= sc->n || sc->s[j] == '\n';
}

/* An MDX import/export block: removed up to a blank line outside brackets (or
 * any blank line once it is long), as MDX reads it. */
static bool esm_block(scan *sc, const line_shape *ls)
{
    if (sc->verbatim >= 0 || !esm_starts(sc, ls))
        return false;
    const char *s = sc->s;
    size_t depth = 0, i = sc->p;
    char quote = 0;
    for (; i < sc->n; i++) {
        char c = s[i];
        if (quote) {
            if (c == '\\')
                i++;
            else if (c == quote || (c == '\n' && quote != '`'))
                quote = 0;
        } else if (c == '"' || c == '\'' || c == '`')
            quote = c;
        else if (c == '{' || c == '(' || c == '[')
            depth++;
        else if ((c == '}' || c == ')' || c == ']') && depth)
            depth--;
        if (i < sc->n && s[i] == '\n' && blank_follows(sc, i) &&
            ((quote == 0 && depth == 0) || i - sc->p > MAX_ESM))
            break;
    }
    return remove_span(sc, i < sc->n ? i + 1 : sc->n, TMPL_ESM);
}

/* The end of a bracketed span from s[i] ('{' or '<' plus attributes): the
 * index of its closing brace (closer '}') or of the tag's '>' (closer '>'),
 * skipping quoted strings and {...}; NONE when it does not close before to,
 * or a '<' comes first outside braces. *stop is where the scan ended. */
static size_t bracket_end(const char *s, size_t i, size_t to, char closer, size_t *stop)
{
    size_t depth = 0;
    char quote = 0;
    for (; i < to; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'' || (c == '`' && depth))
            quote = c;
        else if (c == '{')
            depth++;
        else if ((c == '}' && depth && --depth == 0 && closer == '}') ||
                 (depth == 0 && c == closer))
            return *stop = i;
        else if (depth == 0 && c == '<' && closer == '>')
            break;
    }
    *stop = i;
    return NONE;
}

/* At the start of a line outside a paragraph: whether the line was a whole
 * block of its own and has been dealt with; false for a paragraph. */
static bool block_start(scan *sc)
{
    line_shape ls = shape_of(sc, sc->p);
    if (ls.blank || ls.indent >= sc->list_indent + 4) { /* indented code */
        copy_line(sc, &ls);
        return true;
    }
    if (ls.marker_col)
        sc->list_indent = ls.marker_col;
    else if (ls.indent < sc->list_indent)
        sc->list_indent = 0;
    char ch;
    size_t k;
    if (fence_opens(sc, &ls, &ch, &k)) {
        sc->fence = ch;
        sc->fence_len = k;
        sc->fence_indent = ls.marker_col ? ls.marker_col : ls.indent;
        copy_line(sc, &ls);
        return true;
    }
    return esm_block(sc, &ls);
}

/* ---- Code spans ------------------------------------------------------------ */

/* The start of the next run of exactly k backticks in the paragraph, from
 * `from` (just after a whole run), or NONE. The first search that fails
 * records the last run of each length, so no later one scans again. */
static size_t backtick_closer(scan *sc, size_t from, size_t k)
{
    if (sc->bt_scanned && (sc->bt_last[k] == NONE || sc->bt_last[k] < from))
        return NONE;
    bool record = !sc->bt_scanned;
    if (record)
        for (size_t i = 0; i <= MAX_BACKTICKS; i++)
            sc->bt_last[i] = NONE;
    size_t i = from, end = sc->scope_end;
    const char *b;
    while (i < end && (b = memchr(sc->s + i, '`', end - i))) {
        size_t j = (size_t)(b - sc->s), r = run_of(sc->s, j, end, '`');
        if (r == k)
            return j;
        if (record && r <= MAX_BACKTICKS)
            sc->bt_last[r] = j;
        i = j + r;
    }
    sc->bt_scanned = record || sc->bt_scanned;
    return NONE;
}

static void code_span(scan *sc)
{
    size_t p = sc->p, slashes = 0;
    while (slashes < p && sc->s[p - 1 - slashes] == '\\')
        slashes++;
    if (slashes % 2) { /* an escaped backtick is a character */
        copy_to(sc, p + 1);
        return;
    }
    size_t k = run_of(sc->s, p, sc->scope_end, '`');
    size_t close = k <= MAX_BACKTICKS ? backtick_closer(sc, p + k, k) : NONE;
    if (close == NONE)
        copy_to(sc, p + k);
    else
        copy_code(sc, close + k);
}

/* ---- Inline constructs -------------------------------------------------------- */

/* Whether delims[d] matches at p; the end of its closer in *end. */
static bool delim_at(scan *sc, size_t d, size_t *end)
{
    const delim *dl = &delims[d];
    size_t ol = strlen(dl->open), p = sc->p, to = sc->scope_end;
    if (to - p < ol || memcmp(sc->s + p, dl->open, ol) != 0)
        return false;
    if (dl->lead) {
        size_t j = skip_inside(sc->s, p + ol, to);
        if (j >= to || !in_set(sc->s[j], dl->lead))
            return false;
    }
    if (sc->no_close[d] <= p + ol)
        return false;
    size_t close = find(sc->s, p + ol, to, dl->close);
    if (close == NONE) {
        sc->no_close[d] = p + ol;
        return false;
    }
    *end = close + strlen(dl->close);
    return true;
}

/* The pair a tag of family opens (or, with want_end, closes), or -1. */
static int pair_of(const scan *sc, const char *family, size_t from, size_t to, bool want_end)
{
    size_t i = skip_inside(sc->s, from, to), j = i + (i < to && sc->s[i] == '/');
    while (j < to && name_char(sc->s[j]))
        j++;
    for (size_t k = 0; k < N_PAIRS; k++) {
        const char *name = want_end ? pairs[k].end : pairs[k].name;
        if (strcmp(pairs[k].family, family) == 0 && strlen(name) == j - i &&
            memcmp(sc->s + i, name, j - i) == 0)
            return (int)k;
    }
    return -1;
}

/* The end of the first end tag of pairs[k] from `from`, in code or not (as
 * Liquid reads it), or NONE; where it starts in *at. */
static size_t pair_end(scan *sc, size_t k, size_t from, size_t *at)
{
    const pair *pr = &pairs[k];
    if (sc->no_end[k] <= from)
        return NONE;
    size_t fl = strlen(pr->family), i = from, c = NONE;
    const char *close = strcmp(pr->family, "{%") == 0 ? "%}" : pr->family[2] == '<' ? ">}}" : "%}}";
    while ((i = find(sc->s, i, sc->n, pr->family)) != NONE) {
        if (c == NONE || c < i + fl) /* the closer found last serves every tag before it */
            c = find(sc->s, i + fl, sc->n, close);
        if (c == NONE)
            break;
        if (pair_of(sc, pr->family, i + fl, c, true) == (int)k) {
            *at = i;
            return c + strlen(close);
        }
        i += fl;
    }
    sc->no_end[k] = from;
    return NONE;
}

/* Whether s[from..to) stands alone on its line: at most three spaces before
 * it (more would make the line code), spaces and tabs after. */
static bool alone_on_line(const scan *sc, size_t from, size_t to)
{
    size_t i = from;
    while (i > 0 && from - i <= 3 && sc->s[i - 1] == ' ')
        i--;
    if (from - i > 3 || (i > 0 && sc->s[i - 1] != '\n'))
        return false;
    while (to < sc->n && (sc->s[to] == ' ' || sc->s[to] == '\t' || sc->s[to] == '\r'))
        to++;
    return to == sc->n || sc->s[to] == '\n';
}

/* A highlight pair (code) whose two tags stand alone on their lines, with no
 * fence between them, becomes a code block: its tags become "~~~~" fences, so
 * a "# comment" in its code is no heading. Shorter than either tag. */
static bool fence_pair(const scan *sc, size_t k, size_t open_at, size_t open_end, size_t end_at,
                       size_t end_end)
{
    return pairs[k].code && alone_on_line(sc, open_at, open_end) && alone_on_line(sc, end_at, end_end) &&
           find(sc->s, open_end, end_at, "```") == NONE && find(sc->s, open_end, end_at, "~~~") == NONE;
}

/* A tag or shortcode that matched at p, ending at end: removed, and a pair it
 * opens begun (a dropped pair removed whole). */
static void remove_tag(scan *sc, size_t d, size_t end)
{
    const delim *dl = &delims[d];
    size_t ol = strlen(dl->open), cl = strlen(dl->close);
    int k = dl->kind == TMPL_TAG || dl->kind == TMPL_SHORTCODE
                ? pair_of(sc, dl->open, sc->p + ol, end - cl, false)
                : -1;
    size_t pstart = NONE, pend = k >= 0 ? pair_end(sc, (size_t)k, end, &pstart) : NONE;
    bool fenced = pend != NONE && fence_pair(sc, (size_t)k, sc->p, end, pstart, pend);
    if (dl->kind == TMPL_ESCAPED) { /* shown by Hugo as the shortcode itself */
        emit(sc, dl->open, 3);
        emit(sc, sc->s + sc->p + ol, end - cl - sc->p - ol);
        emit(sc, dl->close + 2, 3);
        sc->p = end;
    } else if (dl->kind == TMPL_OUTPUT && strcmp(dl->open, "{{") == 0) {
        remove_output(sc, end);
        return;
    } else
        blank_to(sc, pend != NONE && !pairs[k].keep ? pend : end);
    if (fenced)
        emit(sc, "~~~~", 4);
    if (pend != NONE && pairs[k].keep) {
        sc->verbatim = k;
        sc->verbatim_at = pstart;
        sc->verbatim_end = pend;
        sc->verbatim_fenced = fenced;
    }
    templates_kind kind = pend == NONE ? dl->kind : pairs[k].keep ? TMPL_VERBATIM : TMPL_COMMENT;
    sc->counts.n[kind]++;
}

/* An output that was all of an autolink ("<{{ release.url }}>") leaves "<>",
 * which is no text either: both go with it. */
static void drop_empty_autolink(scan *sc, size_t start_len)
{
    if (sc->len == start_len && start_len > 0 && sc->out[start_len - 1] == '<' && sc->p < sc->n &&
        sc->s[sc->p] == '>') {
        sc->len--;
        sc->p++;
    }
}

static bool match_delims(scan *sc)
{
    size_t end;
    for (size_t d = 0; d < N_DELIMS; d++)
        if (delim_at(sc, d, &end)) {
            size_t start_len = sc->len;
            remove_tag(sc, d, end);
            if (delims[d].kind == TMPL_OUTPUT)
                drop_empty_autolink(sc, start_len);
            return true;
        }
    return false;
}

/* Inside a kept pair, where only its end tag is removed, and the tags of
 * other kept pairs of its family (a raw inside a highlight marks the same
 * content twice); the pair's own opening tag again is its content. */
static bool match_in_verbatim(scan *sc)
{
    const pair *pr = &pairs[sc->verbatim];
    if (sc->p == sc->verbatim_at) {
        blank_to(sc, sc->verbatim_end);
        if (sc->verbatim_fenced)
            emit(sc, "~~~~", 4);
        sc->verbatim = -1;
        return true;
    }
    if (sc->shortcode_code && pr->family[1] == '{') { /* Hugo renders shortcodes in its pair */
        bool escaped = false;
        size_t close = code_shortcode_end(sc, sc->p, sc->verbatim_at, &escaped);
        if (close != NONE && !escaped && pair_of(sc, pr->family, sc->p + 3, close - 3, false) < 0)
            return remove_span(sc, close, TMPL_SHORTCODE);
    }
    size_t end;
    for (size_t d = 0; d < N_DELIMS; d++) {
        if (strcmp(delims[d].open, pr->family) != 0 || !delim_at(sc, d, &end))
            continue;
        size_t from = sc->p + strlen(delims[d].open), to = end - strlen(delims[d].close);
        int open = pair_of(sc, pr->family, from, to, false);
        int close = pair_of(sc, pr->family, from, to, true);
        int other = open >= 0 ? open : close;
        if (other < 0 || other == sc->verbatim || !pairs[other].keep)
            return false;
        return remove_span(sc, end, TMPL_VERBATIM);
    }
    return false;
}

/* A JSX component's tag: <Name ...>, <Name ... />, </Name>. */
static bool match_component(scan *sc)
{
    const char *s = sc->s;
    size_t p = sc->p, i = p + 1;
    size_t room = sc->tag_budget < MAX_COMPONENT ? sc->tag_budget : MAX_COMPONENT;
    size_t to = sc->scope_end - p > room ? p + room : sc->scope_end;
    bool closing = i < to && s[i] == '/';
    i += closing;
    if (i >= to || s[i] < 'A' || s[i] > 'Z')
        return false;
    while (i < to && (name_char(s[i]) || s[i] == '.' || s[i] == ':' || s[i] == '-'))
        i++;
    if (i >= to || (!is_space(s[i]) && s[i] != '/' && s[i] != '>'))
        return false;
    size_t stop, close = bracket_end(s, i, to, '>', &stop);
    sc->tag_budget -= stop - p;
    if (close == NONE || (closing && !only_space(s, i, close)))
        return false;
    return remove_span(sc, close + 1, TMPL_COMPONENT);
}

/* An MDX expression alone on its line: {...}, braces balanced. */
static bool match_expression(scan *sc)
{
    const char *s = sc->s;
    size_t p = sc->p, before = p;
    while (before > 0 && (s[before - 1] == ' ' || s[before - 1] == '\t'))
        before--;
    if ((before > 0 && s[before - 1] != '\n') || (p + 1 < sc->n && in_set(s[p + 1], "{%#")))
        return false;
    size_t eol = line_end(sc, p);
    size_t stop, close = bracket_end(s, p, eol - p > MAX_EXPRESSION ? p + MAX_EXPRESSION : eol, '}', &stop);
    if (close == NONE || !only_space(s, close + 1, eol))
        return false;
    return remove_span(sc, close + 1, TMPL_EXPRESSION);
}

/* {#id}, {.class} or {: ...} as the last thing on its line. */
static bool match_attribute(scan *sc)
{
    const char *s = sc->s;
    size_t p = sc->p, i = p + 1, to = sc->scope_end;
    if (to - p < 3 || !in_set(s[i], "#.:") || (s[i] != ':' && !in_set(s[i + 1], LETTERS)))
        return false;
    while (i < to && i - p < MAX_ATTRIBUTE && s[i] != '}' && s[i] != '{' && s[i] != '\n')
        i++;
    size_t after = i + 1;
    while (after < sc->n && (s[after] == ' ' || s[after] == '\t' || s[after] == '\r'))
        after++;
    if (i >= to || s[i] != '}' || (after < sc->n && s[after] != '\n'))
        return false;
    return remove_span(sc, i + 1, TMPL_ATTRIBUTE);
}

/* The inline constructs, by the character they start with. */
static const struct {
    char first;
    bool (*match)(scan *sc);
} inline_constructs[] = {
    {'{', match_delims},
    {'<', match_component},
    {'{', match_expression},
    {'{', match_attribute},
};

static bool special(char c)
{
    return c == '`' || c == '{' || c == '<' || c == '\n';
}

/* One step inside a paragraph: a code span, a construct, or plain bytes. */
static void inline_step(scan *sc)
{
    char c = sc->s[sc->p];
    if (c == '`') {
        code_span(sc);
        return;
    }
    if (sc->verbatim >= 0) {
        if (c == '{' && match_in_verbatim(sc))
            return;
    } else
        for (size_t i = 0; i < sizeof inline_constructs / sizeof inline_constructs[0]; i++)
            if (inline_constructs[i].first == c && inline_constructs[i].match(sc))
                return;
    size_t end = sc->p + 1;
    while (end < sc->scope_end && !special(sc->s[end]))
        end++;
    copy_to(sc, end);
}

/* ---- The pass -------------------------------------------------------------- */

char *templates_strip(const char *md, size_t len, size_t *out_len, templates_counts *counts)
{
    return templates_strip_for(md, len, out_len, counts, false, false);
}

char *templates_strip_for(const char *md, size_t len, size_t *out_len, templates_counts *counts,
                          bool liquid_in_code, bool shortcodes_in_code)
{
    scan sc = {.s = md, .n = len, .out = xmalloc(len + 1), .verbatim = -1,
               .liquid_code = liquid_in_code, .shortcode_code = shortcodes_in_code,
               .code_no_close = {NONE, NONE}};
    for (size_t k = 0; k < N_PAIRS; k++)
        sc.no_end[k] = NONE;
    while (sc.p < sc.n) {
        bool line_start = sc.p == 0 || md[sc.p - 1] == '\n';
        if (line_start && sc.fence) {
            fence_line(&sc);
            continue;
        }
        if (sc.verbatim >= 0 && sc.p > sc.verbatim_at)
            sc.verbatim = -1; /* its end tag was in code, and stays there */
        if (sc.p >= sc.scope_end) {
            if (line_start && block_start(&sc))
                continue;
            open_paragraph(&sc);
        }
        inline_step(&sc);
    }
    sc.out[sc.len] = '\0';
    if (out_len)
        *out_len = sc.len;
    if (counts)
        *counts = sc.counts;
    return sc.out;
}

const char *templates_kind_name(templates_kind kind)
{
    return (unsigned)kind < TMPL_N_KINDS ? kind_names[kind] : "unknown";
}
