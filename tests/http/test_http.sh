#!/usr/bin/env bash
# test_http.sh — HTTP done properly and a server you can watch: conditional
# GET keyed on the index revision, the answer cache, gzip, Vary, /metrics (on
# the main address or its own), and a graceful drain: a request in flight at
# SIGTERM completes.
# usage: test_http.sh SERVE_BINARY INDEX_BINARY FIXTURE_CORPUS
set -u
SERVE=$1 INDEX=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$CORPUS" "$work/corpus"
"$INDEX" --quiet --corpus "$work/corpus" --db "$work/root" >/dev/null 2>&1
start_server "$SERVE" --db "$work/root"

# --- conditional GET ---
get "/search?q=archive&format=json"
etag=$(header ETag)
check_contains "answers carry an ETag" "$etag" '"'
check_eq "and may be cached briefly" "$(header Cache-Control)" "public, max-age=60"
get "/search?q=archive&format=json" -H "If-None-Match: $etag"
check_eq "the same ETag back -> 304" "$STATUS" 304
check_eq "with no body" "$BODY" ""
get "/search?q=archive&format=text" -H "If-None-Match: $etag"
check_eq "another format has another ETag" "$STATUS" 200
get "/search?q=archive&format=json" -H "If-None-Match: \"other\", W/$etag"
check_eq "an ETag in a list, weak or not -> 304" "$STATUS" 304
get "/search?q=archive&format=json" -H "If-None-Match: x${etag}x"
check_eq "an ETag inside another string is not it -> 200" "$STATUS" 200
printf -- '---\ntitle: New\ndate: 2024-01-01\n---\nAn archive post.\n' >"$work/corpus/new.md"
"$INDEX" --quiet --corpus "$work/corpus" --db "$work/root" >/dev/null 2>&1
get "/search?q=archive&format=json" -H "If-None-Match: $etag"
check_eq "after the index changes the old ETag gets 200" "$STATUS" 200
check_eq "and the new answer" "$(jq -r .total_exact <<<"$BODY")" 2

# --- the answer cache: keyed on build, revision and the normalised request ---
metric() { curl -s "$BASE/metrics" | sed -n "s/^$1 //p"; }
hits0=$(metric loomsearch_cache_hits_total)
get "/search?q=bus+stops&format=json"
first=$BODY
get "/search?q=%20bus%20%20stops%20&format=json"
check_eq "a repeated search (spaces aside) comes from the cache" "$(metric loomsearch_cache_hits_total)" $((hits0 + 1))
check_eq "with the same answer" "$BODY" "$first"
get "/search?q=bus+stops&format=json&page=2"
get "/search?q=bus+stops&format=text"
get "/search?q=bus+stops&format=json&tag=transport"
check_eq "another page, format or filter is not the same answer" "$(metric loomsearch_cache_hits_total)" $((hits0 + 1))
get "/search?q=archive&format=json"
check_eq "(an answer now cached)" "$(jq -r .total_exact <<<"$BODY")" 2
printf -- '---\ntitle: Newer\ndate: 2024-02-01\n---\nAnother archive post.\n' >"$work/corpus/newer.md"
"$INDEX" --quiet --corpus "$work/corpus" --db "$work/root" >/dev/null 2>&1
hits1=$(metric loomsearch_cache_hits_total)
get "/search?q=archive&format=json"
check_eq "a new revision never gets the old answer" "$(jq -r .total_exact <<<"$BODY")" 3
check_eq "(it was a miss)" "$(metric loomsearch_cache_hits_total)" "$hits1"

