# tests/scenarios/serve.sh: what the serve tests share, sourced after tap.sh
# (not run by prove).
#   serve_start LOG SCENARIO [OPTION...]: starts `crossim serve` on a free
#     loopback port with its stdout in LOG; sets serve_pid, port and E (the
#     endpoint URL, empty port when it did not start within 5 s);
#   control METHOD PATH: a request to a control endpoint of $E (unsigned, as
#     they are), its body on stdout.
serve_start() {
    log=$1; shift
    scen=$1; shift
    "$CROSSIM" serve "$scen" --listen 127.0.0.1:0 "$@" >"$log" 2>"$log.err" &
    serve_pid=$!
    port=""; i=0
    while [ $i -lt 50 ] && [ -z "$port" ]; do
        port=$(sed -n 's#^crossim serve: listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$log" 2>/dev/null)
        [ -n "$port" ] || sleep 0.1
        i=$((i + 1))
    done
    E="http://127.0.0.1:$port"
}
control() {
    timeout 10 python3 - "$1" "$E$2" <<'P'
import sys, urllib.request
req = urllib.request.Request(sys.argv[2], method=sys.argv[1])
print(urllib.request.urlopen(req, timeout=5).read().decode())
P
}
