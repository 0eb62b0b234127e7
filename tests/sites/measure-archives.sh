#!/usr/bin/env bash
# measure-archives.sh — index each full real archive (tests/sites/archives.tsv)
# and print the table docs/sources.md keeps: files, indexed, skipped and
# refused by reason, template syntax left in titles or stored text, build
# time and peak RSS. Not part of ctest: the archives live outside the
# repository (ARCHIVES, default ../archives beside the checkout).
# usage: tests/sites/measure-archives.sh BUILD_DIR
set -u
BUILD=${1:?usage: measure-archives.sh BUILD_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
ARCHIVES=${ARCHIVES:-$HERE/../../../archives}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| archive | generator | files | indexed | skipped | refused | URLs (guessed) | posts with template syntax left | build s | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|\n'
grep -v '^#' "$HERE/archives.tsv" | tail -n +2 | while IFS=$'\t' read -r name generator fm repo content; do
    dir="$ARCHIVES/$name/$content"
    [ -d "$dir" ] || { echo "| $name | $generator | (not here) | | | | | | | |"; continue; }
    # --site finds the posts itself; --corpus keeps the run to the posts' folder.
    site=(--site "$ARCHIVES/$name" --corpus "$dir")
    "$BUILD/loomsearch-index" --list "${site[@]}" >"$work/list.tsv" 2>/dev/null
    guessed=$("$BUILD/loomsearch-index" --check "${site[@]}" 2>/dev/null |
        sed -n 's/.*(\([0-9]*\) with a URL, \([0-9]*\) of them guessed).*/\1 (\2 guessed)/p')
    /usr/bin/time -f '%e %M' -o "$work/time" "$BUILD/loomsearch-index" --quiet "${site[@]}" \
        --db "$work/idx-$name" >"$work/summary" 2>"$work/err"
    read -r secs rss < <(tail -1 "$work/time")
    files=$(($(wc -l <"$work/list.tsv") - 1))
    indexed=$(awk -F'\t' '$2 == "indexed"' "$work/list.tsv" | wc -l)
    by_reason() { awk -F'\t' -v k="$1" 'index($2, k ":") == 1 { sub(/^[^:]*:/, "", $2); n[$2]++; t++ }
                  END { s = t + 0; if (t) { s = s " ("; sep = ""; for (r in n) { s = s sep r " " n[r]; sep = ", " } s = s ")" } print s }' "$work/list.tsv"; }
    # Template syntax a visitor could see: in titles, and in the text outside
    # code (code shows template syntax on purpose, as the post wrote it).
    leaks=$(awk -F'\t' '$2 == "indexed" && ($3 ~ /\{%|%\}|\{\{|\}\}/ || $11 > 0)' "$work/list.tsv" | wc -l)
    printf '| %s | %s (%s) | %d | %d | %s | %s | %s | %s | %.1f | %.0f |\n' "$name" "$generator" "$fm" \
        "$files" "$indexed" "$(by_reason skipped)" "$(by_reason refused)" "$guessed" "$leaks" "$secs" \
        "$((rss / 1024))"
done
