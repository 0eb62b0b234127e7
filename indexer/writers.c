/* writers.c — the writer processes of a full build (see writers.h). The parent
 * writes each post to its writer's pipe as a frame: a 4-byte length, then the
 * item's id, size, mtime, hash and public id, each ended by a NUL, then the post as JSON
 * (as a parse worker wrote it). A
 * writer that cannot index a post (the post's fault) appends "path\0message\0"
 * to its file DIR/failed.<i>; any other failure ends it with status 1 and a
 * message on stderr. End of input: commit, exit 0. */
#include "writers.h"

#include "fdio.h"
#include "hash.h"
#include "text.h"
#include "xap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRITER_PIPE_BYTES (1 << 20) /* a writer's queue: some 200 posts, two flushes */

typedef struct writer {
    pid_t pid;
    int to_child;
    char *path;  /* its database, DIR/<i> */
} writer;

struct writer_set {
    writer *procs;
    unsigned n;
    char *dir, *meta;
};

/* ---- The writer side ------------------------------------------------------------ */

static void writer_fail(const char *what, const char *message)
{
    report_to_stderr("loomsearch-index", "shard writer: %s: %s", what, message);
    _exit(1);
}

/* Index one frame's post; the post's own failures go to fd 1. */
static void write_frame(document_context *ctx, const char *frame, size_t len)
{
    const char *field[5], *at = frame, *end = frame + len;
    for (int i = 0; i < 5; i++) {
        const char *nul = memchr(at, '\0', (size_t)(end - at));
        if (!nul)
            writer_fail("reading a post", "a frame is cut short");
        field[i] = at;
        at = nul + 1;
    }
    post *p = post_from_json(at, (size_t)(end - at));
    if (!p)
        writer_fail("reading a post", "a post cannot be read back");
    post_source src = {.rel_path = field[0], .size = strtoll(field[1], NULL, 10), .mtime = field[2],
                       .hash = field[3], .public_id = field[4]};
    xap_error err;
    xap_status rc = document_write(ctx, p, &src, &err);
    if (rc == XAP_EINVAL) {
        if (!fd_write_all(1, field[0], strlen(field[0]) + 1) ||
            !fd_write_all(1, err.message, strlen(err.message) + 1))
            writer_fail("recording a failed post", strerror(errno));
    } else if (rc != XAP_OK) {
        writer_fail("writing the index", err.message);
    }
    post_free(p);
}

static void writer_main(const char *path, unsigned flush, const synonyms *syn)
{
    xap_writer *w;
    xap_error err;
    if (xap_writer_open_scratch(&w, path, flush, &err) != XAP_OK)
        writer_fail(path, err.message);
    xap_writer_defer_spelling(w);
    document_context ctx = {.w = w, .syn = syn};
    char *frame = NULL;
    size_t cap = 0;
    uint32_t len;
    while (fd_read_all(0, &len, sizeof len)) {
        if (cap < len) {
            free(frame);
            frame = xmalloc(cap = len);
        }
        if (!fd_read_all(0, frame, len))
            writer_fail("reading a post", "the parent stopped mid-frame");
        write_frame(&ctx, frame, len);
    }
    free(frame);
    if (xap_writer_spell_from_terms(w, &err) != XAP_OK || xap_writer_commit(w, &err) != XAP_OK)
        writer_fail("committing the shard", err.message);
    xap_writer_close(w);
    _exit(0);
}

/* ---- The parent side ------------------------------------------------------------ */

static bool writer_spawn(writer *sh, const char *dir, unsigned i, unsigned flush, const synonyms *syn)
{
    strbuf path = {0}, failed = {0};
    sb_printf(&path, "%s/%u", dir, i);
    sb_printf(&failed, "%s/failed.%u", dir, i);
    int pipefd[2];
    int out = open(failed.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    sb_free(&failed);
    if (out < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        if (out >= 0)
            close(out);
        sb_free(&path);
        return false;
    }
    /* A writer reads nothing while Xapian flushes; with the pipe's default
     * 64 KB the parent then blocks on it, and the other writers starve. At
     * most the system's limit: a smaller pipe only costs time. */
    fcntl(pipefd[1], F_SETPIPE_SZ, WRITER_PIPE_BYTES);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* Die with the parent, and hold none of its files (the lock above all). */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        dup2(pipefd[0], 0);
        dup2(out, 1);
        close_range(3, ~0U, 0);
        writer_main(path.data, flush, syn);
    }
    close(pipefd[0]);
    close(out);
    if (pid < 0) {
        close(pipefd[1]);
        sb_free(&path);
        return false;
    }
    *sh = (writer){.pid = pid, .to_child = pipefd[1], .path = sb_take(&path)};
    return true;
}

