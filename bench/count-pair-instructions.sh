#!/usr/bin/env bash
# Instructions per alloc+free pair of issue 2's micro-benchmark, per peer: runs the benchmark's own loop (the hidden
# `pairs` command, no BenchmarkDotNet) for two numbers of invocations under `perf stat -e instructions` and divides the
# difference by the difference in pairs, so start-up, JIT and warm-up cancel out. Needs Linux perf (Debian:
# linux-perf) with access to the CPU's counters.
#
#   bench/count-pair-instructions.sh [peers...]      (default: floor gen glibc mimalloc)
set -euo pipefail
cd "$(dirname "$0")/.."
peers=("$@")
if ((${#peers[@]} == 0)); then peers=(floor gen glibc mimalloc); fi
dotnet build bench/Gen.Bench -c Release -v:q -nologo > /dev/null
bench_dll=bench/Gen.Bench/bin/Release/net10.0/Gen.Bench.dll
short=100000 long=300000 pairs_per_invocation=1024

instructions() { # $1: peer, $2: invocations
  perf stat -x, -e instructions dotnet "$bench_dll" pairs --peer "$1" --invocations "$2" 2>&1 >/dev/null |
    awk -F, '/instructions/ { print $1 }'
}

for peer in "${peers[@]}"; do
  a="$(instructions "$peer" "$short")"
  b="$(instructions "$peer" "$long")"
  awk -v peer="$peer" -v a="$a" -v b="$b" -v pairs="$(((long - short) * pairs_per_invocation))" \
    'BEGIN { printf "%-9s %6.1f instructions per pair\n", peer, (b - a) / pairs }'
done
