/* frontmatter.c - see frontmatter.h. */
#define _POSIX_C_SOURCE 200809L
#include "frontmatter.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        char *bigger = realloc(buf, cap);
        if (!bigger) {
            free(buf);
            buf = NULL;
        }
        buf = bigger;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        errno = bad ? EIO : ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* Remove surrounding double or single quotes, undoing \" and \\ inside
 * double quotes.  Works in place. */
static char *unquote(char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        s[n - 1] = '\0';
        return s + 1;
    }
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return s;
    s[n - 1] = '\0';
    char *r = s + 1, *w = s + 1;
    while (*r) {
        if (r[0] == '\\' && r[1] != '\0')
            r++;
        *w++ = *r++;
    }
    *w = '\0';
    return s + 1;
}

static void parse_tags(char *v, struct post *p)
{
    size_t len = strlen(v);
    if (len >= 2 && v[0] == '[' && v[len - 1] == ']') {
        v[len - 1] = '\0';
        v++;
    }
    size_t cap = 1;
    for (const char *c = v; *c; c++)
        cap += (*c == ',');
    p->tags = malloc(cap * sizeof *p->tags);
    if (!p->tags)
        return;
    char *save = NULL;
    for (char *t = strtok_r(v, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        t = unquote(trim(t));
        if (*t)
            p->tags[p->ntags++] = t;
    }
}

/* If S starts a line that is exactly "---" (optionally with \r), return the
 * start of the next line, else NULL. */
static char *fence(char *s)
{
    if (strncmp(s, "---", 3) != 0)
        return NULL;
    s += 3;
    if (*s == '\r')
        s++;
    if (*s == '\n')
        return s + 1;
    return *s == '\0' ? s : NULL;
}

int post_read(const char *path, struct post *p)
{
    memset(p, 0, sizeof *p);
    p->title = p->date = p->slug = p->body = "";
    size_t len;
    p->raw = slurp(path, &len);
    if (!p->raw)
        return -1;
    char *line = fence(p->raw);
    if (!line)
        return 1;
    while (*line) {
        char *next = fence(line);
        if (next) {                     /* closing fence: the rest is body */
            p->body = next;
            p->body_len = (size_t)(p->raw + len - next);
            return 0;
        }
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = '\0';
        char *colon = strchr(line, ':');
        if (colon && line[0] != ' ' && line[0] != '#') {
            *colon = '\0';
            char *key = trim(line), *val = trim(colon + 1);
            if (strcmp(key, "tags") == 0)
                parse_tags(val, p);
            else if (strcmp(key, "title") == 0)
                p->title = unquote(val);
            else if (strcmp(key, "date") == 0)
                p->date = unquote(val);
            else if (strcmp(key, "slug") == 0)
                p->slug = unquote(val);
            else if (strcmp(key, "draft") == 0)
                p->draft = strcmp(unquote(val), "true") == 0;
        }
        line = next;
    }
    return 1;                           /* no closing fence */
}

void post_free(struct post *p)
{
    free(p->raw);
    free(p->tags);
    memset(p, 0, sizeof *p);
}

struct pathlist {
    char **v;
    long n, cap;
};

static int walk(const char *dir, struct pathlist *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *full = malloc(need);
        if (!full) {
            rc = -1;
            break;
        }
        snprintf(full, need, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(full, &st) != 0) {
            free(full);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(full, out);
            free(full);
            continue;
        }
        size_t fl = strlen(e->d_name);
        if (!S_ISREG(st.st_mode) || fl < 4 || strcmp(e->d_name + fl - 3, ".md") != 0) {
            free(full);
            continue;
        }
        if (out->n == out->cap) {
            long cap = out->cap ? out->cap * 2 : 256;
            char **v = realloc(out->v, (size_t)cap * sizeof *v);
            if (!v) {
                free(full);
                rc = -1;
                break;
            }
            out->v = v;
            out->cap = cap;
        }
        out->v[out->n++] = full;
    }
    closedir(d);
    return rc;
}

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

long find_posts(const char *dir, char ***paths_out)
{
    struct pathlist pl = {0};
    if (walk(dir, &pl) != 0) {
        paths_free(pl.v, pl.n);
        return -1;
    }
    if (pl.n > 1)
        qsort(pl.v, (size_t)pl.n, sizeof *pl.v, cmp_paths);
    *paths_out = pl.v;
    return pl.n;
}

void paths_free(char **paths, long n)
{
    for (long i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}
