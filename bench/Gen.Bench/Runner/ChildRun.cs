using System;
using System.Text.Json;
using Gen.Bench.Workloads;

namespace Gen.Bench.Runner;

/// <summary>
/// The hidden <c>run-one</c> command: runs one (workload, peer, threads) in this process and prints its
/// <see cref="RunRecord"/> as one JSON line after <see cref="ResultMarker"/>. The parent starts one process per
/// run so that peak RSS and allocator state never carry from one peer to the next.
/// </summary>
internal static class ChildRun
{
    public const string ResultMarker = "GEN-BENCH-RESULT ";

    /// <summary>The exit code of a child whose peer is not installed; its standard error says what to install.</summary>
    public const int PeerUnavailableExitCode = 3;

    public static int Execute(string workloadName, string peerName, int threads, bool quick)
    {
        Workload workload = Catalog.FindWorkload(workloadName) ?? throw new ArgumentException($"Unknown workload '{workloadName}'.");
        Peer peer = Catalog.FindPeer(peerName) ?? throw new ArgumentException($"Unknown peer '{peerName}'.");
        if (!peer.CanRun(workload))
        {
            throw new ArgumentException($"{peerName} cannot run {workloadName}.");
        }

        if (peer.UnavailableReason is string reason)
        {
            Console.Error.WriteLine(reason);
            return PeerUnavailableExitCode;
        }

        long baselineRss = ProcessMemory.ResidentKiB();
        WorkloadResult result = peer.Run(workload, new WorkloadSettings(threads, quick));
        var record = new RunRecord(
            workload.Name, peer.Name, threads, quick, result.Elapsed.TotalSeconds, result.Operations, result.Checksum,
            baselineRss, ProcessMemory.PeakResidentKiB(), result.RssSamplesKiB);
        Console.Out.WriteLine(ResultMarker + JsonSerializer.Serialize(record, RunRecordJsonContext.Default.RunRecord));
        return 0;
    }
}
