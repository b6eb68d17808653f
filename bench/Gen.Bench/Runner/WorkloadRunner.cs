using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Gen.Bench.Workloads;
using Spectre.Console;

namespace Gen.Bench.Runner;

/// <summary>The options of the <c>workloads</c> command.</summary>
internal sealed record RunnerOptions(
    IReadOnlyList<string> Workloads,
    IReadOnlyList<string> Peers,
    IReadOnlyList<int> Threads,
    bool Quick,
    int Repeat,
    string OutputDirectory,
    string CommandLine);

/// <summary>One planned child process.</summary>
internal sealed record PlannedRun(Workload Workload, Peer Peer, int Threads)
{
    public string Label => $"{Workload.Name} ({Threads} thread{(Threads == 1 ? "" : "s")}) × {Peer.Name}";
}

/// <summary>
/// The <c>workloads</c> command: plans every (workload, threads, peer), runs each in its own child process under a
/// progress display, checks that the checksums agree, and writes the Markdown table, JSON and chart.
/// </summary>
internal static class WorkloadRunner
{
    private const string GlibcTunablesVariable = "GLIBC_TUNABLES";

    /// <summary>
    /// Debian builds jemalloc with initial-exec thread-local storage, which dlopen can only place in the static TLS
    /// surplus; glibc's default surplus is too small once the .NET runtime is loaded ("cannot allocate memory in
    /// static TLS block"). Every child gets the same larger surplus, so the peers still run under equal conditions.
    /// </summary>
    private const string StaticTlsSurplusTunable = "glibc.rtld.optional_static_tls=65536";

