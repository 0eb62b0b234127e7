/* html_text.c — HTML to the post model's text (html_text.h): a cheap scan that
 * refuses input too large or too deep for gumbo, gumbo's HTML5 parse, and one
 * walk of its tree with an explicit stack that sorts what a reader sees into
 * text, headings, sections, alt text, link text and code. WordPress shortcodes
 * are taken out of each text node on the way. */
#include "html_text.h"
#include "post_internal.h"

#include "text.h"

#include <gumbo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { HTML_MAX_BYTES = 8u << 20, HTML_MAX_DEPTH = 400, HTML_MAX_ATTRIBUTES = 256 };

static bool is_space(char c);

/* ---- The depth scan ------------------------------------------------------------ */

/* gumbo builds its tree without recursion but frees it recursively, so a deep
 * tree must be refused before it exists. The scan below approximates the depth
 * of the tree gumbo would build, erring towards too deep:
 *  - a start tag opens an element, except void elements (<br>, <img>...) and
 *    elements whose end tag is optional and which never nest in themselves (<p>,
 *    <li>, <td>, <option>...); "<x/>" opens nothing inside <svg> or <math>,
 *    but does in HTML, where the slash means nothing;
 *  - an end tag closes the nearest open element of its name among the 64 most
 *    recent, and is ignored when there is none (a stray </div>);
 *  - a formatting element (<b>, <i>, <a>...) closed by another's end tag still
 *    counts, for gumbo reopens it in the next block (as browsers do: an
 *    unclosed <b> runs on) until an end tag of its name; so sloppy markup such
 *    as many "<div><b>x</div>" is refused, as is the same trick used to nest;
 *  - comments and the contents of <script>, <style> and <textarea> are skipped;
 *    quotes in attributes are not, so a '>' inside one ends its tag early. */
enum { SCAN_LOOKBACK = 64 };

typedef struct scan_entry {
    uint32_t name;   /* hash of the lower-cased tag name */
    bool foreign;    /* its children are SVG or MathML, where "<x/>" closes */
    bool formatting; /* <b>, <i>, <a>...: reopened by gumbo after an implicit close */
} scan_entry;

typedef struct scan_tag {
    enum { TAG_NONE, TAG_START, TAG_END } kind;
    const char *name; /* in the input, not NUL-terminated */
    size_t name_len;
    bool self_closing;
} scan_tag;

static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        h = (h ^ (uint32_t)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
    }
    return h;
}

static bool name_in(const scan_tag *t, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == t->name_len && strncasecmp(names[i], t->name, t->name_len) == 0)
            return true;
    return false;
}

/* Start tags that do not deepen the tree. */
static const char *const scan_flat[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", NULL};
static const char *const scan_raw[] = {"script", "style", "textarea", NULL};
static const char *const scan_foreign[] = {"svg", "math", NULL};
static const char *const scan_formatting[] = {"a", "b", "big", "code", "em", "font", "i", "nobr",
                                              "s", "small", "strike", "strong", "tt", "u", NULL};
static const char *const scan_html_again[] = {"foreignobject", "desc", "title",
                                              "annotation-xml", NULL};

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == ':' || c == '_';
}

/* Past the end of "<!--...-->", or of a raw-text element's contents: past the
 * first `close` (matched in any case), or the end of the input. */
static size_t skip_to(const char *s, size_t n, size_t i, const char *close, size_t close_len)
{
    while (i < n) {
        const char *hit = memchr(s + i, close[0], n - i);
        if (!hit)
            return n;
        i = (size_t)(hit - s);
        if (n - i >= close_len && strncasecmp(s + i, close, close_len) == 0)
            return i + close_len;
        i++;
    }
    return n;
}

/* Read the tag at s[i] == '<' into *t; returns where scanning goes on. */
static size_t scan_one(const char *s, size_t n, size_t i, scan_tag *t)
{
    *t = (scan_tag){.kind = TAG_NONE};
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
        return skip_to(s, n, i + 4, "-->", 3);
    size_t at = i + 1 + (i + 1 < n && s[i + 1] == '/');
    if (at >= n || !((s[at] | 32) >= 'a' && (s[at] | 32) <= 'z'))
        return i + 1;
    size_t end = at;
    while (end < n && is_name_char(s[end]))
        end++;
    *t = (scan_tag){at == i + 1 ? TAG_START : TAG_END, s + at, end - at, false};
    /* Up to '>' but never past another '<', so the scan stays linear. */
    while (end < n && s[end] != '>' && s[end] != '<')
        end++;
    t->self_closing = end < n && s[end] == '>' && s[end - 1] == '/';
    if (end < n && s[end] == '>')
        end++;
    if (t->kind == TAG_START && name_in(t, scan_raw)) {
        char close[16] = "</";
        memcpy(close + 2, t->name, t->name_len); /* at most "textarea" */
        return skip_to(s, n, end, close, 2 + t->name_len);
    }
    return end;
}

