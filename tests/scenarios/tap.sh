# tests/scenarios/tap.sh: what the shell tests share, sourced (not run by
# prove): $CROSSIM, a scratch folder $tmp removed on exit, and TAP output
# (check NAME CONDITION runs the condition and prints ok / not ok;
# skip_all N REASON reports a whole plan of N as skipped, and exits).
set -u
CROSSIM=${CROSSIM:-build/crossim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
skip_all() { i=0; while [ $i -lt "$1" ]; do i=$((i + 1)); echo "ok $i # SKIP $2"; done; exit 0; }
