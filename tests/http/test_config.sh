#!/usr/bin/env bash
# test_config.sh — settings from a config file, the environment and the
# command line, in that order of strength; unknown and impossible ones refused.
# usage: test_config.sh SERVE_BINARY INDEX_ROOT
set -u
SERVE=$1 ROOT=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Which --max-terms is in force: the smallest q it refuses tells.
terms_limit() {
    local q=w n
    for n in 2 3 4 5 6; do
        q="$q+w"
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/search?q=$q")" = 400 ] && { echo $((n - 1)); return; }
    done
    echo more
}

cat >"$work/serve.conf" <<EOF2
# a comment
db = $ROOT
max-terms = 2
log-full-ip = false
EOF2
start_server "$SERVE" --config "$work/serve.conf"
check_eq "the config file is read" "$(terms_limit)" 2
stop_server
LOOMSEARCH_MAX_TERMS=3 start_server "$SERVE" --config "$work/serve.conf"
check_eq "the environment wins over the file" "$(terms_limit)" 3
stop_server
LOOMSEARCH_MAX_TERMS=3 start_server "$SERVE" --config "$work/serve.conf" --max-terms 4
check_eq "the command line wins over both" "$(terms_limit)" 4
stop_server
LOOMSEARCH_CONFIG="$work/serve.conf" start_server "$SERVE"
check_eq "LOOMSEARCH_CONFIG names the file too" "$(terms_limit)" 2
stop_server
LOOMSEARCH_DB="$ROOT" start_server "$SERVE"
check_eq "settings from the environment alone" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" 200
stop_server

printf 'db = %s\nmax-tems = 2\n' "$ROOT" >"$work/typo.conf"
"$SERVE" --config "$work/typo.conf" 2>"$work/err" >/dev/null
check_eq "an unknown key is refused" "$?" 2
check_contains "naming the file and line" "$(cat "$work/err")" "typo.conf:2: unknown setting 'max-tems'"
LOOMSEARCH_LISTN=x "$SERVE" --db "$ROOT" 2>"$work/err" >/dev/null
check_eq "an unknown LOOMSEARCH_ variable is refused" "$?" 2
check_contains "naming it" "$(cat "$work/err")" "LOOMSEARCH_LISTN"
printf 'db = %s\nmax-terms = many\n' "$ROOT" >"$work/bad.conf"
"$SERVE" --config "$work/bad.conf" 2>"$work/err" >/dev/null
check_eq "an impossible value is refused" "$?" 2
check_contains "saying what is wanted" "$(cat "$work/err")" "--max-terms wants a whole number"
"$SERVE" --config "$work/nothing.conf" 2>"$work/err" >/dev/null
check_eq "a missing config file is refused" "$?" 2
"$SERVE" --help >"$work/help"
check_contains "--help documents the order" "$(cat "$work/help")" "the command line wins over the environment"
finish
