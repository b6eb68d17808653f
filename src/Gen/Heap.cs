using System;

namespace Gen;

/// <summary>Gen's native heap. (Placeholder API surface: the implementation lands in the runtime commit.)</summary>
public static unsafe class Heap
{
    /// <summary>Allocates <paramref name="size"/> zeroed bytes. Throws <see cref="OutOfMemoryException"/> on failure.</summary>
    public static void* Alloc(nuint size) => throw new NotImplementedException();
    /// <summary>Allocates <paramref name="size"/> bytes whose contents are unspecified.</summary>
    public static void* AllocUninitialized(nuint size) => throw new NotImplementedException();
    /// <summary>Like <see cref="Alloc(nuint)"/> but returns null instead of throwing.</summary>
    public static void* TryAlloc(nuint size) => throw new NotImplementedException();
    /// <summary>Frees a pointer returned by Gen; null does nothing.</summary>
    public static void Free(void* p) => throw new NotImplementedException();
    /// <summary>Resizes an allocation, moving it when needed.</summary>
    public static void* Realloc(void* p, nuint size) => throw new NotImplementedException();
    /// <summary>The bytes usable at <paramref name="p"/>.</summary>
    public static nuint UsableSize(void* p) => throw new NotImplementedException();
    /// <summary>Returns all idle pages to the OS now (Go's debug.FreeOSMemory).</summary>
    public static void ReleaseMemory() => throw new NotImplementedException();
    /// <summary>A statistics snapshot.</summary>
    public static HeapStats GetStats() => throw new NotImplementedException();
    /// <summary>Allocates a zeroed T through its compile-time span class.</summary>
    public static T* Alloc<T>() where T : unmanaged, ISizeClassed<T> => throw new NotImplementedException();
    /// <summary>Allocates a T with unspecified contents.</summary>
    public static T* AllocUninitialized<T>() where T : unmanaged, ISizeClassed<T> => throw new NotImplementedException();
    /// <summary>Frees a T allocated by <see cref="Alloc{T}"/>.</summary>
    public static void Free<T>(T* p) where T : unmanaged, ISizeClassed<T> => throw new NotImplementedException();
    /// <summary>Bytes of committed heap (in-use spans) past which allocation fails; long.MaxValue means none.
    /// Initialised from GEN_HEAP_HARD_LIMIT or the runtimeconfig knob Gen.HeapHardLimit.</summary>
    public static long HardLimit { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }
    /// <summary>How long a free page run stays idle before the background scavenger returns it to the OS.</summary>
    public static TimeSpan ScavengeDelay { get => throw new NotImplementedException(); set => throw new NotImplementedException(); }
    /// <summary>True when checked mode (GEN_CHECKED=1 or AppContext switch Gen.Checked) is on.</summary>
    public static bool IsChecked => throw new NotImplementedException();
    /// <summary>The pointer bitmap of the object at <paramref name="p"/> (empty for pointer-free objects).</summary>
    public static ReadOnlySpan<byte> GetPointerBitmap(void* p) => throw new NotImplementedException();
}
