using System;

namespace Gen;

/// <summary>
/// Compile-time facts about a <c>[SizeClassed]</c> struct, implemented by the source generator. The members are
/// static abstract so that generic code (<see cref="Heap.Alloc{T}"/>) sees them as JIT-time constants.
/// </summary>
/// <typeparam name="TSelf">The struct itself.</typeparam>
public interface ISizeClassed<TSelf> where TSelf : unmanaged, ISizeClassed<TSelf>
{
    /// <summary><c>sizeof(TSelf)</c> as computed by the generator.</summary>
    static abstract int Size { get; }

    /// <summary>Gen's size class for <see cref="Size"/>; 0 for a large object (more than 32 KiB).</summary>
    static abstract int SizeClass { get; }

    /// <summary>Bytes reserved per object: the class's object size, or whole pages for a large object.</summary>
    static abstract int ClassSize { get; }

    /// <summary>True when the struct holds data pointers: it is allocated from scan spans.</summary>
    static abstract bool HasPointers { get; }

    /// <summary>One bit per 8-byte word: bit (i % 8) of byte (i / 8) is set when a data pointer starts at 8*i.</summary>
    static abstract ReadOnlySpan<byte> PointerBitmap { get; }
}
