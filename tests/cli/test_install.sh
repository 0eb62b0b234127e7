#!/usr/bin/env bash
# test_install.sh — cmake --install puts everything where a system expects it,
# and cpack makes a .deb holding the same.
# usage: test_install.sh BUILD_DIR
set -u
BUILD=$1
. "$(dirname "$0")/lib.sh"

cmake --install "$BUILD" --prefix "$work/usr" >/dev/null
for f in bin/loomsearch-serve bin/loomsearch-index bin/loomsearch-report bin/loomsearch-eval \
         share/man/man1/loomsearch-serve.1 share/man/man1/loomsearch-index.1 \
         share/loomsearch/web/widget.js share/loomsearch/web/widget.css \
         lib/systemd/system/loomsearch-serve.service lib/systemd/system/loomsearch-index.timer \
         lib/systemd/system/loomsearch-wordpress.service lib/systemd/system/loomsearch-wordpress.timer \
         bin/loomsearch-wordpress-fetch \
         share/doc/loomsearch/operations.md; do
    [ -e "$work/usr/$f" ] && pass "installed: $f" || fail "installed: $f"
done
check_contains "the installed server runs" "$("$work/usr/bin/loomsearch-serve" --version)" "loomsearch-serve "
check_contains "the man page reads" "$(man -l "$work/usr/share/man/man1/loomsearch-serve.1" 2>/dev/null | head -5)" "loomsearch-serve"

(cd "$BUILD" && cpack -G DEB -B "$work/deb" >/dev/null 2>&1)
deb=$(ls "$work"/deb/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && pass "cpack makes a .deb" || fail "cpack makes a .deb"
contents=$(dpkg-deb -c "$deb" 2>/dev/null)
check_contains "holding the server in /usr/bin" "$contents" "./usr/bin/loomsearch-serve"
check_contains "and the units" "$contents" "lib/systemd/system/loomsearch-index.timer"
check_contains "and the WordPress fetch" "$contents" "./usr/bin/loomsearch-wordpress-fetch"
# The WordPress unit runs what the package installs, under the names it installs.
unit=$work/usr/lib/systemd/system/loomsearch-wordpress.service
for cmd in $(sed -n 's/^Exec[A-Za-z]*=\([^ ]*\).*/\1/p' "$unit"); do
    [ -x "$work$cmd" ] && pass "the WordPress unit's $cmd is installed" || fail "the WordPress unit's $cmd is installed"
done
check_contains "which depends on Xapian's library" "$(dpkg-deb -f "$deb" Depends)" libxapian30
finish
