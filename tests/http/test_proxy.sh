#!/usr/bin/env bash
# test_proxy.sh — the nginx and Caddy setups of docs/embedding.md, taken from
# that page as written (only the ports and the certificate's paths changed),
# in front of the real server on loopback with its default limits: each
# visitor is counted on their own, a visitor's forged X-Forwarded-For is not
# believed, and 50 visitors searching as they type through nginx get no 429
# and no 5xx while one sending 200 requests in a second gets 429s.
# usage: test_proxy.sh SERVE_BINARY INDEX_ROOT EMBEDDING_MD
set -u
SERVE=$1 ROOT=$2 DOC=$3
here=$(dirname "$0")
. "$here/lib.sh"
HOST=search.example.org

if ! command -v nginx >/dev/null; then
    echo "nginx is not installed (scripts/install-deps installs it): skipped"
    exit 77
fi
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers drop root and still need their temp folders
NGINX_PID= CADDY_PID=
cleanup() {
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    [ -n "$CADDY_PID" ] && kill "$CADDY_PID" 2>/dev/null && wait "$CADDY_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
SERVE_PORT=$(free_port) NGINX_PORT=$(free_port)

# block LANG: the first fenced block of LANG in the page.
block() { awk -v fence="\`\`\`$1" '$0 == fence { on = 1; next } on && /^```/ { exit } on' "$DOC"; }

# replace TEXT FROM TO: TEXT with FROM replaced, failing the test when the
# page no longer holds FROM (the test would silently drift from the page).
replace() {
    case "$1" in
        *"$2"*) printf '%s\n' "${1//"$2"/"$3"}" ;;
        *) fail "docs/embedding.md still has '$2'" >&2; printf '%s\n' "$1" ;;
    esac
}

# serve ARGS...: (re)start the server on SERVE_PORT, with the default limits
# unless ARGS change them (lib.sh's start_server turns the rate limit off).
serve() {
    [ -n "$SERVER_PID" ] && stop_server
    SERVER_PID=
    SERVER_OUT=$(mktemp)
    "$SERVE" --db "$ROOT" --listen "127.0.0.1:$SERVE_PORT" "$@" >"$SERVER_OUT" 2>"$SERVER_OUT.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        grep -q '^listening on ' "$SERVER_OUT" && return 0
        sleep 0.05
    done
    echo "server did not start:"; cat "$SERVER_OUT.err"; exit 1
}

# through PORT SOURCE PATH [CURL ARGS]: the status of PATH asked through the
# proxy on PORT from loopback address SOURCE.
through() {
    local port=$1 source=$2 path=$3; shift 3
    curl -sk -o /dev/null -w '%{http_code}' --interface "$source" \
        --resolve "$HOST:$port:127.0.0.1" "$@" "https://$HOST:$port$path"
}

