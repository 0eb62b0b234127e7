/* workers.c — the parse pool: worker processes joined to the parent by two pipes
 * each. The parent writes a job as "where\0known-hash\0"; the worker answers with
 * a frame: a 4-byte length, then one byte of kind ('u' unchanged, 'o' parsed,
 * 'f' failed), the 16 hex digits of the hash, then for 'o' "slug\0title\0", a
 * byte '0' + the post's skip reason, a byte 'u' (undated) or '-', and the post
 * as JSON; for 'f' "reason\0message". One job is out at a time per worker. */
#include "workers.h"

#include "fdio.h"
#include "hash.h"
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

#define NO_HASH "0000000000000000" /* in a frame: the item could not be read */

typedef struct worker {
    pid_t pid;
    int to_child;    /* jobs */
    int from_child;  /* results */
    long job;        /* job being parsed, or -1 */
    strbuf in;       /* bytes of the result frame read so far */
} worker;

/* A job's result frame (kind, hash, body), once it is in. */
typedef struct slot {
    bool ready;
    strbuf frame;
} slot;

struct parse_pool {
    const source *src;
    worker *workers;
    unsigned n;
    size_t max_post_bytes;
    unsigned cpu_seconds;
    const parse_job *jobs;
    size_t n_jobs, next_job, next_result;
    slot *slots;       /* one per job */
    struct pollfd *fds;
};

/* ---- The worker side ---------------------------------------------------------- */

/* The frame's head: length to come, kind, hash. */
static void frame_start(strbuf *f, char kind, const char *hash)
{
    sb_append(f, "\0\0\0\0", 4);
    sb_putc(f, kind);
    sb_append(f, hash[0] ? hash : NO_HASH, 16);
}

static void send_frame(strbuf *f)
{
    uint32_t total = (uint32_t)(f->len - 4);
    memcpy(f->data, &total, 4);
    if (!fd_write_all(1, f->data, f->len))
        _exit(1); /* the parent is gone */
    sb_free(f);
}

static void send_failed(const char *hash, post_status why, const char *message)
{
    strbuf f = {0};
    frame_start(&f, 'f', hash);
    sb_printf(&f, "%s%c%s", post_status_name(why), 0, message);
    send_frame(&f);
}

static void set_cpu_limit(unsigned seconds)
{
    /* ITIMER_PROF counts this process's CPU time, user and system; when it runs
     * out, SIGPROF's default action ends the process. 0 disarms it. */
    struct itimerval t = {.it_value = {.tv_sec = seconds}};
    setitimer(ITIMER_PROF, &t, NULL);
}

static void parse_one(const parse_pool *pool, const char *where, const char *known_hash)
{
    const source *src = pool->src;
    post_error err;
    char *buf;
    size_t len;
    post_status rc = src->ops->read(src, where, pool->max_post_bytes, &buf, &len, &err);
    if (rc != POST_OK) {
        send_failed("", rc, err.message);
        return;
    }
    char hash[17];
    hash_content(hash, buf, len);
    strbuf f = {0};
    if (strcmp(hash, known_hash) == 0) {
        free(buf);
        frame_start(&f, 'u', hash);
        send_frame(&f);
        return;
    }
    post *p;
    set_cpu_limit(pool->cpu_seconds);
    rc = src->ops->parse(src, where, buf, len, &p, &err);
    set_cpu_limit(0);
    free(buf);
    if (rc == POST_OK && (rc = post_apply_caps(p, where, &err)) != POST_OK)
        post_free(p);
    if (rc != POST_OK) {
        send_failed(hash, rc, err.message);
        return;
    }
    char *json = post_to_json(p);
    frame_start(&f, 'o', hash);
    sb_printf(&f, "%s%c%s%c%c%c", p->slug, 0, p->title, 0, (char)('0' + p->skip),
              p->date ? '-' : 'u');
    sb_puts(&f, json);
    send_frame(&f);
    free(json);
    post_free(p);
}

static void worker_main(const parse_pool *pool)
{
    FILE *jobs = fdopen(0, "r");
    char *where = NULL, *hash = NULL;
    size_t where_cap = 0, hash_cap = 0;
    while (getdelim(&where, &where_cap, '\0', jobs) > 0 && getdelim(&hash, &hash_cap, '\0', jobs) > 0)
        parse_one(pool, where, hash);
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
        worker_main(pool);
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

parse_pool *pool_start(const source *src, unsigned workers, size_t max_post_bytes,
                       unsigned cpu_seconds)
{
    signal(SIGPIPE, SIG_IGN); /* a dead worker is noticed by its status, not a signal */
    parse_pool *pool = xmalloc(sizeof *pool);
    *pool = (parse_pool){.src = src, .n = workers ? workers : 1, .max_post_bytes = max_post_bytes,
                         .cpu_seconds = cpu_seconds};
    pool->workers = xmalloc(pool->n * sizeof *pool->workers);
    pool->fds = xmalloc(pool->n * sizeof *pool->fds);
    for (unsigned i = 0; i < pool->n; i++) {
        if (worker_spawn(&pool->workers[i], pool) != 0) {
            int saved = errno;
            pool->n = i;
            pool_stop(pool);
            errno = saved;
            return NULL;
        }
    }
    return pool;
}

static void free_slots(parse_pool *pool)
{
    for (size_t i = 0; i < pool->n_jobs; i++)
        sb_free(&pool->slots[i].frame);
    free(pool->slots);
    pool->slots = NULL;
}

void pool_begin(parse_pool *pool, const parse_job *jobs, size_t n)
{
    free_slots(pool);
    pool->jobs = jobs;
    pool->n_jobs = n;
    pool->next_job = pool->next_result = 0;
    pool->slots = xmalloc((n ? n : 1) * sizeof *pool->slots);
    memset(pool->slots, 0, (n ? n : 1) * sizeof *pool->slots);
}

void pool_stop(parse_pool *pool)
{
    if (!pool)
        return;
    for (unsigned i = 0; i < pool->n; i++)
        worker_close(&pool->workers[i]); /* EOF on its jobs: the worker exits */
    for (unsigned i = 0; i < pool->n; i++)
        waitpid(pool->workers[i].pid, NULL, 0);
    free_slots(pool);
    free(pool->workers);
    free(pool->fds);
    free(pool);
}

static bool send_job(worker *w, const parse_job *job, long index)
{
    w->job = index;
    return fd_write_all(w->to_child, job->where, strlen(job->where) + 1) &&
           fd_write_all(w->to_child, job->known_hash, strlen(job->known_hash) + 1);
}

/* A worker died with a job: reap it, record why as the job's frame, and start
 * another in its place. */
static int worker_replace(parse_pool *pool, worker *w)
{
    int status = 0;
    waitpid(w->pid, &status, 0);
    const char *where = pool->jobs[w->job].where;
    strbuf *f = &pool->slots[w->job].frame;
    sb_free(f);
    frame_start(f, 'f', "");
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGPROF || WTERMSIG(status) == SIGXCPU))
        sb_printf(f, "timeout%c%s: parsing took more than %u s of CPU; skipped (--parse-timeout "
                  "raises the limit)", 0, where, pool->cpu_seconds);
    else if (WIFSIGNALED(status))
        sb_printf(f, "parser_died%c%s: the parser died (signal %d); skipped", 0, where,
                  WTERMSIG(status));
    else
        sb_printf(f, "parser_died%c%s: the parser exited (status %d); skipped", 0, where,
                  WEXITSTATUS(status));
    worker_close(w);
    return worker_spawn(w, pool);
}

