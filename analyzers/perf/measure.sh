#!/usr/bin/env bash
# Measures what Gen's source generator and analyzers add to a build: generates a class library with N
# [SizeClassed] structs (default 2,000) and a twin without Gen (the same structs, no attribute, no generator or
# analyzers), then times full recompiles of each (dependencies built once beforehand, not timed) and prints the
# compiler's per-analyzer/generator report (-p:ReportAnalyzer=true).
#
#   analyzers/perf/measure.sh [struct-count] [runs]
#
# Output: the median wall time of `dotnet build --no-restore --no-dependencies --no-incremental` per variant, and
# the ReportAnalyzer lines for Gen's assemblies from the last run with Gen.
set -euo pipefail

count="${1:-2000}"
runs="${2:-3}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/gen-perf.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# One struct per kind of field mix, cycling: pointers, padding, fixed buffers, nested structs, unions.
write_structs() { # $1: file, $2: attribute text ("" or "[SizeClassed]")
  local file="$1" attribute="$2" i
  {
    echo "using System.Runtime.InteropServices;"
    echo "using Gen;"
    echo "namespace Perf;"
    echo "public struct Pair { public long A; public int B; }"
    for ((i = 0; i < count; i++)); do
      case $((i % 5)) in
        0) echo "$attribute public unsafe partial struct S$i { public S$i* Next; public long Value; public int Count; }" ;;
        1) echo "$attribute public unsafe partial struct S$i { public byte Tag; public S$i* Left; public byte Flags; public S$i* Right; public short Kind; }" ;;
        2) echo "$attribute public unsafe partial struct S$i { public fixed byte Name[$((i % 200 + 1))]; public void* Data; }" ;;
        3) echo "$attribute public partial struct S$i { public Pair First; public Pair Second; public double Weight; public bool Live; }" ;;
        4) echo "$attribute [StructLayout(LayoutKind.Explicit)] public unsafe partial struct S$i { [FieldOffset(0)] public long Bits; [FieldOffset(0)] public double Real; [FieldOffset(8)] public void* Tail; }" ;;
      esac
    done
  } > "$file"
}

write_project() { # $1: directory, $2: "gen" or "plain"
  local dir="$1" variant="$2" analyzers=""
  mkdir -p "$dir"
  if [[ "$variant" == gen ]]; then
    analyzers="
    <ProjectReference Include=\"$repo/generators/Gen.Generators/Gen.Generators.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />
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
  if [[ "$variant" == gen ]]; then write_structs "$dir/Structs.cs" "[SizeClassed]"; else write_structs "$dir/Structs.cs" ""; fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

time_builds() { # $1: directory; prints one wall time (seconds) per run
  local dir="$1" start end i
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    dotnet build "$dir/Perf.csproj" -c Release --no-restore --no-dependencies --no-incremental -v:q -nologo \
      -p:ReportAnalyzer=true > "$dir/build.log"
    end=$(date +%s.%N)
    awk -v start="$start" -v end="$end" 'BEGIN { printf "%.2f\n", end - start }' 
  done
}

for variant in plain gen; do
  write_project "$work/$variant" "$variant"
  # Restore and build the dependencies (Gen, generator, analyzers) once, untimed.
  dotnet build "$work/$variant/Perf.csproj" -c Release -v:q -nologo > "$work/$variant/first-build.log"
done

echo "structs: $count, runs per variant: $runs, $(nproc) CPU cores, $(dotnet --version)"
for variant in plain gen; do
  echo "$variant: median $(time_builds "$work/$variant" | median) s"
done

# The compiler's own accounting of the last build with Gen (detailed verbosity carries ReportAnalyzer's table).
dotnet build "$work/gen/Perf.csproj" -c Release --no-restore --no-dependencies --no-incremental -v:d -nologo \
  -p:ReportAnalyzer=true > "$work/gen/report.log"
grep -E "Total (analyzer|generator) execution time|^ *<?[0-9.]+ +<?[0-9]+ +Gen\." "$work/gen/report.log" | sed 's/^ *//' 
