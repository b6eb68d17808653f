#!/usr/bin/env bash
# What one alloc+free pair of issue 2's micro-benchmark costs, per peer: runs the benchmark's own loop (the hidden
# `pairs` command, no BenchmarkDotNet) for two numbers of invocations under `perf stat` and divides the difference by
# the difference in pairs, so start-up, JIT and warm-up cancel out. The peers run in turn, round after round, and the
# median of the rounds is printed, so that a machine whose speed drifts slows every peer alike.
#
#   bench/pair-cost.sh [--event instructions|task-clock] [--rounds N] [peers...]
#
# instructions (the default) needs Linux perf (Debian: linux-perf) with access to the CPU's counters, and gives
# instructions per pair; task-clock, a software event that any Linux guest has, gives the CPU time per pair in ns.
# Peers: floor size-class-floor gen gen-thread-heap glibc mimalloc (the default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
event=instructions rounds=1 peers=()
while (($#)); do
  case "$1" in
    --event) event="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) peers+=("$1"); shift ;;
  esac
done
if ((${#peers[@]} == 0)); then peers=(floor size-class-floor gen gen-thread-heap glibc mimalloc); fi
case "$event" in
  instructions) unit="instructions per pair" scale=1 ;;
  task-clock) unit="ns per pair (CPU time)" scale=1000000 ;; # perf reports task-clock in ms
  *) echo "unknown --event '$event': instructions or task-clock" >&2; exit 2 ;;
esac
dotnet build bench/Gen.Bench -c Release -v:q -nologo > /dev/null
bench_dll=bench/Gen.Bench/bin/Release/net10.0/Gen.Bench.dll
short=100000 long=300000 pairs_per_invocation=1024

count() { # $1: peer, $2: invocations
  perf stat -x, -e "$event" dotnet "$bench_dll" pairs --peer "$1" --invocations "$2" 2>&1 >/dev/null |
    awk -F, -v event="$event" '$3 == event || $3 ~ "^" event ":" { print $1 }'
}

declare -A results
for ((round = 1; round <= rounds; round++)); do
  for peer in "${peers[@]}"; do
    a="$(count "$peer" "$short")"
    b="$(count "$peer" "$long")"
    value="$(awk -v a="$a" -v b="$b" -v scale="$scale" -v pairs="$(((long - short) * pairs_per_invocation))" \
      'BEGIN { printf "%.2f", (b - a) * scale / pairs }')"
    results[$peer]+="$value "
    echo "round $round: $peer $value"
  done
done

echo "median of $rounds round(s), $unit:"
for peer in "${peers[@]}"; do
  # shellcheck disable=SC2086
  printf '%-16s %8s   (%s)\n' "$peer" "$(printf '%s\n' ${results[$peer]} | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" "${results[$peer]% }"
done
