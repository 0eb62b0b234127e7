# lib.sh — what the indexer tests share, on top of the HTTP tests' checks: a
# scratch folder removed at exit, and questions asked of the served build with
# Xapian's own tools. Set $root (the index root) before calling docs or hits.
. "$(dirname "${BASH_SOURCE[0]}")/../http/lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# docs: how many posts the current build holds
docs() { xapian-delve "$root/current" | sed -n 's/^number of documents = //p'; }
# hits WORDS: how many posts the current build finds for WORDS (AND)
hits() { quest -o and -d "$root/current" "$1" | sed -n 's/^Exactly \([0-9]*\) matches$/\1/p'; }
