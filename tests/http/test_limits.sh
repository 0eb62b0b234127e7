#!/usr/bin/env bash
# test_limits.sh — every limit on what a client controls, through the real
# server: each gets its documented answer, and the server keeps serving others.
# usage: test_limits.sh SERVE_BINARY INDEX_ROOT
set -u
SERVE=$1 ROOT=$2
. "$(dirname "$0")/lib.sh"

# --- limits on parameters, set by flags ---
start_server "$SERVE" --db "$ROOT" --max-query-bytes 20 --max-terms 2 --max-per-page 5 --max-depth 20
while IFS='|' read -r name path code; do
    get "$path"
    check_eq "$name -> 400 $code" "$STATUS $(jq -r .error.code <<<"$BODY")" "400 $code"
done <<EOF2
--max-query-bytes 20|/search?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|query_too_long
--max-terms 2|/search?q=one+two+three|too_many_terms
--max-per-page 5|/search?q=data&per_page=6|bad_parameter
--max-depth 20|/search?q=data&page=5&per_page=5|page_too_deep
EOF2
get "/search?q=data&per_page=5&page=4&format=json"
check_eq "within the limits all is well" "$STATUS" 200
get "/search?q=$(printf 'a%.0s' $(seq 40000))"
check_eq "a 40 KB request line -> 414 (libmicrohttpd's own)" "$STATUS" 414
get "/search?q=data" -H "X-Big: $(printf 'b%.0s' $(seq 40000))"
check_eq "a 40 KB header -> 431 (libmicrohttpd's own)" "$STATUS" 431
get /healthz
check_eq "and the server still answers" "$STATUS" 200
stop_server

