#!/usr/bin/env bash
# test_install.sh — cmake --install puts everything where a system expects it,
# the units run the programs of the prefix installed to, the settings files
# show only settings the programs know, and cpack makes a .deb holding the same
# with prefix /usr. Installs into a scratch tree (DESTDIR), since the settings'
# place, /etc/loomsearch, is absolute.
# usage: test_install.sh BUILD_DIR
set -u
BUILD=$1
. "$(dirname "$0")/lib.sh"

# A prefix no system uses, so that a unit naming anything else shows.
prefix=/opt/loomsearch-test-prefix
tree=$work/tree
DESTDIR=$tree cmake --install "$BUILD" --prefix "$prefix" >/dev/null
for f in bin/loomsearch-serve bin/loomsearch-index bin/loomsearch-report bin/loomsearch-eval \
         share/man/man1/loomsearch-serve.1 share/man/man1/loomsearch-index.1 \
         share/loomsearch/web/widget.js share/loomsearch/web/widget.css \
         lib/systemd/system/loomsearch-serve.service lib/systemd/system/loomsearch-index.service \
         lib/systemd/system/loomsearch-index.timer \
         lib/systemd/system/loomsearch-wordpress.service lib/systemd/system/loomsearch-wordpress.timer \
         bin/loomsearch-wordpress-fetch \
         share/doc/loomsearch/operations.md; do
    [ -e "$tree$prefix/$f" ] && pass "installed: $f" || fail "installed: $f"
done
for f in serve.conf index.conf; do
    [ -f "$tree/etc/loomsearch/$f" ] && pass "installed: /etc/loomsearch/$f, whatever the prefix" \
        || fail "installed: /etc/loomsearch/$f, whatever the prefix"
done
# Installing again keeps the operator's settings.
echo "listen = 127.0.0.1:9999" >>"$tree/etc/loomsearch/serve.conf"
DESTDIR=$tree cmake --install "$BUILD" --prefix "$prefix" >/dev/null
check_contains "installing again keeps an edited serve.conf" "$(tail -1 "$tree/etc/loomsearch/serve.conf")" \
    "listen = 127.0.0.1:9999"
sed -i '$d' "$tree/etc/loomsearch/serve.conf" # as shipped again, for the checks below
check_contains "the installed server runs" "$("$tree$prefix/bin/loomsearch-serve" --version)" "loomsearch-serve "
check_contains "the man page reads" "$(man -l "$tree$prefix/share/man/man1/loomsearch-serve.1" 2>/dev/null | head -5)" "loomsearch-serve"

# Every program a unit runs is the prefix's, and is installed there.
units=$tree$prefix/lib/systemd/system
for unit in loomsearch-serve.service loomsearch-index.service loomsearch-wordpress.service; do
    cmds=$(sed -n 's/^Exec[A-Za-z]*=\([^ ]*\).*/\1/p' "$units/$unit")
    [ -n "$cmds" ] || fail "$unit has commands"
    for cmd in $cmds; do
        [ "$cmd" = /bin/kill ] && continue
        case "$cmd" in
            "$prefix/bin/"*) pass "$unit runs $cmd, from the prefix" ;;
            *) fail "$unit runs $cmd, from the prefix" "want: $prefix/bin/..." ;;
        esac
        [ -x "$tree$cmd" ] && pass "$unit's $cmd is installed" || fail "$unit's $cmd is installed"
    done
    check_contains "$unit runs as loomsearch" "$(cat "$units/$unit")" $'\nUser=loomsearch\n'
    check_lacks "$unit has no leftover template names" "$(cat "$units/$unit")" "@"
done
check_contains "the server reads its settings file" \
    "$(grep '^ExecStart=' "$units/loomsearch-serve.service")" " --config /etc/loomsearch/serve.conf "
check_contains "the indexer reads its settings file" \
    "$(grep '^ExecStart=' "$units/loomsearch-index.service")" " --config /etc/loomsearch/index.conf "
check_contains "the timer starts a first run soon after it starts" \
    "$(cat "$units/loomsearch-index.timer")" $'\nOnActiveSec='

# The settings files: every commented-out '# name = value' is an option of its
# program's --help, and the values shown are ones the program accepts.
settings() { sed -n 's/^# \([a-z][a-z-]*\) = .*/\1/p' "$1"; }
for pair in serve.conf:loomsearch-serve index.conf:loomsearch-index; do
    conf=$tree/etc/loomsearch/${pair%%:*} prog=${pair#*:}
    help=$("$tree$prefix/bin/$prog" --help)
    names=$(settings "$conf")
    [ "$(echo "$names" | wc -w)" -ge 10 ] && pass "${pair%%:*} shows its settings" \
        || fail "${pair%%:*} shows its settings" "got: $names"
    unknown=
    for name in $names; do
        case "$help" in *"--$name "*) ;; *) unknown="$unknown $name" ;; esac
    done
    check_eq "${pair%%:*} shows only settings $prog knows" "$unknown" ""
    check_eq "${pair%%:*} sets nothing as shipped" "$(grep -cvE '^(#|$)' "$conf")" 0
done
# The server with every setting of serve.conf uncommented (its logs moved
# here) starts reading them and stops only for want of an index: exit 1, not 2.
sed -E -e 's/^# ([a-z][a-z-]*) = /\1 = /' -e "s|/var/log/loomsearch|$work|" \
    "$tree/etc/loomsearch/serve.conf" >"$work/serve.conf"
out=$("$tree$prefix/bin/loomsearch-serve" --config "$work/serve.conf" --db "$work/none" 2>&1)
check_eq "serve.conf's values are accepted (exit 1: no index)" "$?" 1
check_contains "the server stopped for want of an index" "$out" "no index at $work/none"
# The indexer with index.conf's settings but its sources (one source at a time;
# corpus/ for it) checks the sample archive.
sed -E -e 's/^# ([a-z][a-z-]*) = /\1 = /' \
    -e '/^(site|corpus|wordpress|wordpress-pages|html|base-url|content-selector|synonyms) = /d' \
    "$tree/etc/loomsearch/index.conf" >"$work/index.conf"
out=$("$tree$prefix/bin/loomsearch-index" --config "$work/index.conf" \
    --corpus "$(dirname "$0")/../../corpus" --db "$work/db" --check 2>&1)
check_eq "index.conf's values are accepted" "$?" 0
[ ! -e "$work/db/current" ] && pass "and --check wrote nothing" || fail "and --check wrote nothing"

(cd "$BUILD" && cpack -G DEB -B "$work/deb" >/dev/null 2>&1)
deb=$(ls "$work"/deb/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && pass "cpack makes a .deb" || fail "cpack makes a .deb"
contents=$(dpkg-deb -c "$deb" 2>/dev/null)
check_contains "holding the server in /usr/bin" "$contents" "./usr/bin/loomsearch-serve"
check_contains "and the units" "$contents" "lib/systemd/system/loomsearch-index.timer"
check_contains "and the WordPress fetch" "$contents" "./usr/bin/loomsearch-wordpress-fetch"
check_contains "and the settings in /etc" "$contents" " ./etc/loomsearch/serve.conf"
check_contains "whose units run /usr/bin" \
    "$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/lib/systemd/system/loomsearch-serve.service | grep '^ExecStart=')" \
    "ExecStart=/usr/bin/loomsearch-serve "
check_contains "which depends on Xapian's library" "$(dpkg-deb -f "$deb" Depends)" libxapian30
finish
