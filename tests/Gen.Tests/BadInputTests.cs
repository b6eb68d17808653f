using System;
using System.Runtime.InteropServices;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Bad pointers and impossible sizes: a clear exception, and the heap exactly as it was.</summary>
public unsafe class BadInputTests
{
    [Fact]
    public void FreeOfNullDoesNothing()
    {
        HeapStats before = SettledStats();
        Heap.Free(null);
        AssertUnchanged(before, Heap.GetStats());
    }

    [Fact]
    public void FreeOfAStackPointerIsRejected()
    {
        long local = 0;
        long* stackPointer = &local;
        AssertFreeRejected<ArgumentException>(stackPointer, "not allocated by Gen");
    }

    [Fact]
    public void FreeOfANativeMemoryPointerIsRejected()
    {
        void* foreign = NativeMemory.Alloc(64);
        try
        {
            AssertFreeRejected<ArgumentException>(foreign, "not allocated by Gen");
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    [Theory]
    [InlineData(48)]
    [InlineData(63)]
    public void FreeOfAnObjectsAddressWithABitAbove48SetIsRejected(int bit)
    {
        // Free's fast path masks the arena index, so such an address finds the object's own span: it must still be
        // rejected, as no Gen arena covers it, and the object itself stays allocated.
        byte* p = (byte*)Heap.Alloc(64);
        FillPattern(p, 64, 9);
        AssertFreeRejected<ArgumentException>((void*)((nuint)p | (nuint)1 << bit), "not allocated by Gen");
        AssertPattern(p, 64, 9);
        Heap.Free(p);
    }

    [Fact]
    public void FreeOfAnInteriorPointerOfASmallObjectIsRejected()
    {
        byte* p = (byte*)Heap.Alloc(64);
        FillPattern(p, 64, 5);
        AssertFreeRejected<ArgumentException>(p + 8, "interior pointer");
        AssertFreeRejected<ArgumentException>(p + 63, "interior pointer");
        AssertPattern(p, 64, 5);
        Heap.Free(p);
    }

    [Fact]
    public void FreeOfAnInteriorPointerOfALargeObjectIsRejected()
    {
        byte* p = (byte*)Heap.Alloc(100_000);
        AssertFreeRejected<ArgumentException>(p + 8, "interior pointer");
        AssertFreeRejected<ArgumentException>(p + GoSizeClassTable.PageSizeBytes, "interior pointer");
        Heap.Free(p);
    }

    [Fact]
    public void FreeOfAnInteriorPointerInALaterArenaOfAHugeObjectIsRejected()
    {
        // 100 MiB spans at least two 64 MiB arenas: the page table of the later arena must know the object too.
        byte* p = (byte*)Heap.Alloc((nuint)(100 * MiB));
        AssertFreeRejected<ArgumentException>(p + 80 * MiB, "interior pointer");
        AssertFreeRejected<ArgumentException>(p + 100 * MiB - GoSizeClassTable.PageSizeBytes, "interior pointer");
        Heap.Free(p);
    }

    [Fact]
    public void FreeOfAPointerIntoFreedPagesIsRejected()
    {
        byte* p = (byte*)Heap.Alloc((nuint)(4 * MiB));
        Heap.Free(p);
        HeapStats before = SettledStats();
        // The pages are free (or reused by now): either way the call must be refused, not taken.
        Exception error = Assert.ThrowsAny<Exception>(() => Heap.Free(p + 2 * MiB));
        Assert.True(error is ArgumentException or InvalidOperationException, $"unexpected {error.GetType()}: {error.Message}");
        AssertUnchanged(before, Heap.GetStats());
        AssertHeapStillWorks();
    }

    [Fact]
    public void DoubleFreeOfALargeObjectIsDetected()
    {
        void* p = Heap.Alloc(1 << 20);
        Heap.Free(p);
        AssertFreeRejected<InvalidOperationException>(p, "double free");
    }

    [Fact]
    public void UsableSizeOfAForeignPointerIsRejected()
    {
        long local = 0;
        long* stackPointer = &local;
        HeapStats before = SettledStats();
        var error = Assert.Throws<ArgumentException>(() => Heap.UsableSize(stackPointer));
        Assert.Contains("not allocated by Gen", error.Message);
        AssertUnchanged(before, Heap.GetStats());
    }

    public static TheoryData<ulong> ImpossibleSizes => new()
    {
        ulong.MaxValue,
        ulong.MaxValue - GoSizeClassTable.PageSizeBytes + 2, // overflows when rounded up to whole pages
        1UL << 60,
        1UL << 48,
    };

    [Theory]
    [MemberData(nameof(ImpossibleSizes))]
    public void AllocOfAnImpossibleSizeThrowsOutOfMemoryWithAMessage(ulong size)
    {
        HeapStats before = SettledStats();
        var error = Assert.Throws<OutOfMemoryException>(() => Heap.Alloc((nuint)size));
        AssertHasOwnMessage(error);
        Assert.Throws<OutOfMemoryException>(() => Heap.AllocUninitialized((nuint)size));
        AssertUnchanged(before, Heap.GetStats());
        AssertHeapStillWorks();
    }

    [Theory]
    [MemberData(nameof(ImpossibleSizes))]
    public void TryAllocOfAnImpossibleSizeReturnsNull(ulong size)
    {
        HeapStats before = SettledStats();
        Assert.True(Heap.TryAlloc((nuint)size) == null);
        AssertUnchanged(before, Heap.GetStats());
        AssertHeapStillWorks();
    }

    [Theory]
    [MemberData(nameof(ImpossibleSizes))]
    public void ReallocOverflowThrowsAndKeepsTheObject(ulong size)
    {
        byte* p = (byte*)Heap.Alloc(200);
        FillPattern(p, 200, 9);
        HeapStats before = SettledStats();
        var error = Assert.Throws<OutOfMemoryException>(() => Heap.Realloc(p, (nuint)size));
        AssertHasOwnMessage(error);
        AssertUnchanged(before, Heap.GetStats());
        AssertPattern(p, 200, 9);
        Assert.Equal((nuint)208, Heap.UsableSize(p));
        Heap.Free(p);
    }

    [Fact]
    public void ReallocOfAForeignPointerIsRejected()
    {
        long local = 0;
        long* stackPointer = &local;
        HeapStats before = SettledStats();
        var error = Assert.Throws<ArgumentException>(() => Heap.Realloc(stackPointer, 16));
        Assert.Contains("not allocated by Gen", error.Message);
        AssertUnchanged(before, Heap.GetStats());
    }

    private static void AssertFreeRejected<TException>(void* p, string messagePart) where TException : Exception
    {
        HeapStats before = SettledStats();
        var error = Assert.Throws<TException>(() => Heap.Free(p));
        Assert.Contains(messagePart, error.Message);
        AssertUnchanged(before, Heap.GetStats());
        AssertHeapStillWorks();
    }

    private static void AssertHasOwnMessage(OutOfMemoryException error)
    {
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.NotEqual(DefaultOutOfMemoryMessage, error.Message);
    }

    /// <summary>Small and large allocations still round-trip with intact contents.</summary>
    private static void AssertHeapStillWorks()
    {
        foreach (nuint size in new nuint[] { 8, 64, 4000, 100_000 })
        {
            void* a = Heap.Alloc(size);
            void* b = Heap.Alloc(size);
            Assert.True(a != b);
            FillPattern(a, size, 1);
            FillPattern(b, size, 2);
            AssertPattern(a, size, 1);
            AssertPattern(b, size, 2);
            Heap.Free(a);
            Heap.Free(b);
        }
    }
}
