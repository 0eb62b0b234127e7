/* workers.c — the parse pool: worker processes joined to the parent by two pipes
 * each. The parent writes a job as "path\0known-hash\0"; the worker answers with
 * a frame: a 4-byte length, then one byte of kind ('u' unchanged, 'o' parsed,
 * 'f' failed), the 16 hex digits of the hash, and the post as JSON or the error
 * message. One job is out at a time per worker. */
#include "workers.h"

#include "fdio.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

typedef struct worker {
    pid_t pid;
    int to_child;    /* jobs */
    int from_child;  /* results */
    long job;        /* job being parsed, or -1 */
    strbuf in;       /* bytes of the result frame read so far */
} worker;

struct parse_pool {
    worker *workers;
    unsigned n;
    size_t max_post_bytes;
    unsigned cpu_seconds;
};

/* ---- The worker side ---------------------------------------------------------- */

static void send_frame(char kind, const char *hash, const char *body, size_t len)
{
    uint32_t total = (uint32_t)(1 + 16 + len);
    char head[4 + 1 + 16];
    memcpy(head, &total, 4);
    head[4] = kind;
    memcpy(head + 5, hash[0] ? hash : "0000000000000000", 16);
    if (!fd_write_all(1, head, sizeof head) || !fd_write_all(1, body, len))
        _exit(1); /* the parent is gone */
}

static void set_cpu_limit(unsigned seconds)
{
    /* ITIMER_PROF counts this process's CPU time, user and system; when it runs
     * out, SIGPROF's default action ends the process. 0 disarms it. */
    struct itimerval t = {.it_value = {.tv_sec = seconds}};
    setitimer(ITIMER_PROF, &t, NULL);
}

static void parse_one(const char *path, const char *known_hash, size_t max_bytes,
                      unsigned cpu_seconds)
{
    post_error err;
    char *buf;
    size_t len;
    if (post_read_file(&buf, &len, path, max_bytes, &err) != POST_OK) {
        send_frame('f', "", err.message, strlen(err.message));
        return;
    }
    char hash[17];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)XXH3_64bits(buf, len));
    if (strcmp(hash, known_hash) == 0) {
        free(buf);
        send_frame('u', hash, "", 0);
        return;
    }
    post *p;
    set_cpu_limit(cpu_seconds);
    post_status rc = post_parse(&p, path, buf, len, &err);
    set_cpu_limit(0);
    free(buf);
    if (rc != POST_OK) {
        send_frame('f', hash, err.message, strlen(err.message));
        return;
    }
    char *json = post_to_json(p);
    send_frame('o', hash, json, strlen(json));
    free(json);
    post_free(p);
}

static void worker_main(size_t max_bytes, unsigned cpu_seconds)
{
    FILE *jobs = fdopen(0, "r");
    char *path = NULL, *hash = NULL;
    size_t path_cap = 0, hash_cap = 0;
    while (getdelim(&path, &path_cap, '\0', jobs) > 0 && getdelim(&hash, &hash_cap, '\0', jobs) > 0)
        parse_one(path, hash, max_bytes, cpu_seconds);
    _exit(0); /* _exit: never flush stdio buffers inherited from the parent */
}

/* ---- The parent side ---------------------------------------------------------- */

static int worker_spawn(worker *w, const parse_pool *pool)
{
    int jobs[2], results[2];
    if (pipe2(jobs, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(results, O_CLOEXEC) != 0) {
        close(jobs[0]);
        close(jobs[1]);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(jobs[0]), close(jobs[1]), close(results[0]), close(results[1]);
        return -1;
    }
    if (pid == 0) {
        /* Die with the parent, and hold none of its files: a worker started after
         * the lock was taken must not keep the lock alive. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        dup2(jobs[0], 0);
        dup2(results[1], 1);
        close_range(3, ~0U, 0);
        signal(SIGPIPE, SIG_DFL);
        worker_main(pool->max_post_bytes, pool->cpu_seconds);
    }
    close(jobs[0]);
    close(results[1]);
    *w = (worker){.pid = pid, .to_child = jobs[1], .from_child = results[0], .job = -1};
    return 0;
}

static void worker_close(worker *w)
{
    if (w->to_child >= 0)
        close(w->to_child);
    if (w->from_child >= 0)
        close(w->from_child);
    sb_free(&w->in);
    w->to_child = w->from_child = -1;
}

parse_pool *pool_start(unsigned workers, size_t max_post_bytes, unsigned cpu_seconds)
{
    signal(SIGPIPE, SIG_IGN); /* a dead worker is noticed by its status, not a signal */
    parse_pool *pool = xmalloc(sizeof *pool);
    *pool = (parse_pool){.n = workers ? workers : 1, .max_post_bytes = max_post_bytes,
                         .cpu_seconds = cpu_seconds};
    pool->workers = xmalloc(pool->n * sizeof *pool->workers);
    for (unsigned i = 0; i < pool->n; i++) {
        if (worker_spawn(&pool->workers[i], pool) != 0) {
            pool->n = i;
            pool_stop(pool);
            return NULL;
        }
    }
    return pool;
}

void pool_stop(parse_pool *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < pool->n; i++)
        worker_close(&pool->workers[i]); /* EOF on its jobs: the worker exits */
    for (unsigned i = 0; i < pool->n; i++)
        waitpid(pool->workers[i].pid, NULL, 0);
    free(pool->workers);
    free(pool);
}

static bool send_job(worker *w, const parse_job *job, long index)
{
    w->job = index;
    return fd_write_all(w->to_child, job->path, strlen(job->path) + 1) &&
           fd_write_all(w->to_child, job->known_hash, strlen(job->known_hash) + 1);
}

/* A worker died with a job: reap it, say why, and start another in its place. */
static int worker_replace(parse_pool *pool, worker *w, const char *path, parse_result *out)
{
    int status = 0;
    waitpid(w->pid, &status, 0);
    strbuf msg = {0};
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGPROF || WTERMSIG(status) == SIGXCPU))
        sb_printf(&msg, "%s: parsing took more than %u s of CPU; skipped (pathological Markdown?)",
                  path, pool->cpu_seconds);
    else if (WIFSIGNALED(status))
        sb_printf(&msg, "%s: the parser died (signal %d); skipped", path, WTERMSIG(status));
    else
        sb_printf(&msg, "%s: the parser exited (status %d); skipped", path, WEXITSTATUS(status));
    *out = (parse_result){.kind = PARSE_FAILED, .message = sb_take(&msg)};
    worker_close(w);
    return worker_spawn(w, pool);
}

