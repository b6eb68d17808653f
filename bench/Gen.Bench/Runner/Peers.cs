using System.Collections.Generic;
using System.Linq;
using Gen.Bench.Allocators;
using Gen.Bench.Workloads;

namespace Gen.Bench.Runner;

/// <summary>
/// An allocator the workloads are run with. <see cref="Run"/> instantiates the workload's generic code for the
/// peer's allocator struct, so each peer gets its own specialised machine code.
/// </summary>
internal abstract class Peer
{
    public abstract string Name { get; }

    /// <summary>Why the peer cannot run here (e.g. the Debian package to install), or null when it can.</summary>
    public virtual string? UnavailableReason => null;

    public abstract bool CanRun(Workload workload);

    public abstract WorkloadResult Run(Workload workload, WorkloadSettings settings);
}

/// <summary>A malloc-style peer: every workload runs with it.</summary>
internal sealed class NativePeer<TAlloc>(string name) : Peer where TAlloc : INativeAllocator<TAlloc>, allows ref struct
{
    public override string Name => name;
    public override bool CanRun(Workload workload) => true;
    public override WorkloadResult Run(Workload workload, WorkloadSettings settings) => workload.Run<TAlloc>(settings);
}

/// <summary>A third-party allocator loaded at run time; skipped, naming its Debian package, when absent.</summary>
internal sealed class LibraryPeer<TLibrary>(string name) : Peer where TLibrary : struct, INativeAllocatorLibrary
{
    public override string Name => name;

    public override string? UnavailableReason => NativeLibraryAllocator<TLibrary>.UnavailableReason;

    public override bool CanRun(Workload workload) => true;

    public override WorkloadResult Run(Workload workload, WorkloadSettings settings)
    {
        NativeLibraryAllocator<TLibrary>.EnsureAvailable();
        return workload.Run<NativeLibraryAllocator<TLibrary>>(settings);
    }
}

/// <summary>The floor: what the workload costs with an allocator that does the least work possible
/// (<see cref="FloorAllocator"/>), for the workloads it can serve.</summary>
internal sealed class FloorPeer : Peer
{
    public override string Name => Catalog.FloorPeerName;
    public override string? UnavailableReason => FloorAllocator.UnavailableReason;
    public override bool CanRun(Workload workload) => workload.FloorCanRun;
    public override WorkloadResult Run(Workload workload, WorkloadSettings settings) => workload.Run<FloorAllocator>(settings);
}

/// <summary>The .NET GC, for the workloads that have a managed form.</summary>
internal sealed class ManagedPeer : Peer
{
    public override string Name => "dotnet-gc";
    public override bool CanRun(Workload workload) => workload.HasManagedForm;
    public override WorkloadResult Run(Workload workload, WorkloadSettings settings) => workload.RunManaged(settings);
}

/// <summary>The workloads and peers the runner knows, in report order.</summary>
internal static class Catalog
{
    public const string GenPeerName = "gen";
    /// <summary>Gen through each thread's handle (<see cref="Heap.ForCurrentThread"/>).</summary>
    public const string GenThreadHeapPeerName = "gen-thread-heap";
    /// <summary>The yardstick: an allocator that does the least work per call (<see cref="FloorAllocator"/>).</summary>
    public const string FloorPeerName = "floor";

    public static IReadOnlyList<Workload> Workloads { get; } =
    [
        new Larson(), new XmallocTest(), new AllocTest(), new Mstress(), new GlibcThread(), new Mleak(),
        new CacheScratch(), new MallocLarge(), new BinaryTrees(),
    ];

    public static IReadOnlyList<Peer> Peers { get; } =
    [
        new NativePeer<GenAllocator>(GenPeerName),
        new NativePeer<GenThreadHeapAllocator>(GenThreadHeapPeerName),
        new NativePeer<GlibcAllocator>("glibc"),
        new LibraryPeer<Mimalloc>("mimalloc"),
        new LibraryPeer<Jemalloc>("jemalloc"),
        new LibraryPeer<Tcmalloc>("tcmalloc"),
        new ManagedPeer(),
        new FloorPeer(),
    ];

    public static Workload? FindWorkload(string name) => Workloads.FirstOrDefault(w => w.Name == name);

    public static Peer? FindPeer(string name) => Peers.FirstOrDefault(p => p.Name == name);
}
