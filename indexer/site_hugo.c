/* site_hugo.c — Hugo's rules (site.h), as Hugo 0.111 applies them.
 *
 * Recognised by hugo.{toml,yaml,yml,json}, by config/_default/, or by a
 * config.{toml,yaml,yml,json} with baseURL or without Zola's base_url. The
 * config is the root file, then every file of config/_default/ and of
 * config/production/ (Hugo's default environment) merged over it, each under
 * the key its name gives: hugo.* and config.* at the top, NAME.* under NAME,
 * languages.LANG.* under languages.LANG, menu(s).LANG.* and params.LANG.*
 * under that language. The posts are in the default language's contentDir
 * (defaultContentLanguage, "en"), else contentDir, else content/.
 *
 * A page's URL, as Hugo makes it:
 *   front matter `url`    as written (a trailing slash added unless it names a
 *                         file), after baseURL's path
 *   [permalinks] SECTION  the pattern for its section (the first folder), or
 *                         [permalinks.page] SECTION: :year :month :monthname
 *                         :day :weekday :weekdayname :yearday (the date as
 *                         written: date, publishDate, pubDate, published, else
 *                         lastMod, modified, else 0001-01-01), :section,
 *                         :sections (the folders that are sections), :title,
 *                         :slug (slug, else the title), :filename (the file's
 *                         name, a bundle's folder), :slugorfilename,
 *                         :contentbasename; each value urlized
 *   otherwise             its folders + "/" + (slug, else the file name)
 * then made a path Hugo's way (spaces to '-', anything but letters, digits,
 * marks and . / \ _ # + ~ - @ dropped), lower-cased unless disablePathToLower,
 * "/x/" or with uglyURLs (true, or per section) "/x.html", and non-ASCII
 * percent-encoded. baseURL comes first: the absolute URL when it names an
 * http(s) host (what a reader can click), else its path; "/LANG" after it
 * when defaultContentLanguageInSubdir.
 *
 * No page (POST_SKIP_NO_PAGE): a post not yet due or expired, one a
 * section's cascade builds without rendering, a leaf bundle's other content
 * files (its resources), and a file ignoreFiles matches. */
#include "site.h"

#include "text.h"

#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

typedef struct hugo_state {
    char *base;  /* baseURL's scheme and host ("" for none), then its path */
    char *lang;  /* the default language, lower case */
    bool lower;  /* !disablePathToLower */
    bool subdir; /* the default language's pages under /LANG too */
    regex_t *ignore; /* ignoreFiles, compiled */
    size_t n_ignore;
} hugo_state;

/* Where a page is: folders, name and section, from its path in content/. */
typedef struct hugo_place {
    char *dir;     /* its folders ("post/2019"); a bundle's folder not included */
    char *name;    /* file name without extension (and language); a bundle's folder */
    char *section; /* the first folder of dir, "" at the top */
    char *lang;    /* a translation's language ("post.fr.md"), or NULL */
} hugo_place;

static const char *const root_configs[] = {
    "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
    "config.toml", "config.yaml", "config.yml", "config.json", NULL,
};

/* ---- Detection and config --------------------------------------------------------- */

static bool hugo_detect(const char *root)
{
    if (site_has(root, "zola.toml"))
        return false;
    for (size_t i = 0; i < 4; i++) /* hugo.* */
        if (site_has(root, root_configs[i]))
            return true;
    if (site_has(root, "config/_default"))
        return true;
    for (size_t i = 4; root_configs[i]; i++) {
        json_t *cfg = json_object();
        bool found, hugo = false;
        char why[256];
        if (site_merge_config(cfg, root, root_configs[i], &found, why, sizeof why) && found)
            hugo = site_config_value(cfg, "baseurl") || !json_object_get(cfg, "base_url");
        json_decref(cfg);
        if (found)
            return hugo;
    }
    return false;
}

/* A config folder's file NAME.ext goes under the keys its name gives (the
 * top for hugo/config, NAME, languages.LANG for NAME.LANG, and under that
 * language menus/params for menu(s).LANG and params.LANG). */
