#!/usr/bin/env bash
# test_cjk.sh — words of scripts written without spaces (Chinese, Japanese),
# through the real indexer and server. A run of such text has no spaces to
# split it: indexed as one word, a sentence longer than a Xapian term (64
# bytes) was no term at all, and a word inside a shorter one was never found.
# The index holds it as one- and two-character terms, the query is read the
# same way, and a snippet marks the word whole. The posts are written here.
# usage: test_cjk.sh SERVE_BINARY INDEX_BINARY
set -u
SERVE=$1 INDEX=$2
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
post() { printf -- '---\ntitle: "%s"\ndate: 2024-0%s-01\n---\n%s\n' "$2" "$3" "$4" >"$work/posts/$1.md"; }
mkdir -p "$work/posts"
post slots "集群的槽位分配" 1 "Redis 集群里每个节点平均负责一部分槽位并且通过计算公式把键映射到对应节点的槽位上这个过程不需要人工干预。"
post backup "备份指南" 2 "自动备份数据库可以减少意外丢失的风险建议每天晚上执行一次完整备份。"
post guide "ガイド" 3 "これはデータベースのバックアップを自動化するためのガイドです。"
post english "Cluster slots" 4 "Cluster slots are assigned to each node of the cluster."
"$INDEX" --quiet --corpus "$work/posts" --db "$work/root" >"$work/out" 2>&1
check_eq "the posts are indexed" "$?" 0

start_server "$SERVE" --db "$work/root" --threads 2
# ids QUERY: sets BODY (a get in this shell) and IDS, the hits' ids sorted.
ids() { get "/search?q=$1&format=json"; IDS=$(jq -r '[.results[].id] | sort | join(",")' <<<"$BODY"); }
ids %E8%8A%82%E7%82%B9
check_eq "a word inside a long unbroken Chinese sentence is found (节点)" "$IDS" slots
check_eq "  and marked whole in its snippet" "$(jq -r '.results[0].snippet_html' <<<"$BODY" | grep -o '<mark>[^<]*</mark>' | sort -u | tr '\n' ' ')" "<mark>节点</mark> "
ids %E6%95%B0%E6%8D%AE%E5%BA%93
check_eq "a word of three characters (数据库) finds only the post that has it" "$IDS" backup
ids %E6%A7%BD%E4%BD%8D
check_eq "a Chinese title word (槽位) finds its post" "$IDS" slots
ids %E3%83%90%E3%83%83%E3%82%AF%E3%82%A2%E3%83%83%E3%83%97
check_eq "a katakana word inside a Japanese sentence (バックアップ) is found" \
    "$IDS" guide
ids %E8%8A%82%E5%BA%93
check_eq "characters that never stand together (节库) find nothing" "$IDS" ""
ids node
check_eq "English in the same archive is read as before" "$IDS" english
ids redis+%E8%8A%82%E7%82%B9
check_eq "a query mixing scripts needs both (redis 节点)" "$IDS" slots
get "/search?q=%E8%8A%82%E7%82%B9%E8%8A%82%E7%82%B9%E8%8A%82&format=json"
check_eq "no spelling correction is made of CJK characters" "$(jq -r '.corrected_query // "none"' <<<"$BODY")" none
stop_server
check_eq "the server stops cleanly" "$?" 0
finish
