/* maintain.c — the runs that look after builds rather than posts: switching back
 * to the previous build (--rollback), and writing the served build's lexicon
 * for servers of remote shards (--export-lexicon). */
#include "maintain.h"

#include "indexroot.h"
#include "xap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int index_rollback(const index_options *opt)
{
    struct stat st;
    errno = 0;
    if (stat(opt->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        report("no index root at %s: nothing to roll back (%s)", opt->root,
               errno ? strerror(errno) : "not a folder");
        return EXIT_INDEX_FAILED;
    }
    int lock = indexroot_lock(opt->root);
    if (lock < 0) {
        report(errno == EWOULDBLOCK ? "another loomsearch-index is running on %s"
                                    : "cannot lock %s: %s",
               opt->root, strerror(errno));
        return errno == EWOULDBLOCK ? EXIT_INDEX_LOCKED : EXIT_INDEX_FAILED;
    }
    char *target = indexroot_current_target(opt->root);
    const char *current = target && strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    char *previous = indexroot_previous(opt->root);
    int rc = EXIT_INDEX_OK;
    if (!previous) {
        report("no build older than the current one under %s: nothing to roll back to", opt->root);
        rc = EXIT_INDEX_FAILED;
    } else if (!opt->dry_run && indexroot_switch(opt->root, previous) != 0) {
        report("cannot switch to build %s: %s", previous, strerror(errno));
        rc = EXIT_INDEX_FAILED;
    } else {
        printf("%s build %s (was %s)\n", opt->dry_run ? "would serve" : "now serving", previous,
               current ? current : "none");
    }
    free(target);
    free(previous);
    close(lock);
    return rc;
}

/* --export-lexicon: the served build's spelling and synonyms alone, for a
 * server whose shards are remote (docs/scaling.md). */
int index_export_lexicon(const index_options *opt)
{
    char *path = NULL, *id = NULL;
    if (indexroot_current(&path, &id, opt->root) != 0) {
        report("no build is current under %s", opt->root);
        return EXIT_INDEX_FAILED;
    }
    size_t words, keys;
    xap_error err;
    int rc = EXIT_INDEX_OK;
    if (xap_export_lexicon(path, opt->lexicon_path, &words, &keys, &err) != XAP_OK) {
        report("cannot write the lexicon %s: %s", opt->lexicon_path, err.message);
        rc = EXIT_INDEX_FAILED;
    } else {
        printf("lexicon of build %s: %zu spelling words, %zu synonym keys, in %s\n", id, words, keys,
               opt->lexicon_path);
    }
    free(path);
    free(id);
    return rc;
}
