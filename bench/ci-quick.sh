#!/usr/bin/env bash
# Correctness check of the workload runner for CI (never a speed check): every workload at --quick scale for every
# installed peer, each in its own process. Fails when a run fails or when the peers' checksums for a workload differ.
# Peers come from the Debian packages libmimalloc2.0, libjemalloc2 and libtcmalloc-minimal4 (a missing one is
# skipped with a message); gnuplot-nox draws the chart.
set -euo pipefail
cd "$(dirname "$0")/.."
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
dotnet run -c Release --project bench/Gen.Bench -- workloads --quick --out "$results"