static json_t *config_at_key(const char *file, json_t *tree)
{
    char *base = xstrndup(file, (size_t)(strrchr(file, '.') - file));
    char *dot = strrchr(base, '.');
    json_t *out = tree;
    if (strcmp(base, "hugo") != 0 && strcmp(base, "config") != 0) {
        if (dot) {
            *dot = '\0';
            for (char *c = dot + 1; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            if (strcmp(base, "menu") == 0 || strcmp(base, "menus") == 0 ||
                strcmp(base, "params") == 0)
                out = json_pack("{so}", base[0] == 'm' ? "menus" : "params", out);
            out = json_pack("{s{so}}", "languages", dot + 1, out);
        } else {
            out = json_pack("{so}", base, out);
        }
    }
    free(base);
    return out;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_config_file(const struct dirent *e)
{
    const char *ext = strrchr(e->d_name, '.');
    return e->d_name[0] != '.' && ext &&
           (strcmp(ext, ".toml") == 0 || strcmp(ext, ".yaml") == 0 || strcmp(ext, ".yml") == 0 ||
            strcmp(ext, ".json") == 0);
}

/* Merge every config file of root/dir into s->config; false with why when
 * one cannot be read. *any is set when the folder has one. */
static bool merge_config_dir(site *s, const char *dir, bool *any, char *why, size_t why_len)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s", s->root, dir);
    struct dirent **names;
    int n = scandir(path.data, &names, is_config_file, by_name);
    bool ok = true;
    for (int i = 0; i < n; i++) {
        json_t *tree = json_object();
        bool found;
        if (ok && !site_merge_config(tree, path.data, names[i]->d_name, &found, why, why_len))
            ok = false;
        if (ok && found) {
            json_t *placed = config_at_key(names[i]->d_name, tree);
            json_object_update_recursive(s->config, placed);
            json_decref(placed);
            *any = true;
        } else {
            json_decref(tree);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    sb_free(&path);
    return ok;
}

/* Is a module mount for the language lang: no language of its own, or lang
 * (its `lang`, or among its sites.matrix.languages)? */
static bool mount_for(const json_t *mount, const char *lang)
{
    const char *own = site_config_string(mount, "lang");
    json_t *langs = site_config_value(mount, "sites.matrix.languages");
    if (own)
        return strcasecmp(own, lang) == 0;
    if (!json_is_array(langs))
        return true;
    for (size_t i = 0; i < json_array_size(langs); i++) {
        const char *l = json_string_value(json_array_get(langs, i));
        if (l && strcasecmp(l, lang) == 0)
            return true;
    }
    return false;
}

/* The folder a module mount puts at "content" for the language, or NULL
 * (Hugo's own documentation mounts content/en there). */
static const char *mounted_content(const site *s, const char *lang)
{
    json_t *mounts = site_config_value(s->config, "module.mounts");
    for (size_t i = 0; i < json_array_size(mounts); i++) {
        json_t *m = json_array_get(mounts, i);
        const char *target = site_config_string(m, "target"), *source = site_config_string(m, "source");
        while (target && *target == '/')
            target++;
        if (source && target && strncmp(target, "content", 7) == 0 &&
            (!target[7] || (target[7] == '/' && !target[8])) && mount_for(m, lang))
            return source;
    }
    return NULL;
}

/* The content folder: one a module mount gives, else the default language's
 * contentDir, else contentDir. */
static char *content_dir(const site *s, const char *lang)
{
    strbuf key = {0};
    sb_printf(&key, "languages.%s.contentDir", lang);
    const char *dir = mounted_content(s, lang);
    if (!dir)
        dir = site_config_string(s->config, key.data);
    sb_free(&key);
    if (!dir)
        dir = site_config_string(s->config, "contentDir");
    if (!dir || !*dir)
        dir = "content";
    while (dir[0] == '.' && dir[1] == '/')
        dir += 2;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    strbuf out = {0};
    if (dir[0] == '/')
        sb_append(&out, dir, n); /* an absolute contentDir stays as it is */
    else
        sb_printf(&out, "%s/%.*s", s->root, (int)n, dir);
    return sb_take(&out);
}

/* baseURL as what comes before every path: "https://host/path" or "/path". */
static char *base_of(const site *s)
{
    const char *url = site_config_string(s->config, "baseURL");
    strbuf out = {0};
    if (url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0)) {
        const char *host = strstr(url, "://") + 3;
        sb_append(&out, url, strcspn(host, "/") + (size_t)(host - url));
    }
    char *path = site_base_path(url);
    sb_puts(&out, path);
    free(path);
    return sb_take(&out);
}

/* ignoreFiles: regular expressions in Go's syntax, compiled here as POSIX
 * extended ones, which read alike the patterns sites write ("\\.Rmd$",
 * "(^|/)drafts/"); one that does not compile is said and left out. */
static void compile_ignore_files(hugo_state *h, const json_t *patterns)
{
    size_t n = json_is_array(patterns) ? json_array_size(patterns) : 0;
    h->ignore = n ? xcalloc(n, sizeof *h->ignore) : NULL;
    for (size_t i = 0; i < n; i++) {
        const char *re = json_string_value(json_array_get(patterns, i));
        if (re && regcomp(&h->ignore[h->n_ignore], re, REG_EXTENDED | REG_NOSUB) == 0)
            h->n_ignore++;
        else
            report_to_stderr("loomsearch-index", "hugo: ignoreFiles pattern %s is not read: "
                             "files it names are indexed", re ? re : "(not a string)");
    }
}

static bool hugo_open(site *s, char *why, size_t why_len)
{
    strbuf names = {0};
    for (size_t i = 0; root_configs[i]; i++) {
        bool found;
        if (!site_merge_config(s->config, s->root, root_configs[i], &found, why, why_len))
            goto out_free_names;
        if (found) {
            sb_puts(&names, root_configs[i]);
            break;
        }
    }
    static const char *const dirs[] = {"config/_default", "config/production"};
    for (size_t i = 0; i < 2; i++) {
        bool any = false;
        if (!merge_config_dir(s, dirs[i], &any, why, why_len))
            goto out_free_names;
        if (any)
            sb_printf(&names, "%s%s/", names.len ? ", " : "", dirs[i]);
    }
    hugo_state *h = xcalloc(1, sizeof *h);
    const char *lang = site_config_string(s->config, "defaultContentLanguage");
    h->lang = casefold(lang && *lang ? lang : "en");
    h->lower = !site_config_bool(s->config, "disablePathToLower", false);
    h->base = base_of(s);
    h->subdir = site_config_bool(s->config, "defaultContentLanguageInSubdir", false) &&
                json_object_size(site_config_value(s->config, "languages")) > 1;
    compile_ignore_files(h, site_config_value(s->config, "ignoreFiles"));
    s->rules_state = h;
    s->content = content_dir(s, h->lang);
    s->config_path = names.len ? sb_take(&names) : NULL;
    sb_free(&names);
    return true;
out_free_names:
    sb_free(&names);
    return false;
}

/* ---- Hugo's path text: Sanitize, ToLower, escape ---------------------------------- */

/* Hugo's isAllowedPathCharacter (paths.Sanitize), for a code point at s. */
static bool path_char_allowed(utf8proc_int32_t c, const char *s)
{
    if (c < 0x80)
        return isalnum(c) || (c && strchr("./\\_#+~-@", c)) ||
               (c == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]));
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
           cat == UTF8PROC_CATEGORY_ND;
}

