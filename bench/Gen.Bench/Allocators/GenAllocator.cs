namespace Gen.Bench.Allocators;

/// <summary>Gen's untyped API: the size-to-class lookup happens at run time, and each call finds the thread's cache.</summary>
internal readonly unsafe struct GenAllocator : INativeAllocator<GenAllocator>
{
    public static GenAllocator ForCurrentThread() => default;
    public void* Alloc(nuint size) => Heap.AllocUninitialized(size);
    public void* AllocZeroed(nuint size) => Heap.Alloc(size);
    public void Free(void* p) => Heap.Free(p);
    public static void ThreadExit() => Heap.ReleaseThreadCache();
}

/// <summary>Gen's untyped API through the thread's handle (<see cref="Heap.ForCurrentThread"/>): the same fast paths
/// without the search for the thread's cache that starts each <see cref="Heap"/> call.</summary>
internal readonly unsafe ref struct GenThreadHeapAllocator(ThreadHeap heap) : INativeAllocator<GenThreadHeapAllocator>
{
    /// <summary>The handle, for the typed calls of binary-trees.</summary>
    public readonly ThreadHeap Heap = heap;

    public static GenThreadHeapAllocator ForCurrentThread() => new(Gen.Heap.ForCurrentThread());
    public void* Alloc(nuint size) => Heap.AllocUninitialized(size);
    public void* AllocZeroed(nuint size) => Heap.Alloc(size);
    public void Free(void* p) => Heap.Free(p);
    public static void ThreadExit() => Gen.Heap.ReleaseThreadCache();
}
