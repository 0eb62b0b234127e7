/* partition.c — partitioned index roots (--shard-by hash:N): the posts spread
 * over N index roots by a hash of their id, each root kept by a run of its own,
 * and the list of roots the server reads. */
#include "partition.h"

#include "fdio.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write ROOT/shards, the shard list loomsearch-serve --db reads, when it is
 * missing or different: a temporary file renamed over it. */
static int write_shard_list(const index_options *opt)
{
    strbuf list = {0}, path = {0}, tmp = {0};
    sb_puts(&list, "# written by loomsearch-index --shard-by; serve with loomsearch-serve --db THIS_FILE\n");
    for (unsigned i = 0; i < opt->shard_count; i++)
        sb_printf(&list, "auto shard-%u\n", i);
    sb_printf(&path, "%s/shards", opt->root);
    sb_printf(&tmp, "%s/shards.tmp", opt->root);
    char *old = NULL;
    size_t old_len = 0;
    bool same = fd_read_file(&old, &old_len, path.data, 1 << 20, NULL, 0) == FD_OK &&
                old_len == list.len && memcmp(old, list.data, list.len) == 0;
    int rc = EXIT_INDEX_OK;
    if (!same) {
        FILE *f = fopen(tmp.data, "w");
        bool ok = f && fwrite(list.data, 1, list.len, f) == list.len && fflush(f) == 0 &&
                  fsync(fileno(f)) == 0;
        ok = (f && fclose(f) == 0) && ok && rename(tmp.data, path.data) == 0;
        if (!ok) {
            report("cannot write the shard list %s: %s", path.data, strerror(errno));
            unlink(tmp.data);
            rc = EXIT_INDEX_FAILED;
        }
    }
    free(old);
    sb_free(&list), sb_free(&path), sb_free(&tmp);
    return rc;
}

/* --shard-by hash:N: each shard is an index root of its own (ROOT/shard-I)
 * holding the posts whose path hashes to it, brought up to date by a run of
 * its own, so a shard with no change is not touched and each swaps builds on
 * its own; ROOT/shards lists them for the server. */
int partition_run(const index_options *opt, index_summary *sum, root_run_fn run_root)
{
    int lock = -1, rc = index_lock(opt, &lock);
    if (rc != EXIT_INDEX_OK)
        return rc;
    *sum = (index_summary){0};
    for (unsigned i = 0; i < opt->shard_count; i++) {
        strbuf root = {0};
        sb_printf(&root, "%s/shard-%u", opt->root, i);
        index_options one = *opt;
        one.root = root.data, one.shard_index = i, one.in_shard = true;
        index_summary s;
        printf("shard-%u: ", i);
        fflush(stdout);
        int one_rc = run_root(&one, &s);
        if (rc == EXIT_INDEX_OK)
            rc = one_rc; /* the first failure decides; the other shards still run */
        summary_add(sum, &s);
        sb_free(&root);
    }
    int list_rc = opt->dry_run ? EXIT_INDEX_OK : write_shard_list(opt);
    if (list_rc != EXIT_INDEX_OK && (rc == EXIT_INDEX_OK || rc == EXIT_INDEX_MOSTLY_REFUSED))
        rc = list_rc; /* a shard list not written is worse than posts refused */
    printf("%u shards: added %u, updated %u, deleted %u, unchanged %u; ", opt->shard_count,
           sum->added, sum->updated, sum->deleted, sum->unchanged);
    summary_print_counts(stdout, sum);
    printf("; %lu posts; %.2f s; serve %s/shards\n", sum->doccount, sum->seconds, opt->root);
    close(lock);
    return rc;
}
