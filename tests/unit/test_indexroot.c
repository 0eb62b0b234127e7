/* test_indexroot.c — the index root's layout (lib/indexroot.c), on real folders.
 *
 * Covered: init (new, again, under a file, read-only), the indexer lock and its
 * exclusion, new build names, publish and the current pointer, the previous
 * build and switching back to it (rollback), pruning with each number of builds
 * to keep, and the -1 + errno of every function on a missing or unusable root
 * (ENOENT, ENOTDIR, EISDIR, EWOULDBLOCK, EEXIST and the read-only file
 * system's refusal). Not asserted: init on a root whose builds/ is a file
 * returns 0 today (mkdir's EEXIST is taken for "already there"). */
#include "indexroot.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

/* Build ids in the order they were made (ids sort by time). */
static const char *const IDS[] = {
    "20250101T000000Z-1", "20250102T000000Z-1", "20250103T000000Z-1",
    "20250104T000000Z-1", "20250105T000000Z-1",
};
#define N_IDS (sizeof IDS / sizeof IDS[0])

static bool exists(const char *dir, const char *name)
{
    struct stat st;
    return lstat(scratch_path(dir, name), &st) == 0;
}

static void make_dir(const char *dir, const char *name)
{
    assert_int_equal(mkdir(scratch_path(dir, name), 0755), 0);
}

static void make_file(const char *dir, const char *name)
{
    FILE *f = fopen(scratch_path(dir, name), "w");
    assert_non_null(f);
    fclose(f);
}

/* A root with every build of IDS finished and published, the last current. */
static char *root_with_builds(void)
{
    char *root = scratch_dir();
    assert_int_equal(indexroot_init(root), 0);
    for (size_t i = 0; i < N_IDS; i++) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "builds/%s.tmp", IDS[i]);
        make_dir(root, tmp);
        assert_int_equal(indexroot_publish(root, IDS[i]), 0);
    }
    return root;
}

static void init_makes_root_and_builds(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char *root = strdup(scratch_path(dir, "root"));
    assert_int_equal(indexroot_init(root), 0);
    assert_true(exists(root, "builds"));
    assert_int_equal(indexroot_init(root), 0); /* again: nothing to do */
    free(root);
    scratch_remove(dir);
}

/* Each unusable root, and the errno init gives. */
static void init_refuses_unusable_roots(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    make_file(dir, "file");
    char under_file[4096], missing[4096];
    snprintf(under_file, sizeof under_file, "%s/file/root", dir);
    snprintf(missing, sizeof missing, "%s/no/such/root", dir);
    const struct {
        const char *root;
        int err;
    } cases[] = {
        {under_file, ENOTDIR},
        {missing, ENOENT},
        {"/sys/loomsearch-test-root", 0}, /* read-only: EPERM or EACCES */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        errno = 0;
        assert_int_equal(indexroot_init(cases[i].root), -1);
        if (cases[i].err)
            assert_int_equal(errno, cases[i].err);
        else
            assert_true(errno == EPERM || errno == EACCES || errno == EROFS);
    }
    scratch_remove(dir);
}

static void lock_excludes_a_second_indexer(void **state)
{
    (void)state;
    char *root = scratch_dir();
    int first = indexroot_lock(root);
    assert_true(first >= 0);
    /* flock() is per open file: a second open, even in this process, is refused. */
    errno = 0;
    assert_int_equal(indexroot_lock(root), -1);
    assert_int_equal(errno, EWOULDBLOCK);
    close(first);
    int again = indexroot_lock(root);
    assert_true(again >= 0);
    close(again);
    scratch_remove(root);
}

static void lock_on_missing_or_unusable_root_fails(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    errno = 0;
    assert_int_equal(indexroot_lock(scratch_path(dir, "missing")), -1);
    assert_int_equal(errno, ENOENT);
    make_dir(dir, "lock"); /* the lock is a folder: cannot be opened for writing */
    errno = 0;
    assert_int_equal(indexroot_lock(dir), -1);
    assert_int_equal(errno, EISDIR);
    scratch_remove(dir);
}

static void new_build_is_named_by_time_and_pid(void **state)
{
    (void)state;
    char *root = scratch_dir();
    char *id, *tmp;
    assert_int_equal(indexroot_new_build(&id, &tmp, root), 0);
    regex_t re;
    assert_int_equal(regcomp(&re, "^[0-9]{8}T[0-9]{6}Z-[0-9]+$", REG_EXTENDED | REG_NOSUB), 0);
    assert_int_equal(regexec(&re, id, 0, NULL, 0), 0);
    regfree(&re);
    char pid[32], want[4096];
    snprintf(pid, sizeof pid, "-%ld", (long)getpid());
    assert_string_equal(id + strlen(id) - strlen(pid), pid);
    snprintf(want, sizeof want, "%s/builds/%s.tmp", root, id);
    assert_string_equal(tmp, want);
    struct stat st;
    assert_int_equal(stat(tmp, &st), -1); /* named, not made */
    free(id);
    free(tmp);
    scratch_remove(root);
}