writer_set *writers_start(unsigned n, const char *dir, unsigned flush, const synonyms *syn)
{
    if (mkdir(dir, 0755) != 0)
        return NULL;
    writer_set *s = xmalloc(sizeof *s);
    *s = (writer_set){.procs = xmalloc(n * sizeof *s->procs), .dir = xstrdup(dir)};
    strbuf meta = {0};
    sb_printf(&meta, "%s/meta", dir);
    s->meta = sb_take(&meta);
    for (; s->n < n; s->n++)
        if (!writer_spawn(&s->procs[s->n], dir, s->n, flush, syn)) {
            int saved = errno;
            writers_free(s);
            errno = saved;
            return NULL;
        }
    return s;
}

const char *writers_meta_path(const writer_set *s)
{
    return s->meta;
}

bool writers_put(writer_set *s, const post_source *src, const char *json, size_t json_len)
{
    writer *sh = &s->procs[hash_bucket(src->rel_path, s->n)];
    strbuf frame = {0};
    sb_append(&frame, "\0\0\0\0", 4);
    sb_printf(&frame, "%s%c%lld%c%s%c%s%c%s%c", src->rel_path, 0, src->size, 0, src->mtime, 0,
              src->hash, 0, src->public_id, 0);
    sb_append(&frame, json, json_len);
    uint32_t len = (uint32_t)(frame.len - 4);
    memcpy(frame.data, &len, 4);
    bool ok = sh->to_child >= 0 && fd_write_all(sh->to_child, frame.data, frame.len);
    sb_free(&frame);
    return ok;
}

/* Report the posts writer i could not index. */
static void read_failures(const writer_set *s, unsigned i, writer_failed_fn on_failed, void *ctx)
{
    strbuf path = {0};
    sb_printf(&path, "%s/failed.%u", s->dir, i);
    char *buf;
    size_t len;
    if (fd_read_file(&buf, &len, path.data, SIZE_MAX, NULL, 0) == FD_OK) {
        for (const char *at = buf; at < buf + len;) {
            const char *rel = at, *message = rel + strlen(rel) + 1;
            if (message >= buf + len)
                break;
            on_failed(ctx, rel, message);
            at = message + strlen(message) + 1;
        }
        free(buf);
    }
    sb_free(&path);
}

bool writers_finish(writer_set *s, writer_failed_fn on_failed, void *ctx, char *why, size_t why_len)
{
    bool ok = true;
    for (unsigned i = 0; i < s->n; i++) {
        close(s->procs[i].to_child);
        s->procs[i].to_child = -1;
    }
    for (unsigned i = 0; i < s->n; i++) {
        int status = 0;
        pid_t pid = s->procs[i].pid;
        s->procs[i].pid = -1;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (ok)
                snprintf(why, why_len, "shard writer %u failed (%s %d)", i,
                         WIFSIGNALED(status) ? "signal" : "status",
                         WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            ok = false;
            continue;
        }
        read_failures(s, i, on_failed, ctx);
    }
    return ok;
}

bool writers_merge(writer_set *s, const char *dest, char *why, size_t why_len)
{
    const char **sources = xmalloc((s->n + 1) * sizeof *sources);
    sources[0] = s->meta;
    for (unsigned i = 0; i < s->n; i++)
        sources[i + 1] = s->procs[i].path;
    xap_error err;
    bool ok = xap_compact(sources, s->n + 1, dest, &err) == XAP_OK;
    if (!ok)
        snprintf(why, why_len, "cannot merge the shards: %s", err.message);
    free(sources);
    return ok;
}

void writers_free(writer_set *s)
{
    if (!s)
        return;
    for (unsigned i = 0; i < s->n; i++) {
        writer *sh = &s->procs[i];
        if (sh->to_child >= 0)
            close(sh->to_child);
        if (sh->pid > 0) {
            kill(sh->pid, SIGKILL);
            waitpid(sh->pid, NULL, 0);
        }
        free(sh->path);
    }
    free(s->procs);
    free(s->dir);
    free(s->meta);
    free(s);
}
