#!/usr/bin/env bash
# test_deb.sh — the .deb as a machine runs it. Builds it with cpack, installs
# it with dpkg -i, checks what postinst made (the system user and group
# loomsearch, /var/lib/loomsearch, the conffiles), sets the site and the URLs
# in /etc/loomsearch/*.conf as docs/operations.md says to, then runs the
# commands of the installed units' ExecStart= lines as the units do: as their
# User= and Group=, from /, with a bare environment and nothing else added
# (systemd's sandboxing is not reproduced). The server starts before the first
# index and answers 503, the indexer builds it, /healthz and /search answer from
# it. Then dpkg --remove (settings, index and user stay) and dpkg --purge
# (settings and index go; the user and group stay, by design: packaging/deb/postrm).
# At the end it deletes the user and group it caused to be made, if they were
# not there before.
#
# Needs root and dpkg, and a machine where loomsearch is not installed: it
# skips (77) otherwise, since a purge would take a real installation's settings
# and index with it.
# usage: test_deb.sh BUILD_DIR CORPUS
set -u
BUILD=$1 CORPUS=$2
. "$(dirname "$0")/../http/lib.sh"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root: it installs the .deb with dpkg -i and purges it"
for tool in dpkg dpkg-deb dpkg-query cpack setpriv curl jq getent userdel groupdel; do
    command -v "$tool" >/dev/null || skip "needs $tool"
done
state=$(dpkg-query -W -f='${db:Status-Status}' loomsearch 2>/dev/null || true)
case "$state" in
    ""|not-installed) ;;
    *) skip "the loomsearch package is on this machine ($state): this test would purge it" ;;
esac
for d in /etc/loomsearch /var/lib/loomsearch /var/log/loomsearch \
         /etc/systemd/system/multi-user.target.wants/loomsearch-serve.service \
         /etc/systemd/system/timers.target.wants/loomsearch-index.timer; do
    [ ! -e "$d" ] && [ ! -L "$d" ] || skip "$d exists: this test's purge would remove it"
done
had_user=no had_group=no
getent passwd loomsearch >/dev/null && had_user=yes
getent group loomsearch >/dev/null && had_group=yes

# The scratch folder must be readable by the user loomsearch: the posts are there.
work=$(mktemp -d)
chmod 0755 "$work"
installed=no
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
    if [ "$installed" = yes ] && dpkg-query -W loomsearch >/dev/null 2>&1; then
        dpkg --purge loomsearch >/dev/null 2>&1 || echo "cleanup: dpkg --purge loomsearch failed"
    fi
    # Whatever a failed purge left (none of it was there before: see above),
    # so that the next run does not skip for it.
    rm -rf /etc/loomsearch /var/lib/loomsearch /var/log/loomsearch
    rm -f /etc/systemd/system/multi-user.target.wants/loomsearch-serve.service \
          /etc/systemd/system/timers.target.wants/loomsearch-index.timer
    [ "$had_user" = yes ] || ! getent passwd loomsearch >/dev/null || userdel loomsearch
    [ "$had_group" = yes ] || ! getent group loomsearch >/dev/null || groupdel loomsearch
    rm -rf "$work"
}
trap cleanup EXIT

# dpkg_run ARGS...: dpkg, waiting up to a minute for another dpkg's lock.
dpkg_run() {
    local out rc
    for _ in $(seq 30); do
        out=$(dpkg "$@" 2>&1); rc=$?
        case "$out" in *"dpkg frontend lock"*|*"dpkg status database is locked"*) sleep 2 ;; *) break ;; esac
    done
    [ $rc -eq 0 ] || printf '%s\n' "$out"
    return $rc
}

## The package and its control files