static void publish_renames_and_points_current(void **state)
{
    (void)state;
    char *root = scratch_dir();
    char *path = (char *)1, *id = (char *)1;
    errno = 0;
    assert_int_equal(indexroot_current(&path, &id, root), -1);
    assert_int_equal(errno, ENOENT);
    assert_null(path);
    assert_null(id);
    assert_null(indexroot_current_target(root));

    assert_int_equal(indexroot_init(root), 0);
    make_dir(root, "builds/20250101T000000Z-7.tmp");
    assert_int_equal(indexroot_publish(root, "20250101T000000Z-7"), 0);
    assert_false(exists(root, "builds/20250101T000000Z-7.tmp"));
    assert_true(exists(root, "builds/20250101T000000Z-7"));
    assert_false(exists(root, "current.tmp"));
    char *target = indexroot_current_target(root);
    assert_string_equal(target, "builds/20250101T000000Z-7"); /* relative: the root may move */
    free(target);

    assert_int_equal(indexroot_current(&path, &id, root), 0);
    assert_string_equal(id, "20250101T000000Z-7");
    char *want = realpath(scratch_path(root, "builds/20250101T000000Z-7"), NULL);
    assert_string_equal(path, want);
    free(want);
    free(path);
    free(id);
    assert_int_equal(indexroot_current(&path, NULL, root), 0); /* the id is optional */
    free(path);
    scratch_remove(root);
}

static void publish_without_a_build_fails(void **state)
{
    (void)state;
    char *root = scratch_dir();
    assert_int_equal(indexroot_init(root), 0);
    errno = 0;
    assert_int_equal(indexroot_publish(root, "20250101T000000Z-7"), -1);
    assert_int_equal(errno, ENOENT);
    assert_null(indexroot_current_target(root));
    scratch_remove(root);
}

/* current -> a build whose folder is gone: the target reads, the build does not. */
static void current_to_a_removed_build_is_enoent(void **state)
{
    (void)state;
    char *root = scratch_dir();
    assert_int_equal(symlink("builds/gone", scratch_path(root, "current")), 0);
    char *path, *id;
    errno = 0;
    assert_int_equal(indexroot_current(&path, &id, root), -1);
    assert_int_equal(errno, ENOENT);
    assert_null(path);
    scratch_remove(root);
}

static void previous_and_rollback_switch(void **state)
{
    (void)state;
    char *root = root_with_builds();
    char *previous = indexroot_previous(root);
    assert_string_equal(previous, IDS[N_IDS - 2]);
    /* Roll back: serve the previous build; the one before it is then previous. */
    assert_int_equal(indexroot_switch(root, previous), 0);
    char *path, *id;
    assert_int_equal(indexroot_current(&path, &id, root), 0);
    assert_string_equal(id, IDS[N_IDS - 2]);
    free(path);
    free(id);
    free(previous);
    previous = indexroot_previous(root);
    assert_string_equal(previous, IDS[N_IDS - 3]);
    free(previous);
    /* The oldest has no previous. */
    assert_int_equal(indexroot_switch(root, IDS[0]), 0);
    errno = 0;
    assert_null(indexroot_previous(root));
    assert_int_equal(errno, ENOENT);
    scratch_remove(root);
}

static void previous_and_switch_on_unusable_roots_fail(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    errno = 0;
    assert_null(indexroot_previous(scratch_path(dir, "missing")));
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(indexroot_switch(scratch_path(dir, "missing"), IDS[0]), -1);
    assert_int_equal(errno, ENOENT);
    /* A folder where the new link is made: it cannot be replaced by a link. */
    make_dir(dir, "current.tmp");
    make_file(dir, "current.tmp/keep");
    errno = 0;
    assert_int_equal(indexroot_switch(dir, IDS[0]), -1);
    assert_int_equal(errno, EEXIST);
    assert_null(indexroot_current_target(dir));
    scratch_remove(dir);
}

/* Prune with each number to keep: which of IDS stay. Builds 0..4, current 2. */
static void prune_keeps_current_and_newest(void **state)
{
    (void)state;
    const struct {
        int keep;
        const char *stay; /* one character per build of IDS: 1 stays */
    } cases[] = {
        {0, "00100"}, {1, "00100"}, {2, "00101"}, {3, "00111"}, {4, "01111"}, {5, "11111"}, {10, "11111"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *root = root_with_builds();
        assert_int_equal(indexroot_switch(root, IDS[2]), 0);
        make_dir(root, "builds/20250106T000000Z-9.tmp"); /* a killed run's build */
        make_file(root, "builds/20250106T000000Z-9.tmp/data");
        int removed = 1; /* the stale build */
        for (size_t i = 0; i < N_IDS; i++)
            removed += cases[c].stay[i] == '0';
        assert_int_equal(indexroot_prune(root, cases[c].keep), removed);
        assert_false(exists(root, "builds/20250106T000000Z-9.tmp"));
        for (size_t i = 0; i < N_IDS; i++) {
            char name[64];
            snprintf(name, sizeof name, "builds/%s", IDS[i]);
            assert_int_equal(exists(root, name), cases[c].stay[i] == '1');
        }
        scratch_remove(root);
    }
}

static void prune_on_missing_root_fails(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    errno = 0;
    assert_int_equal(indexroot_prune(scratch_path(dir, "missing"), 3), -1);
    assert_int_equal(errno, ENOENT);
    scratch_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_makes_root_and_builds),
        cmocka_unit_test(init_refuses_unusable_roots),
        cmocka_unit_test(lock_excludes_a_second_indexer),
        cmocka_unit_test(lock_on_missing_or_unusable_root_fails),
        cmocka_unit_test(new_build_is_named_by_time_and_pid),
        cmocka_unit_test(publish_renames_and_points_current),
        cmocka_unit_test(publish_without_a_build_fails),
        cmocka_unit_test(current_to_a_removed_build_is_enoent),
        cmocka_unit_test(previous_and_rollback_switch),
        cmocka_unit_test(previous_and_switch_on_unusable_roots_fail),
        cmocka_unit_test(prune_keeps_current_and_newest),
        cmocka_unit_test(prune_on_missing_root_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
