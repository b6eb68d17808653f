using System.Collections.Generic;
using System.Text.Json.Serialization;
using Gen.Bench.Workloads;

namespace Gen.Bench.Runner;

/// <summary>What one child process measured for one (workload, peer, threads).</summary>
internal sealed record RunRecord(
    string Workload,
    string Peer,
    int Threads,
    bool Quick,
    double ElapsedSeconds,
    long Operations,
    ulong Checksum,
    long BaselineRssKiB,
    long PeakRssKiB,
    IReadOnlyList<long> RssSamplesKiB)
{
    /// <summary>The headline figure in the workload's own metric (seconds or operations per second).</summary>
    public double Value(MetricKind metric) => metric == MetricKind.Seconds ? ElapsedSeconds : Operations / ElapsedSeconds;

    /// <summary>Work per second, comparable across peers whatever the metric.</summary>
    public double Speed => Operations / ElapsedSeconds;
}

/// <summary>A row of the published results: the median run's record, its ratios to Gen on the same workload, and the
/// elapsed seconds of every repeat in the order they ran (the spread behind the median).</summary>
internal sealed record ResultRow(
    RunRecord Run,
    string Metric,
    double Value,
    double? GenSpeedOverPeer,
    double? GenPeakRssOverPeer,
    IReadOnlyList<double> RepeatSeconds);

/// <summary>The results file: how the run was made and every row.</summary>
internal sealed record ResultsDocument(
    string Command,
    string Machine,
    string StartedUtc,
    int Repeats,
    IReadOnlyList<ResultRow> Results,
    IReadOnlyList<string> Failures);

/// <summary>results.json: indented for people to read.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ResultsDocument))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;

/// <summary>The child's result: one line on its standard output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunRecord))]
internal sealed partial class RunRecordJsonContext : JsonSerializerContext;
