#!/usr/bin/env bash
# test_logs.sh — the access log (addresses shortened unless asked), the query
# log (no address at all), reopening on SIGHUP, and loomsearch-report.
# usage: test_logs.sh SERVE_BINARY REPORT_BINARY INDEX_ROOT
set -u
SERVE=$1 REPORT=$2 ROOT=$3
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start_server "$SERVE" --db "$ROOT" --access-log "$work/access.log" --query-log "$work/query.log"
for q in archive archive Archive timetable zzzqqq; do curl -s -o /dev/null "$BASE/search?q=$q"; done
curl -s -o /dev/null "$BASE/no-such-page"
# A path forging a second line, and one driving the operator's terminal.
curl -s -o /dev/null "$BASE/x%0A10.9.8.7%20-%20-%20%5Bforged%5D%20%22GET%20/admin%22%20200"
curl -s -o /dev/null "$BASE/y%1B%5B31mred%22quote"
sleep 0.2
access=$(cat "$work/access.log")
check_eq "one access line a request, a %0A in the path included" "$(wc -l <"$work/access.log")" 8
check_contains "the newline written as an escape" "$access" '"GET /x\x0a10.9.8.7 - - [forged] \"GET /admin\" 200" 404'
check_eq "no escape byte reaches the log" "$(grep -c $'\x1b' "$work/access.log")" 0
check_contains "  written as one" "$access" '/y\x1b[31mred\"quote'

check_contains "in Common Log Format, with the status" "$access" '"GET /search?q=timetable" 200'
check_contains "404s too" "$access" '"GET /no-such-page" 404'
check_contains "addresses shortened to their network" "$access" "127.0.0.0 - - ["
check_lacks "never the whole address by default" "$access" "127.0.0.1"
queries=$(cat "$work/query.log")
check_eq "one query line a search" "$(wc -l <"$work/query.log")" 5
check_eq "query lines are JSON with the query and its hits" "$(head -1 "$work/query.log" | jq -c '[.q, .hits, .format]')" '["archive",1,"text"]'
check_lacks "the query log keeps no address" "$queries" "127.0.0"

# logrotate moves the files, SIGHUP makes new ones
mv "$work/access.log" "$work/access.log.1"
kill -HUP "$SERVER_PID"
sleep 0.2
curl -s -o /dev/null "$BASE/search?q=after"
sleep 0.2
check_eq "after SIGHUP the log is written anew" "$(wc -l <"$work/access.log")" 1
check_eq "and the server still answers" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" 200
stop_server

start_server "$SERVE" --db "$ROOT" --access-log "$work/full.log" --log-full-ip
curl -s -o /dev/null "$BASE/healthz"
sleep 0.2
check_contains "--log-full-ip keeps the whole address" "$(cat "$work/full.log")" "127.0.0.1 - - ["
stop_server

report=$("$REPORT" "$work/query.log")
check_contains "the report counts the searches" "$report" "6 searches, 4 different queries"
check_contains "the most searched first, case folded together" "$report" "$(printf '     3  archive')"
check_contains "and the ones that found nothing" "$(sed -n '/Found nothing/,$p' <<<"$report")" "zzzqqq"
"$SERVE" --db "$ROOT" --access-log /no/such/folder/x.log >/dev/null 2>&1
check_eq "a log that cannot be opened stops the start" "$?" 1
finish
