/* shardlist.c — an index made of several databases, named in a shard list.
 *
 * --db may name a file instead of an index root. Its lines are Xapian's stub
 * lines, read by us so that each shard is opened on its own (a stub would
 * throw at the first dead one, after its default timeout):
 *
 *   # comments and blank lines are skipped
 *   auto /srv/loomsearch/2019       a local index root (its current build) or database
 *   remote search-2.internal:7001   a database xapian-tcpsrv serves
 *
 * Relative paths are taken from the list's own folder, as Xapian does. */
#include "shardlist.h"

#include "options.h"

#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The folder of path, for relative shard paths ("." when it has none). */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
}

static bool parse_remote(shard_entry *s, const char *where, char *why, size_t why_len, const char *at)
{
    const char *colon = strrchr(where, ':');
    unsigned long port;
    if (!colon || colon == where || !opt_parse_uint(colon + 1, 1, 65535, &port)) {
        snprintf(why, why_len, "%s: 'remote' wants HOST:PORT, not '%s'", at, where);
        return false;
    }
    s->host = xstrndup(where, (size_t)(colon - where));
    s->port = (unsigned)port;
    return true;
}

static void parse_local(shard_entry *s, const char *where, const char *folder)
{
    strbuf path = {0};
    if (where[0] == '/')
        sb_puts(&path, where);
    else
        sb_printf(&path, "%s/%s", folder, where);
    s->path = sb_take(&path);
    strbuf current = {0};
    sb_printf(&current, "%s/current", s->path);
    struct stat st;
    s->is_root = lstat(current.data, &st) == 0 && S_ISLNK(st.st_mode);
    sb_free(&current);
}

/* One line "KIND WHERE" into s; false with why on a line that is not one. */
static bool parse_line(shard_entry *s, char *line, const char *folder, char *why, size_t why_len,
                       const char *at)
{
    char *kind = line;
    while (*kind && isspace((unsigned char)*kind))
        kind++;
    char *where = kind;
    while (*where && !isspace((unsigned char)*where))
        where++;
    if (*where)
        *where++ = '\0';
    while (*where && isspace((unsigned char)*where))
        where++;
    char *end = where + strlen(where);
    while (end > where && isspace((unsigned char)end[-1]))
        *--end = '\0';
    *s = (shard_entry){.name = xstrdup(where)};
    if (!*where || strchr(where, ' ')) {
        snprintf(why, why_len, "%s: a shard line is 'auto PATH' or 'remote HOST:PORT'", at);
        return false;
    }
    if (strcmp(kind, "remote") == 0)
        return parse_remote(s, where, why, why_len, at);
    if (strcmp(kind, "auto") == 0 || strcmp(kind, "glass") == 0) {
        parse_local(s, where, folder);
        return true;
    }
    snprintf(why, why_len, "%s: unknown shard kind '%s' (auto, glass or remote)", at, kind);
    return false;
}

bool shard_list_is(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool shard_list_load(server_config *cfg, char *why, size_t why_len)
{
    FILE *f = fopen(cfg->root, "r");
    if (!f) {
        snprintf(why, why_len, "cannot read the shard list %s: %s", cfg->root, strerror(errno));
        return false;
    }
    char *folder = folder_of(cfg->root), *line = NULL;
    size_t cap = 0, n = 0, line_no = 0;
    shard_entry *shards = NULL;
    bool ok = true;
    while (ok && getline(&line, &cap, f) >= 0) {
        line_no++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        shards = xrealloc(shards, (n + 1) * sizeof *shards);
        char at[PATH_MAX + 32];
        snprintf(at, sizeof at, "%s:%zu", cfg->root, line_no);
        ok = parse_line(&shards[n++], p, folder, why, why_len, at);
    }
    free(line);
    free(folder);
    fclose(f);
    if (ok && n == 0) {
        snprintf(why, why_len, "the shard list %s names no shard", cfg->root);
        ok = false;
    }
    cfg->shards = shards;
    cfg->n_shards = n;
    return ok;
}

void shard_list_free(server_config *cfg)
{
    for (size_t i = 0; i < cfg->n_shards; i++) {
        free(cfg->shards[i].name);
        free(cfg->shards[i].path);
        free(cfg->shards[i].host);
    }
    free(cfg->shards);
    cfg->shards = NULL;
    cfg->n_shards = 0;
}