# --- gzip ---
size_plain=$(curl -s -o /dev/null -w '%{size_download}' "$BASE/search?q=the&format=json")
get "/search?q=the&format=json" -H "Accept-Encoding: gzip" -o "$work/body.gz"
check_eq "gzip when the client takes it" "$(header Content-Encoding)" gzip
check_contains "and the answer says it varies by it" "$(header Vary)" Accept-Encoding
check_eq "it unpacks to valid JSON" "$(gunzip -c "$work/body.gz" | jq -r .query)" the
size_gz=$(stat -c %s "$work/body.gz")
[ "$size_gz" -lt "$size_plain" ] && pass "and is smaller ($size_gz < $size_plain bytes)" || fail "gzip is smaller" "$size_gz vs $size_plain"
get "/search?q=the&format=json"
check_eq "no gzip for a client that did not ask" "$(header Content-Encoding)" ""
# Accept-Encoding read by its grammar, not by a substring.
while IFS='|' read -r ae want; do
    get "/search?q=the&format=json" -H "Accept-Encoding: $ae" -o /dev/null
    check_eq "Accept-Encoding: $ae -> ${want:-identity}" "$(header Content-Encoding)" "$want"
done <<'EOF2'
gzip;q=0|
gzip; q=0.000|
nogzip|
gzipfoo|
deflate, br|
br, GZIP;q=0.5|gzip
deflate;q=1, gzip ; q=0.1|gzip
*|gzip
*;q=0|
gzip;q=0, *|
x-gzip|gzip
gzip;q=0x1|
gzip;q=2|
EOF2
get "/healthz" -H "Accept-Encoding: gzip"
check_eq "small answers go as they are" "$(header Content-Encoding)" ""

# --- metrics ---
curl -s -o /dev/null "$BASE/search?q=archive"
curl -s -o /dev/null "$BASE/nothing-here"
get /metrics
check_eq "/metrics is Prometheus text" "$(header Content-Type)" "text/plain; version=0.0.4; charset=utf-8"
check_contains "requests by route and status" "$BODY" 'loomsearch_requests_total{route="search",status="200"}'
check_contains "not-found requests too" "$BODY" 'loomsearch_requests_total{route="other",status="404"} 1'
check_contains "a 304 is counted" "$BODY" 'loomsearch_requests_total{route="search",status="304"} 2'
check_contains "a latency histogram" "$BODY" 'loomsearch_request_duration_seconds_bucket{route="search",le="+Inf"}'
check_contains "requests in flight (this one)" "$BODY" "loomsearch_in_flight_requests 1"
check_contains "the index's size" "$BODY" "loomsearch_index_documents 6"
check_contains "its revision" "$BODY" "loomsearch_index_revision 3"
check_contains "the age of its build" "$BODY" "loomsearch_index_build_age_seconds "
check_contains "reopens" "$BODY" "loomsearch_reopens_total "
check_contains "rate-limited requests" "$BODY" "loomsearch_rate_limited_total 0"

# --- graceful drain: a request in flight at SIGTERM completes ---
curl -s --limit-rate 8k -o "$work/slow.json" "$BASE/search?q=the&per_page=100&format=json&explain=1" &
reader=$!
sleep 0.5
kill -TERM "$SERVER_PID"
wait "$reader"
check_eq "a slow download in flight at SIGTERM completes" "$(jq -r .query "$work/slow.json")" the
wait "$SERVER_PID"
check_eq "and the server then exits 0" "$?" 0

# --- metrics on their own address ---
SERVER_OUT=$(mktemp)
"$SERVE" --rate 0 --db "$work/root" --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 >"$SERVER_OUT" 2>/dev/null &
SERVER_PID=$!
for _ in $(seq 100); do grep -q '^listening on ' "$SERVER_OUT" && break; sleep 0.05; done
BASE="http://$(sed -n 's/^listening on //p' "$SERVER_OUT")"
metrics="http://$(sed -n 's/^metrics on //p' "$SERVER_OUT")"
check_eq "with --metrics-listen, /metrics is not public" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/metrics")" 404
check_contains "it is on its own address" "$(curl -s "$metrics/metrics")" loomsearch_requests_total
check_eq "which serves nothing else" "$(curl -s -o /dev/null -w '%{http_code}' "$metrics/search?q=x")" 404
stop_server

# --- --cache 0: every search runs ---
start_server "$SERVE" --db "$work/root" --cache 0
get "/search?q=archive&format=json"
get "/search?q=archive&format=json"
check_eq "with --cache 0 nothing is answered from a cache" "$(metric loomsearch_cache_hits_total)" 0
check_eq "and nothing is looked up" "$(metric loomsearch_cache_misses_total)" 0
stop_server

finish
