using System.Collections.Generic;

namespace Gen;

/// <summary>Allocation counts for one size class, like an entry of Go's <c>MemStats.BySize</c>.</summary>
/// <param name="SizeClass">The class index (0 stands for large objects).</param>
/// <param name="Size">The class's object size in bytes (0 for large objects).</param>
/// <param name="Mallocs">Objects of this class allocated so far.</param>
/// <param name="Frees">Objects of this class freed so far.</param>
public readonly record struct SizeClassStats(int SizeClass, int Size, ulong Mallocs, ulong Frees);

/// <summary>
/// A snapshot of the heap, modelled on Go's <c>runtime.MemStats</c>. Exact when no thread is allocating or freeing
/// (then <c>Mallocs - Frees == HeapObjects</c>); while threads run, each per-thread counter is read as it stands.
/// Objects parked in thread caches count as free; the spans that hold them count as in use.
/// </summary>
public sealed record class HeapStats
{
    /// <summary>Bytes of allocated objects (class sizes for small objects, whole pages for large ones).</summary>
    public ulong HeapAlloc { get; init; }
    /// <summary>Bytes of address space obtained from the OS for the heap (arenas), released or not.</summary>
    public ulong HeapSys { get; init; }
    /// <summary>Bytes in free page runs (idle), whether or not returned to the OS.</summary>
    public ulong HeapIdle { get; init; }
    /// <summary>Bytes in spans that hold objects; <c>HeapInuse - HeapAlloc</c> bounds fragmentation.</summary>
    public ulong HeapInuse { get; init; }
    /// <summary>Bytes of idle pages returned to the OS (or never touched) and not yet reused.</summary>
    public ulong HeapReleased { get; init; }
    /// <summary>Number of allocated objects.</summary>
    public ulong HeapObjects { get; init; }
    /// <summary>Cumulative count of objects allocated.</summary>
    public ulong Mallocs { get; init; }
    /// <summary>Cumulative count of objects freed.</summary>
    public ulong Frees { get; init; }
    /// <summary>Cumulative bytes allocated (never decreases).</summary>
    public ulong TotalAlloc { get; init; }
    /// <summary>Bytes obtained from the OS for the heap's own metadata (arena tables, spans, caches).</summary>
    public ulong MetadataSys { get; init; }
    /// <summary>Per size class counts; index 0 is large objects.</summary>
    public IReadOnlyList<SizeClassStats> BySize { get; init; } = [];
}
