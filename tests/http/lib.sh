# lib.sh — what the HTTP tests share: start the real server on a free port, make
# requests with curl, record checks, print the summary line ctest shows.
# Source it; then call start_server, the check_* functions, and finish.

PASSED=0
FAILED=0
# Writing to a socket the server has closed must fail the write, not kill the test.
trap '' PIPE
SERVER_PID=
SERVER_OUT=
BASE=

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; shift; for line in "$@"; do echo "    $line"; done; }

# check_eq NAME ACTUAL EXPECTED
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}

# check_contains NAME HAYSTACK NEEDLE
check_contains() {
    case "$2" in
        *"$3"*) pass "$1" ;;
        *) fail "$1" "in:   ${2:0:300}" "want: $3" ;;
    esac
}

# check_lacks NAME HAYSTACK NEEDLE
check_lacks() {
    case "$2" in
        *"$3"*) fail "$1" "in:    ${2:0:300}" "found: $3" ;;
        *) pass "$1" ;;
    esac
}

# start_server BINARY ARGS...: start on 127.0.0.1, port chosen by the kernel;
# sets BASE and SERVER_PID once the server says it listens. Every test talks
# from one address, so the per-client rate limit is off unless ARGS set one.
start_server() {
    SERVER_OUT=$(mktemp)
    "$1" --rate 0 "${@:2}" --listen 127.0.0.1:0 >"$SERVER_OUT" 2>"$SERVER_OUT.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if grep -q '^listening on ' "$SERVER_OUT"; then
            BASE="http://$(sed -n 's/^listening on //p' "$SERVER_OUT")"
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "server did not start:"; cat "$SERVER_OUT.err"
    exit 1
}

# stop_server: SIGTERM, and the exit status it gave (0 is a clean shutdown).
stop_server() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    local rc=$?
    rm -f "$SERVER_OUT" "$SERVER_OUT.err"
    return $rc
}

# get PATH [CURL ARGS...]: sets BODY, STATUS and HEADERS. Call it directly, not
# in $(...), or the variables stay in the subshell.
get() {
    local path=$1; shift
    local hdr; hdr=$(mktemp)
    BODY=$(curl -s -D "$hdr" "$@" "$BASE$path")
    STATUS=$(head -n1 "$hdr" | awk '{print $2}')
    HEADERS=$(tr -d '\r' <"$hdr")
    rm -f "$hdr"
}

# header NAME: the value of response header NAME from the last get.
header() {
    printf '%s\n' "$HEADERS" | awk -v n="$1" 'BEGIN{IGNORECASE=1} index(tolower($0), tolower(n) ":") == 1 {sub(/^[^:]*: */, ""); print; exit}'
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

# raw_request BYTES: send BYTES (printf format) as they are over a new TCP
# connection and set RAW to everything the server answers until it closes.
raw_request() {
    local hostport=${BASE#http://}
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
    printf "$1" >&3
    RAW=$(timeout 5 cat <&3 | tr -d '\r')
    exec 3<&-
}
