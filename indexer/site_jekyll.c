/* site_jekyll.c — Jekyll's rules (site.h): a site with _config.yml (or one in
 * docs/, where GitHub Pages publishes from); posts are the dated files under
 * _posts; a post's URL is its front matter's permalink, else the config's
 * front-matter defaults, collections.posts.permalink or permalink style, with
 * Jekyll's placeholders, the date in the site's time zone, and the categories
 * from the folders above _posts and the front matter. */
#include "site.h"

#include "text.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct jekyll_state {
    char *site_dir;    /* the folder of _config.yml: root, or root/docs */
    char *source_dir;  /* the folder the site is read from: site_dir, or its `source` */
    char *posts_rel;   /* content under source_dir: "_posts", "coll/_posts", or "" */
    size_t coll_len;   /* of "coll/" in posts_rel: collections_dir is no category */
    char *permalink;   /* the posts' template from the config */
    char *base_path;   /* baseurl: "" or "/blog" */
    const char *url;   /* the config's url (scheme and host), or NULL */
    const char *zone;  /* timezone, or NULL: UTC, as a CI build runs */
} jekyll_state;

static const char *const config_names[] = {"_config.yml", "_config.yaml", NULL};

/* The config file's name under dir, or NULL. */
static const char *config_in(const char *dir)
{
    return site_first_of(dir, config_names);
}

static bool jekyll_detect(const char *root)
{
    return config_in(root) || (site_has(root, "docs") && site_has(root, "docs/_config.yml"));
}

/* Jekyll's permalink styles, and any other value as a template. */
static char *style_template(const char *style)
{
    static const struct {
        const char *style, *template;
    } styles[] = {
        {"date", "/:categories/:year/:month/:day/:title:output_ext"},
        {"pretty", "/:categories/:year/:month/:day/:title/"},
        {"ordinal", "/:categories/:year/:y_day/:title:output_ext"},
        {"weekdate", "/:categories/:year/W:week/:short_day/:title:output_ext"},
        {"none", "/:categories/:title:output_ext"},
    };
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (strcmp(style, styles[i].style) == 0)
            return xstrdup(styles[i].template);
    return xstrdup(style);
}

/* Does the site keep posts in folders of categories ("news/_posts", or
 * "en/news/_posts" as Ruby's site does)? Jekyll reads a _posts folder at any
 * depth; this looks four folders down, and not into folders Jekyll never
 * reads (hidden ones, "_" ones, node_modules, vendor). */
static bool has_category_posts(const char *dir, int depth)
{
    DIR *d = depth <= 4 ? opendir(dir) : NULL;
    bool found = false;
    struct dirent *e;
    while (d && !found && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_' || strcmp(e->d_name, "node_modules") == 0 ||
            strcmp(e->d_name, "vendor") == 0)
            continue;
        strbuf sub = {0};
        sb_printf(&sub, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(sub.data, &st) == 0 && S_ISDIR(st.st_mode))
            found = site_has(sub.data, "_posts") || has_category_posts(sub.data, depth + 1);
        sb_free(&sub);
    }
    if (d)
        closedir(d);
    return found;
}

/* Where posts are listed from: collections_dir/_posts; the whole site when
 * posts live under category folders too (then only files in a _posts count). */
static char *posts_folder(const site *s, const char *site_dir)
{
    const char *coll = site_config_string(s->config, "collections_dir");
    if (coll && *coll) {
        strbuf rel = {0};
        sb_printf(&rel, "%.*s/_posts", (int)strcspn(coll, "/"), coll);
        return sb_take(&rel);
    }
    if (has_category_posts(site_dir, 1))
        return xstrdup("");
    return xstrdup("_posts");
}

/* The folder Jekyll reads the site from: the config's `source` ("src" on
 * Bootstrap's blog) under the config's folder, else that folder. A source
 * that is an absolute path names a build machine's folder, not one here. */