static bool is_space(utf8proc_int32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r');
    utf8proc_category_t cat = utf8proc_category(c);
    return c == 0x85 || cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

/* Append s made a path: Hugo's Sanitize (a run of spaces to one '-' unless a
 * '-' is beside it, anything else not allowed dropped), lower-cased when lower. */
static void put_path_text(strbuf *out, const char *s, bool lower)
{
    size_t start = out->len;
    bool hyphen_next = false, was_hyphen = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &c);
        if (n <= 0)
            break;
        if (path_char_allowed(c, (const char *)p)) {
            was_hyphen = c == '-';
            if (hyphen_next && !was_hyphen)
                sb_putc(out, '-');
            hyphen_next = false;
            utf8proc_uint8_t buf[4];
            utf8proc_ssize_t m = utf8proc_encode_char(lower ? utf8proc_tolower(c) : c, buf);
            sb_append(out, (const char *)buf, (size_t)m);
        } else if (out->len > start && !was_hyphen && is_space(c)) {
            hyphen_next = true;
        }
        p += n;
    }
}

/* s with its non-ASCII bytes percent-encoded, as Hugo's links are. */
static void put_escaped(strbuf *out, const char *s)
{
    for (; *s; s++) {
        /* Bytes a URL's path may not hold as they are (Hugo writes url:
         * "tee command" as /tee%20command/). */
        if ((unsigned char)*s >= 0x80 || (unsigned char)*s <= 0x20 || strchr("\"<>\\^`{|}\x7f", *s))
            sb_printf(out, "%%%02X", (unsigned char)*s);
        else
            sb_putc(out, *s);
    }
}