/* The end tag t closes the nearest open element of its name, if any; the
 * formatting elements it closes on the way linger, and one of its name is
 * forgotten when none is open. */
static void scan_close(scan_entry *stack, size_t *depth, size_t *lingering, const scan_tag *t)
{
    uint32_t name = name_hash(t->name, t->name_len);
    for (size_t k = *depth; k > 0 && *depth - k < SCAN_LOOKBACK; k--)
        if (stack[k - 1].name == name) {
            for (size_t j = k; j < *depth; j++)
                *lingering += stack[j].formatting;
            *depth = k - 1;
            return;
        }
    if (*lingering && name_in(t, scan_formatting))
        --*lingering;
}

static bool too_deep(const char *s, size_t n, unsigned max_depth)
{
    scan_entry *stack = xmalloc(((size_t)max_depth + 1) * sizeof *stack);
    size_t depth = 0, lingering = 0, i = 0;
    while (depth + lingering <= max_depth && i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        scan_tag t;
        i = scan_one(s, n, (size_t)(lt - s), &t);
        bool foreign = depth && stack[depth - 1].foreign;
        if (t.kind == TAG_START && !name_in(&t, scan_flat) && !(t.self_closing && foreign)) {
            bool html_again = foreign && name_in(&t, scan_html_again);
            stack[depth++] = (scan_entry){name_hash(t.name, t.name_len),
                                          name_in(&t, scan_foreign) || (foreign && !html_again),
                                          !foreign && name_in(&t, scan_formatting)};
        } else if (t.kind == TAG_END) {
            scan_close(stack, &depth, &lingering, &t);
        }
    }
    free(stack);
    return depth + lingering > max_depth;
}

/* gumbo compares each attribute of a tag with all before it, so a tag of
 * many thousands of attributes takes minutes. Counted roughly as its tokenizer
 * reads them: from '<' and a letter to the next '>' outside a quoted value
 * (quoted when the quote follows '=' at once), each run of bytes without
 * white space is one; over-counting where spaces surround '='. The contents of
 * <script> and <style> and comments are skipped. */
static bool too_many_attributes(const char *s, size_t n, size_t max)
{
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            return false;
        scan_tag t;
        size_t start = (size_t)(lt - s), next = scan_one(s, n, start, &t);
        if (t.kind != TAG_START) {
            i = next;
            continue;
        }
        size_t count = 0;
        char quote = 0;
        for (i = (size_t)(t.name - s) + t.name_len; i < n && (quote || s[i] != '>'); i++) {
            if (quote || ((s[i] == '"' || s[i] == '\'') && s[i - 1] == '=')) {
                quote = quote ? (s[i] == quote ? 0 : quote) : s[i];
                continue;
            }
            if (!is_space(s[i]) && is_space(s[i - 1]) && ++count > max)
                return true;
        }
        i = next > i ? next : i; /* past a <script>'s contents */
    }
    return false;
}

/* ---- WordPress shortcodes ------------------------------------------------------ */

/* A bracket is a shortcode when a name follows it at once ("[caption", "[/caption")
 * and the name ends in ']', "/]", a space, or "=http" (Jetpack's [youtube=URL];
 * "[x=1]" stays text). Known names always go (a pair's
 * inner text stays, except [embed]'s, which is a URL); an unknown name goes only
 * when it has attributes (a '=' before its ']', as in [contact-form id="3"]), or
 * as a closer ("[/name]", nothing else inside). So "[1]", "[sic]", "[citation needed]" and "[a, b]"
 * stay text. A tag is read within one text node and up to 2048 bytes. */
enum { SHORTCODE_MAX = 2048 };

static const char *const shortcodes_known[] = {"caption", "wp_caption", "embed", "gallery",
                                               "audio", "video", "playlist", NULL};

typedef struct shortcode {
    size_t len;       /* bytes from '[' to ']' inclusive; 0: not a shortcode */
    bool closer;      /* "[/name]" */
    bool known;
    bool embed;       /* an [embed] opener: its contents go too */
} shortcode;

static shortcode shortcode_at(const char *s, size_t n)
{
    shortcode sc = {0};
    size_t i = 1 + (n > 1 && s[1] == '/');
    size_t name = i;
    if (i >= n || !(s[i] >= 'a' && s[i] <= 'z'))
        return sc;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                     s[i] == '_' || s[i] == '-'))
        i++;
    bool url_form = i + 5 < n && s[i] == '=' && strncmp(s + i + 1, "http", 4) == 0;
    if (i >= n || (s[i] != ']' && s[i] != ' ' && s[i] != '/' && !url_form) || (name == 2 && s[i] != ']'))
        return sc; /* a closer is "[/name]" exactly: "[/usr/bin]" is text */
    scan_tag t = {.name = s + name, .name_len = i - name};
    bool has_attrs = false;
    while (i < n && i < SHORTCODE_MAX && s[i] != ']' && s[i] != '[')
        has_attrs |= s[i++] == '=';
    if (i >= n || s[i] != ']')
        return sc;
    sc.closer = name == 2;
    sc.known = name_in(&t, shortcodes_known);
    if (!sc.known && !sc.closer && !has_attrs)
        return sc;
    sc.len = i + 1;
    sc.embed = !sc.closer && t.name_len == 5 && memcmp(t.name, "embed", 5) == 0;
    return sc;
}