static char *source_dir(const site *s, const char *site_dir)
{
    const char *source = site_config_string(s->config, "source");
    strbuf dir = {0};
    sb_puts(&dir, site_dir);
    if (source && *source && source[0] != '/') {
        while (source[0] == '.' && source[1] == '/')
            source += 2;
        size_t n = strlen(source);
        while (n > 0 && source[n - 1] == '/')
            n--;
        if (n > 0 && !(n == 1 && source[0] == '.'))
            sb_printf(&dir, "/%.*s", (int)n, source);
    }
    return sb_take(&dir);
}

static bool jekyll_open(site *s, char *why, size_t why_len)
{
    jekyll_state *st = xcalloc(1, sizeof *st);
    s->rules_state = st;
    const char *name = config_in(s->root);
    strbuf dir = {0};
    sb_printf(&dir, name ? "%s" : "%s/docs", s->root);
    st->site_dir = sb_take(&dir);
    name = config_in(st->site_dir);
    bool found;
    if (!name) {
        snprintf(why, why_len, "no _config.yml in %s", st->site_dir);
        return false;
    }
    if (!site_merge_config(s->config, st->site_dir, name, &found, why, why_len))
        return false;
    strbuf config_path = {0}; /* as --check names it: "docs/_config.yml" for a docs/ site */
    sb_printf(&config_path, "%s%s", strcmp(st->site_dir, s->root) != 0 ? "docs/" : "", name);
    s->config_path = sb_take(&config_path);
    const char *style = site_config_string(s->config, "permalink");
    const char *coll = site_config_string(s->config, "collections.posts.permalink");
    st->permalink = coll ? xstrdup(coll) : style_template(style ? style : "date");
    st->base_path = site_base_path(site_config_string(s->config, "baseurl"));
    st->url = site_config_string(s->config, "url");
    st->zone = site_config_string(s->config, "timezone");
    st->source_dir = source_dir(s, st->site_dir);
    st->posts_rel = posts_folder(s, st->source_dir);
    st->coll_len = strstr(st->posts_rel, "/_posts") ? strlen(st->posts_rel) - 6 : 0;
    strbuf content = {0};
    sb_printf(&content, *st->posts_rel ? "%s/%s" : "%s", st->source_dir, st->posts_rel);
    s->content = sb_take(&content);
    return true;
}

static void jekyll_close(site *s)
{
    jekyll_state *st = s->rules_state;
    if (!st)
        return;
    free(st->site_dir);
    free(st->source_dir);
    free(st->posts_rel);
    free(st->permalink);
    free(st->base_path);
    free(st);
    s->rules_state = NULL;
}

/* ---- The date, in the site's time zone ---------------------------------------------- */

/* Read n digits (1..max) at *p into *out. */
static bool read_number(const char **p, int max, int *out)
{
    int n = 0, v = 0;
    while (n < max && isdigit((unsigned char)(*p)[n]))
        v = v * 10 + ((*p)[n++] - '0');
    *p += n;
    *out = v;
    return n > 0;
}

/* A zone offset in seconds anywhere after the time ("+0200", "-07:00", "Z"). */
static bool read_zone(const char *p, long *offset)
{
    for (; *p; p++) {
        if (*p == 'Z' && (p[1] == '\0' || isspace((unsigned char)p[1]))) {
            *offset = 0;
            return true;
        }
        int h, m = 0;
        const char *q = p + 1;
        if ((*p == '+' || *p == '-') && read_number(&q, 2, &h) && q - p == 3) {
            if (*q == ':')
                q++;
            if (isdigit((unsigned char)*q))
                read_number(&q, 2, &m);
            *offset = (*p == '-' ? -1L : 1L) * (h * 3600L + m * 60L);
            return true;
        }
    }
    return false;
}

/* The instant t as the wall time of zone (NULL: UTC). The worker is one
 * thread, so TZ may be swapped for the call and put back. */
