#!/usr/bin/env bash
# test_faults.sh — faults in the index's surroundings: the index removed from
# under a running server (a clear 503, then served again once rebuilt, never a
# crash), and an index folder the indexer may not write (a clear error, the
# served index untouched).
# usage: test_faults.sh SERVE_BINARY INDEX_BINARY FIXTURE_CORPUS
set -u
SERVE=$1 INDEX=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
root=$work/root
cp -r "$CORPUS" "$work/corpus"
"$INDEX" --quiet --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
start_server "$SERVE" --db "$root" --threads 1

get "/search?q=timetable&format=json"
check_eq "served before" "$(jq -r '.results[0].id' <<<"$BODY")" bus-timetable-workshop
rm -rf "$root/builds" "$root/current"
get "/search?q=timetable&format=json"
check_eq "the index removed from under it: a clear 503" "$STATUS $(jq -r .error.code <<<"$BODY")" "503 no_index"
get /healthz
check_eq "and not ready" "$STATUS" 503
"$INDEX" --quiet --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
get "/search?q=timetable&format=json"
check_eq "rebuilt: served again, no restart" "$(jq -r '.results[0].id' <<<"$BODY")" bus-timetable-workshop
kill -0 "$SERVER_PID" && pass "the server never fell over" || fail "the server never fell over"
stop_server

# The indexer as nobody, with the served build's folder not writable to it.
cp "$INDEX" "$work/index-copy"
chmod 755 "$work"
chown -R nobody:nogroup "$work/corpus" "$root"
build=$(readlink -f "$root/current")
chmod 555 "$build"
printf -- '---\ntitle: New\ndate: 2024-01-01\n---\nA newword post.\n' >"$work/corpus/new.md"
chown nobody:nogroup "$work/corpus/new.md"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$work/index-copy" --corpus "$work/corpus" --db "$root" \
    >"$work/out" 2>"$work/err"
check_eq "a build folder it may not write: exit 1" "$?" 1
check_contains "with a clear message" "$(cat "$work/err")" "(the index is as it was)"
chmod 755 "$build"
check_eq "the served index is untouched" "$(hits newword)" 0
check_eq "and consistent" "$(xapian-check "$root/current" >/dev/null 2>&1; echo $?)" 0

# A served build whose document data is corrupt: /healthz's own probe still
# passes, searches fail. Under AddressSanitizer the test is left out: Debian's
# libxapian 1.4.22 reads past its own buffer on such a block (a heap overflow
# inside Document::get_data), which ASan rightly stops on; not our code.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    echo "# skipped under AddressSanitizer: the corrupt-block case (libxapian reads past its buffer)"
    finish
    exit $?
fi
# A request that met the fault holds /healthz at 503,
# so a load balancer stops sending visitors, until another build is served.
chown -R root:root "$root" "$work/corpus"
"$INDEX" --quiet --rebuild --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
python3 - "$(readlink -f "$root/current")/docdata.glass" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
for i in range(64, len(data)):
    data[i] = (i * 7) & 0xFF
open(path, "wb").write(data)
PY
start_server "$SERVE" --db "$root" --threads 1
get /healthz
check_eq "a corrupt build: the probe alone sees nothing (200)" "$STATUS" 200
get "/search?q=timetable&format=json"
check_eq "a search meets the fault: 500" "$STATUS" 500
get /healthz
check_eq "then /healthz answers 503 index_fault" "$STATUS $(jq -r .status <<<"$BODY")" "503 index_fault"
"$INDEX" --quiet --rebuild --corpus "$work/corpus" --db "$root" >/dev/null 2>&1
get "/search?q=timetable&format=json"
check_eq "rebuilt: searches answer again" "$STATUS" 200
get /healthz
check_eq "and /healthz is 200 for the new build" "$STATUS" 200
stop_server
finish