(cd "$BUILD" && cpack -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/deb/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { fail "cpack makes a .deb"; finish; exit 1; }
info=$(dpkg-deb -I "$deb")
for f in postinst prerm postrm conffiles; do
    check_contains "the control archive has $f" "$info" " $f "
done
ctrl=$(dpkg-deb --ctrl-tarfile "$deb" | tar -tvf -)
mode() { awk -v f="./$1" '$6 == f { print $1, $2 }' <<<"$ctrl"; }
check_eq "conffiles is 0644" "$(mode conffiles)" "-rw-r--r-- root/root"
for f in postinst prerm postrm; do
    check_eq "$f is 0755" "$(mode "$f")" "-rwxr-xr-x root/root"
    check_eq "$f is POSIX sh with set -e" \
        "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - "./$f" | sed -n '1p;/^set -e$/p' | tr '\n' ' ')" "#!/bin/sh set -e "
done
mkdir "$work/control"
dpkg-deb -e "$deb" "$work/control"
for f in postinst prerm postrm; do
    sh -n "$work/control/$f" && pass "$f parses as sh" || fail "$f parses as sh"
done
check_eq "the conffiles are the two settings files" "$(cat "$work/control/conffiles")" \
    $'/etc/loomsearch/serve.conf\n/etc/loomsearch/index.conf'
check_contains "it depends on adduser, which postinst uses" "$(dpkg-deb -f "$deb" Depends)" "adduser"
# Lintian, where installed: no error or warning but those of a package made
# outside Debian's archive (no maintainer address, changelog or copyright file
# of Debian's form; man pages not gzipped; no man page for the report, eval and
# WordPress tools).
if command -v lintian >/dev/null; then
    tags=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep -E '^[EW]: ' |
           grep -vE ': (malformed-contact|no-changelog|no-copyright-file|uncompressed-manual-page|no-manual-page)( |$)')
    check_eq "lintian finds nothing else" "$tags" ""
fi

## Installed

dpkg_run -i "$deb" && pass "dpkg -i installs it" || fail "dpkg -i installs it"
installed=yes
check_eq "the package is installed" "$(dpkg-query -W -f='${db:Status-Abbrev}' loomsearch 2>&1)" "ii "

IFS=: read -r _ _ uid gid _ home shell <<<"$(getent passwd loomsearch)"
[ -n "$uid" ] && pass "the user loomsearch exists" || fail "the user loomsearch exists"
[ "${uid:-1000}" -lt 1000 ] && pass "a system user (uid $uid)" || fail "a system user" "uid: $uid"
check_eq "in the group loomsearch" "$(getent group loomsearch | cut -d: -f3)" "$gid"
check_eq "its home is the index root" "$home" /var/lib/loomsearch
check_eq "it cannot log in" "$shell" /usr/sbin/nologin
check_eq "/var/lib/loomsearch is loomsearch's, 0750" "$(stat -c '%U:%G %a' /var/lib/loomsearch 2>&1)" "loomsearch:loomsearch 750"
conffiles=$(dpkg-query -W -f='${Conffiles}' loomsearch)
for f in /etc/loomsearch/serve.conf /etc/loomsearch/index.conf; do
    check_contains "dpkg knows $f as a conffile" "$conffiles" " $f "
    check_eq "$f is root's, 0644" "$(stat -c '%U:%G %a' "$f" 2>&1)" "root:root 644"
done

unitdir=$(dirname "$(dpkg -L loomsearch | grep '/systemd/system/loomsearch-serve.service$')")
serve_unit=$unitdir/loomsearch-serve.service
index_unit=$unitdir/loomsearch-index.service
for unit in "$serve_unit" "$index_unit" "$unitdir/loomsearch-wordpress.service"; do
    check_eq "${unit##*/} runs as loomsearch:loomsearch" \
        "$(sed -n 's/^User=//p' "$unit"):$(sed -n 's/^Group=//p' "$unit")" loomsearch:loomsearch
    check_lacks "${unit##*/} has no DynamicUser" "$(cat "$unit")" DynamicUser
done

