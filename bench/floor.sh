#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The round-trip floor against latency: bench_floor's TLS 1.3
# request/response exchanges (no KMIP) at RTT 0, 1 and 5 ms (through
# delay_proxy) with 1, 4 and 16 threads. Prints a table: exchanges/s, and
# the share of THREADS/RTT reached.
#
# Usage: bench/floor.sh [BUILD_DIR [SECONDS]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
seconds=${2:-3}
work=$(mktemp -d)
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# A port free now on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port=$(free_port)
"$build/bench/bench_floor" -l "$port" &
pids="$pids $!"
sleep 0.3
for rtt in 1 5; do
    "$build/bench/delay_proxy" -t "127.0.0.1:$port" -d "$rtt" >"$work/proxy$rtt" &
    pids="$pids $!"
done
sleep 0.3

printf '%-6s %-8s %12s %12s\n' "RTT_ms" "threads" "per_second" "of_ideal"
for rtt in 0 1 5; do
    address="127.0.0.1:$port"
    [ "$rtt" = 0 ] || address=$(cut -d' ' -f2 "$work/proxy$rtt")
    for threads in 1 4 16; do
        rate=$("$build/bench/bench_floor" -a "$address" -j "$threads" \
            -s "$seconds" | awk '{print $8}')
        if [ "$rtt" = 0 ]; then
            share="-"
        else
            share=$(awk -v r="$rate" -v t="$threads" -v d="$rtt" \
                'BEGIN { printf "%.0f%%", 100 * r * d / 1000 / t }')
        fi
        printf '%-6s %-8s %12s %12s\n' "$rtt" "$threads" "$rate" "$share"
    done
done
