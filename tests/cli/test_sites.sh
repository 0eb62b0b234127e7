#!/usr/bin/env bash
# test_sites.sh — real blogs, read post by post as their generators read them.
#
# Each site folder holds an extract of a real public blog (posts at their own
# paths, the generator's config, the licence) and expected.tsv: for every post
# file, what the generator itself made of it (status, title, date, authors,
# tags, categories, summary, URL), taken from a build by the generator wherever
# Debian or npm has it. Third-party posts are not kept in this repository, so
# the folder comes from outside: $LOOM_SITES, else ../shared/sites beside the
# checkout, else ../archives/extracts beside the checkout; with none of them the test is skipped
# (exit 77), saying so.
#
# The indexer's --list (every item of the source: what it would index, and
# what it would skip or refuse, with the fields it read) is compared with
# expected.tsv row by row. Where this project knowingly reads a post otherwise
# than the site's own templates show it, tests/sites/differences.tsv says so,
# column by column, with the reason; nothing else may differ.
# usage: test_sites.sh INDEX_BINARY SOURCE_ROOT
set -u
INDEX=${1:?usage: test_sites.sh INDEX_BINARY SOURCE_ROOT} SRC=${2:?}
. "$SRC/tests/http/lib.sh"

sites=""
for d in "${LOOM_SITES:-}" "$SRC/../shared/sites" "$SRC/../archives/extracts"; do
    [ -n "$d" ] && [ -d "$d" ] && ls "$d"/*/expected.tsv >/dev/null 2>&1 && { sites=$d; break; }
done
if [ -z "$sites" ]; then
    echo "# skipped: no real-site extracts (set LOOM_SITES to a folder of SITE/expected.tsv)"
    exit 77
fi
echo "# real sites from $sites"
differences="$SRC/tests/sites/differences.tsv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The content folder of a site: the folder every expected path lies under.
content_of() {
    awk -F'\t' 'NR > 1 { n = split($1, p, "/"); d = ""; for (i = 1; i < n; i++) d = d p[i] "/";
                         if (NR == 2) c = d; else while (index(d, c) != 1) sub(/[^\/]*\/$/, "", c) }
                END { sub(/\/$/, "", c); print c }' "$1"
}

for expected in "$sites"/*/expected.tsv; do
    site_dir=$(dirname "$expected") site=$(basename "$(dirname "$expected")")
    content=$(content_of "$expected")
    "$INDEX" --list --site "$site_dir" --corpus "$site_dir/$content" >"$work/$site.tsv" 2>"$work/$site.err"
    rc=$?
    check_eq "$site: --list reads $content (exit 0 or 5)" "$([ $rc -eq 0 ] || [ $rc -eq 5 ] && echo ok)" ok
    # --site alone must find the same posts: the generator and its content folder.
    "$INDEX" --check --site "$site_dir" >"$work/$site.check" 2>&1
    check_contains "$site: --check --site finds the generator" "$(head -1 "$work/$site.check")" \
        ": ${site%%-*}"
    # The extract keeps only the posts' folder; the site's content folder is it
    # or a folder above it (Hugo's content/ above content/post).
    read_from=$(head -1 "$work/$site.check" | sed -n 's/.*posts read from //p')
    if [ "$read_from" = "$site_dir" ]; then
        fail "$site: --check --site finds the content folder inside the site" "got the site itself"
    else
        case "$site_dir/$content/" in
            "$read_from"/*) pass "$site: --check --site reads $read_from, which holds $content" ;;
            *) fail "$site: --check --site reads the folder that holds $content" "got: $read_from" ;;
        esac
    fi
    # Join on the path (expected paths are relative to the site, ours to the
    # content folder) and compare column by column; print one line per
    # difference not excused in differences.tsv.
    awk -F'\t' -v OFS='\t' -v site="$site" -v site_dir="$site_dir" -v prefix="$content/" '
        FILENAME == ARGV[1] { if ($1 == site) excuse[$2 "\t" $3] = 1; next }
        FILENAME == ARGV[2] { if (FNR > 1) { id = $1; sub(/^[a-z]+:/, "", id); ours[id] = $0 }; next }
        FNR == 1 { next }
        function excused(path, col,   g, k, rest) {
            for (k in excuse) {
                split(k, g, "\t")
                if (g[2] != col) continue
                if (g[1] == "*" || g[1] == path) return 1
            }
            return 0
        }
        function norm_list(s, lower,   a, n, i, out) {
            if (lower) s = tolower(s)
            n = split(s, a, "|"); out = ""
            # order-insensitive: sort the few items
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            for (i = 1; i <= n; i++) out = out (i > 1 ? "|" : "") a[i]
            return out
        }
        function written_in(file, text,   line, found) {
            found = 0
            while (!found && (getline line < file) > 0) found = index(line, text) > 0
            close(file)
            return found
        }
        function differ(path, col, want, got) {
            if (excused(path, col)) { excused_n++; return }
            printf "%s\t%s\twant: %s\tgot: %s\n", path, col, want, got; bad++
        }
        {
            path = substr($1, length(prefix) + 1); rows++
            if (!(path in ours)) { differ(path, "listed", "yes", "no"); next }
            split(ours[path], o, "\t")
            want_kind = $2; sub(/:.*/, "", want_kind); got_kind = o[2]; sub(/:.*/, "", got_kind)
            if (want_kind != got_kind) differ(path, "status", $2, o[2])
            else if ($2 != o[2]) differ(path, "reason", $2, o[2])
            if (want_kind != "indexed" || got_kind != "indexed") next
            if ($3 != o[3]) differ(path, "title", $3, o[3])
            if (substr($4, 1, 10) != o[4]) differ(path, "date", $4, o[4])
            if (norm_list($5, 0) != norm_list(o[5], 0)) differ(path, "authors", $5, o[5])
            if (norm_list($6, 1) != norm_list(o[6], 1)) differ(path, "tags", $6, o[6])
            if (norm_list($7, 0) != norm_list(o[7], 0)) differ(path, "categories", $7, o[7])
            # Ours comes from the front matter (summary, description, excerpt...)
            # and is right when the author wrote it there, whatever summary the
            # site templates show (Hugo and Jekyll cut theirs from the body).
            if (o[8] != "" && index($8, substr(o[8], 1, 60)) != 1 && index(o[8], substr($8, 1, 60)) != 1 &&
                !written_in(site_dir "/" $1, substr(o[8], 1, 40)))
                differ(path, "summary", $8, o[8])
            if (o[10] + 0 == 0) differ(path, "words", "some", o[10])
            # The URL: its path, as the generator publishes it (a base URL host
            # on either side is not compared).
            want_url = $9; got_url = o[9]
            sub(/^[a-z]+:\/\/[^\/]*/, "", want_url); sub(/^[a-z]+:\/\/[^\/]*/, "", got_url)
            if (want_url != got_url) differ(path, "url", $9, o[9])
        }
        END { printf "# %s: %d rows, %d differences excused\n", site, rows, excused_n > "/dev/stderr"; exit bad > 0 }
    ' "$differences" "$work/$site.tsv" "$expected" >"$work/$site.diff" 2>"$work/$site.note"
    cat "$work/$site.note"
    check_eq "$site: every post read as its generator reads it" "$(cat "$work/$site.diff")" ""
done
finish