/* Append s[0..n) to out without its shortcodes. */
static void shortcodes_strip(strbuf *out, const char *s, size_t n)
{
    size_t i = 0;
    bool embed_closed = true; /* false once an [embed] had no closer after it */
    while (i < n) {
        const char *open = memchr(s + i, '[', n - i);
        size_t at = open ? (size_t)(open - s) : n;
        sb_append(out, s + i, at - i);
        if (at == n)
            break;
        shortcode sc = shortcode_at(s + at, n - at);
        if (!sc.len) {
            sb_putc(out, '[');
            i = at + 1;
            continue;
        }
        i = at + sc.len;
        if (sc.embed && embed_closed) {
            const char *close = memmem(s + i, n - i, "[/embed]", 8);
            embed_closed = close != NULL;
            if (close)
                i = (size_t)(close - s) + 8;
        }
    }
}

/* SyntaxHighlighter's [code] and [sourcecode] (WordPress.com has them on every
 * blog): the tags never show, and what is between them is shown as written,
 * line by line, as code. Each pair becomes <pre><code> before the parse, so
 * its lines stay lines and its text is code; an opener with no closer after
 * it is left to the shortcode rules. One pass: a closer found ends the
 * search, and a name with no closer left is not looked for again. */
static const char *const code_shortcodes[] = {"code", "sourcecode"};

/* The length of a code shortcode's opener at s ("[code]", "[code lang=x]"),
 * and which name it is, or 0. */
static size_t code_opener(const char *s, size_t n, size_t *which)
{
    for (size_t k = 0; k < sizeof code_shortcodes / sizeof *code_shortcodes; k++) {
        size_t m = strlen(code_shortcodes[k]);
        if (n < m + 2 || s[0] != '[' || memcmp(s + 1, code_shortcodes[k], m) != 0 ||
            (s[m + 1] != ']' && s[m + 1] != ' '))
            continue;
        for (size_t i = m + 1; i < n && i < SHORTCODE_MAX; i++) {
            if (s[i] == ']') {
                *which = k;
                return i + 1;
            }
            if (s[i] == '[' || s[i] == '<' || s[i] == '\n')
                break;
        }
    }
    return 0;
}

/* Code as written between the shortcodes: a '<' is a character, not a tag
 * ("[code]<div>[/code]" shows <div>), while an entity the editor wrote
 * ("&lt;") still reads as its character. */
static void append_code_text(strbuf *out, const char *s, size_t n)
{
    for (const char *lt; n && (lt = memchr(s, '<', n)); n -= (size_t)(lt + 1 - s), s = lt + 1) {
        sb_append(out, s, (size_t)(lt - s));
        sb_puts(out, "&lt;");
    }
    sb_append(out, s, n);
}

/* html with each closed code shortcode pair as <pre><code>...</code></pre>, as
 * a new string of *out_len bytes, or NULL when it has none. */
static char *code_shortcodes_as_pre(const char *html, size_t len, size_t *out_len)
{
    strbuf out = {0};
    bool closer_left[2] = {true, true}, changed = false;
    size_t copied = 0;
    for (const char *at = memchr(html, '[', len); at; at = memchr(at + 1, '[', len - (size_t)(at + 1 - html))) {
        size_t which, open = code_opener(at, len - (size_t)(at - html), &which);
        if (!open || !closer_left[which])
            continue;
        char closer[16];
        int closer_len = snprintf(closer, sizeof closer, "[/%s]", code_shortcodes[which]);
        const char *inner = at + open;
        const char *close = memmem(inner, len - (size_t)(inner - html), closer, (size_t)closer_len);
        if (!close) {
            closer_left[which] = false;
            continue;
        }
        sb_append(&out, html + copied, (size_t)(at - html) - copied);
        sb_puts(&out, "<pre><code>");
        append_code_text(&out, inner, (size_t)(close - inner));
        sb_puts(&out, "</code></pre>");
        copied = (size_t)(close - html) + (size_t)closer_len;
        changed = true;
        at = html + copied - 1;
        if (copied >= len)
            break;
    }
    if (!changed)
        return NULL;
    sb_append(&out, html + copied, len - copied);
    *out_len = out.len;
    return sb_take(&out);
}

