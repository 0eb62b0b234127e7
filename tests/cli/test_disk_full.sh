#!/usr/bin/env bash
# test_disk_full.sh — a full disk (ENOSPC, from a preloaded shim: tests/cli/
# enospc.c) during a first build and during an update: exit 1, a message that
# says "No space left on device" and where, a summary that counts nothing as
# added, and the served index untouched.
# usage: test_disk_full.sh INDEX_BINARY ENOSPC_SHIM FIXTURE_CORPUS
set -u
INDEX=$1 SHIM=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
root=$work/root
cp -r "$CORPUS" "$work/corpus"
for i in $(seq 200); do
    printf -- '---\ntitle: "Filler %d"\ndate: 2024-01-01\n---\n%s\n' "$i" "$(head -c 3000 /dev/urandom | base64 -w 100)" \
        >"$work/corpus/filler-$i.md"
done
# A sanitizer build is linked to its runtime; the shim must not upset that.
full() { LD_PRELOAD=$SHIM LOOM_ENOSPC_AFTER=$1 ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0 "${@:2}"; }

full 100000 "$INDEX" --corpus "$work/corpus" --db "$root" >"$work/out" 2>"$work/err"
check_eq "a full disk during a first build: exit 1" "$?" 1
check_contains "the reason, from the system" "$(cat "$work/err")" "No space left on device"
check_contains "and where" "$(cat "$work/err")" "cannot write the index in $root/builds/"
check_contains "the summary counts nothing as added" "$(cat "$work/out")" "added 0, updated 0, deleted 0 (not published: "
check_contains "  and says nothing changed" "$(cat "$work/out")" "0 posts served"
check_eq "nothing is served" "$( [ -e "$root/current" ] && echo served || echo none)" none

"$INDEX" --quiet --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
check_eq "with room, the same build succeeds" "$?" 0
before=$(readlink "$root/current")
printf -- '---\ntitle: "New"\ndate: 2024-02-01\n---\nA quokkaword arrives.\n' >"$work/corpus/new.md"
full 0 "$INDEX" --corpus "$work/corpus" --db "$root" >"$work/out" 2>"$work/err"
check_eq "a full disk during an update: exit 1" "$?" 1
check_contains "the reason, from the system" "$(cat "$work/err")" "No space left on device"
check_contains "the summary counts nothing as added" "$(cat "$work/out")" "added 0, updated 0, deleted 0 (not published: 1, 0 and 0)"
check_eq "the served build is the same" "$(readlink "$root/current")" "$before"
check_eq "without the new post" "$(quest -d "$root/current" quokkaword 2>/dev/null | grep -c '^[0-9]*: ')" 0
check_eq "and consistent" "$(xapian-check "$root/current" >/dev/null 2>&1; echo $?)" 0
"$INDEX" --quiet --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
check_eq "with room again, the update lands" "$(quest -d "$root/current" quokkaword 2>/dev/null | grep -c '^[0-9]*: ')" 1
finish
