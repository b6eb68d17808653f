using System;
using System.Collections.Generic;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>What a workload reports as its headline figure.</summary>
internal enum MetricKind
{
    /// <summary>Wall time of the measured phase; lower is better.</summary>
    Seconds,

    /// <summary>Operations per second of the measured phase; higher is better.</summary>
    OperationsPerSecond,
}

/// <summary>How a workload runs: its thread count and whether at the small <c>--quick</c> scale.</summary>
internal sealed record WorkloadSettings(int Threads, bool Quick);

/// <summary>
/// What a workload did. <paramref name="Checksum"/> folds in what was read back from the blocks before they were
/// freed: it depends only on the workload's random generators, so it must be equal for every peer.
/// </summary>
internal sealed record WorkloadResult(TimeSpan Elapsed, long Operations, ulong Checksum)
{
    /// <summary>Resident set size (KiB) sampled at the workload's checkpoints, for workloads that watch growth.</summary>
    public IReadOnlyList<long> RssSamplesKiB { get; init; } = [];
}

/// <summary>
/// One benchmark program, written once for every native peer (<see cref="Run{TAlloc}"/>) and, where it has one,
/// in a managed form for the .NET GC. A loop that a thread runs once, for the whole workload, is compiled fully
/// optimized at its first call (<c>AggressiveOptimization</c>), as the C program is compiled before it runs: left to
/// tiered compilation it runs as on-stack-replacement code, whose quality varied with the peer (glibc-thread's byte
/// loop spilled Gen's thread handle to the stack and reloaded it for every byte, which doubled the handle peer's time).
/// </summary>
internal abstract class Workload
{
    public abstract string Name { get; }

    /// <summary>One line for the report: what the workload stresses.</summary>
    public abstract string Description { get; }

    public abstract MetricKind Metric { get; }

    /// <summary>The unit of <see cref="MetricKind.OperationsPerSecond"/>, e.g. "allocs/s".</summary>
    public virtual string OperationUnit => "ops/s";

    /// <summary>The thread counts the suite runs it with on a machine of <paramref name="processorCount"/> cores.</summary>
    public virtual IReadOnlyList<int> DefaultThreadCounts(int processorCount) => [processorCount];

    public virtual bool HasManagedForm => false;

    /// <summary>True when the floor (<see cref="FloorAllocator"/>) can run the workload: every object is small, and
    /// frees do not flow one way from thread to thread, since the floor keeps a freed object on the freeing thread's
    /// list (a producer whose objects another thread frees would carve new memory for ever).</summary>
    public virtual bool FloorCanRun => false;

    public abstract WorkloadResult Run<TAlloc>(WorkloadSettings settings) where TAlloc : INativeAllocator<TAlloc>, allows ref struct;

    /// <summary>The same work with objects of the .NET GC.</summary>
    public virtual WorkloadResult RunManaged(WorkloadSettings settings) =>
        throw new NotSupportedException($"{Name} has no managed form.");
}