static void in_zone(time_t t, const char *zone, struct tm *out)
{
    const char *was = getenv("TZ");
    char *saved = was ? xstrdup(was) : NULL;
    setenv("TZ", zone && *zone ? zone : "UTC", 1);
    tzset();
    localtime_r(&t, out);
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* The post's date as Jekyll sees it: Time.parse(date).localtime. A time with
 * a zone (or an unquoted YAML timestamp, which SafeYAML reads as UTC) moves to
 * the site's zone; a bare date or a quoted time without zone is taken as written. */
static bool post_time(const char *text, bool plain_yaml, const char *zone, struct tm *out)
{
    struct tm tm = {0};
    const char *p = text;
    if (!read_number(&p, 4, &tm.tm_year) || *p++ != '-' || !read_number(&p, 2, &tm.tm_mon) ||
        *p++ != '-' || !read_number(&p, 2, &tm.tm_mday))
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    bool timed = false;
    if (*p == ' ' || *p == 'T' || *p == 't') {
        const char *q = p + 1;
        timed = read_number(&q, 2, &tm.tm_hour) && *q++ == ':' && read_number(&q, 2, &tm.tm_min);
        if (timed && *q == ':')
            q++, read_number(&q, 2, &tm.tm_sec);
        p = timed ? q : p;
    }
    long offset = 0;
    bool zoned = timed && read_zone(p, &offset);
    if (zoned || (timed && plain_yaml)) {
        time_t t = timegm(&tm) - offset;
        in_zone(t, zone, out);
    } else {
        time_t t = timegm(&tm); /* normalise: fills in the weekday and day of year */
        gmtime_r(&t, out);
    }
    return true;
}

/* ---- Placeholders ---------------------------------------------------------------------- */

/* Jekyll's Utils.slugify: "default" keeps letters and digits, "pretty" also
 * ._~!$&'()+,;=@; runs of anything else become "-", trimmed; lower-cased unless
 * cased. Non-ASCII bytes count as letters. */
static char *jekyll_slugify(const char *s, bool pretty, bool cased)
{
    strbuf out = {0};
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool keep = isalnum(*p) || *p >= 0x80 || (pretty && strchr("._~!$&'()+,;=@", *p));
        if (!keep) {
            dash = out.len > 0;
            continue;
        }
        if (dash)
            sb_putc(&out, '-');
        dash = false;
        sb_putc(&out, (char)(cased ? *p : tolower(*p)));
    }
    sb_puts(&out, "");
    return sb_take(&out);
}

/* Jekyll's URL.escape_path: what a path may hold stays, the rest is %XX. */
static void escape_path(strbuf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~!$&'()*+,;=:@/", *p))
            sb_putc(out, (char)*p);
        else
            sb_printf(out, "%%%02X", *p);
    }
}

typedef struct jekyll_vars {
    char *value[24];
    const char *name[24];
    size_t n;
} jekyll_vars;

static void var_set(jekyll_vars *v, const char *name, char *value)
{
    v->name[v->n] = name;
    v->value[v->n++] = value;
}

static void vars_free(jekyll_vars *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->value[i]);
}