/* ---- Where a page is ---------------------------------------------------------------- */

static void place_of(const site *s, const char *rel, hugo_place *pl)
{
    site_page_place(rel, site_config_value(s->config, "languages"), &pl->dir, &pl->name, &pl->lang);
    pl->section = xstrndup(pl->dir, strcspn(pl->dir, "/"));
}

static void place_free(hugo_place *pl)
{
    free(pl->dir);
    free(pl->name);
    free(pl->section);
    free(pl->lang);
}

/* :sections — the section and each folder below it that is a section too
 * (has an _index.md), as far as they go on. */
static void put_sections(strbuf *out, const site *s, const hugo_place *pl)
{
    sb_puts(out, pl->section);
    const char *p = pl->dir + strlen(pl->section);
    while (*p == '/') {
        size_t n = strcspn(p + 1, "/");
        strbuf index = {0};
        sb_printf(&index, "%.*s/_index.md", (int)(p - pl->dir) + 1 + (int)n, pl->dir);
        bool section = site_has(s->content, index.data);
        sb_free(&index);
        if (!section)
            break;
        sb_append(out, p, n + 1);
        p += n + 1;
    }
}

/* ---- Dates ------------------------------------------------------------------------ */

/* The page's date, "YYYY-MM-DD": Hugo's date keys, as written. */
static void page_date(const json_t *fm, const post *p, char out[11])
{
    static const char *const dated[] = {"date", "publishDate", "pubDate", "published"};
    static const char *const modified[] = {"lastMod", "modified"};
    for (size_t i = 0; i < 4; i++)
        if (site_config_value(fm, dated[i]) && p->date) {
            snprintf(out, 11, "%s", p->date);
            return;
        }
    for (size_t i = 0; i < 2; i++) {
        const char *d = site_config_string(fm, modified[i]);
        if (d && strlen(d) >= 10 && isdigit((unsigned char)d[0])) {
            snprintf(out, 11, "%.10s", d);
            return;
        }
    }
    snprintf(out, 11, "0001-01-01"); /* Go's zero time */
}

/* :year :month :monthname :day :weekday :weekdayname :yearday of date. */
static bool put_date_token(strbuf *out, const char *token, size_t len, const char *date)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    if (m < 1 || m > 12)
        m = 1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int yearday = before[m - 1] + d + (leap && m > 2);
    int yy = m < 3 ? y - 1 : y; /* Sakamoto's day of the week */
    static const int shift[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    int wday = (yy + yy / 4 - yy / 100 + yy / 400 + shift[m - 1] + d) % 7;
#define IS(word) (len == sizeof word - 1 && strncmp(token, word, len) == 0)
    if (IS("year"))
        sb_printf(out, "%d", y);
    else if (IS("month"))
        sb_printf(out, "%02d", m);
    else if (IS("monthname"))
        sb_puts(out, months[m - 1]);
    else if (IS("day"))
        sb_printf(out, "%02d", d);
    else if (IS("weekday"))
        sb_printf(out, "%d", wday);
    else if (IS("weekdayname"))
        sb_puts(out, days[wday]);
    else if (IS("yearday"))
        sb_printf(out, "%d", yearday);
    else
        return false;
#undef IS
    return true;
}

/* ---- The URL ------------------------------------------------------------------------ */

typedef struct hugo_page {
    const site *s;
    const hugo_place *pl;
    const char *title, *slug; /* as the front matter writes them; "" / NULL */
    char date[11];
} hugo_page;

