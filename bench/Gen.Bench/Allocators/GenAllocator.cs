namespace Gen.Bench.Allocators;

/// <summary>Gen's untyped API: the size-to-class lookup happens at run time.</summary>
internal readonly unsafe struct GenAllocator : INativeAllocator
{
    public static void* Alloc(nuint size) => Heap.AllocUninitialized(size);
    public static void* AllocZeroed(nuint size) => Heap.Alloc(size);
    public static void Free(void* p) => Heap.Free(p);
    public static void ThreadExit() => Heap.ReleaseThreadCache();
}
