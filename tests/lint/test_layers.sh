#!/usr/bin/env bash
# test_layers.sh — the include graph of the product's sources against the layer
# table in docs/architecture.md ("## Layers": | layer | files | may include |).
# Every #include "..." in include/, lib/, indexer/, server/ and tools/ must name
# a file of a layer its own layer may include, every source file must belong to
# exactly one layer, and no chain of includes may close a loop (a header that
# includes, through others, the file that includes it; or a .c whose header
# pulls in a module that needs it back). The table is the documentation and the
# rule at once, so the two cannot drift apart.
# usage: test_layers.sh SOURCE_ROOT
set -u
ROOT=${1:?usage: test_layers.sh SOURCE_ROOT}
cd "$ROOT" || exit 1
. tests/http/lib.sh

doc=docs/architecture.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# layer<TAB>glob lines and layer<TAB>allowed-layer lines, from the table.
awk -F'|' -v globs="$work/globs" -v allows="$work/allows" '
    /^## Layers/ { intable = 1; next }
    intable && /^## / { intable = 0 }
    intable && /^\|/ && $2 !~ /layer|---/ {
        name = $2; gsub(/[ `]/, "", name)
        n = split($3, g, /[ ,]+/)
        for (i = 1; i <= n; i++) { f = g[i]; gsub(/`/, "", f); if (f != "") print name "\t" f > globs }
        n = split($4, a, /[ ,]+/)
        for (i = 1; i <= n; i++) { l = a[i]; gsub(/`/, "", l); if (l != "") print name "\t" l > allows }
    }' "$doc"
check_eq "docs/architecture.md has a layer table" "$([ -s "$work/globs" ] && echo yes)" yes

# layer_of FILE: the one layer whose globs match it ("" when none, "+" when two).
declare -A layer
while IFS= read -r f; do
    found=""
    while IFS=$'\t' read -r name glob; do
        # shellcheck disable=SC2053  # the glob is meant to match
        if [[ $f == $glob ]]; then
            if [ -n "$found" ] && [ "$found" != "$name" ]; then found="+"; else found=$name; fi
        fi
    done <"$work/globs"
    layer[$f]=$found
done < <(ls include/*.h include/*.in lib/*.c lib/*.cc lib/*.h indexer/*.[ch] server/*.[ch] tools/*.[ch] 2>/dev/null)

unplaced=""
for f in "${!layer[@]}"; do
    case ${layer[$f]} in "" | "+") unplaced+=" $f(${layer[$f]:-none})" ;; esac
done
check_eq "every source file is in exactly one layer" "${unplaced:-none}" none

# resolve FROM NAME: the file an #include "NAME" in FROM means, the way the
# build's include paths find it: beside FROM, then include/, lib/, server/.
resolve() {
    local dir; dir=$(dirname "$1")
    for d in "$dir" include lib server; do
        [ -f "$d/$2" ] && { echo "$d/$2"; return; }
    done
}

: >"$work/edges"
bad=""
for f in "${!layer[@]}"; do
    while IFS= read -r name; do
        [ "$name" = version.h ] && continue # generated from include/version.h.in
        to=$(resolve "$f" "$name")
        if [ -z "$to" ]; then
            bad+=" $f->$name(unknown)"
            continue
        fi
        echo "$f $to" >>"$work/edges"
        from_layer=${layer[$f]} to_layer=${layer[$to]:-}
        grep -qx "$from_layer"$'\t'"$to_layer" "$work/allows" || bad+=" $f($from_layer)->$to($to_layer)"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
check_eq "every include points to a layer its own may include" "${bad:-none}" none

# A .c file and its header are one module: fold foo.c into foo.h so that
# "a.c includes b.h, b.c includes a.h" counts as the loop it is. A module's
# private header (lib/xap_internal.h) is part of that module.
module() { echo "${1%.*}" | sed 's#^include/##; s#^lib/##; s#_internal$##'; }
while read -r a b; do
    ma=$(module "$a") mb=$(module "$b")
    [ "$ma" != "$mb" ] && echo "$ma $mb"
done <"$work/edges" | sort -u >"$work/module-edges"
loops=$(tsort "$work/module-edges" 2>&1 >/dev/null | grep -v 'input contains a loop' | sed 's/^tsort: //' | tr '\n' ' ')
check_eq "no include loop between modules" "${loops:-none}" none
check_eq "the include graph was read" "$([ -s "$work/module-edges" ] && echo yes)" yes
finish