/* ---- Text pieces --------------------------------------------------------------- */

/* s[0..n) as text that may be stored: invalid UTF-8 becomes U+FFFD (utf8_clean,
 * which also drops C0 controls but tab and newline), and DEL and the C1 controls
 * (U+0080..U+009F) go as well. */
static void clean_into(strbuf *out, const char *s, size_t n)
{
    size_t len;
    char *clean = utf8_clean(s, n, &len);
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)clean[i];
        size_t drop = c == 0x7f ? 1
                    : c == 0xc2 && i + 1 < len && (unsigned char)clean[i + 1] < 0xa0 ? 2
                                                                                       : 0;
        if (drop) {
            sb_append(out, clean + from, i - from);
            from = i + drop;
            i += drop - 1;
        }
    }
    sb_append(out, clean + from, len - from);
    free(clean);
}

static char last_char(const strbuf *sb)
{
    return sb->len ? sb->data[sb->len - 1] : '\n';
}

/* A separator between words: a space, or a newline between blocks. Nothing at
 * the start, never two in a row; a newline replaces a space. */
static void separate(strbuf *sb, char c)
{
    char last = last_char(sb);
    if (last == '\n' || (last == ' ' && c == ' '))
        return;
    if (last == ' ')
        sb->data[sb->len - 1] = '\n';
    else
        sb_putc(sb, c);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Append words as HTML shows them outside <pre>: each run of white space one
 * separator. s is clean text. */
static void put_words(strbuf *sb, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (is_space(s[i])) {
            separate(sb, ' ');
            while (i < n && is_space(s[i]))
                i++;
            continue;
        }
        size_t start = i;
        while (i < n && !is_space(s[i]))
            i++;
        sb_append(sb, s + start, i - start);
    }
}

static void trim_end(strbuf *sb)
{
    while (sb->len && is_space(sb->data[sb->len - 1]))
        sb->data[--sb->len] = '\0';
}

/* ---- The walk ------------------------------------------------------------------ */

/* What an element is to a reader, by gumbo's tag; an unknown tag is inline. */
enum {
    R_BLOCK = 1 << 0,   /* a newline before and after */
    R_CELL = 1 << 1,    /* a space before and after */
    R_BREAK = 1 << 2,   /* <br>: a newline */
    R_DROP = 1 << 3,    /* nothing inside is read */
    R_HEADING = 1 << 4,
    R_LINK = 1 << 5,
    R_CODE = 1 << 6,
    R_PRE = 1 << 7,     /* white space kept */
    R_CAPTION = 1 << 8, /* text goes to alt_text too */
    R_IMG = 1 << 9,
    R_SECTION = 1 << 10, /* set on a heading's frame when it starts a section */
};

static const unsigned short tag_roles[GUMBO_TAG_LAST] = {
    [GUMBO_TAG_HEAD] = R_DROP, [GUMBO_TAG_SCRIPT] = R_DROP, [GUMBO_TAG_STYLE] = R_DROP,
    [GUMBO_TAG_NAV] = R_DROP, [GUMBO_TAG_TEMPLATE] = R_DROP, [GUMBO_TAG_NOSCRIPT] = R_DROP,
    [GUMBO_TAG_IFRAME] = R_DROP, [GUMBO_TAG_SVG] = R_DROP,
    [GUMBO_TAG_H1] = R_BLOCK | R_HEADING, [GUMBO_TAG_H2] = R_BLOCK | R_HEADING,
    [GUMBO_TAG_H3] = R_BLOCK | R_HEADING, [GUMBO_TAG_H4] = R_BLOCK | R_HEADING,
    [GUMBO_TAG_H5] = R_BLOCK | R_HEADING, [GUMBO_TAG_H6] = R_BLOCK | R_HEADING,
    [GUMBO_TAG_A] = R_LINK, [GUMBO_TAG_CODE] = R_CODE, [GUMBO_TAG_KBD] = R_CODE,
    [GUMBO_TAG_SAMP] = R_CODE, [GUMBO_TAG_PRE] = R_BLOCK | R_CODE | R_PRE,
    [GUMBO_TAG_FIGCAPTION] = R_BLOCK | R_CAPTION, [GUMBO_TAG_IMG] = R_IMG,
    [GUMBO_TAG_BR] = R_BREAK, [GUMBO_TAG_HR] = R_BLOCK, [GUMBO_TAG_TD] = R_CELL,
    [GUMBO_TAG_TH] = R_CELL, [GUMBO_TAG_P] = R_BLOCK, [GUMBO_TAG_DIV] = R_BLOCK,
    [GUMBO_TAG_SECTION] = R_BLOCK, [GUMBO_TAG_ARTICLE] = R_BLOCK, [GUMBO_TAG_ASIDE] = R_BLOCK,
    [GUMBO_TAG_HEADER] = R_BLOCK, [GUMBO_TAG_FOOTER] = R_BLOCK, [GUMBO_TAG_MAIN] = R_BLOCK,
    [GUMBO_TAG_ADDRESS] = R_BLOCK, [GUMBO_TAG_BLOCKQUOTE] = R_BLOCK, [GUMBO_TAG_UL] = R_BLOCK,
    [GUMBO_TAG_OL] = R_BLOCK, [GUMBO_TAG_LI] = R_BLOCK, [GUMBO_TAG_DL] = R_BLOCK,
    [GUMBO_TAG_DT] = R_BLOCK, [GUMBO_TAG_DD] = R_BLOCK, [GUMBO_TAG_TABLE] = R_BLOCK,
    [GUMBO_TAG_CAPTION] = R_BLOCK, [GUMBO_TAG_TR] = R_BLOCK, [GUMBO_TAG_FIGURE] = R_BLOCK,
    [GUMBO_TAG_DETAILS] = R_BLOCK, [GUMBO_TAG_SUMMARY] = R_BLOCK, [GUMBO_TAG_FORM] = R_BLOCK,
    [GUMBO_TAG_FIELDSET] = R_BLOCK, [GUMBO_TAG_LEGEND] = R_BLOCK, [GUMBO_TAG_CENTER] = R_BLOCK,
};