# --- request rate per client: a token bucket ---
start_server "$SERVE" --db "$ROOT" --rate 2 --burst 3
codes=$(for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' "$BASE/search?q=data"; done)
check_eq "a burst of 3 passes, the 4th is refused" "$codes" "200 200 200 429 "
get "/search?q=data"
check_eq "429 names the limit" "$(jq -r .error.code <<<"$BODY")" rate_limited
check_eq "and says when to come back" "$(header Retry-After)" 1
get /healthz
check_eq "the health check is never rate-limited" "$STATUS" 200
sleep 1.1
get "/search?q=data"
check_eq "tokens come back with time" "$STATUS" 200
stop_server

# --- behind a proxy: per visitor, only from a trusted proxy ---
# status_with_xff XFF...: the status of a search sent with one X-Forwarded-For
# header per argument.
status_with_xff() {
    local args=()
    for v in "$@"; do args+=(-H "X-Forwarded-For: $v"); done
    curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "$BASE/search?q=data"
}
start_server "$SERVE" --db "$ROOT" --rate 1 --burst 1 --trusted-proxy 127.0.0.1
a=$(status_with_xff 192.0.2.1) b=$(status_with_xff 192.0.2.2) c=$(status_with_xff 192.0.2.1)
check_eq "behind a trusted proxy each forwarded client has its own bucket" "$a $b $c" "200 200 429"
d=$(status_with_xff "192.0.2.1, 192.0.2.3")
check_eq "the proxy's own (rightmost) entry counts, not the client's claim" "$d" 200
e=$(status_with_xff "192.0.2.4, junk") f=$(status_with_xff "not-an-address") g=$(status_with_xff "")
check_eq "malformed entries count against the proxy's own bucket, not a fresh one each" "$e $f $g" "200 429 429"
h=$(status_with_xff 192.0.2.1 192.0.2.5)
check_eq "two X-Forwarded-For headers are read as one list (the later one's entry)" "$h" 200
i=$(status_with_xff 2001:db8::1) j=$(status_with_xff 2001:db8::2:1) k=$(status_with_xff 2001:db8:0:1::1)
check_eq "an IPv6 visitor's bucket is its /64's: a fresh address in it is refused, another /64 is not" \
    "$i $j $k" "200 429 200"
stop_server
start_server "$SERVE" --db "$ROOT" --rate 1 --burst 1
a=$(status_with_xff 192.0.2.1) b=$(status_with_xff 192.0.2.2)
check_eq "listening on loopback, loopback is trusted without --trusted-proxy" "$a $b" "200 200"
check_contains "and the server says so when it starts" "$(cat "$SERVER_OUT.err")" \
    "X-Forwarded-For is read from loopback peers"
stop_server
start_server "$SERVE" --db "$ROOT" --rate 1 --burst 1 --trusted-proxy none
a=$(status_with_xff 192.0.2.1) b=$(status_with_xff 192.0.2.2)
check_eq "with --trusted-proxy none, X-Forwarded-For is ignored" "$a $b" "200 429"
check_lacks "and nothing is said of it" "$(cat "$SERVER_OUT.err")" "X-Forwarded-For"
stop_server
start_server "$SERVE" --db "$ROOT" --rate 1 --burst 1 --trusted-proxy 198.51.100.0/24
a=$(status_with_xff 192.0.2.1) b=$(status_with_xff 192.0.2.2)
check_eq "a forged X-Forwarded-For from a peer that is not a trusted proxy is ignored" "$a $b" "200 429"
stop_server

# Who the access log names: the visitor a trusted proxy forwards, else the peer.
log=$(mktemp)
logged_client() {
    : >"$log"
    local args=()
    for v in "$@"; do args+=(-H "X-Forwarded-For: $v"); done
    curl -s -o /dev/null "${args[@]}" "$BASE/healthz"
    for _ in $(seq 20); do [ -s "$log" ] && break; sleep 0.05; done
    awk '{ print $1 }' "$log"
}
start_server "$SERVE" --db "$ROOT" --access-log "$log" --log-full-ip
check_eq "no header: the peer" "$(logged_client)" 127.0.0.1
check_eq "the right-most entry that is not a trusted proxy" "$(logged_client "198.51.100.9, 192.0.2.1, 127.0.0.5")" 192.0.2.1
check_eq "a malformed entry: the trusted hop that passed it on" "$(logged_client "192.0.2.1, junk, 127.0.0.9")" 127.0.0.9
check_eq "IPv6 visitors in their canonical spelling" "$(logged_client "2001:DB8:0::7")" 2001:db8::7
check_eq "two headers joined in order" "$(logged_client 192.0.2.1 "192.0.2.2")" 192.0.2.2
stop_server
start_server "$SERVE" --db "$ROOT" --access-log "$log" --log-full-ip --trusted-proxy none
check_eq "--trusted-proxy none: the peer, whatever the header says" "$(logged_client 192.0.2.1)" 127.0.0.1
stop_server
# Listening on every address, loopback is not trusted by default (a client on
# this machine is then one visitor among others).
"$SERVE" --db "$ROOT" --rate 0 --access-log "$log" --log-full-ip --listen 0.0.0.0:0 >"$log.out" 2>&1 &
wild=$!
for _ in $(seq 100); do grep -q '^listening on ' "$log.out" && break; sleep 0.05; done
BASE="http://127.0.0.1:$(sed -n 's/^listening on .*://p' "$log.out")"
check_eq "listening on 0.0.0.0, a loopback peer's X-Forwarded-For is ignored" "$(logged_client 192.0.2.1)" 127.0.0.1
kill -TERM "$wild"; wait "$wild"
rm -f "$log" "$log.out"

# --- connections: idle timeout, absolute deadline, per-address limit ---
# Loopback is trusted by default here, and a trusted proxy is exempt from
# --per-ip-limit: these tests speak as a visitor, so trust no one.
start_server "$SERVE" --db "$ROOT" --timeout 2 --deadline 3 --per-ip-limit 3 --trusted-proxy none
hostport=${BASE#http://}
host=${hostport%:*} port=${hostport##*:}

# seconds_until_closed FD: how long until the server closes the connection
seconds_until_closed() {
    local start=$SECONDS
    timeout 20 cat <&"$1" >/dev/null
    echo $((SECONDS - start))
}

exec 5<>"/dev/tcp/$host/$port"
idle=$(seconds_until_closed 5)
exec 5<&-
[ "$idle" -ge 1 ] && [ "$idle" -le 4 ] && pass "an idle connection is closed after --timeout ($idle s)" \
    || fail "an idle connection is closed after --timeout" "$idle s"

# A slow client: a header byte every half second keeps the idle timer happy,
# but not the deadline.
exec 6<>"/dev/tcp/$host/$port"
( printf 'GET /search?q=data HTTP/1.1\r\nHost: x\r\n' >&6
  for i in $(seq 40); do printf 'X' >&6 2>/dev/null || break; sleep 0.5; done ) &
dripper=$!
start=$SECONDS
get /healthz
check_eq "others are served while a client drips" "$STATUS" 200
timeout 20 cat <&6 >/dev/null
dripped=$((SECONDS - start))
kill "$dripper" 2>/dev/null; wait "$dripper" 2>/dev/null
exec 6<&-
[ "$dripped" -le 6 ] && pass "a client dripping header bytes is cut at --deadline ($dripped s)" \
    || fail "a client dripping header bytes is cut at --deadline" "$dripped s"

exec 7<>"/dev/tcp/$host/$port" 8<>"/dev/tcp/$host/$port" 9<>"/dev/tcp/$host/$port"
exec 4<>"/dev/tcp/$host/$port"
# Milliseconds, not $SECONDS: a close at once can still straddle a second.
t0=${EPOCHREALTIME/./}
timeout 20 cat <&4 >/dev/null
extra_ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
exec 4<&-
[ "$extra_ms" -lt 1000 ] && pass "a 4th connection from one address is closed at once (--per-ip-limit 3, $extra_ms ms; idle timeout 2 s)" \
    || fail "a 4th connection from one address is closed at once (--per-ip-limit 3)" "$extra_ms ms"
exec 7<&- 8<&- 9<&-
sleep 0.3
get /healthz
check_eq "the address is served again once its connections close" "$STATUS" 200
stop_server && pass "the server still stops cleanly" || fail "the server still stops cleanly"

# --- the connection policy (docs/operations.md, "Connections") ---
conn_test() { python3 "$(dirname "$0")/connections.py" "$@"; }
metric() { curl -s "$BASE/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

start_server "$SERVE" --db "$ROOT" --per-ip-limit 3 --timeout 30 --deadline 30 --trusted-proxy none
out=$(conn_test proven "${BASE##*:}" 3)
check_eq "keep-alive connections that sent a request are not held against their address" \
    "$(awk '$1 == "keepalive_not_counted" { print $2 }' <<<"$out")" 200
check_eq "silent ones are: the 4th is closed at once" "$(awk '$1 == "silent_over_quota_closed" { print $2 }' <<<"$out")" 1
check_eq "and counted in /metrics" "$( [ "$(metric loomsearch_per_ip_refusals_total)" -ge 1 ] && echo yes)" yes
stop_server

# A trusted proxy's address is exempt from --per-ip-limit: libmicrohttpd
# counts at accept, before any header, so every visitor behind it would share
# the proxy's 16. Loopback is trusted by default on a loopback --listen.
start_server "$SERVE" --db "$ROOT" --per-ip-limit 3
check_eq "a trusted proxy (loopback, by default) holds 20 silent connections over --per-ip-limit 3" \
    "$(conn_test silent "${BASE##*:}" 20)" "closed 0"
stop_server
start_server "$SERVE" --db "$ROOT" --per-ip-limit 3 --trusted-proxy none
check_eq "with --trusted-proxy none, 17 of 20 are closed at once" \
    "$(conn_test silent "${BASE##*:}" 20)" "closed 17"
stop_server

start_server "$SERVE" --db "$ROOT" --header-deadline 1 --timeout 30 --deadline 30
exec 7<>"/dev/tcp/127.0.0.1/${BASE##*:}"
t0=${EPOCHREALTIME/./}
timeout 20 cat <&7 >/dev/null
waited_ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
exec 7<&-
[ "$waited_ms" -ge 700 ] && [ "$waited_ms" -le 2500 ] \
    && pass "a connection that sends nothing is closed at --header-deadline 1 s ($waited_ms ms; --timeout 30)" \
    || fail "a connection that sends nothing is closed at --header-deadline 1 s" "$waited_ms ms"
check_eq "counted in /metrics" "$(metric loomsearch_header_deadline_cuts_total)" 1
stop_server

start_server "$SERVE" --db "$ROOT" --connection-limit 8 --per-ip-limit 0 --timeout 30 --deadline 30 --header-deadline 30
out=$(conn_test evict "${BASE##*:}" 8)
check_eq "with every place held by silent connections, a request is answered within 1 s" \
    "$(awk '$1 == "status" || $1 == "within_1s" { printf "%s ", $2 }' <<<"$out")" "200 1 "
check_eq "a silent connection made way" "$(awk '$1 == "silent_evicted" { print $2 }' <<<"$out")" 1
check_eq "counted in /metrics" "$( [ "$(metric loomsearch_evictions_total)" -ge 1 ] && echo yes)" yes
stop_server

# Connections that have sent requests are never evicted: past the limit, new
# ones wait in the kernel's backlog.
start_server "$SERVE" --db "$ROOT" --connection-limit 2 --per-ip-limit 0 --timeout 30 --deadline 30 --threads 1
out=$(conn_test backlog "${BASE##*:}")
check_eq "a third connection over --connection-limit 2 is not served while two keep-alive ones are open" \
    "$(awk '$1 == "third_while_held" { print $2 }' <<<"$out")" 0
check_eq "once they close, it is" "$(awk '$1 == "third_once_closed" { print $2 }' <<<"$out")" 200
stop_server

# --- impossible settings are refused at start-up ---
for args in "--rate lots" "--max-per-page 2000" "--trusted-proxy proxy.example.org" \
    "--trusted-proxy 10.0.0.0/33" "--trusted-proxy none --trusted-proxy 10.0.0.1" "--deadline 0" "--nonsense"; do
    "$SERVE" --db "$ROOT" $args >/dev/null 2>"${SERVER_OUT:-/tmp}.err"
    check_eq "'$args' is refused with status 2" "$?" 2
done

finish