# exec_words UNIT: the words of UNIT's one ExecStart=. Plain word splitting
# reads it as systemd does only without quotes, variables, specifiers, escapes
# or prefixes: refuse those, and settings that would change the environment or
# the folder it runs in.
exec_words() {
    local line
    line=$(sed -n 's/^ExecStart=//p' "$1")
    [ "$(grep -c '^ExecStart=' "$1")" = 1 ] || { echo "more than one ExecStart= in $1" >&2; return 1; }
    case "$line" in /*) ;; *) echo "ExecStart= with a prefix in $1" >&2; return 1 ;; esac
    case "$line" in *[\"\'\$%\\]*) echo "ExecStart= needs systemd's own parsing in $1: $line" >&2; return 1 ;; esac
    if grep -qE '^(Environment|EnvironmentFile|WorkingDirectory|RootDirectory|UMask)=' "$1"; then
        echo "$1 sets what this test does not reproduce" >&2; return 1
    fi
    echo "$line"
}
# as_unit UNIT WORDS...: run WORDS as UNIT does: its User= and Group= (and
# their groups), no new privileges if it says so, from /, with the environment
# systemd gives a system service and nothing else. It execs: call it in a
# subshell ($(...) or &), whose pid is then the program's.
as_unit() {
    local unit=$1; shift
    local user group nnp=
    user=$(sed -n 's/^User=//p' "$unit") group=$(sed -n 's/^Group=//p' "$unit")
    [ "$(sed -n 's/^NoNewPrivileges=//p' "$unit")" = yes ] && nnp=--no-new-privs
    exec setpriv --reuid="$user" --regid="$group" --init-groups $nnp \
        env -i -C / PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin \
            HOME="$(getent passwd "$user" | cut -d: -f6)" USER="$user" LOGNAME="$user" \
            SHELL="$(getent passwd "$user" | cut -d: -f7)" "$@"
}

serve_cmd=$(exec_words "$serve_unit") && pass "the serve unit's ExecStart= reads plainly" || fail "the serve unit's ExecStart= reads plainly"
index_cmd=$(exec_words "$index_unit") && pass "the index unit's ExecStart= reads plainly" || fail "the index unit's ExecStart= reads plainly"
check_contains "which runs the installed server, with its settings" "$serve_cmd" "/usr/bin/loomsearch-serve --config /etc/loomsearch/serve.conf"
check_contains "which runs the installed indexer, with its settings" "$index_cmd" "/usr/bin/loomsearch-index --config /etc/loomsearch/index.conf"

# systemd's own reading of the installed units, where systemd is installed
# (it needs not run). Documentation= is looked up with man, which may be absent.
if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify "$serve_unit" "$index_unit" "$unitdir/loomsearch-index.timer" \
          "$unitdir/loomsearch-wordpress.service" "$unitdir/loomsearch-wordpress.timer" 2>&1 |
          grep -v "Command 'man ")
    check_eq "systemd-analyze verify finds nothing to say of the units" "$out" ""
fi

# A build made by hand as root before the package, and a link to it: the
# indexer runs as loomsearch and could not replace them.
mkdir -p /var/lib/loomsearch/builds/by-hand
touch /var/lib/loomsearch/builds/by-hand/postlist.glass
ln -s builds/by-hand /var/lib/loomsearch/by-hand-link

# Installing again (dpkg runs postinst as an upgrade) finds the user and keeps it.
dpkg_run -i "$deb" && pass "installing it again works" || fail "installing it again works"
check_eq "and keeps the user" "$(getent passwd loomsearch | cut -d: -f3)" "$uid"
check_eq "and hands what root left in the index root to loomsearch" \
    "$(stat -c %U:%G /var/lib/loomsearch/builds /var/lib/loomsearch/builds/by-hand/postlist.glass | sort -u) $(stat -c %U /var/lib/loomsearch/by-hand-link)" \
    "loomsearch:loomsearch loomsearch"
rm -rf /var/lib/loomsearch/builds /var/lib/loomsearch/by-hand-link

# Enabling the units as docs/operations.md says (without a running systemd,
# systemctl only makes the links): purge must take the links away.
links=
if command -v systemctl >/dev/null && [ ! -d /run/systemd/system ]; then
    systemctl enable loomsearch-serve.service loomsearch-index.timer >/dev/null 2>&1
    links="/etc/systemd/system/multi-user.target.wants/loomsearch-serve.service /etc/systemd/system/timers.target.wants/loomsearch-index.timer"
    for l in $links; do [ -L "$l" ] && pass "enabled: $l" || fail "enabled: $l"; done
fi

## Deployed: the settings as an admin sets them, then the units' commands

cp -r "$CORPUS" "$work/posts"
chmod -R a+rX "$work/posts"
# set FILE NAME VALUE: uncomment and set NAME in FILE, as an admin does.
set_conf() {
    grep -q "^# $2 = " "$1" || { fail "$1 shows $2"; return; }
    sed -i "s|^# $2 = .*|$2 = $3|" "$1"
}
set_conf /etc/loomsearch/index.conf corpus "$work/posts"
set_conf /etc/loomsearch/serve.conf listen 127.0.0.1:0
set_conf /etc/loomsearch/serve.conf public-url https://search.example.org
set_conf /etc/loomsearch/serve.conf permalink 'https://blog.example.org/{yyyy}/{mm}/{slug}/'
set_conf /etc/loomsearch/serve.conf allow-origin https://blog.example.org

# The server first, as after 'systemctl enable --now': no index yet.
# shellcheck disable=SC2086  # the unit's words, checked plain above
as_unit "$serve_unit" $serve_cmd >"$work/serve.out" 2>"$work/serve.err" &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/serve.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
done
BASE="http://$(sed -n 's/^listening on //p' "$work/serve.out")"
[ "$BASE" != http:// ] && pass "the serve unit's command starts before any index" \
    || { fail "the serve unit's command starts before any index" "$(cat "$work/serve.err")"; finish; exit 1; }
check_eq "it runs as loomsearch" "$(stat -c %U "/proc/$SERVER_PID") $(cat "/proc/$SERVER_PID/comm")" "loomsearch loomsearch-serv"
check_eq "from /" "$(readlink "/proc/$SERVER_PID/cwd")" /
check_eq "with no new privileges" "$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$SERVER_PID/status")" 1
get /healthz
check_eq "/healthz: 503 before the first index" "$STATUS" 503
check_eq "saying there is none" "$(jq -r .status <<<"$BODY")" no_index

# shellcheck disable=SC2086
summary=$(as_unit "$index_unit" $index_cmd 2>"$work/index.err")
check_eq "the index unit's command builds the first index" "$?" 0
posts=$(sed -n 's/.*; \([0-9]*\) posts;.*/\1/p' <<<"$summary")
[ "${posts:-0}" -gt 40 ] && pass "of the sample archive's posts ($posts)" || fail "of the sample archive's posts" "$summary" "$(cat "$work/index.err")"
check_eq "the build is loomsearch's" "$(stat -c %U "$(readlink -f /var/lib/loomsearch/current)")" loomsearch

get /healthz
check_eq "/healthz: 200 once it exists, without a restart" "$STATUS" 200
check_eq "with every post" "$(jq -r .documents <<<"$BODY")" "$posts"
get '/search?q=workshop&format=json&per_page=3'
check_eq "/search answers" "$STATUS" 200
[ "$(jq -r '.total_exact // .total_estimate' <<<"$BODY")" -gt 0 ] 2>/dev/null && pass "and finds posts" || fail "and finds posts" "${BODY:0:300}"
check_contains "their URLs from serve.conf's permalink" "$(jq -r '.results[].url' <<<"$BODY")" "https://blog.example.org/20"
get '/search?q=workshop' -H 'Origin: https://blog.example.org'
check_eq "serve.conf's allow-origin is read" "$(header Access-Control-Allow-Origin)" https://blog.example.org
get /opensearch.xml
check_contains "and its public-url" "$BODY" "https://search.example.org/search"

# The next run, as the timer makes it every night: nothing to do.
# shellcheck disable=SC2086
summary=$(as_unit "$index_unit" $index_cmd 2>>"$work/index.err")
check_eq "the next run of the index unit's command succeeds" "$?" 0
check_contains "and changes nothing" "$summary" "nothing changed"

kill -TERM "$SERVER_PID"; wait "$SERVER_PID"
check_eq "the server stops cleanly on SIGTERM" "$?" 0
SERVER_PID=

## Removed, then purged

files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
dpkg_run --remove loomsearch && pass "dpkg --remove" || fail "dpkg --remove"
check_eq "leaves its conffiles known" "$(dpkg-query -W -f='${db:Status-Abbrev}' loomsearch 2>&1)" "rc "
[ ! -e /usr/bin/loomsearch-serve ] && pass "the programs are gone" || fail "the programs are gone"
[ ! -e "$serve_unit" ] && pass "the units are gone" || fail "the units are gone"
check_contains "the edited settings stay" "$(cat /etc/loomsearch/serve.conf 2>&1)" $'\npublic-url = https://search.example.org\n'
[ -L /var/lib/loomsearch/current ] && pass "the index stays" || fail "the index stays"
getent passwd loomsearch >/dev/null && pass "the user stays" || fail "the user stays"

dpkg_run --purge loomsearch && pass "dpkg --purge" || fail "dpkg --purge"
check_eq "leaves nothing dpkg knows" "$(dpkg-query -W -f='${db:Status-Status}' loomsearch 2>/dev/null)" ""
for d in /etc/loomsearch /var/lib/loomsearch /var/log/loomsearch $links; do
    [ ! -e "$d" ] && [ ! -L "$d" ] && pass "purge removes $d" || fail "purge removes $d"
done
left=
for f in $files; do [ -e "$f" ] && left="$left $f"; done
check_eq "none of the package's files is left" "$left" ""
getent passwd loomsearch >/dev/null && pass "the user loomsearch stays, by design" || fail "the user loomsearch stays, by design"
getent group loomsearch >/dev/null && pass "and its group" || fail "and its group"
installed=no
finish