typedef struct walker {
    strbuf text, headings, alt, links, code;
    unsigned in_heading, in_link, in_code, in_pre, in_caption;
    size_t heading_start;   /* text's length where the outermost heading began */
    const char *heading_id; /* its id, while in it (the tree's own string) */
    post_section *sections;
    size_t n_sections;
} walker;

typedef struct frame {
    GumboNode *node;
    unsigned next; /* the next child to visit */
    unsigned role; /* R_* applied on entering, undone on leaving */
} frame;

static const char *attr(const GumboElement *el, const char *name)
{
    GumboAttribute *a = gumbo_get_attribute(&el->attributes, name);
    return a ? a->value : NULL;
}

/* Whether CSS text sets display: none (spaces and case ignored). */
static bool style_hides(const char *css)
{
    static const char want[] = "display:none";
    size_t got = 0;
    for (const char *c = css; *c; c++) {
        char lower = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        if (is_space(lower))
            continue;
        got = lower == want[got] ? got + 1 : lower == want[0];
        if (got == sizeof want - 1)
            return true;
    }
    return false;
}

/* Hidden from readers, or marked for search to ignore. hidden="until-found"
 * is found by a browser's find-in-page, so search finds it too. */
static bool element_hidden(const GumboElement *el)
{
    const char *hidden = attr(el, "hidden");
    const char *aria = attr(el, "aria-hidden");
    const char *style = attr(el, "style");
    return (hidden && strcasecmp(hidden, "until-found") != 0) ||
           attr(el, "data-loomsearch-ignore") || (aria && strcasecmp(aria, "true") == 0) ||
           (style && style_hides(style));
}

/* Words of a text node to every piece the walk is inside. */
static void add_text(walker *w, const char *s, size_t n)
{
    strbuf clean = {0};
    if (w->in_code) {
        clean_into(&clean, s, n);
    } else {
        strbuf plain = {0};
        shortcodes_strip(&plain, s, n);
        clean_into(&clean, plain.data ? plain.data : "", plain.len);
        sb_free(&plain);
    }
    const char *c = clean.data ? clean.data : "";
    if (w->in_pre)
        sb_append(&w->text, c, clean.len);
    else
        put_words(&w->text, c, clean.len);
    if (w->in_code && w->in_pre)
        sb_append(&w->code, c, clean.len);
    else if (w->in_code)
        put_words(&w->code, c, clean.len);
    if (w->in_heading)
        put_words(&w->headings, c, clean.len);
    if (w->in_link)
        put_words(&w->links, c, clean.len);
    if (w->in_caption)
        put_words(&w->alt, c, clean.len);
    sb_free(&clean);
}

/* <img alt>: alt text only, as post.c keeps a Markdown image's (a reader sees
 * the picture, not its description); the words either side stay apart. */
static void add_alt(walker *w, const GumboElement *el)
{
    const char *alt = attr(el, "alt");
    separate(&w->text, ' ');
    if (!alt || !*alt)
        return;
    strbuf clean = {0};
    clean_into(&clean, alt, strlen(alt));
    put_words(&w->alt, clean.data, clean.len);
    separate(&w->alt, '\n');
    sb_free(&clean);
}

/* An element's id as a URL's fragment names it: the bytes a URL cannot hold
 * as written (space and controls, quotes, angle brackets, '%') %-escaped; a
 * browser decodes them back ("#a%20b" finds id="a b"). */