/* Append one permalink token's value, urlized (Hugo's URLize: made a path,
 * lower-cased; the escaping is undone again by Hugo before the path is made). */
static bool put_token(strbuf *out, const hugo_page *pg, const char *token, size_t len)
{
    bool lower = ((const hugo_state *)pg->s->rules_state)->lower;
    const char *value = NULL;
#define IS(word) (len == sizeof word - 1 && strncmp(token, word, len) == 0)
    if (put_date_token(out, token, len, pg->date))
        return true;
    if (IS("section")) {
        sb_puts(out, pg->pl->section);
        return true;
    }
    if (IS("sections")) {
        put_sections(out, pg->s, pg->pl);
        return true;
    }
    if (IS("title"))
        value = pg->title;
    else if (IS("slug"))
        value = pg->slug ? pg->slug : pg->title;
    else if (IS("slugorfilename"))
        value = pg->slug ? pg->slug : pg->pl->name;
    else if (IS("filename") || IS("contentbasename"))
        value = pg->pl->name;
#undef IS
    if (!value)
        return false;
    put_path_text(out, value, lower);
    return true;
}

/* The pattern with its tokens (":word") expanded; Hugo then reads the result
 * as a query-escaped string, so a '+' becomes a space. */
static void expand_pattern(strbuf *out, const hugo_page *pg, const char *pattern)
{
    for (const char *c = pattern; *c;) {
        size_t n = 0;
        if (*c == ':')
            while (isalnum((unsigned char)c[1 + n]) || c[1 + n] == '_')
                n++;
        if (n && put_token(out, pg, c + 1, n)) {
            c += 1 + n;
        } else {
            sb_append(out, c, n + 1);
            c += n + 1;
        }
    }
    for (size_t i = 0; i < out->len; i++)
        if (out->data[i] == '+')
            out->data[i] = ' ';
}

/* The section's permalink pattern: [permalinks] SECTION, or the newer
 * [permalinks.page] SECTION. */
static const char *pattern_of(const site *s, const char *section)
{
    const json_t *links = site_config_value(s->config, "permalinks");
    if (!*section || !links)
        return NULL;
    const char *pattern = site_config_string(links, section);
    if (!pattern)
        pattern = site_config_string(site_config_value(links, "page"), section);
    return pattern;
}

/* uglyURLs: true for the whole site, or per section. */
static bool is_ugly(const site *s, const char *section)
{
    const json_t *ugly = site_config_value(s->config, "uglyURLs");
    if (json_is_object(ugly))
        return *section && site_config_bool(ugly, section, false);
    return site_config_bool(s->config, "uglyURLs", false);
}

/* The page's path (before baseURL) from its pattern or its place. */
static char *page_path(const hugo_page *pg)
{
    const hugo_state *h = pg->s->rules_state;
    const char *pattern = pattern_of(pg->s, pg->pl->section);
    strbuf raw = {0}, out = {0};
    if (pattern)
        expand_pattern(&raw, pg, pattern);
    else
        sb_printf(&raw, "/%s%s%s", pg->pl->dir, *pg->pl->dir ? "/" : "",
                  pg->slug ? pg->slug : pg->pl->name);
    if (!raw.data || raw.data[0] != '/')
        sb_putc(&out, '/');
    put_path_text(&out, raw.data ? raw.data : "", h->lower);
    while (out.len > 1 && out.data[out.len - 1] == '/')
        out.data[--out.len] = '\0';
    if (is_ugly(pg->s, pg->pl->section) && out.len > 1)
        sb_puts(&out, ".html");
    else if (out.data[out.len - 1] != '/')
        sb_putc(&out, '/');
    sb_free(&raw);
    return sb_take(&out);
}

/* Front matter `url`: as written, after baseURL; a trailing slash added unless
 * its last part names a file. */
static char *front_matter_path(const char *url)
{
    strbuf out = {0};
    while (*url == '/')
        url++;
    sb_printf(&out, "/%s", url);
    const char *last = strrchr(out.data, '/') + 1;
    if (*last && !strchr(last, '.'))
        sb_putc(&out, '/');
    return sb_take(&out);
}

/* What a page's build options (_build or build) say of render: 1 a page,
 * 0 none ("never", false), -1 nothing. */
