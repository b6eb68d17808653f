using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gen.Bench.Allocators;

namespace Gen.Bench.Micro;

/// <summary>
/// The floor of issue 2's benchmark: a bare <c>[ThreadStatic]</c> singly linked free list of blocks big enough for
/// every size the benchmark asks for. Alloc pops, Free pushes; after the first invocation it never calls the OS or
/// malloc. No allocator that keeps sizes apart can be faster than this.
/// </summary>
internal readonly unsafe struct ThreadStaticFreeList : INativeAllocator<ThreadStaticFreeList>
{
    public static ThreadStaticFreeList ForCurrentThread() => default;

    /// <summary>Every block can hold the benchmark's largest size.</summary>
    public const int BlockBytes = 256;

    [ThreadStatic]
    private static void* _head;

    public void* Alloc(nuint size)
    {
        void* block = _head;
        if (block == null || size > BlockBytes)
        {
            return AllocBlock(size);
        }

        _head = *(void**)block;
        return block;
    }

    /// <summary>The cold path, kept out of line so that the pop inlines: the first use of each block, or a bad size.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void* AllocBlock(nuint size) => size <= BlockBytes
        ? NativeMemory.Alloc(BlockBytes)
        : throw new ArgumentOutOfRangeException(nameof(size), $"The floor's blocks hold at most {BlockBytes} bytes.");

    public void* AllocZeroed(nuint size)
    {
        void* block = Alloc(size);
        NativeMemory.Clear(block, size);
        return block;
    }

    public void Free(void* p)
    {
        if (p != null)
        {
            *(void**)p = _head;
            _head = p;
        }
    }
}