static void anchor_of_id(strbuf *out, const char *id)
{
    strbuf clean = {0};
    clean_into(&clean, id, strlen(id));
    trim_end(&clean);
    for (size_t i = 0; i < clean.len; i++) {
        unsigned char c = (unsigned char)clean.data[i];
        if (c <= ' ' || c == 0x7f || strchr("\"'<>`%", c))
            sb_printf(out, "%%%02X", c);
        else
            sb_putc(out, (char)c);
    }
    sb_free(&clean);
}

/* A level 1-3 heading outside another heading starts a section, as in post.c;
 * the element's own id is kept as its anchor. */
static unsigned heading_enter(walker *w, const GumboElement *el)
{
    unsigned role = 0;
    bool section = el->tag == GUMBO_TAG_H1 || el->tag == GUMBO_TAG_H2 || el->tag == GUMBO_TAG_H3;
    if (!w->in_heading)
        w->heading_start = w->text.len, w->heading_id = attr(el, "id");
    if (!w->in_heading && section) {
        const char *id = attr(el, "id");
        strbuf anchor = {0};
        if (id)
            anchor_of_id(&anchor, id);
        trim_end(&anchor);
        w->sections = xrealloc(w->sections, (w->n_sections + 1) * sizeof *w->sections);
        w->sections[w->n_sections++] =
            (post_section){.offset = w->text.len, .anchor = anchor.len ? sb_take(&anchor) : NULL};
        sb_free(&anchor);
        role = R_SECTION;
    }
    w->in_heading++;
    return role;
}

static void heading_exit(walker *w, unsigned role)
{
    w->in_heading--;
    if (role & R_SECTION) {
        post_section *sec = &w->sections[w->n_sections - 1];
        size_t end = w->text.len;
        while (end > sec->offset && is_space(w->text.data[end - 1]))
            end--;
        sec->heading = xstrndup(w->text.data ? w->text.data + sec->offset : "", end - sec->offset);
    }
    if (!w->in_heading)
        separate(&w->headings, '\n');
}

/* Has n's text a letter or a digit (any script)? Looked at only for a link
 * inside a heading: a few nodes. */
static bool has_word_text(const GumboNode *n, unsigned depth)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA)
        return has_letter_or_digit(n->v.text.text);
    if (n->type != GUMBO_NODE_ELEMENT || depth > 8)
        return false;
    const GumboVector *kids = &n->v.element.children;
    for (unsigned i = 0; i < kids->length; i++)
        if (has_word_text(kids->data[i], depth + 1))
            return true;
    return false;
}

/* A heading's permalink: a link inside a heading to a fragment, with no
 * word of its own ("¶", "#", "⌗": Sphinx, hugo-theme-terminal), or to the
 * heading's own id after the heading's words ("Setup <a href=#setup>Link to
 * heading</a>": hugo-coder). It is no part of the heading; a heading that is
 * all one link keeps its text, and so does a link to "#" alone. */
static bool is_heading_permalink(const walker *w, const GumboElement *el)
{
    const char *href = el->tag == GUMBO_TAG_A && w->in_heading ? attr(el, "href") : NULL;
    if (!href || href[0] != '#' || !href[1])
        return false;
    strbuf fragment = {0}; /* "#cabe%C3%A7alhos" names the id "cabeçalhos" */
    percent_decode(&fragment, href + 1);
    bool to_itself = w->heading_id && strcmp(fragment.data, w->heading_id) == 0;
    sb_free(&fragment);
    for (size_t i = w->heading_start; to_itself && i < w->text.len; i++)
        if (!is_space(w->text.data[i]))
            return true;
    const GumboVector *kids = &el->children;
    for (unsigned i = 0; i < kids->length; i++)
        if (has_word_text(kids->data[i], 0))
            return false;
    return true;
}

/* Enter an element: its roles (R_DROP: skip it whole), with the walk's state
 * set for its contents. */
static unsigned element_enter(walker *w, const GumboElement *el)
{
    unsigned role = el->tag < GUMBO_TAG_LAST ? tag_roles[el->tag] : 0;
    if ((role & R_DROP) || element_hidden(el) || is_heading_permalink(w, el))
        return R_DROP;
    if (role & R_BLOCK)
        separate(&w->text, '\n');
    if (role & R_CELL)
        separate(&w->text, ' ');
    if (role & R_BREAK)
        separate(&w->text, '\n');
    if (role & R_IMG)
        add_alt(w, el);
    if (role & R_HEADING)
        role |= heading_enter(w, el);
    w->in_link += !!(role & R_LINK);
    w->in_code += !!(role & R_CODE);
    w->in_pre += !!(role & R_PRE);
    w->in_caption += !!(role & R_CAPTION);
    return role;
}

