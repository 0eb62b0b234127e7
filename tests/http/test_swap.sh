#!/usr/bin/env bash
# test_swap.sh — the server keeps answering while the indexer commits in place,
# swaps in new builds and rolls back: a stream of real requests runs the whole
# time and every one must succeed; afterwards the server serves what the last
# run published, without a restart.
# usage: test_swap.sh SERVE_BINARY INDEX_BINARY FIXTURE_CORPUS
set -u
SERVE=$1 INDEX=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
c=$work/corpus root=$work/root
mkdir -p "$c"
cp -r "$CORPUS/2021" "$CORPUS/2023" "$c/"
for i in $(seq 300); do # enough posts that a rebuild takes a moment
    printf -- '---\ntitle: "Filler %d"\ndate: 2019-05-01\nslug: filler-%d\n---\nWorkshop notes %d.\n' \
        "$i" "$i" "$i" >"$c/filler-$i.md"
done
"$INDEX" --quiet --corpus "$c" --db "$root" >/dev/null 2>&1
start_server "$SERVE" --db "$root" --threads 2

# Requests in the background until the changes are done: curl reuses its
# connection within a batch, one status per line.
requests=$work/requests stop=$work/stop
(
    args=()
    for i in $(seq 100); do args+=(-o /dev/null -w '%{http_code}\n' "$BASE/search?q=workshop&format=json&page=$((i % 3 + 1))"); done
    while [ ! -e "$stop" ]; do curl -s "${args[@]}"; done
) >"$requests" &
loader=$!
sleep 0.2

# Meanwhile: in-place commits, rebuilds and a rollback.
changes=0
for round in 1 2 3 4; do
    printf -- '---\ntitle: "Round %d"\ndate: 2024-01-0%d\nslug: round-%d\n---\nA swapword%d post.\n' \
        "$round" "$round" "$round" "$round" >"$c/round-$round.md"
    "$INDEX" --quiet --corpus "$c" --db "$root" >/dev/null 2>&1 && changes=$((changes + 1))
    "$INDEX" --quiet --rebuild --corpus "$c" --db "$root" >/dev/null 2>&1 && changes=$((changes + 1))
done
"$INDEX" --rollback --db "$root" >/dev/null 2>&1 && changes=$((changes + 1))
"$INDEX" --quiet --rebuild --corpus "$c" --db "$root" >/dev/null 2>&1 && changes=$((changes + 1))
sleep 0.2
touch "$stop"
wait "$loader"

total=$(wc -l <"$requests")
bad=$(grep -vc '^200$' "$requests")
echo "requests: $total, not 200: $bad, index changes meanwhile: $changes"
check_eq "the index changed ten times during the requests" "$changes" 10
[ "$total" -ge 100 ] && pass "requests ran throughout ($total)" || fail "requests ran throughout" "only $total"
check_eq "no request failed across commits, swaps and a rollback" "$bad" 0

get "/search?q=swapword4&format=json"
check_eq "the last build published is the one served" "$(jq -r '.results[0].id' <<<"$BODY")" round-4
get /healthz
check_eq "healthz names the build current points at" "$(jq -r .build_id <<<"$BODY")" "$(basename "$(readlink "$root/current")")"
check_eq "healthz counts its posts" "$(jq -r .documents <<<"$BODY")" 308

# An update in place is seen too (reopen, same build).
printf -- '---\ntitle: "Late"\ndate: 2024-02-01\nslug: late\n---\nA lateword post.\n' >"$c/late.md"
"$INDEX" --quiet --corpus "$c" --db "$root" >/dev/null 2>&1
get "/search?q=lateword&format=json"
check_eq "an in-place commit is served without a restart" "$(jq -r '.results[0].id' <<<"$BODY")" late

stop_server
rm -rf "$work"
finish
