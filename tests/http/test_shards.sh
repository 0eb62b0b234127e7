#!/usr/bin/env bash
# test_shards.sh — one index served from shards: the sample archive indexed
# into two shards (--shard-by), two xapian-tcpsrv processes on loopback serving
# them, joined by a shard list,
# must answer as the same archive in one database does (the same posts with
# the same scores, totals and facets). Then one shard fails: killed, the
# answer is partial and says which shard, or 503 with --on-shard-failure=fail,
# within a bounded time; stopped (a hung shard), the same within the timeout;
# back again, it is used again without a restart.
# usage: test_shards.sh SERVE_BINARY INDEX_BINARY SAMPLE_CORPUS
set -u
SERVE=$1 INDEX=$2 CORPUS=$3
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
tcpsrv_pgids=()
cleanup() {
    for g in "${tcpsrv_pgids[@]}"; do kill -CONT -- "-$g" 2>/dev/null; kill -9 -- "-$g" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# The archive in two shards by loomsearch-index --shard-by; and in one database.
"$INDEX" --quiet --shard-by hash:2 --corpus "$CORPUS" --db "$work/sharded" >/dev/null 2>&1
check_eq "--shard-by hash:2 builds" "$?" 0
ln -s sharded/shard-0 "$work/root-a"
ln -s sharded/shard-1 "$work/root-b"
"$INDEX" --quiet --corpus "$CORPUS" --db "$work/root-all" >/dev/null 2>&1

# --- bad shard lists and options: refused at start, naming the line ---
refused() { # refused WANT ARGS...: exit 2 and WANT in the message
    local want=$1; shift
    "$SERVE" "$@" --listen 127.0.0.1:0 >/dev/null 2>"$work/err"
    check_eq "refused ($want): exit 2" "$?" 2
    check_contains "saying so" "$(cat "$work/err")" "$want"
}
printf 'remote nowhere\n' >"$work/bad1"
refused "'remote' wants HOST:PORT" --db "$work/bad1"
printf '# only a comment\n' >"$work/bad2"
refused "names no shard" --db "$work/bad2"
printf 'auto a\nftp b\n' >"$work/bad3"
refused "bad3:2: unknown shard kind 'ftp'" --db "$work/bad3"
refused "--on-shard-failure is partial or fail" --db "$work/bad1" --on-shard-failure maybe

# start_tcpsrv DB: a xapian-tcpsrv for DB on a free loopback port, in its own
# process group (it forks a child per connection); sets PORT.
start_tcpsrv() {
    for _ in $(seq 20); do
        PORT=$((20000 + RANDOM % 20000))
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue # taken
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$PORT" "$1" >/dev/null 2>&1 &
        local pid=$!
        for _ in $(seq 50); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
                tcpsrv_pgids+=("$pid")
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    done
    echo "xapian-tcpsrv did not start"; exit 1
}
start_tcpsrv "$(readlink -f "$work/root-a/current")"; port_a=$PORT pg_a=${tcpsrv_pgids[-1]}
start_tcpsrv "$(readlink -f "$work/root-b/current")"; port_b=$PORT pg_b=${tcpsrv_pgids[-1]}
printf '# two shards on loopback\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$port_a" "$port_b" >"$work/shards"
printf 'auto root-a\nremote 127.0.0.1:%s\n' "$port_b" >"$work/mixed"

# Servers: one on the whole archive, one on the shards, one that fails closed.
start_server "$SERVE" --db "$work/root-all"; all_base=$BASE all_pid=$SERVER_PID
start_server "$SERVE" --db "$work/mixed"; mixed_base=$BASE mixed_pid=$SERVER_PID
start_server "$SERVE" --db "$work/sharded/shards"; local_base=$BASE local_pid=$SERVER_PID
start_server "$SERVE" --db "$work/shards" --shard-timeout 1000 --on-shard-failure fail
fail_base=$BASE fail_pid=$SERVER_PID
start_server "$SERVE" --db "$work/shards" --shard-timeout 1000
shard_base=$BASE shard_pid=$SERVER_PID

# answer BASE QUERY: every hit's id and score (to 6 places), sorted (ties may
# come in either order), then the total and the tag facets.
answer() {
    curl -s "$1/search?format=json&per_page=100&q=$2" |
        jq -r '([.results[] | "\(.id) \(.score * 1e6 | round)"] | sort | join(",")),
               .total_exact, ([.facets.tags[] | "\(.value)=\(.count)"] | sort | join(","))'
}
for q in data open+data manchester+transport %22air+quality%22 bus+OR+tram title%3Adata 2019 workshop; do
    want=$(answer "$all_base" "$q")
    [ -n "$(head -1 <<<"$want")" ] || { fail "'$q' finds posts in one database"; continue; }
    check_eq "'$q': the shards answer as one database" "$(answer "$shard_base" "$q")" "$want"
    check_eq "'$q': a local and a remote shard too" "$(answer "$mixed_base" "$q")" "$want"
    check_eq "'$q': the indexer's own shard list too" "$(answer "$local_base" "$q")" "$want"
done
# A wildcard is expanded in each shard, so its words are weighed with each
# shard's statistics (docs/scaling.md): the same posts, other scores.
ids() { curl -s "$1/search?format=json&per_page=100&q=$2" | jq -r '([.results[].id] | sort | join(",")), .total_exact'; }
check_eq "'volunt*': the shards find the same posts" "$(ids "$shard_base" volunt%2A)" "$(ids "$all_base" volunt%2A)"
snippets() { curl -s "$1/search?format=json&q=open+data" | jq -r '[.results[] | .id + " " + .snippet_html] | sort | .[]'; }
check_eq "snippets come with the hits from remote shards" "$(snippets "$shard_base")" "$(snippets "$all_base")"
get "/search?format=json&q=data"
check_eq "a whole answer is not marked partial" "$(jq -r '.partial // false' <<<"$BODY")" false
check_eq "sharded answers carry no ETag (no one revision)" "$(header ETag)" ""
check_eq "/healthz: ready over shards" "$(curl -s -o /dev/null -w '%{http_code}' "$shard_base/healthz")" 200
n_posts=$(xapian-delve "$work/root-all/current" | sed -n 's/^number of documents = //p')
check_contains "/metrics: the index is open, all its posts" "$(curl -s "$shard_base/metrics")" \
    "loomsearch_index_documents $n_posts"
# Related posts: the expansion terms are weighed shard by shard, so the list
# may differ from one database's; it must still be five other posts.
first=$(curl -s "$all_base/search?format=json&q=data" | jq -r '.results[0].id')
related=$(curl -s "$shard_base/similar?id=$first" | jq -r '[.results[].id] | join(",")')
check_eq "/similar over remote shards: five related posts" "$(tr , '\n' <<<"$related" | grep -c .)" 5
check_lacks "(not the post itself)" ",$related," ",$first,"
check_eq "/suggest over remote shards: the same completions" \
    "$(curl -s "$shard_base/suggest?q=dat" | jq -c .completions)" "$(curl -s "$all_base/suggest?q=dat" | jq -c .completions)"

# --- did-you-mean and accent folding: not served by the remote backend, given
# back by a lexicon (spelling and synonyms, no posts) listed as a local shard ---
correction() { curl -s "$1/search?format=json&q=$2" | jq -r '.corrected_query // ""'; }
total() { curl -s "$1/search?format=json&q=$2" | jq -r .total_exact; }
check_eq "remote shards alone: no correction" "$(correction "$shard_base" transprot)" ""
for part in a b; do
    "$INDEX" --db "$work/root-$part" --export-lexicon "$work/lex-$part" >"$work/lex.out" 2>&1
    check_eq "--export-lexicon $part succeeds" "$?" 0
done
check_contains "and says what it wrote" "$(cat "$work/lex.out")" "spelling words"
xapian-compact "$work/lex-a" "$work/lex-b" "$work/lexicon" >/dev/null
check_eq "a lexicon holds no posts" "$(xapian-delve "$work/lexicon" | sed -n 's/^number of documents = //p')" 0
{ cat "$work/shards"; echo "auto lexicon"; } >"$work/shards-lex"
start_server "$SERVE" --db "$work/shards-lex" --shard-timeout 1000; lex_base=$BASE lex_pid=$SERVER_PID
check_eq "with a lexicon: the correction" "$(correction "$lex_base" transprot)" "$(correction "$all_base" transprot)"
check_eq "(which is 'transport')" "$(correction "$lex_base" transprot)" transport
check_eq "and accent folding: 'cafe' finds 'café'" "$(total "$lex_base" cafe)" "$(total "$all_base" cafe)"
[ "$(total "$all_base" cafe)" -gt 0 ] && pass "(it does in one database)" || fail "'cafe' finds posts in one database"
check_eq "and ranking is untouched" "$(answer "$lex_base" open+data)" "$(answer "$all_base" open+data)"
kill "$lex_pid"
BASE=$shard_base SERVER_PID=$shard_pid # get and stop_server use these

# --- a shard killed ---
total_all=$(curl -s "$shard_base/search?format=json&q=data" | jq -r .total_exact)
kill -9 -- "-$pg_b"
start=$(date +%s%N)
get "/search?format=json&q=data"
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "with a shard down, the rest still answers" "$STATUS" 200
check_eq "marked partial" "$(jq -r .partial <<<"$BODY")" true
check_eq "naming the shard" "$(jq -r '.missing_shards | join(",")' <<<"$BODY")" "127.0.0.1:$port_b"
[ "$(jq -r .total_exact <<<"$BODY")" -lt "$total_all" ] && pass "with fewer posts" || fail "with fewer posts"
[ "$ms" -lt 5000 ] && pass "and quickly (${ms} ms)" || fail "a dead shard costs little time" "$ms ms"
check_contains "text says so too" "$(curl -s "$shard_base/search?format=text&q=data")" \
    "Partial results: shard 127.0.0.1:$port_b is not answering."
check_contains "and the HTML page" "$(curl -s "$shard_base/search?format=html&q=data")" "loom-partial"
status=$(curl -s -o "$work/fail.json" -w '%{http_code}' "$fail_base/search?format=json&q=data")
check_eq "--on-shard-failure=fail answers 503" "$status" 503
check_eq "saying why" "$(jq -r .error.code "$work/fail.json")" shard_unavailable

# --- the shard back, on its port ---
setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$port_b" "$(readlink -f "$work/root-b/current")" \
    >/dev/null 2>&1 &
tcpsrv_pgids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port_b") 2>/dev/null && break; sleep 0.1; done
sleep 6 # past the retry interval
get "/search?format=json&q=data"
check_eq "a shard back is used again, no restart" "$(jq -r '.partial // false' <<<"$BODY")" false
check_eq "with every post" "$(jq -r .total_exact <<<"$BODY")" "$total_all"

# --- a shard that hangs (stopped): the timeout bounds the wait ---
kill -STOP -- "-${tcpsrv_pgids[-1]}"
start=$(date +%s%N)
get "/search?format=json&q=data"
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "a hung shard: still an answer" "$STATUS" 200
check_eq "partial" "$(jq -r .partial <<<"$BODY")" true
[ "$ms" -lt 6000 ] && pass "within the shard timeout and one retry (${ms} ms)" \
    || fail "a hung shard is cut off by the timeout" "$ms ms"
kill -CONT -- "-${tcpsrv_pgids[-1]}"

kill "$all_pid" "$mixed_pid" "$local_pid" "$fail_pid" 2>/dev/null
stop_server
finish