static void element_exit(walker *w, unsigned role)
{
    if (role & R_HEADING)
        heading_exit(w, role);
    if ((role & R_LINK) && !--w->in_link)
        separate(&w->links, '\n');
    if ((role & R_CODE) && !--w->in_code)
        separate(&w->code, '\n');
    w->in_pre -= !!(role & R_PRE);
    if ((role & R_CAPTION) && !--w->in_caption)
        separate(&w->alt, '\n');
    if (role & R_BLOCK)
        separate(&w->text, '\n');
    if (role & R_CELL)
        separate(&w->text, ' ');
}

/* Visit one node; an element to read inside is pushed on the stack. */
static void visit(walker *w, GumboNode *node, frame **stack, size_t *depth, size_t *cap)
{
    switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
        add_text(w, node->v.text.text, strlen(node->v.text.text));
        return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
        break;
    default: /* comments (so Gutenberg's block comments), the document */
        return;
    }
    unsigned role = element_enter(w, &node->v.element);
    if (role & R_DROP)
        return;
    if (*depth == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *stack = xrealloc(*stack, *cap * sizeof **stack);
    }
    (*stack)[(*depth)++] = (frame){node, 0, role};
}

/* The whole tree in document order, without recursion. */
static void walk(walker *w, GumboNode *root)
{
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    visit(w, root, &stack, &depth, &cap);
    while (depth) {
        frame *top = &stack[depth - 1];
        const GumboVector *children = &top->node->v.element.children;
        if (top->next < children->length) {
            visit(w, children->data[top->next++], &stack, &depth, &cap);
            continue;
        }
        element_exit(w, top->role);
        depth--;
    }
    free(stack);
}

/* The walk's pieces into p, in place of the text fields it held. */
static void store(post *p, walker *w, bool ids_as_served)
{
    struct {
        char **field;
        strbuf *piece;
    } pieces[] = {{&p->text, &w->text}, {&p->headings, &w->headings}, {&p->alt_text, &w->alt},
                  {&p->link_text, &w->links}, {&p->code, &w->code}};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        trim_end(pieces[i].piece);
        free(*pieces[i].field);
        *pieces[i].field = sb_take(pieces[i].piece);
    }
    for (size_t i = 0; i < p->n_sections; i++) {
        free(p->sections[i].heading);
        free(p->sections[i].anchor);
    }
    free(p->sections);
    size_t len = strlen(p->text);
    for (size_t i = 0; i < w->n_sections; i++) /* an empty last heading, trimmed away */
        if (w->sections[i].offset > len)
            w->sections[i].offset = len;
    p->sections = w->sections;
    p->n_sections = w->n_sections;
    for (size_t i = 0; ids_as_served && i < p->n_sections; i++)
        if (!p->sections[i].anchor)
            p->sections[i].anchor = xstrdup("");
    post_finish_sections(p->sections, &p->n_sections);
}

/* Refuse what must not reach gumbo: too large, not text, too deep. */
static post_status check_input(const char *path, const char *html, size_t len,
                               const html_options *options, post_error *err)
{
    size_t max_bytes = options && options->max_bytes ? options->max_bytes : HTML_MAX_BYTES;
    unsigned max_depth = options && options->max_depth ? options->max_depth : HTML_MAX_DEPTH;
    if (len > max_bytes)
        return post_fail(err, POST_ETOOBIG, path, 0, "HTML of %zu bytes, more than the limit of %zu",
                         len, max_bytes);
    size_t bad;
    if (!utf8_valid(html, len, &bad)) /* a NUL byte fails as well: binary, not text */
        return post_fail(err, html[bad] ? POST_EUTF8 : POST_EBINARY, path,
                         line_of_offset(html, bad), "%s (byte 0x%02x at offset %zu)",
                         html[bad] ? "invalid UTF-8" : "binary: NUL byte, not HTML text",
                         (unsigned char)html[bad], bad);
    if (too_deep(html, len, max_depth))
        return post_fail(err, POST_EFIELD, path, 0, "nests deeper than %u", max_depth);
    if (too_many_attributes(html, len, HTML_MAX_ATTRIBUTES))
        return post_fail(err, POST_EFIELD, path, 0, "a tag with more than %d attributes",
                         HTML_MAX_ATTRIBUTES);
    return POST_OK;
}

/* ---- gumbo's memory ------------------------------------------------------------ */

/* gumbo frees its tree recursively, so a tree deeper than the depth scan
 * foresaw could overflow the stack. Every block gumbo allocates is kept in a
 * list instead; once read, every element is cut off from its children, so that
 * gumbo_destroy_output goes one level down, and the list frees the rest. */
typedef union heap_block {
    struct {
        union heap_block *prev, *next;
    } link;
    max_align_t align;
} heap_block;

static void *heap_alloc(void *heap, size_t size)
{
    heap_block *list = heap, *b = xmalloc(sizeof *b + size);
    b->link.prev = list;
    b->link.next = list->link.next;
    list->link.next->link.prev = b;
    list->link.next = b;
    return b + 1;
}

