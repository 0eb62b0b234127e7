#!/usr/bin/env bash
# test_function_length.sh — no function of the product's sources (include/,
# lib/, indexer/, server/, tools/) runs over 80 lines. The code is formatted by
# .clang-format, which puts a function's braces alone at the start of a line,
# so a function is the lines from such a "{" to the next such "}".
# usage: test_function_length.sh SOURCE_ROOT
set -u
ROOT=${1:?usage: test_function_length.sh SOURCE_ROOT}
cd "$ROOT" || exit 1
. tests/http/lib.sh
MAX=80

long=$(awk -v max="$MAX" '
    FNR == 1 { start = 0 }
    /^\{[[:space:]]*$/ { start = FNR; name = prev }
    /^\}[[:space:]]*$/ && start {
        if (FNR - start - 1 > max) printf "%s:%d %s (%d lines)\n", FILENAME, start, name, FNR - start - 1
        start = 0
    }
    { if ($0 !~ /^[[:space:]]*$/) prev = $0 }
' lib/*.c lib/*.cc indexer/*.c server/*.c tools/*.c)
counted=$(cat lib/*.c lib/*.cc indexer/*.c server/*.c tools/*.c | grep -c '^{')
[ "$counted" -gt 100 ] && pass "functions found ($counted)" || fail "functions found" "$counted"
check_eq "no function over $MAX lines" "${long:-none}" none
finish
