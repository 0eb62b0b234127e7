#!/usr/bin/env bash
# test_kill.sh — kill -9 the indexer at many points of a rebuild and of an
# update: each time the served build stays complete, readable and consistent,
# the lock is free, no worker survives, and the next run finishes the work.
# usage: test_kill.sh INDEX_BINARY FIXTURE_CORPUS
set -u
INDEX=$1 CORPUS=$2
. "$(dirname "$0")/lib.sh"
c=$work/corpus root=$work/root
POSTS=1500

# A corpus big enough to take a while: POSTS posts of a few hundred words,
# written by bash alone (a process per file would dominate the test's time).
make_corpus() { # make_corpus WORD: every post's title says WORD
    mkdir -p "$c"
    local body
    body=$(sed '1,/^---$/d; 1,/^---$/d' "$CORPUS/2023/open-data-day.md")
    body="$body $body $body"
    for i in $(seq "$POSTS"); do
        printf -- '---\ntitle: "%s %d"\ndate: 2020-01-01\nslug: post-%d\ntags: [events]\n---\n%s\n' \
            "$1" "$i" "$i" "$body" >"$c/p$i.md"
    done
}
# switch_word OLD NEW: change every post at once
switch_word() { sed -i "s/^title: \"$1 /title: \"$2 /" "$c"/*.md; }

make_corpus firstword
t0=$(date +%s%N)
"$INDEX" --quiet --corpus "$c" --db "$root" >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check_eq "the starting index holds every post" "$(docs)" "$POSTS"
# Kill points spread over a run's length, whatever this machine's speed.
delays=$(for f in 5 20 40 60 85; do printf '%d.%03d ' $((ms * f / 100000)) $((ms * f / 100 % 1000)); done)
echo "a full run took ${ms} ms; killing at: $delays"

# kill_at DELAY ARGS...: start a run, SIGKILL it after DELAY seconds; sets KILLED
# to yes when the run was still going.
kill_at() {
    local delay=$1; shift
    "$INDEX" --quiet --corpus "$c" --db "$root" "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$delay"
    if kill -KILL "$pid" 2>/dev/null; then KILLED=yes; else KILLED=no; fi
    wait "$pid" 2>/dev/null
}

# after_kill LABEL EXPECTED_WORD: the served index answers with all posts
after_kill() {
    local label=$1 word=$2
    check_eq "$label: every post still served" "$(docs)" "$POSTS"
    check_eq "$label: the served build is consistent" "$(xapian-check "$root/current" >/dev/null 2>&1; echo $?)" 0
    check_eq "$label: it answers as before the run" "$(hits "$word")" "$POSTS"
    sleep 0.2
    # Workers are forks: they carry the same command line, this test's root in it.
    check_eq "$label: no parse worker outlives it" "$(pgrep -c -f -- "--db $root" || true)" 0
}

landed=0
for delay in $delays; do
    # A rebuild killed part-way: the old build serves on.
    kill_at "$delay" --rebuild
    [ "$KILLED" = yes ] && landed=$((landed + 1))
    after_kill "rebuild killed at ${delay}s" firstword
done
for delay in $delays; do
    # An update of every post killed part-way: none of it is visible.
    switch_word firstword secondword
    kill_at "$delay"
    [ "$KILLED" = yes ] && landed=$((landed + 1))
    if [ "$KILLED" = yes ]; then
        # Killed before its commit: none of it shows; after (while tidying up):
        # all of it. Never a part.
        seen=$(hits secondword)
        [ "$seen" = 0 ] || [ "$seen" = "$POSTS" ] && pass "update killed at ${delay}s: all or nothing visible ($seen)" \
            || fail "update killed at ${delay}s: all or nothing visible" "$seen of $POSTS"
        after_kill "update killed at ${delay}s" "$([ "$seen" = 0 ] && echo firstword || echo secondword)"
    fi
    # The next run finishes the work and puts things back for the next round.
    "$INDEX" --quiet --corpus "$c" --db "$root" >"$work/out" 2>&1
    check_eq "after the kill at ${delay}s the next run completes" "$?" 0
    check_eq "and all of it is visible" "$(hits secondword)" "$POSTS"
    switch_word secondword firstword
    "$INDEX" --quiet --corpus "$c" --db "$root" >/dev/null 2>&1
done
echo "kills that landed mid-run: $landed of 10"
[ "$landed" -ge 5 ] && pass "most kills landed mid-run ($landed of 10)" || fail "most kills landed mid-run" "only $landed of 10"

"$INDEX" --quiet --rebuild --corpus "$c" --db "$root" >/dev/null 2>&1
check_eq "a rebuild after all the kills completes" "$?" 0
check_eq "and leaves no build in progress behind" "$(ls "$root/builds" | grep -c '\.tmp$')" 0

finish