/* Decode a complete frame in w->in into a result. */
static void frame_to_result(const char *frame, size_t len, parse_result *out)
{
    *out = (parse_result){0};
    memcpy(out->hash, frame + 1, 16);
    out->hash[16] = '\0';
    const char *body = frame + 17;
    size_t body_len = len - 17;
    switch (frame[0]) {
    case 'u':
        out->kind = PARSE_UNCHANGED;
        break;
    case 'o':
        out->kind = PARSE_OK;
        out->post = post_from_json(body, body_len);
        if (out->post)
            break;
        out->kind = PARSE_FAILED;
        out->message = xstrdup("a parse worker sent a post that cannot be read back");
        break;
    default:
        out->kind = PARSE_FAILED;
        out->message = xstrndup(body, body_len);
        if (strcmp(out->hash, "0000000000000000") == 0)
            out->hash[0] = '\0';
    }
}

/* Read what w has sent; true with *out filled once a whole frame is in, or when
 * the worker died (then the result says so). -1 in *broken if no replacement
 * could be started. */
static bool worker_read(parse_pool *pool, worker *w, const parse_job *jobs, parse_result *out,
                        bool *broken)
{
    char buf[65536];
    ssize_t n = read(w->from_child, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
        return false;
    if (n <= 0) {
        if (worker_replace(pool, w, jobs[w->job].path, out) != 0)
            *broken = true;
        return true;
    }
    sb_append(&w->in, buf, (size_t)n);
    if (w->in.len < 4)
        return false;
    uint32_t len;
    memcpy(&len, w->in.data, 4);
    if (w->in.len < 4 + (size_t)len)
        return false;
    frame_to_result(w->in.data + 4, len, out);
    sb_free(&w->in); /* one job at a time: nothing follows the frame */
    return true;
}

int pool_run(parse_pool *pool, const parse_job *jobs, size_t n_jobs, parse_done_fn on_result,
             void *ctx)
{
    parse_result *done = calloc(n_jobs ? n_jobs : 1, sizeof *done);
    bool *ready = calloc(n_jobs ? n_jobs : 1, sizeof *ready);
    struct pollfd *fds = xmalloc(pool->n * sizeof *fds);
    size_t next_job = 0, next_result = 0;
    bool broken = false;
    while (next_result < n_jobs && !broken) {
        for (unsigned i = 0; i < pool->n && next_job < n_jobs; i++)
            if (pool->workers[i].job < 0) {
                send_job(&pool->workers[i], &jobs[next_job], (long)next_job);
                next_job++; /* a failed send shows as a dead worker below */
            }
        for (unsigned i = 0; i < pool->n; i++)
            fds[i] = (struct pollfd){.fd = pool->workers[i].job >= 0 ? pool->workers[i].from_child : -1,
                                     .events = POLLIN};
        if (poll(fds, pool->n, -1) < 0 && errno != EINTR)
            break;
        for (unsigned i = 0; i < pool->n; i++) {
            worker *w = &pool->workers[i];
            if (w->job < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            long job = w->job; /* a worker that died is replaced, job and all */
            parse_result r;
            if (worker_read(pool, w, jobs, &r, &broken)) {
                done[job] = r;
                ready[job] = true;
                w->job = -1;
            }
        }
        /* Hand results on in job order. */
        while (next_result < n_jobs && ready[next_result]) {
            on_result(ctx, next_result, &done[next_result]);
            next_result++;
        }
    }
    for (size_t i = next_result; i < n_jobs; i++) /* only after a break-down */
        if (ready[i]) {
            post_free(done[i].post);
            free(done[i].message);
        }
    free(done);
    free(ready);
    free(fds);
    return next_result == n_jobs ? 0 : -1;
}
