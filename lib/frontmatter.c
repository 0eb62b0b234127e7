/* frontmatter.c — every form of front matter that blog generators write, turned
 * into one JSON tree so that keys are mapped to fields once (post_fields.c):
 *
 *   ---            YAML (Jekyll, Hugo, Eleventy, Astro, Gatsby), read with
 *   key: value     libyaml's document API; ends at "---" or "..."
 *   ---
 *   +++            TOML (Hugo, Zola), read by toml_json (toml++)
 *   key = "value"
 *   +++
 *   {"key": ...}   JSON (Hugo): one object at the very start, ending where the
 *                  object ends; the body starts on the next line
 *   (nothing)      no front matter: every field comes from the body or the path
 *
 * Each top-level key keeps the file line of its value (YAML: the node's mark;
 * TOML and JSON: the line the key is written on), so field errors name it. */
#include "post_internal.h"

#include "text.h"
#include "toml_json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

enum {
    YAML_MAX_DEPTH = 64,      /* nesting a post's front matter never needs */
    YAML_MAX_NODES = 100000,  /* aliases can repeat a subtree: bound the copy */
};

void front_matter_free(front_matter *fm)
{
    json_decref(fm->root);
    json_decref(fm->lines);
    json_decref(fm->plain);
    *fm = (front_matter){0};
}

static void front_matter_init(front_matter *fm, const char *body, size_t body_len)
{
    *fm = (front_matter){.root = json_object(), .lines = json_object(), .plain = json_object(),
                         .first_line = 1, .body = body, .body_len = body_len};
}

/* ---- Fences -------------------------------------------------------------------- */

/* Is the line [p, eol) a fence made of the three characters `fence`, allowing
 * trailing blanks and a CR? */
static bool is_fence(const char *p, const char *eol, const char *fence)
{
    if (eol - p < 3 || memcmp(p, fence, 3) != 0)
        return false;
    for (p += 3; p < eol; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return false;
    return true;
}

static const char *line_end(const char *p, const char *end)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    return eol ? eol : end;
}

typedef struct fenced {
    const char *text; /* between the fences */
    size_t len;
} fenced;

/* p is the start of the opening fence's line; find the closing fence (`fence`,
 * or `alt` when not NULL), and point fm's body after it. */
static post_status find_close(fenced *out, front_matter *fm, const char *path, const char *p,
                              const char *end, const char *fence, const char *alt,
                              post_error *err)
{
    const char *eol = line_end(p, end);
    const char *text = eol < end ? eol + 1 : end;
    for (p = text; p < end;) {
        eol = line_end(p, end);
        if (is_fence(p, eol, fence) || (alt && is_fence(p, eol, alt))) {
            *out = (fenced){.text = text, .len = (size_t)(p - text)};
            fm->body = eol < end ? eol + 1 : end;
            fm->body_len = (size_t)(end - fm->body);
            return POST_OK;
        }
        p = eol < end ? eol + 1 : end;
    }
    return post_fail(err, POST_EUNCLOSED, path, 1,
                     "front matter opened on line 1 is never closed with '%s'", fence);
}

/* ---- Key lines for TOML and JSON ------------------------------------------------ */

/* Note the line of each key written at the start of a line as `key =` (TOML) or
 * `"key":` (JSON), and of each TOML table header `[key]`. Only messages use these
 * lines, so a look at the line's start is enough; the first line found wins. */
static void scan_key_lines(json_t *lines, const char *text, size_t len, size_t first_line,
                           char assign)
{
    const char *p = text, *end = text + len;
    for (size_t line = first_line; p < end; line++) {
        const char *eol = line_end(p, end);
        while (p < eol && (*p == ' ' || *p == '\t' || *p == '{' || *p == ','))
            p++;
        bool header = assign == '=' && p < eol && *p == '[';
        p += header;
        bool quoted = p < eol && *p == '"';
        const char *k = p + quoted, *e = k;
        while (e < eol && (quoted ? *e != '"' : (isalnum((unsigned char)*e) || *e == '_' || *e == '-')))
            e++;
        const char *after = e + quoted;
        while (after < eol && (*after == ' ' || *after == '\t'))
            after++;
        bool keyed = e > k && after < eol && (header ? (*after == ']' || *after == '.') : *after == assign);
        if (keyed) {
            char *key = xstrndup(k, (size_t)(e - k));
            if (!json_object_get(lines, key))
                json_object_set_new(lines, key, json_integer((json_int_t)line));
            free(key);
        }
        p = eol < end ? eol + 1 : end;
    }
}