static int build_renders(const json_t *options)
{
    static const char *const keys[] = {"_build", "build"};
    for (size_t i = 0; i < 2; i++) {
        json_t *render = site_config_value(site_config_value(options, keys[i]), "render");
        if (json_is_boolean(render))
            return json_is_true(render);
        if (json_is_string(render))
            return strcasecmp(json_string_value(render), "never") != 0 &&
                   strcasecmp(json_string_value(render), "false") != 0;
    }
    return -1;
}

/* What one cascade entry says of render (as build_renders); one with a
 * _target chooses its pages by rules not followed here, and says nothing. */
static int cascade_entry_renders(const json_t *entry)
{
    if (!json_is_object(entry) || site_config_value(entry, "_target") || site_config_value(entry, "target"))
        return -1;
    return build_renders(entry);
}

/* What a section's cascade (a mapping, or a list of them) says of render for
 * the pages below it. */
static int cascade_renders(const json_t *fm)
{
    json_t *c = site_config_value(fm, "cascade");
    if (!json_is_array(c))
        return cascade_entry_renders(c);
    for (size_t i = 0; i < json_array_size(c); i++) {
        int says = cascade_entry_renders(json_array_get(c, i));
        if (says >= 0)
            return says;
    }
    return -1;
}

/* Does a section above the page cascade "no page" to it (Hugo's
 * cascade: build: render: never)? The nearest section that says wins; the
 * page's own build options win over all (renders_no_page in post_fields.c). */
static bool cascaded_no_page(const site *s, const hugo_place *pl, const json_t *own)
{
    if (build_renders(own) >= 0)
        return false;
    strbuf dir = {0};
    sb_puts(&dir, pl->dir);
    for (;;) {
        post_place at = {.rel = NULL};
        strbuf rel = {0};
        sb_printf(&rel, "%s%s_index.md", dir.data ? dir.data : "", dir.len ? "/" : "");
        at.rel = rel.data;
        int says = -1;
        if (site_has(s->content, rel.data)) {
            json_t *fm = site_front_matter(s, &at);
            says = cascade_renders(fm);
            json_decref(fm);
        }
        sb_free(&rel);
        char *slash = dir.len ? strrchr(dir.data, '/') : NULL;
        if (says >= 0 || !dir.len) {
            sb_free(&dir);
            return says == 0;
        }
        dir.len = slash ? (size_t)(slash - dir.data) : 0;
        dir.data[dir.len] = '\0';
    }
}

/* Hugo publishes no page for a post not yet due (its publishDate, else its
 * date, after today) unless buildFuture, nor for one past its expiryDate
 * unless buildExpired. */
static post_skip hugo_schedule(const site *s, const json_t *fm, const post *p)
{
    static const char *const publish[] = {"publishDate", "pubDate", "published"};
    static const char *const expiry[] = {"expiryDate", "unpublishDate"};
    const char *due = p->date;
    for (size_t i = 0; i < 3; i++) {
        const char *d = site_config_string(fm, publish[i]);
        if (d && isdigit((unsigned char)d[0])) {
            due = d;
            break;
        }
    }
    if (due && site_day_vs_today(due) > 0 && !site_config_bool(s->config, "buildFuture", false))
        return POST_SKIP_FUTURE;
    for (size_t i = 0; i < 2; i++) {
        const char *d = site_config_string(fm, expiry[i]);
        if (d && site_day_vs_today(d) < 0 && !site_config_bool(s->config, "buildExpired", false))
            return POST_SKIP_EXPIRED;
    }
    return POST_INDEXED;
}

/* Does ignoreFiles match the file rel, whose absolute path Hugo matches? */
static bool is_ignored(const site *s, const hugo_state *h, const char *rel)
{
    if (!h->n_ignore)
        return false;
    char *real = realpath(s->content, NULL);
    strbuf path = {0};
    sb_printf(&path, "%s/%s", real ? real : s->content, rel);
    bool hit = false;
    for (size_t i = 0; !hit && i < h->n_ignore; i++)
        hit = regexec(&h->ignore[i], path.data, 0, NULL, 0) == 0;
    free(real);
    sb_free(&path);
    return hit;
}