static void heap_free(void *heap, void *ptr)
{
    (void)heap;
    if (!ptr)
        return;
    heap_block *b = (heap_block *)ptr - 1;
    b->link.prev->link.next = b->link.next;
    b->link.next->link.prev = b->link.prev;
    free(b);
}

static void heap_free_all(heap_block *list)
{
    while (list->link.next != list)
        heap_free(list, list->link.next + 1);
}

/* Cut every element in the tree off from its children, without recursion. */
static void flatten(GumboNode *root)
{
    GumboNode **stack = xmalloc(64 * sizeof *stack);
    size_t n = 0, cap = 64;
    stack[n++] = root;
    while (n) {
        GumboNode *node = stack[--n];
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE)
            continue;
        GumboVector *children = &node->v.element.children;
        if (n + children->length > cap) {
            cap = 2 * (n + children->length);
            stack = xrealloc(stack, cap * sizeof *stack);
        }
        for (unsigned i = 0; i < children->length; i++)
            stack[n++] = children->data[i];
        children->length = 0;
    }
    free(stack);
}

/* A copy of html without control characters (C0 but tab, newline, carriage
 * return and form feed; DEL; C1), which gumbo would turn into U+FFFD; NULL when
 * there are none. html is valid UTF-8. */
static char *without_controls(const char *html, size_t len, size_t *out_len)
{
    char *out = NULL;
    size_t n = 0, from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)html[i];
        bool c1 = c == 0xc2 && i + 1 < len && (unsigned char)html[i + 1] < 0xa0;
        if (!((c < 0x20 && !is_space((char)c)) || c == 0x7f || c1))
            continue;
        if (!out)
            out = xmalloc(len + 1);
        memcpy(out + n, html + from, i - from);
        n += i - from;
        i += c1;
        from = i + 1;
    }
    if (!out)
        return NULL;
    memcpy(out + n, html + from, len - from);
    *out_len = n + len - from;
    return out;
}

/* WordPress content is a fragment of a <body>; a built page is a document. */
static bool is_document(const char *html, size_t len)
{
    size_t i = len >= 3 && memcmp(html, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (i < len && is_space(html[i]))
        i++;
    return (len - i >= 9 && strncasecmp(html + i, "<!doctype", 9) == 0) ||
           (len - i >= 5 && strncasecmp(html + i, "<html", 5) == 0);
}

/* A fragment of a <body> (WordPress content) as a document that opens the
 * body first, so its start is read in the body (a leading <noscript> or
 * <title> does not move to a <head>). Not gumbo's fragment case: there an
 * unclosed <svg> or <math> stays open past the <p> and <h3> after it, where a
 * browser closes it, and the rest of a post was lost. Frees owned. */
static char *as_body_document(const char *html, size_t *len, char *owned)
{
    static const char open[] = "<body>";
    char *doc = xmalloc(sizeof open - 1 + *len + 1);
    memcpy(doc, open, sizeof open - 1);
    memcpy(doc + sizeof open - 1, html, *len);
    *len += sizeof open - 1;
    doc[*len] = '\0';
    free(owned);
    return doc;
}

post_status html_to_post(post *p, const char *path, const char *html, size_t len,
                         const html_options *options, post_error *err)
{
    if (!len)
        html = ""; /* NULL is fine for no bytes */
    post_status rc = check_input(path, html, len, options, err);
    if (rc != POST_OK)
        return rc;
    size_t clean_len = len;
    char *clean = without_controls(html, len, &clean_len);
    char *coded = options && options->wordpress
                      ? code_shortcodes_as_pre(clean ? clean : html, clean_len, &clean_len)
                      : NULL;
    if (coded)
        free(clean), clean = coded;
    if (!is_document(html, len))
        clean = as_body_document(clean ? clean : html, &clean_len, clean);
    heap_block heap = {.link = {&heap, &heap}};
    GumboOptions parser = kGumboDefaultOptions;
    parser.allocator = heap_alloc;
    parser.deallocator = heap_free;
    parser.userdata = &heap;
    parser.max_errors = 0; /* parse errors are not kept: we read as browsers do */
    GumboOutput *out = gumbo_parse_with_options(&parser, clean ? clean : html, clean_len);
    if (!out) {
        heap_free_all(&heap);
        free(clean);
        return post_fail(err, POST_EFIELD, path, 0, "HTML parser failed");
    }
    walker w = {0};
    walk(&w, out->root);
    flatten(out->root);
    gumbo_destroy_output(&parser, out);
    heap_free_all(&heap);
    free(clean);
    store(p, &w, options && options->ids_as_served);
    if (err) {
        err->code = POST_OK;
        err->line = 0;
        err->message[0] = '\0';
    }
    return POST_OK;
}