    public static int Execute(RunnerOptions options)
    {
        List<Workload> workloads = Select(options.Workloads, Catalog.Workloads, w => w.Name, "workload");
        List<Peer> peers = Select(options.Peers, Catalog.Peers, p => p.Name, "peer");
        var groups = new List<IReadOnlyList<PlannedRun>>();
        foreach (Workload workload in workloads)
        {
            IReadOnlyList<int> threadCounts = options.Threads.Count > 0 ? options.Threads : workload.DefaultThreadCounts(Environment.ProcessorCount);
            foreach (int threads in threadCounts)
            {
                groups.Add(peers.Where(p => p.CanRun(workload)).Select(p => new PlannedRun(workload, p, threads)).ToList());
            }
        }
        List<PlannedRun> schedule = Schedule(groups, options.Repeat);

        string startedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var records = new List<(PlannedRun Run, RunRecord Record)>();
        var failures = new List<string>();
        var unavailablePeers = new Dictionary<Peer, string>();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask overall = context.AddTask("workloads", maxValue: schedule.Count);
                foreach (PlannedRun run in schedule)
                {
                    overall.Description = Markup.Escape(run.Label);
                    if (unavailablePeers.ContainsKey(run.Peer))
                    {
                        // Already reported once.
                    }
                    else if (RunChild(run, options.Quick, out RunRecord? record, out bool peerUnavailable, out string error))
                    {
                        records.Add((run, record!));
                    }
                    else if (peerUnavailable)
                    {
                        unavailablePeers.Add(run.Peer, error);
                        AnsiConsole.MarkupLineInterpolated($"[yellow]Skipping {run.Peer.Name}: {error}.[/]");
                    }
                    else
                    {
                        failures.Add($"{run.Label} failed: {error}");
                    }

                    overall.Increment(1);
                }

                overall.Description = "workloads";
            });

        failures.AddRange(ChecksumMismatches(records));
        List<ResultRow> rows = BuildRows(MedianRuns(records));
        var document = new ResultsDocument(options.CommandLine, MachineDescription(), startedUtc, options.Repeat, rows, failures);
        ResultWriter.Write(document, options.OutputDirectory);

        ResultWriter.PrintTable(rows);
        foreach (string failure in failures)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{failure}[/]");
        }

        AnsiConsole.MarkupLineInterpolated($"Results: {Path.GetFullPath(options.OutputDirectory)}");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// The order of the child runs: round by round, so that a slow spell of a shared machine hits every peer alike, and
    /// within each (workload, threads) group the peers rotated by one place each round. A run's place matters on this
    /// guest: the first peer of malloc-large, which follows a workload with little memory, took 1.36 s where the same
    /// program as the second took 0.96 s, and swapping the two swapped the times. Rotated, no peer holds a group's first
    /// place in more than one round while there are at least as many peers as rounds, so the median run of each is
    /// never the first place's.
    /// </summary>
    internal static List<PlannedRun> Schedule(IReadOnlyList<IReadOnlyList<PlannedRun>> groups, int repeat)
    {
        var schedule = new List<PlannedRun>();
        for (int round = 0; round < repeat; round++)
        {
            foreach (IReadOnlyList<PlannedRun> group in groups)
            {
                for (int i = 0; i < group.Count; i++) schedule.Add(group[(i + round) % group.Count]);
            }
        }
        return schedule;
    }

    /// <summary>For each (workload, threads, peer), the run of median speed among its repeats, and the elapsed times
    /// of all its repeats in the order they ran.</summary>
    private static List<(PlannedRun Run, RunRecord Record, IReadOnlyList<double> RepeatSeconds)> MedianRuns(
        List<(PlannedRun Run, RunRecord Record)> records) =>
        records.GroupBy(r => r.Run)
            .Select(group =>
            {
                var bySpeed = group.OrderBy(r => r.Record.Speed).ToList();
                (PlannedRun run, RunRecord record) = bySpeed[bySpeed.Count / 2];
                return (run, record, (IReadOnlyList<double>)group.Select(r => r.Record.ElapsedSeconds).ToList());
            })
            .ToList();

    private static List<T> Select<T>(IReadOnlyList<string> names, IReadOnlyList<T> all, Func<T, string> nameOf, string kind)
    {
        if (names.Count == 0)
        {
            return all.ToList();
        }

        var selected = new List<T>();
        foreach (string name in names)
        {
            T item = all.FirstOrDefault(x => nameOf(x) == name)
                ?? throw new ArgumentException($"Unknown {kind} '{name}'; known: {string.Join(", ", all.Select(nameOf))}.");
            selected.Add(item);
        }

        return selected;
    }

    /// <summary>
    /// Re-invokes this executable with the hidden run-one command and parses its result line. The child is the one
    /// that loads the peer's library, so it is also the one that finds out whether the peer is installed.
    /// </summary>
    private static bool RunChild(PlannedRun run, bool quick, out RunRecord? record, out bool peerUnavailable, out string error)
    {
        var startInfo = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.Environment[GlibcTunablesVariable] = string.Join(':',
            new[] { Environment.GetEnvironmentVariable(GlibcTunablesVariable), StaticTlsSurplusTunable }.Where(t => !string.IsNullOrEmpty(t)));
        string processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The runner cannot find its own executable.");
        startInfo.FileName = processPath;
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            // Started as `dotnet Gen.Bench.dll`: the child needs the assembly path too (the first command-line argument;
            // unlike Assembly.Location it also has a meaning in a NativeAOT build, which never takes this branch).
            startInfo.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        foreach (string argument in new[] { "run-one", "--workload", run.Workload.Name, "--peer", run.Peer.Name, "--threads", run.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (quick)
        {
            startInfo.ArgumentList.Add("--quick");
        }

        using Process child = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start a child process.");
        System.Threading.Tasks.Task<string> stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string? resultLine = stdout.Split('\n').LastOrDefault(line => line.StartsWith(ChildRun.ResultMarker, StringComparison.Ordinal));
        peerUnavailable = child.ExitCode == ChildRun.PeerUnavailableExitCode;
        if (child.ExitCode != 0 || resultLine is null)
        {
            record = null;
            string details = (stderr.Result + stdout).Trim();
            error = peerUnavailable ? stderr.Result.Trim() : $"exit code {child.ExitCode}: {(details.Length > 2000 ? details[..2000] + " …" : details)}";
            return false;
        }

        record = JsonSerializer.Deserialize(resultLine[ChildRun.ResultMarker.Length..], RunRecordJsonContext.Default.RunRecord);
        error = "";
        return record is not null;
    }

    /// <summary>Every peer did the same work, so within a (workload, threads) all checksums must be equal.</summary>
    private static IEnumerable<string> ChecksumMismatches(List<(PlannedRun Run, RunRecord Record)> records)
    {
        foreach (var group in records.GroupBy(r => (r.Record.Workload, r.Record.Threads)))
        {
            if (group.Select(r => r.Record.Checksum).Distinct().Count() > 1)
            {
                yield return $"Checksum mismatch in {group.Key.Workload} ({group.Key.Threads} threads): " +
                    string.Join(", ", group.Select(r => $"{r.Record.Peer}={r.Record.Checksum}"));
            }
        }
    }

    private static List<ResultRow> BuildRows(List<(PlannedRun Run, RunRecord Record, IReadOnlyList<double> RepeatSeconds)> records)
    {
        var rows = new List<ResultRow>();
        foreach ((PlannedRun run, RunRecord record, IReadOnlyList<double> repeatSeconds) in records)
        {
            RunRecord? gen = records
                .Select(r => r.Record)
                .FirstOrDefault(r => r.Workload == record.Workload && r.Threads == record.Threads && r.Peer == Catalog.GenPeerName);
            string metric = run.Workload.Metric == MetricKind.Seconds ? "s" : run.Workload.OperationUnit;
            rows.Add(new ResultRow(
                record,
                metric,
                record.Value(run.Workload.Metric),
                gen is null ? null : gen.Speed / record.Speed,
                gen is null ? null : (double)gen.PeakRssKiB / record.PeakRssKiB,
                repeatSeconds));
        }

        return rows;
    }

    private static string MachineDescription()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}";
    }
}