/* ---- YAML ------------------------------------------------------------------------ */

typedef struct yaml_tree {
    yaml_document_t *doc;
    size_t nodes_left;
} yaml_tree;

/* A plain (unquoted) scalar that YAML reads as null. */
static bool yaml_null(const yaml_node_t *node)
{
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)node->data.scalar.value;
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}

/* The node as JSON: scalars are strings (their meaning is the mapper's to
 * decide: "true", "2024-05-01"), null as null. NULL when too deep or too large. */
static json_t *yaml_node_json(yaml_tree *t, yaml_node_t *node, int depth)
{
    if (!node || depth > YAML_MAX_DEPTH || t->nodes_left == 0)
        return NULL;
    t->nodes_left--;
    if (node->type == YAML_SCALAR_NODE) {
        if (yaml_null(node))
            return json_null();
        size_t n;
        char *s = utf8_clean((const char *)node->data.scalar.value, node->data.scalar.length, &n);
        json_t *v = json_stringn(s, n);
        free(s);
        return v ? v : json_string("");
    }
    if (node->type == YAML_SEQUENCE_NODE) {
        json_t *a = json_array();
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++) {
            json_t *v = yaml_node_json(t, yaml_document_get_node(t->doc, *it), depth + 1);
            if (!v) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, v);
        }
        return a;
    }
    json_t *o = json_object();
    for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = yaml_document_get_node(t->doc, pair->key);
        json_t *v = yaml_node_json(t, yaml_document_get_node(t->doc, pair->value), depth + 1);
        if (!v) {
            json_decref(o);
            return NULL;
        }
        if (k && k->type == YAML_SCALAR_NODE) /* a key that is a list or mapping: ignored */
            json_object_set_new(o, (const char *)k->data.scalar.value, v);
        else
            json_decref(v);
    }
    return o;
}

/* Note each top-level key's value line, and which values are plain scalars.
 * A key given twice takes its last value, as Jekyll (Ruby's YAML) reads it
 * and GitHub Pages publishes it: refusing the post had left real posts out
 * (a Homebrew release announcement; Ruby's site, a Japanese title after the
 * English one). yaml_node_json() keeps the last value the same way. */
static void yaml_note_keys(front_matter *fm, yaml_document_t *doc, yaml_node_t *root)
{
    for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = yaml_document_get_node(doc, pair->key);
        yaml_node_t *v = yaml_document_get_node(doc, pair->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        size_t at = fm->first_line + 1 + v->start_mark.line;
        json_object_set_new(fm->lines, key, json_integer((json_int_t)at));
        if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
            json_object_set_new(fm->plain, key, json_true());
        else
            json_object_del(fm->plain, key);
    }
}