static void date_vars(jekyll_vars *v, const struct tm *tm)
{
    static const struct {
        const char *name, *format;
    } parts[] = {
        {"year", "%Y"},       {"month", "%m"},       {"day", "%d"},         {"hour", "%H"},
        {"minute", "%M"},     {"second", "%S"},      {"i_day", "%-d"},      {"i_month", "%-m"},
        {"short_year", "%y"}, {"y_day", "%j"},       {"long_month", "%B"},  {"short_month", "%b"},
        {"long_day", "%A"},   {"short_day", "%a"},   {"week", "%V"},        {"w_year", "%G"},
        {"w_day", "%u"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char buf[64];
        strftime(buf, sizeof buf, parts[i].format, tm);
        var_set(v, parts[i].name, xstrdup(buf));
    }
}

/* Expand the template's :placeholders (the longest name that fits wins),
 * escape their values, collapse "//" and start with "/". */
static char *expand(const char *template, const jekyll_vars *v)
{
    strbuf raw = {0};
    sb_puts(&raw, "");
    for (const char *p = template; *p;) {
        size_t best = v->n, best_len = 0;
        for (size_t i = 0; *p == ':' && i < v->n; i++) {
            size_t n = strlen(v->name[i]);
            if (n > best_len && strncmp(p + 1, v->name[i], n) == 0)
                best = i, best_len = n;
        }
        if (best < v->n) {
            escape_path(&raw, v->value[best]);
            p += 1 + best_len;
        } else {
            sb_putc(&raw, *p++);
        }
    }
    strbuf out = {0};
    sb_putc(&out, '/');
    for (const char *p = raw.data; *p; p++)
        if (*p != '/' || out.data[out.len - 1] != '/')
            sb_putc(&out, *p);
    sb_free(&raw);
    return sb_take(&out);
}

/* ---- Categories and the template -------------------------------------------------------- */

/* Add one category (lower-cased, once) to the list joined with "/". */
static void add_category(strbuf *cats, const char *c, size_t n)
{
    char *low = xstrndup(c, n);
    for (char *q = low; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    bool seen = false;
    for (const char *at = cats->data; at && !seen && (at = strstr(at, low)) != NULL; at++)
        seen = (at == cats->data || at[-1] == '/') && (at[n] == '/' || at[n] == '\0');
    if (n && !seen) {
        if (cats->len)
            sb_putc(cats, '/');
        sb_puts(cats, low);
    }
    free(low);
}

/* A front-matter value of categories: a list, or a string split on blanks
 * (categories) or taken whole (category). */
static void add_categories(strbuf *cats, const json_t *v, bool split)
{
    size_t i;
    const json_t *item;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item) add_categories(cats, item, false);
    } else if (json_is_string(v) && split) {
        for (const char *p = json_string_value(v); *p;) {
            size_t n = strcspn(p, " \t\n");
            add_category(cats, p, n);
            p += n + strspn(p + n, " \t\n");
        }
    } else if (json_is_string(v)) {
        add_category(cats, json_string_value(v), strlen(json_string_value(v)));
    } else if (json_is_number(v)) {
        char buf[64];
        snprintf(buf, sizeof buf, "%g", json_number_value(v));
        add_category(cats, buf, strlen(buf));
    }
}

/* The folders above _posts, then the front matter's categories and category. */
static char *categories(const char *site_rel, const json_t *front)
{
    strbuf cats = {0};
    sb_puts(&cats, "");
    const char *posts = strstr(site_rel, "_posts/");
    while (posts && posts != site_rel && posts[-1] != '/')
        posts = strstr(posts + 1, "_posts/");
    for (const char *p = site_rel; posts && p < posts;) {
        size_t n = strcspn(p, "/");
        add_category(&cats, p, n);
        p += n + 1;
    }
    add_categories(&cats, json_object_get(front, "categories"), true);
    add_categories(&cats, json_object_get(front, "category"), false);
    return sb_take(&cats);
}

/* Does a front-matter default's scope take this post (path under the site)? */
static bool scope_takes(const json_t *scope, const char *site_rel)
{
    const char *path = json_string_value(json_object_get(scope, "path"));
    const char *type = json_string_value(json_object_get(scope, "type"));
    if (type && strcmp(type, "posts") != 0)
        return false;
    size_t n = path ? strlen(path) : 0;
    return n == 0 || (strncmp(site_rel, path, n) == 0 && (site_rel[n] == '/' || !site_rel[n]));
}

/* The post's template: its own permalink, the last default whose scope takes
 * it, or the config's. */
static const char *post_template(const site *s, const post_place *at, const char *site_rel)
{
    const jekyll_state *st = s->rules_state;
    const char *own = json_string_value(json_object_get(at->front, "permalink"));
    if (own)
        return own;
    const char *found = st->permalink;
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(s->config, "defaults"), i, d) {
        const char *p = json_string_value(json_object_get(json_object_get(d, "values"), "permalink"));
        if (p && scope_takes(json_object_get(d, "scope"), site_rel))
            found = p;
    }
    return found;
}

/* ---- A post's URL ----------------------------------------------------------------------- */

