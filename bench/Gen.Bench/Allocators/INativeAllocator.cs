namespace Gen.Bench.Allocators;

/// <summary>
/// A malloc-style allocator as one thread uses it. Every peer is a struct and the workloads are written once as
/// <c>Run&lt;TAlloc&gt;() where TAlloc : INativeAllocator&lt;TAlloc&gt;, allows ref struct</c>, so the JIT compiles them
/// separately for each peer with direct calls: no interface dispatch and no delegate sits between the workload and the
/// allocator. Each thread of a workload gets its allocator once (<see cref="ForCurrentThread"/>): an empty struct for
/// the peers with static entry points, the thread's <see cref="ThreadHeap"/> for Gen's handle peer.
/// </summary>
internal unsafe interface INativeAllocator<TSelf> where TSelf : INativeAllocator<TSelf>, allows ref struct
{
    /// <summary>The allocator for the calling thread, to be used on it only.</summary>
    static abstract TSelf ForCurrentThread();

    /// <summary>malloc: <paramref name="size"/> bytes whose contents are unspecified.</summary>
    void* Alloc(nuint size);

    /// <summary>calloc: <paramref name="size"/> zeroed bytes.</summary>
    void* AllocZeroed(nuint size);

    /// <summary>free; null does nothing.</summary>
    void Free(void* p);

    /// <summary>What the allocator does when a thread exits. The native peers do it by themselves, from the destructor of
    /// their pthread key, when the workload's thread function returns; .NET tells Gen nothing, so its peers return the
    /// thread's cache here (<see cref="Heap.ReleaseThreadCache"/>), which every workload calls as its threads' last act.</summary>
    static virtual void ThreadExit() { }
}