/* Has the folder dir (under content) a leaf bundle's index: index.md,
 * .markdown or .html, also with a language of the site (index.fr.md)?
 * (A branch's _index.md is no such thing.) Looked for by name: a folder may
 * hold thousands of posts. */
static bool has_bundle_index(const site *s, const char *dir)
{
    static const char *const exts[] = {"md", "markdown", "html"};
    const hugo_state *h = s->rules_state;
    const json_t *langs = site_config_value(s->config, "languages");
    size_t n_langs = json_is_object(langs) ? json_object_size(langs) : 0;
    const char **tags = xcalloc(n_langs + 2, sizeof *tags); /* "", the default, the others */
    size_t n = 0;
    tags[n++] = "", tags[n++] = h->lang;
    const char *lang;
    json_t *ignored;
    json_object_foreach((json_t *)langs, lang, ignored)
        tags[n++] = lang;
    bool found = false;
    strbuf name = {0};
    for (size_t t = 0; !found && t < n; t++)
        for (size_t e = 0; !found && e < sizeof exts / sizeof *exts; e++) {
            name.len = 0;
            sb_printf(&name, "%s/index%s%s.%s", dir, *tags[t] ? "." : "", tags[t], exts[e]);
            found = site_has(s->content, name.data);
        }
    sb_free(&name);
    free(tags);
    return found;
}

/* A file in a leaf bundle's folder, or below it, other than the bundle's own
 * index is one of the bundle's resources: Hugo makes no page of it
 * (notes.md beside a post's index.md, a template kept with the post). */
static bool is_bundle_resource(const site *s, const char *rel)
{
    char *dir = xstrdup(rel);
    char *slash = strrchr(dir, '/');
    bool own_index = strncmp(slash ? slash + 1 : dir, "index.", 6) == 0;
    bool resource = false;
    for (bool own_folder = true; !resource && slash; own_folder = false) {
        *slash = '\0';
        resource = !(own_folder && own_index) && has_bundle_index(s, dir);
        slash = strrchr(dir, '/');
    }
    free(dir);
    return resource;
}

static void hugo_apply(const site *s, const post_place *at, post *p)
{
    const hugo_state *h = s->rules_state;
    json_t *fm = site_front_matter(s, at);
    const char *url = site_config_string(fm, "url");
    if (url && !*url) /* Hugo leaves out an empty url */
        url = NULL;
    const char *title = site_config_string(fm, "title"), *slug = site_config_string(fm, "slug");
    hugo_place pl;
    place_of(s, at->rel, &pl);
    hugo_page pg = {.s = s, .pl = &pl, .title = title ? title : "", .slug = slug && *slug ? slug : NULL};
    page_date(fm, p, pg.date);
    if (p->skip == POST_INDEXED)
        p->skip = hugo_schedule(s, fm, p);
    if (p->skip == POST_INDEXED && (cascaded_no_page(s, &pl, fm) || is_ignored(s, h, at->rel) ||
                                    is_bundle_resource(s, at->rel)))
        p->skip = POST_SKIP_NO_PAGE;
    char *path;
    if (url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0))
        path = NULL;
    else
        path = url ? front_matter_path(url) : page_path(&pg);
    strbuf out = {0};
    if (path) {
        sb_puts(&out, h->base);
        if (pl.lang && strcmp(pl.lang, h->lang) != 0)
            sb_printf(&out, "/%s", pl.lang);
        else if (h->subdir)
            sb_printf(&out, "/%s", h->lang);
        put_escaped(&out, path);
    } else {
        sb_puts(&out, url);
    }
    free(p->url);
    p->url = sb_take(&out);
    free(path);
    place_free(&pl);
    json_decref(fm);
}

static void hugo_close(site *s)
{
    hugo_state *h = s->rules_state;
    if (h) {
        free(h->base);
        free(h->lang);
        for (size_t i = 0; i < h->n_ignore; i++)
            regfree(&h->ignore[i]);
        free(h->ignore);
    }
    free(h);
    s->rules_state = NULL;
}

const site_rules hugo_rules = {
    .generator = SITE_HUGO, .name = "hugo", .detect = hugo_detect, .open = hugo_open,
    .apply = hugo_apply, .close = hugo_close,
};