/* The file name's "YYYY-MM-DD-slug.ext": its date and slug, or false. */
static bool file_date(const char *rel, char *date, size_t date_len, char **slug)
{
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    const char *p = base;
    int y, m, d;
    if (!read_number(&p, 4, &y) || p - base < 2 || *p++ != '-' || !read_number(&p, 2, &m) ||
        *p++ != '-' || !read_number(&p, 2, &d) || *p++ != '-')
        return false;
    const char *dot = strrchr(p, '.');
    if (!dot || dot == p)
        return false;
    snprintf(date, date_len, "%04d-%02d-%02d", y, m, d);
    *slug = xstrndup(p, (size_t)(dot - p));
    return true;
}

static void name_vars(jekyll_vars *v, const post_place *at, const char *file_slug,
                      const char *site_rel)
{
    const char *own = json_string_value(json_object_get(at->front, "slug"));
    const char *slug = own && *own ? own : file_slug;
    const char *base = strrchr(at->rel, '/') ? strrchr(at->rel, '/') + 1 : at->rel;
    char *name = xstrndup(base, strrchr(base, '.') ? (size_t)(strrchr(base, '.') - base) : strlen(base));
    var_set(v, "title", jekyll_slugify(slug, true, true));
    var_set(v, "slug", jekyll_slugify(slug, false, false));
    var_set(v, "name", jekyll_slugify(name, false, false));
    var_set(v, "categories", categories(site_rel, at->front));
    var_set(v, "output_ext", xstrdup(".html"));
    var_set(v, "collection", xstrdup("posts"));
    free(name);
}

static void jekyll_apply(const site *s, const post_place *at, post *p)
{
    const jekyll_state *st = s->rules_state;
    strbuf site_rel = {0};
    sb_printf(&site_rel, *st->posts_rel ? "%s/%s" : "%s%s", st->posts_rel, at->rel);
    char date[32], *file_slug = NULL;
    bool in_posts = strncmp(site_rel.data, "_posts/", 7) == 0 || strstr(site_rel.data, "/_posts/");
    if (!in_posts || !file_date(at->rel, date, sizeof date, &file_slug)) {
        /* Jekyll reads only dated files under a _posts folder as posts. */
        if (p->skip == POST_INDEXED)
            p->skip = in_posts ? POST_SKIP_NO_PAGE : POST_SKIP_NOT_A_POST;
        sb_free(&site_rel);
        return;
    }
    /* A dated file in _posts is a post whatever its front matter holds: one
     * of only a layout is no partial here, as it would be in another folder. */
    if (p->skip == POST_SKIP_NOT_A_POST && json_object_size(at->front) == 1 &&
        json_object_get(at->front, "layout"))
        p->skip = POST_INDEXED;
    const char *own_date = json_string_value(json_object_get(at->front, "date"));
    bool plain = json_is_true(json_object_get(at->plain, "date"));
    struct tm tm;
    /* A date not written year first ("11-9-2017", which Ruby reads day first)
     * is the file name's day, as the post's date is (post_fields.c). */
    bool year_first = own_date && strspn(own_date, "0123456789") == 4 && own_date[4] == '-';
    if (!year_first || !post_time(own_date, plain, st->zone, &tm))
        post_time(date, false, st->zone, &tm);
    jekyll_vars v = {0};
    date_vars(&v, &tm);
    const char *coll_rel = site_rel.data + st->coll_len; /* "_posts/...", "news/_posts/..." */
    name_vars(&v, at, file_slug, coll_rel);
    char *path = expand(post_template(s, at, coll_rel), &v);
    site_set_url(p, site_url_join(st->url, st->base_path, path), false);
    /* Jekyll publishes no post dated after its build unless future: true. */
    if (p->skip == POST_INDEXED && p->date && site_day_vs_today(p->date) > 0 &&
        !site_config_bool(s->config, "future", false))
        p->skip = POST_SKIP_FUTURE;
    free(path);
    vars_free(&v);
    free(file_slug);
    sb_free(&site_rel);
}

const site_rules jekyll_rules = {
    .generator = SITE_JEKYLL, .name = "jekyll", .detect = jekyll_detect, .open = jekyll_open,
    .apply = jekyll_apply, .close = jekyll_close,
};