/* Read what w has sent; true once its job's frame is whole, or the worker died
 * (the frame then says so). *broken when no replacement could be started. */
static bool worker_read(parse_pool *pool, worker *w, bool *broken)
{
    char buf[65536];
    ssize_t n = read(w->from_child, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
        return false;
    if (n <= 0) {
        if (worker_replace(pool, w) != 0)
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
    /* One job at a time: nothing follows the frame, which moves to its slot. */
    pool->slots[w->job].frame = w->in;
    w->in = (strbuf){0};
    return true;
}

/* Give idle workers jobs, wait for any to answer, and collect what they sent.
 * False when the pool broke. */
static bool pool_step(parse_pool *pool)
{
    for (unsigned i = 0; i < pool->n && pool->next_job < pool->n_jobs; i++)
        if (pool->workers[i].job < 0) {
            send_job(&pool->workers[i], &pool->jobs[pool->next_job], (long)pool->next_job);
            pool->next_job++; /* a failed send shows as a dead worker below */
        }
    for (unsigned i = 0; i < pool->n; i++)
        pool->fds[i] = (struct pollfd){
            .fd = pool->workers[i].job >= 0 ? pool->workers[i].from_child : -1, .events = POLLIN};
    if (poll(pool->fds, pool->n, -1) < 0 && errno != EINTR)
        return false;
    bool broken = false;
    for (unsigned i = 0; i < pool->n; i++) {
        worker *w = &pool->workers[i];
        if (w->job < 0 || !(pool->fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        long job = w->job; /* a worker that died is replaced, job and all */
        if (worker_read(pool, w, &broken)) {
            pool->slots[job].ready = true;
            w->job = -1;
        }
    }
    return !broken;
}

/* Read a frame ("length" already stripped) into a result pointing into it. */
static void frame_to_result(const char *frame, size_t len, parse_result *out)
{
    *out = (parse_result){.kind = PARSE_FAILED};
    memcpy(out->hash, frame + 1, 16);
    out->hash[16] = '\0';
    const char *body = frame + 17, *end = frame + len;
    if (frame[0] == 'u') {
        out->kind = PARSE_UNCHANGED;
    } else if (frame[0] == 'o') {
        const char *slug_end = memchr(body, '\0', (size_t)(end - body));
        const char *title_end = slug_end ? memchr(slug_end + 1, '\0', (size_t)(end - slug_end - 1)) : NULL;
        if (!title_end || title_end + 2 >= end) {
            out->reason = "parser_died";
            out->message = "a parse worker sent a post that cannot be read back";
            return;
        }
        char skip = title_end[1];
        *out = (parse_result){.kind = PARSE_OK, .slug = body, .title = slug_end + 1,
                              .skip = skip > '0' && skip < '0' + POST_SKIP_COUNT ? (post_skip)(skip - '0')
                                                                                 : POST_INDEXED,
                              .undated = title_end[2] == 'u', .json = title_end + 3,
                              .json_len = (size_t)(end - title_end - 3)};
        memcpy(out->hash, frame + 1, 16);
    } else {
        /* "reason\0message"; the frame's buffer has a NUL after its end */
        const char *reason_end = memchr(body, '\0', (size_t)(end - body));
        out->reason = reason_end ? body : "parser_died";
        out->message = reason_end ? reason_end + 1 : body;
        if (strcmp(out->hash, NO_HASH) == 0)
            out->hash[0] = '\0';
    }
}

int pool_next(parse_pool *pool, size_t *job, parse_result *out)
{
    if (pool->next_result > 0) /* the previous result's strings go now */
        sb_free(&pool->slots[pool->next_result - 1].frame);
    if (pool->next_result == pool->n_jobs)
        return 0;
    while (!pool->slots[pool->next_result].ready)
        if (!pool_step(pool))
            return -1;
    *job = pool->next_result++;
    const strbuf *f = &pool->slots[*job].frame;
    frame_to_result(f->data + 4, f->len - 4, out);
    return 1;
}
