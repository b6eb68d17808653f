namespace Gen.Bench.Allocators;

/// <summary>
/// A malloc-style allocator. Members are static abstract and every peer is a struct, so a workload written once as
/// <c>Run&lt;TAlloc&gt;() where TAlloc : struct, INativeAllocator</c> is compiled by the JIT separately for each
/// peer with direct calls: no interface dispatch and no delegate sits between the workload and the allocator.
/// </summary>
internal unsafe interface INativeAllocator
{
    /// <summary>malloc: <paramref name="size"/> bytes whose contents are unspecified.</summary>
    static abstract void* Alloc(nuint size);

    /// <summary>calloc: <paramref name="size"/> zeroed bytes.</summary>
    static abstract void* AllocZeroed(nuint size);

    /// <summary>free; null does nothing.</summary>
    static abstract void Free(void* p);

    /// <summary>What the allocator does when a thread exits. The native peers do it by themselves, from the destructor of
    /// their pthread key, when the workload's thread function returns; .NET tells Gen nothing, so its peer returns the
    /// thread's cache here (<see cref="Heap.ReleaseThreadCache"/>), which every workload calls as its threads' last act.</summary>
    static virtual void ThreadExit() { }
}
