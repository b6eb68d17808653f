using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Gen.LayoutCorpus.Tests;

/// <summary>Stores a recognisable pointer value into one data-pointer member of a zeroed T.</summary>
internal delegate void PointerSetter<T>(ref T value);

/// <summary>What Gen's heap reports about a freshly allocated object.</summary>
internal sealed record HeapObservation(int UsableSize, byte[] PointerBitmap);

/// <summary>One corpus struct: what the generator says about it and what the runtime does with it.</summary>
internal sealed record CorpusCase(
    string Name,
    int GeneratedSize,
    int GeneratedClassSize,
    bool GeneratedHasPointers,
    byte[] GeneratedPointerBitmap,
    int RuntimeSize,
    int RuntimeUnsafeSize,
    int[] RuntimePointerOffsets,
    Func<HeapObservation> AllocateThroughHeap)
{
    /// <summary>A pointer value whose 8 bytes are all distinct and non-zero, so it is found unambiguously.</summary>
    public static readonly nint Sentinel = unchecked((nint)0x1F2E3D4C5B6A7988);

    public static unsafe CorpusCase Of<T>(params PointerSetter<T>[] pointerSetters) where T : unmanaged, ISizeClassed<T>
    {
        var offsets = new List<int>();
        foreach (PointerSetter<T> set in pointerSetters) offsets.Add(RuntimeOffset(set));
        offsets.Sort();
        return new CorpusCase(
            typeof(T).Name,
            T.Size,
            T.ClassSize,
            T.HasPointers,
            T.PointerBitmap.ToArray(),
            sizeof(T),
            Unsafe.SizeOf<T>(),
            offsets.ToArray(),
            Observe<T>);
    }

    /// <summary>Allocates a T through Gen's typed fast path and reports what the heap recorded for it.</summary>
    private static unsafe HeapObservation Observe<T>() where T : unmanaged, ISizeClassed<T>
    {
        T* p = Heap.Alloc<T>();
        try
        {
            return new HeapObservation((int)Heap.UsableSize(p), Heap.GetPointerBitmap(p).ToArray());
        }
        finally
        {
            Heap.Free<T>(p);
        }
    }

    /// <summary>Where the runtime stores the member <paramref name="set"/> assigns: the offset of the sentinel's
    /// bytes in an otherwise zeroed T.</summary>
    private static unsafe int RuntimeOffset<T>(PointerSetter<T> set) where T : unmanaged
    {
        T value = default;
        set(ref value);
        var bytes = new ReadOnlySpan<byte>(&value, sizeof(T));
        nint sentinelValue = Sentinel;
        var sentinel = new ReadOnlySpan<byte>(&sentinelValue, sizeof(nint));
        int offset = bytes.IndexOf(sentinel);
        if (offset < 0) throw new InvalidOperationException($"{typeof(T).Name}: the pointer setter stored nothing.");
        return offset;
    }

    /// <summary>The bitmap the heap needs, built from the runtime's own pointer offsets.</summary>
    public byte[] RuntimePointerBitmap()
    {
        var bitmap = new byte[(RuntimeSize + 63) / 64];
        foreach (int offset in RuntimePointerOffsets)
        {
            int word = offset / sizeof(long);
            bitmap[word / 8] |= (byte)(1 << (word % 8));
        }
        return bitmap;
    }

    public override string ToString() => Name;
}