static post_status read_yaml(front_matter *fm, const char *path, const fenced *f, post_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return post_fail(err, POST_EYAML, path, 0, "cannot start the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
    post_status rc = POST_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = post_fail(err, POST_EYAML, path, fm->first_line + 1 + parser.problem_mark.line,
                       "front matter is not valid YAML: %s", parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_tree t = {.doc = &doc, .nodes_left = YAML_MAX_NODES};
    json_t *tree = NULL;
    if (!root) {
        /* "---\n---": front matter with nothing in it */
    } else if (root->type != YAML_MAPPING_NODE) {
        rc = post_fail(err, POST_EYAML, path, 1, "front matter must be a mapping of keys to values");
    } else if (!(tree = yaml_node_json(&t, root, 0))) {
        rc = post_fail(err, POST_EYAML, path, 1, "front matter nests too deep or repeats too much");
    } else {
        json_decref(fm->root);
        fm->root = tree;
        yaml_note_keys(fm, &doc, root);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- TOML and JSON ---------------------------------------------------------------- */

static post_status read_toml(front_matter *fm, const char *path, const fenced *f, post_error *err)
{
    json_t *tree;
    toml_json_error why;
    if (toml_to_json(&tree, f->text, f->len, &why) != 0)
        return post_fail(err, POST_ETOML, path, why.line ? fm->first_line + why.line : 1,
                         "front matter is not valid TOML: %s", why.message);
    json_decref(fm->root);
    fm->root = tree;
    scan_key_lines(fm->lines, f->text, f->len, fm->first_line + 1, '=');
    return POST_OK;
}

/* A JSON object at p (the first byte of the file after a byte-order mark): read
 * it, and start the body on the line after its closing brace. */
static post_status read_json(front_matter *fm, const char *path, const char *p, const char *end,
                             post_error *err)
{
    json_error_t why;
    json_t *tree = json_loadb(p, (size_t)(end - p), JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &why);
    if (!tree)
        return post_fail(err, POST_EJSON, path, why.line > 0 ? (size_t)why.line : 1,
                         "front matter is not valid JSON: %s", why.text);
    json_decref(fm->root);
    fm->root = tree; /* an object: the text starts with '{' */
    const char *close = p + why.position, *eol = line_end(close, end);
    fm->body = eol < end ? eol + 1 : end;
    fm->body_len = (size_t)(end - fm->body);
    scan_key_lines(fm->lines, p, (size_t)(close - p), 1, ':');
    return POST_OK;
}

/* Does the text at p open a JSON object ('{' then, past blanks, '"' or '}')? A
 * Liquid or Hugo tag ("{%", "{{") at the top of a file is not front matter. */
static bool opens_json(const char *p, const char *end)
{
    if (p >= end || *p != '{')
        return false;
    for (p++; p < end && isspace((unsigned char)*p); p++)
        ;
    return p < end && (*p == '"' || *p == '}');
}

post_status front_matter_read(front_matter *out, const char *path, const char *buf, size_t len,
                              post_error *err)
{
    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a byte-order mark before the fence is harmless */
    /* So are blank lines and spaces or tabs before it: Hugo's lexer skips
     * them and reads the front matter (else its YAML would be the post's text). */
    size_t first_line = 1;
    const char *q = p;
    while (q < end) {
        const char *nl = line_end(q, end), *c = q;
        while (c < nl && (*c == ' ' || *c == '\t' || *c == '\r'))
            c++;
        if (c < nl || nl >= end)
            break; /* a line with text, or the last line */
        q = nl + 1;
        first_line++;
    }
    const char *q_eol = q < end ? line_end(q, end) : end;
    while (q < q_eol && (*q == ' ' || *q == '\t'))
        q++;
    if (q != p && (is_fence(q, q_eol, "---") || is_fence(q, q_eol, "+++")))
        p = q;
    else
        first_line = 1;
    front_matter_init(out, p, (size_t)(end - p));
    out->first_line = first_line;
    const char *eol = line_end(p, end);
    fenced f;
    post_status rc = POST_OK;
    if (is_fence(p, eol, "---")) {
        if ((rc = find_close(&f, out, path, p, end, "---", "...", err)) == POST_OK)
            rc = read_yaml(out, path, &f, err);
    } else if (is_fence(p, eol, "+++")) {
        if ((rc = find_close(&f, out, path, p, end, "+++", NULL, err)) == POST_OK)
            rc = read_toml(out, path, &f, err);
    } else if (opens_json(p, end)) {
        rc = read_json(out, path, p, end, err);
    }
    if (rc != POST_OK)
        front_matter_free(out);
    return rc;
}

/* ---- Data files ------------------------------------------------------------------- */

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

post_status data_file_read(json_t **out, const char *path, const char *buf, size_t len,
                           post_error *err)
{
    front_matter fm;
    front_matter_init(&fm, buf, len);
    fm.first_line = 0; /* the whole file: the text's line 1 is the file's */
    fenced whole = {.text = buf, .len = len};
    post_status rc;
    *out = NULL;
    if (ends_with_ci(path, ".toml"))
        rc = read_toml(&fm, path, &whole, err);
    else if (ends_with_ci(path, ".yaml") || ends_with_ci(path, ".yml"))
        rc = read_yaml(&fm, path, &whole, err);
    else if (ends_with_ci(path, ".json"))
        rc = read_json(&fm, path, buf, buf + len, err);
    else
        rc = post_fail(err, POST_EFIELD, path, 0, "not a data file (.toml, .yaml, .yml, .json)");
    if (rc == POST_OK && !json_is_object(fm.root))
        rc = post_fail(err, POST_EFIELD, path, 0, "not a mapping of keys to values");
    if (rc == POST_OK)
        *out = json_incref(fm.root);
    front_matter_free(&fm);
    return rc;
}
