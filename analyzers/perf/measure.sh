#!/usr/bin/env bash
# Measures what Gen's source generator and analyzers add to a build: generates a class library with N
# [SizeClassed] structs (default 2,000) in three variants: "plain" (the same structs without the attribute, no
# generator, no analyzers), "generator" (the generator only) and "gen" (generator and analyzers, as the package
# ships them). Times full recompiles of each (dependencies built once beforehand, not timed) and prints the
# compiler's per-analyzer/generator report (-p:ReportAnalyzer=true).
#
#   analyzers/perf/measure.sh [struct-count] [runs]
#   GEN_PERF_COMPILER_SERVER=1 analyzers/perf/measure.sh ...   (builds through a warm compiler server instead)
#
# By default every build runs its own csc process (-p:UseSharedCompilation=false), so the compiler's CPU time is
# counted and no build is helped by an earlier one. With GEN_PERF_COMPILER_SERVER=1 the builds use the compiler server
# (VBCSCompiler, the default on a developer machine), warmed by as many untimed builds of the variant as are timed;
# only wall times mean something then, as the compiler's CPU is spent in the server.
#
# Output: the median wall and CPU time of `dotnet build --no-restore --no-dependencies --no-incremental` per variant,
# and the ReportAnalyzer lines for Gen's assemblies from one more build with Gen.
set -euo pipefail

count="${1:-2000}"
runs="${2:-3}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/gen-perf.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# shellcheck source=structs.sh
source "$(dirname "${BASH_SOURCE[0]}")/structs.sh"

write_project() { # $1: directory, $2: variant (plain, generator, gen)
  local dir="$1" variant="$2" analyzers=""
  mkdir -p "$dir"
  if [[ "$variant" != plain ]]; then
    analyzers="
    <ProjectReference Include=\"$repo/generators/Gen.Generators/Gen.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />"
  fi
  if [[ "$variant" == gen ]]; then
    analyzers="$analyzers
    <ProjectReference Include=\"$repo/analyzers/Gen.Analyzers/Gen.Analyzers.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />"
  fi
  cat > "$dir/Perf.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>enable</Nullable>
    <!-- Gen's warnings are expected on purpose-built padded structs; they are not what is measured. -->
    <NoWarn>\$(NoWarn);GEN006;GEN007;GEN008</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/Gen/Gen.csproj" />$analyzers
  </ItemGroup>
</Project>
PROJECT
  if [[ "$variant" == plain ]]; then write_structs "$dir/Structs.cs" "$count" ""; else write_structs "$dir/Structs.cs" "$count" "[SizeClassed]"; fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# One line per run: wall seconds and CPU seconds (user + sys, the compiler process included: -nodeReuse:false and
# -m:1 keep csc a child of this build). CPU time is the steadier figure on a shared machine.
server="${GEN_PERF_COMPILER_SERVER:-0}"
if [[ "$server" == 1 ]]; then shared=(-p:UseSharedCompilation=true); else shared=(-nodeReuse:false -m:1 -p:UseSharedCompilation=false); fi

time_builds() { # $1: directory
  local dir="$1" i
  if [[ "$server" == 1 ]]; then
    for ((i = 0; i < runs; i++)); do
      dotnet build "$dir/Perf.csproj" -c Release --no-restore --no-dependencies --no-incremental -v:q -nologo "${shared[@]}" > "$dir/build.log"
    done
  fi
  for ((i = 0; i < runs; i++)); do
    local TIMEFORMAT='%R %U %S'
    { time dotnet build "$dir/Perf.csproj" -c Release --no-restore --no-dependencies --no-incremental -v:q -nologo \
        "${shared[@]}" > "$dir/build.log"; } 2> "$dir/time.txt"
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$dir/time.txt"
  done
}

for variant in plain generator gen; do
  write_project "$work/$variant" "$variant"
  # Restore and build the dependencies (Gen, generator, analyzers) once, untimed.
  dotnet build "$work/$variant/Perf.csproj" -c Release -v:q -nologo > "$work/$variant/first-build.log"
done

echo "structs: $count, runs per variant: $runs, $(nproc) CPU cores, $(dotnet --version), compiler server: $server"
for variant in plain generator gen; do
  time_builds "$work/$variant" > "$work/$variant/times.txt"
  echo "$variant: median wall $(cut -d' ' -f1 "$work/$variant/times.txt" | median) s," \
    "median CPU $(cut -d' ' -f2 "$work/$variant/times.txt" | median) s"
done

# The compiler's own accounting of the last build with Gen (detailed verbosity carries ReportAnalyzer's table).
dotnet build "$work/gen/Perf.csproj" -c Release --no-restore --no-dependencies --no-incremental -v:d -nologo \
  -p:ReportAnalyzer=true > "$work/gen/report.log"
grep -E "Total (analyzer|generator) execution time|^ *<?[0-9.]+ +<?[0-9]+ +Gen\." "$work/gen/report.log" | sed 's/^ *//'