wait_for_proxy() {
    for _ in $(seq 100); do
        [ "$(through "$1" 127.0.0.1 /healthz)" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}

# last_client: the client address of the last access-log line.
last_client() {
    sleep 0.1
    tail -n1 "$work/access.log" | awk '{ print $1 }'
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$HOST" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# --- nginx, as the page has it ---
nginx_site=$(block nginx)
# write_nginx_conf: the page's block on NGINX_PORT, with this test's files.
write_nginx_conf() {
    local site
    site=$(replace "$nginx_site" "listen 443 ssl http2;" "listen 127.0.0.1:$NGINX_PORT ssl http2;")
    site=$(replace "$site" "/etc/letsencrypt/live/$HOST/fullchain.pem" "$work/cert.pem")
    site=$(replace "$site" "/etc/letsencrypt/live/$HOST/privkey.pem" "$work/key.pem")
    site=$(replace "$site" "server 127.0.0.1:8080;" "server 127.0.0.1:$SERVE_PORT;")
    printf '%s\n' "$site" >"$work/site.conf"
    mkdir -p "$work/nginx"
    cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/site.conf;
}
EOF
}
write_nginx_conf
check_eq "nginx accepts the page's configuration" \
    "$(nginx -t -q -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>&1)" ""

serve --access-log "$work/access.log" --log-full-ip
# A port chosen free can be taken before nginx binds it (another test's
# connection: ctest runs two at once); then a new port, up to three times.
for attempt in 1 2 3; do
    : >"$work/nginx-error.log"
    nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>/dev/null &
    NGINX_PID=$!
    sleep 0.3
    # nginx goes on trying to bind for some seconds: its first complaint is enough.
    if grep -q 'Address already in use' "$work/nginx-error.log"; then
        kill "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
        NGINX_PID=
        echo "    nginx's port was taken (attempt $attempt): a new port"
        NGINX_PORT=$(free_port)
        write_nginx_conf
        continue
    fi
    break
done
wait_for_proxy "$NGINX_PORT" || { fail "nginx answers"; cat "$work/nginx-error.log"; finish; exit 1; }
check_eq "a search through nginx" "$(through "$NGINX_PORT" 127.0.0.1 '/search?q=data&format=json')" 200
through "$NGINX_PORT" 127.0.0.21 /healthz >/dev/null
check_eq "the server sees the visitor nginx forwards, not nginx" "$(last_client)" 127.0.0.21

# Visitors here come from loopback, which the server trusts by default like
# the proxy: to see what a forged header does, trust the proxy's address only.
serve --access-log "$work/access.log" --log-full-ip --trusted-proxy 127.0.0.1
through "$NGINX_PORT" 127.0.0.22 /healthz -H "X-Forwarded-For: 192.0.2.1" >/dev/null
check_eq "a visitor's own X-Forwarded-For through nginx is not believed" "$(last_client)" 127.0.0.22
serve --trusted-proxy 127.0.0.1 --rate 1 --burst 1
codes=""
for i in 1 2 3; do
    codes+="$(through "$NGINX_PORT" 127.0.0.23 "/search?q=data$i" -H "X-Forwarded-For: 192.0.2.$i") "
done
check_eq "nor does forging a new one for each request escape the rate limit" "$codes" "200 429 429 "
check_eq "while another visitor is served" "$(through "$NGINX_PORT" 127.0.0.24 '/search?q=data')" 200

# --- load: search-as-you-type through nginx, with the default limits ---
: >"$work/access.log"
serve --access-log "$work/access.log"
out=$(python3 "$here/visitors.py" "$NGINX_PORT" "$HOST" 50 --abuser)
echo "$out" | sed 's/^/    /'
# The server's own share, from the milliseconds its access log gives each request.
sleep 0.2
echo "    server_p95_ms $(awk '$(NF - 2) == 200 { print $NF }' "$work/access.log" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int(NR * 0.95) + (NR * 0.95 > int(NR * 0.95))] }')"
value() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
check_eq "50 visitors typing: every request answered" "$(value visitor_2xx)" "$(value visitor_requests)"
check_eq "none of them rate-limited" "$(value visitor_429)" 0
check_eq "no 5xx" "$(value visitor_5xx)" 0
[ "$(value visitor_requests)" -ge 400 ] && pass "$(value visitor_requests) keystroke requests sent" \
    || fail "at least 400 keystroke requests sent" "$(value visitor_requests)"
p95=$(value p95_ms)
[ "$p95" -lt 300 ] && pass "p95 under 300 ms ($p95 ms, p50 $(value p50_ms) ms)" \
    || fail "p95 under 300 ms" "$p95 ms"
abuse_429=$(value abuser_429)
[ "$abuse_429" -ge 100 ] && [ "$(value abuser_2xx)" -ge 40 ] \
    && pass "one visitor sending 200 requests in a second gets 429s ($abuse_429; $(value abuser_2xx) answered)" \
    || fail "one visitor sending 200 requests in a second gets 429s" "$out"

# nginx still holds keep-alive connections to the server: a shutdown closes
# the idle ones rather than waiting for nginx to.
t0=${EPOCHREALTIME/./}
stop_server
SERVER_PID=
stop_ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
[ "$stop_ms" -lt 1500 ] && pass "SIGTERM with nginx's idle keep-alive connections open stops at once ($stop_ms ms)" \
    || fail "SIGTERM with nginx's idle keep-alive connections open stops at once" "$stop_ms ms"

# The same visitors when the server believes no proxy: they share nginx's
# address, and its 20 requests a second.
serve --trusted-proxy none
out=$(python3 "$here/visitors.py" "$NGINX_PORT" "$HOST" 50)
echo "$out" | grep -E '^visitor_(429|5xx)' | sed 's/^/    trust none: /'
[ "$(value visitor_429)" -gt 0 ] && pass "with --trusted-proxy none they share one limit: $(value visitor_429) of $(value visitor_requests) get 429" \
    || fail "with --trusted-proxy none they share one limit" "$out"

# --- Caddy, as the page has it ---
if command -v caddy >/dev/null; then
    site=$(block caddy)
    site=$(replace "$site" "reverse_proxy 127.0.0.1:8080" "reverse_proxy 127.0.0.1:$SERVE_PORT")
    serve --access-log "$work/access.log" --log-full-ip --trusted-proxy 127.0.0.1 --rate 1 --burst 1
    # A port chosen free can be taken before Caddy binds it (by another test's
    # connection: ctest runs two at once); then new ports, up to three times.
    for attempt in 1 2 3; do
        CADDY_PORT=$(free_port) CADDY_HTTP=$(free_port)
        # Certificates from Caddy's own local authority: this machine may not reach an ACME one.
        cat >"$work/Caddyfile" <<EOF
{
    admin off
    local_certs
    skip_install_trust
    http_port $CADDY_HTTP
    https_port $CADDY_PORT
    storage file_system $work/caddy
}
$site
EOF
        HOME=$work XDG_DATA_HOME=$work XDG_CONFIG_HOME=$work \
            caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
        CADDY_PID=$!
        sleep 0.5
        if ! kill -0 "$CADDY_PID" 2>/dev/null && grep -q 'address already in use' "$work/caddy.log"; then
            wait "$CADDY_PID" 2>/dev/null
            CADDY_PID=
            echo "    Caddy's port was taken (attempt $attempt): new ports"
            continue
        fi
        break
    done
    if wait_for_proxy "$CADDY_PORT"; then
        through "$CADDY_PORT" 127.0.0.31 /healthz -H "X-Forwarded-For: 192.0.2.1" >/dev/null
        check_eq "Caddy: the server sees the visitor, not a forged header" "$(last_client)" 127.0.0.31
        a=$(through "$CADDY_PORT" 127.0.0.32 '/search?q=data') b=$(through "$CADDY_PORT" 127.0.0.33 '/search?q=data')
        c=$(through "$CADDY_PORT" 127.0.0.32 '/search?q=data')
        check_eq "Caddy: each visitor has their own rate limit" "$a $b $c" "200 200 429"
    else
        fail "Caddy answers" "$(tail -5 "$work/caddy.log")"
    fi
else
    echo "caddy is not installed (scripts/install-deps installs it): its setup is not tested"
fi

stop_server
finish
