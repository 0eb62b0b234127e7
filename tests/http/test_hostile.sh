#!/usr/bin/env bash
# test_hostile.sh — the catalogue of hostile requests (docs/security.md), each
# sent to the real server, each with its expected answer, and the server still
# answering afterwards. (Invalid UTF-8, overlong encodings, %00, page and
# per_page abuse, huge headers, slow clients and connection limits are in
# test_search.sh and test_limits.sh.)
# usage: test_hostile.sh SERVE_BINARY INDEX_ROOT
set -u
SERVE=$1 ROOT=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start_server "$SERVE" --db "$ROOT" --per-ip-limit 0 # one address sends every case
hostport=${BASE#http://}
host=${hostport%:*} port=${hostport##*:}
alive() { check_eq "$1: the server still answers" "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$BASE/healthz")" 200; }

# raw BYTES-FILE: send a file's bytes as the whole request; RAW gets the answer
raw_file() {
    exec 3<>"/dev/tcp/$host/$port"
    cat "$1" >&3 2>/dev/null
    RAW=$(timeout 5 cat <&3 | tr -d '\r' | head -c 2000)
    exec 3<&-
}

{ printf 'GET /search?q='; head -c 10000000 /dev/zero | tr '\0' a; printf ' HTTP/1.1\r\nHost: x\r\n\r\n'; } >"$work/10mb"
raw_file "$work/10mb"
check_contains "a 10 MB query string -> 414" "$RAW" " 414 "
alive "10 MB query"

printf 'GET /search?q=a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >"$work/nul"
raw_file "$work/nul"
check_contains "a raw NUL ends the request line: only what came before it is searched" "$RAW" 'for "a"'
alive "raw NUL"

or=$(printf 'w%d+OR+' $(seq 10000))
get "/search?q=${or}end"
check_eq "a 10,000-term OR (80 KB) -> 414, libmicrohttpd's own limit" "$STATUS" 414
or=$(printf 'w%d+OR+' $(seq 100))
get "/search?q=${or}end&format=json"
check_eq "a 100-term OR (1 KB) -> 400 query_too_long" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 query_too_long"
get "/search?q=a*&format=json"
check_eq "an a* wildcard flood -> 400 wildcard_limit" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 wildcard_limit"
get "/search?q=data&format=json"
get "/search?q=a*&format=json" -H "If-None-Match: $(header ETag)"
check_eq "  with the current ETag still a 400, never a 304" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 wildcard_limit"
for q in '*' '-' '((' 'date:2024..2023'; do
    get "/search?q=$(jq -rn --arg q "$q" '$q|@uri')&format=json"
    check_eq "'$q' -> 200 and nothing found, not everything" "$STATUS $(jq -r .total_estimate <<<"$BODY")" "200 0"
done
nested=$(printf '(%.0s' $(seq 200))data$(printf ')%.0s' $(seq 200))
get "/search?q=$(jq -rn --arg q "$nested" '$q|@uri')&format=json"
check_eq "200 nested brackets -> 200" "$STATUS" 200
deep=$(printf '(%.0s' $(seq 250))
get "/search?q=$(jq -rn --arg q "$deep" '$q|@uri')&format=json"
check_eq "250 unclosed brackets -> 200" "$STATUS" 200
get "/search?q=date:x..y&format=json"
check_eq "a range no processor takes -> searched as words" "$STATUS" 200
alive "query abuse"

get "/search?q=data&colour=blue&utm_source=x&format=json"
check_eq "unknown parameters are ignored" "$STATUS" 200
get "/search?q=metrolink&q=penguin&format=json"
check_eq "a repeated parameter: the first is used" "$(jq -r .query <<<"$BODY")" metrolink
headers=()
for i in $(seq 100); do headers+=(-H "X-Repeat: $i"); done
get "/search?q=data&format=json" "${headers[@]}"
check_eq "100 repeated headers -> 200" "$STATUS" 200

raw_request 'GET http://evil.example/search?q=data HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'
check_contains "an absolute-form request target -> 404, nothing fetched" "$RAW" " 404 "
raw_request 'GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
check_contains "a .. path -> 404" "$RAW" " 404 "
raw_request 'GET /search%00.json?q=data HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
check_lacks "a %00 in the path is not a 200" "$RAW" " 200 "
for m in POST PUT DELETE PATCH TRACE CONNECT PROPFIND; do
    raw_request "$m /search?q=data HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    check_contains "$m -> 405 (or refused by libmicrohttpd)" "$RAW" " 40"
done
raw_request 'GARBAGE\r\n\r\n'
check_lacks "a garbage request line gets no 200" "$RAW" " 200 "
raw_request 'GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n'
check_contains "HTTP/9.9 -> 505" "$RAW" " 505 "
alive "request-line abuse"

# A client that asks for a large answer and goes away.
for i in $(seq 20); do
    exec 3<>"/dev/tcp/$host/$port"
    printf 'GET /search?q=data&per_page=100&format=json&explain=1 HTTP/1.1\r\nHost: x\r\n\r\n' >&3
    exec 3<&-
done
alive "20 clients gone mid-response"

# --- round two (docs/security.md): filters, exclusions, parameters ---
total() { get "$1"; jq -r .total_exact <<<"$BODY"; }
all=$(total "/search?format=json&from=1900")
with=$(total "/search?q=ward&format=json")
without=$(total "/search?q=-ward&format=json")
check_eq "q=-ward: every post without 'ward' ($without + $with = $all)" "$((without + with))|$with" "$all|$with"
[ "$with" -gt 0 ] && [ "$without" -gt 0 ] && pass "both sides of -ward hold posts" || fail "both sides of -ward hold posts" "$with $without"
get "/search?q=-ward&format=json&per_page=100"
check_eq "none of them mentions ward" "$(jq -r '.results[] | .title + " " + .snippet' <<<"$BODY" | grep -ci '\bward\b')" 0
check_eq "and the minus was not ignored" "$(jq -r .operators_ignored <<<"$BODY")" false
get "/search?format=json&author=nobody&from=2025&to=2012"
check_eq "from later than to: 400, saying so (no filter dropped)" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 bad_parameter"
check_contains "  the message names the problem" "$(jq -r .error.message <<<"$BODY")" "from is later than to"
check_eq "author=nobody alone finds nothing" "$(total "/search?format=json&author=nobody&from=2012")" 0
for bad in "from=2020%00xyz" "to=2020%00" "tag=a%00b" "per_page=5%00" "q=data&x%00=1"; do
    get "/search?q=data&format=json&$bad"
    check_eq "$bad: 400 bad_encoding naming a NUL byte" "$STATUS $(jq -r .error.code <<<"$BODY") $(jq -r .error.message <<<"$BODY" | grep -c 'NUL byte')" "400 bad_encoding 1"
done
get "/search?q=data&format=json&author=%C3%28"
check_eq "invalid UTF-8 in any parameter: 400 bad_encoding" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 bad_encoding"
get "/similar?id=$(printf 'a%.0s' $(seq 300))"
check_eq "/similar with a 300-byte id: 400 bad_parameter, not 'id is required'" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 bad_parameter"
get "/similar?id=ab%00cd"
check_eq "/similar with a NUL in id: 400 bad_encoding" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 bad_encoding"
alive "round two parameters"

# 2,000 connections at once, past the connection limit: queued or refused,
# the admitted ones answered, no descriptor exhaustion.
ulimit -n 8192
stop_server
start_server "$SERVE" --db "$ROOT" --per-ip-limit 0 --connection-limit 256
for i in $(seq 20); do curl -s -o /dev/null "$BASE/search?q=data"; done # each thread opens its reader
fds_before=$(ls "/proc/$SERVER_PID/fd" | wc -l)
flood=$(node "$(dirname "$0")/flood.mjs" "$host" "${BASE##*:}" 2000 60)
echo "2,000 connections: $flood"
answered=$(jq -r .answered <<<"$flood")
ok=$(jq -r '.statuses["200"] // 0' <<<"$flood")
[ "$answered" -ge 256 ] && pass "at least the admitted connections are answered ($answered of 2000)" || fail "admitted connections answered" "$flood"
check_eq "every answer is a 200" "$ok" "$answered"
sleep 1
fds_after=$(ls "/proc/$SERVER_PID/fd" | wc -l)
[ "$fds_after" -le $((fds_before + 10)) ] && pass "no descriptors left open ($fds_before before, $fds_after after)" \
    || fail "no descriptors left open" "$fds_before before, $fds_after after"
alive "2,000 connections"
stop_server && pass "and it still stops cleanly" || fail "and it still stops cleanly"

# Half-sent requests that reconnect as they are closed, from twenty loopback
# addresses each under --per-ip-limit, 100 more than the connection limit:
# ten requests from another address are each answered within 1 s.
start_server "$SERVE" --db "$ROOT" --connection-limit 64
out=$(python3 "$(dirname "$0")/connections.py" flood "${BASE##*:}" 64)
echo "# half-open flood: $(tr '\n' ' ' <<<"$out")"
check_eq "under a half-open flood, ten requests from elsewhere are answered" \
    "$(awk '$1 == "statuses" { $1 = ""; print }' <<<"$out")" " 200 200 200 200 200 200 200 200 200 200"
slowest=$(awk '$1 == "slowest_ms" { print $2 }' <<<"$out")
[ "${slowest:-9999}" -lt 1000 ] && pass "each within 1 s (slowest $slowest ms)" || fail "each within 1 s" "${slowest:-none} ms"
evicted=$(curl -s "$BASE/metrics" | awk '$1 == "loomsearch_evictions_total" { print $2 }')
[ "${evicted:-0}" -gt 0 ] && pass "the flood's connections made way ($evicted evictions in /metrics)" \
    || fail "evictions counted" "${evicted:-none}"
alive "a half-open flood"
stop_server
# --- five more attacks of our own (docs/security.md, "Round two") ---
start_server "$SERVE" --db "$ROOT" --rate 0
out=$(python3 "$(dirname "$0")/connections.py" pipeline "${BASE##*:}" 100)
check_eq "100 requests pipelined on one connection: all answered, in order" \
    "$(awk '{ printf "%s ", $2 }' <<<"$out")" "100 1 "
q=$(printf '%s*+' a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f)
get "/search?q=${q%+}&format=json"
check_eq "32 wildcards in one query: bounded by --max-terms and the expansion limit (no 5xx)" \
    "$( [ "$STATUS" -lt 500 ] && echo bounded)" bounded
for path in "/widget/..%2f..%2fetc/passwd" "/widget/%2e%2e/%2e%2e/etc/passwd" "/widget/loomsearch.js%00.txt"; do
    get "$path"
    check_eq "$path -> 404 (web files are a fixed list, never a path)" "$STATUS" 404
done
alive "five more attacks"
stop_server
finish
