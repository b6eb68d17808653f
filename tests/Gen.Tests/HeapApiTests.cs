using System;
using System.Collections.Generic;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>The untyped API's contract: zeroing, sizes, Realloc, TryAlloc, large objects, alignment.</summary>
public unsafe class HeapApiTests
{
    public static TheoryData<int> SmallAndLargeSizes => new() { 1, 8, 18, 24, 100, 1000, 1024, 1025, 4096, 9000, 32768, 32769, 100_000, (int)MiB };

    [Theory]
    [MemberData(nameof(SmallAndLargeSizes))]
    public void AllocReturnsZeroedMemoryEvenWhenReusingDirtyMemory(int size)
    {
        nuint n = (nuint)size;
        byte* first = (byte*)Heap.Alloc(n);
        AssertZeroed(first, n);
        new Span<byte>(first, (int)Heap.UsableSize(first)).Fill(0xFF);
        Heap.Free(first);

        // The cache hands back the slot just freed (or another dirty one): Alloc must zero it.
        byte* second = (byte*)Heap.Alloc(n);
        AssertZeroed(second, n);
        Heap.Free(second);
    }

    [Fact]
    public void DirtyPagesAreZeroedWhenSpansOfOtherClassesReuseThem()
    {
        // Fresh OS pages need no zeroing, dirty ones do: pages a large object dirtied and freed must be
        // cleared when they come back carved into small objects or as parts of other large objects.
        nuint dirtyBytes = (nuint)(8 * MiB);
        byte* large = (byte*)Heap.AllocUninitialized(dirtyBytes);
        new Span<byte>(large, (int)dirtyBytes).Fill(0xFF);
        Heap.Free(large);

        var live = new List<nint>();
        foreach (nuint size in new nuint[] { 48, 1024, 6144, 9472, 20_000, 100_000, 3 * (nuint)MiB })
        {
            for (int i = 0; i < 32; i++)
            {
                void* p = Heap.Alloc(size);
                AssertZeroed(p, size);
                live.Add((nint)p);
            }
        }
        foreach (nint p in live) Heap.Free((void*)p);
    }

    [Fact]
    public void CoalescedDirtyNeighboursComeBackZeroed()
    {
        nuint halfBytes = (nuint)MiB;
        byte* first = (byte*)Heap.AllocUninitialized(halfBytes);
        byte* second = (byte*)Heap.AllocUninitialized(halfBytes);
        new Span<byte>(first, (int)halfBytes).Fill(0xEE);
        new Span<byte>(second, (int)halfBytes).Fill(0xEE);
        Heap.Free(first);
        Heap.Free(second);

        byte* whole = (byte*)Heap.Alloc(2 * halfBytes);
        AssertZeroed(whole, 2 * halfBytes);
        Heap.Free(whole);
    }

    [Fact]
    public void AllocZeroReturnsDistinctFreeablePointers()
    {
        HeapStats before = QuiescentStats();
        void* a = Heap.Alloc(0);
        void* b = Heap.Alloc(0);
        Assert.True(a != null);
        Assert.True(b != null);
        Assert.True(a != b, "two live zero-byte allocations share an address");
        Assert.Equal((nuint)GoSizeClassTable.ObjectSizeBytes[1], Heap.UsableSize(a));
        Assert.Equal(before.HeapObjects + 2, Heap.GetStats().HeapObjects);
        Heap.Free(a);
        Heap.Free(b);
        Assert.Equal(before.HeapObjects, Heap.GetStats().HeapObjects);
    }

    [Fact]
    public void UsableSizeIsTheClassSizeForEverySmallRequest()
    {
        for (int cls = 1; cls < GoSizeClassTable.ClassCount; cls++)
        {
            int classSize = GoSizeClassTable.ObjectSizeBytes[cls];
            int previousSize = GoSizeClassTable.ObjectSizeBytes[cls - 1];
            foreach (int request in new[] { previousSize + 1, (previousSize + classSize) / 2, classSize })
            {
                void* p = Heap.Alloc((nuint)request);
                Assert.Equal((nuint)classSize, Heap.UsableSize(p));
                Heap.Free(p);
            }
        }
    }

    [Theory]
    [InlineData(32769)]
    [InlineData(40000)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 1)]
    public void LargeObjectsUseWholePages(int size)
    {
        void* p = Heap.Alloc((nuint)size);
        Assert.Equal(GoSizeClassTable.ReservedBytes((nuint)size), Heap.UsableSize(p));
        Heap.Free(p);
    }

    [Fact]
    public void UsableBytesAreWritableWithoutDisturbingNeighbours()
    {
        const int Count = 64;
        var live = new List<(nint Address, nuint Usable)>();
        for (int i = 0; i < Count; i++)
        {
            void* p = Heap.AllocUninitialized(100);
            nuint usable = Heap.UsableSize(p);
            FillPattern(p, usable, (ulong)i);
            live.Add(((nint)p, usable));
        }
        for (int i = 0; i < Count; i++)
        {
            AssertPattern((void*)live[i].Address, live[i].Usable, (ulong)i);
            Heap.Free((void*)live[i].Address);
        }
    }

    [Theory]
    [InlineData(64 * MiB)]
    [InlineData(100 * MiB)]
    public void HugeObjectsRoundTrip(long size)
    {
        nuint n = (nuint)size;
        HeapStats before = QuiescentStats();
        byte* p = (byte*)Heap.Alloc(n);
        Assert.Equal(0, (long)((nuint)p % GoSizeClassTable.PageSizeBytes));
        // Touch the first, a middle and the last byte: the whole range is mapped and zero.
        Assert.Equal(0, p[0] | p[size / 2] | p[size - 1]);
        p[0] = 1;
        p[size / 2] = 2;
        p[size - 1] = 3;
        Assert.Equal(before.HeapAlloc + GoSizeClassTable.ReservedBytes(n), Heap.GetStats().HeapAlloc);
        Assert.Equal(3, p[size - 1]);
        Heap.Free(p);
        Assert.Equal(before.HeapAlloc, Heap.GetStats().HeapAlloc);
    }

    [Fact]
    public void EveryClassHonoursItsAlignment()
    {
        for (int cls = 1; cls < GoSizeClassTable.ClassCount; cls++)
        {
            nuint size = GoSizeClassTable.ObjectSizeBytes[cls];
            nuint alignment = GoSizeClassTable.GuaranteedAlignment(cls);
            var pointers = new nint[8];
            for (int i = 0; i < pointers.Length; i++)
            {
                pointers[i] = (nint)Heap.AllocUninitialized(size);
                Assert.True((nuint)pointers[i] % alignment == 0,
                    $"class {cls} ({size} B): 0x{pointers[i]:x} not {alignment}-aligned");
                Assert.True((nuint)pointers[i] % 8 == 0);
                if (size >= 16 && size % 16 == 0) Assert.True((nuint)pointers[i] % 16 == 0);
            }
            foreach (nint p in pointers) Heap.Free((void*)p);
        }
    }

    [Fact]
    public void LargeObjectsArePageAligned()
    {
        foreach (nuint size in new nuint[] { 32769, 65536, 200_000 })
        {
            void* p = Heap.AllocUninitialized(size);
            Assert.Equal(0u, (nuint)p % GoSizeClassTable.PageSizeBytes);
            Heap.Free(p);
        }
    }

    [Fact]
    public void AllocUninitializedGivesWritableMemoryOfTheClassSize()
    {
        byte* p = (byte*)Heap.AllocUninitialized(300);
        Assert.Equal((nuint)320, Heap.UsableSize(p));
        FillPattern(p, 320, 7);
        AssertPattern(p, 320, 7);
        Heap.Free(p);
    }

    [Fact]
    public void ReallocOfNullAllocates()
    {
        HeapStats before = QuiescentStats();
        void* p = Heap.Realloc(null, 40);
        Assert.True(p != null);
        Assert.Equal((nuint)48, Heap.UsableSize(p));
        Assert.Equal(before.HeapObjects + 1, Heap.GetStats().HeapObjects);
        Heap.Free(p);
    }

    [Theory]
    [InlineData(10, 5000)]        // small → bigger small class
    [InlineData(100, 100_000)]    // small → large
    [InlineData(40_000, 3_000_000)] // large → larger large
    [InlineData(5000, 10)]        // shrink within small classes
    [InlineData(100_000, 100)]    // large → small
    [InlineData(3_000_000, 40_000)] // shrink a large object
    [InlineData(200, 205)]        // stays in its class (208 B)
    public void ReallocPreservesTheCommonPrefix(int oldSize, int newSize)
    {
        HeapStats before = QuiescentStats();
        byte* p = (byte*)Heap.Alloc((nuint)oldSize);
        FillPattern(p, (nuint)oldSize, 42);
        byte* q = (byte*)Heap.Realloc(p, (nuint)newSize);
        Assert.True(q != null);
        nuint kept = (nuint)Math.Min(oldSize, newSize);
        AssertPattern(q, kept, 42);
        Assert.True(Heap.UsableSize(q) >= (nuint)newSize);
        HeapStats after = Heap.GetStats();
        Assert.Equal(before.HeapObjects + 1, after.HeapObjects);
        Assert.Equal(before.HeapAlloc + GoSizeClassTable.ReservedBytes((nuint)newSize), after.HeapAlloc);
        Heap.Free(q);
        Assert.Equal(before.HeapAlloc, Heap.GetStats().HeapAlloc);
    }

    [Theory]
    [InlineData(200, 208)]        // grows within its 208-byte slot
    [InlineData(200, 104)]        // shrinks to exactly half the slot
    [InlineData(100_000, 60_000)] // a large object keeps its pages down to half
    public void ReallocKeepsTheObjectWhenItFitsWithoutWastingMoreThanHalf(int oldSize, int newSize)
    {
        byte* p = (byte*)Heap.Alloc((nuint)oldSize);
        nuint usable = Heap.UsableSize(p);
        FillPattern(p, (nuint)oldSize, 3);
        HeapStats before = SettledStats();
        Assert.True(Heap.Realloc(p, (nuint)newSize) == p, $"Realloc({oldSize} → {newSize}) moved the object");
        AssertUnchanged(before, Heap.GetStats());
        Assert.Equal(usable, Heap.UsableSize(p));
        AssertPattern(p, (nuint)Math.Min(oldSize, newSize), 3);
        Heap.Free(p);
    }

    [Theory]
    [InlineData(200, 103)]        // less than half of the 208-byte slot: moves to a smaller class
    [InlineData(100_000, 50_000)] // less than half of 13 pages
    public void ReallocMovesAnObjectThatWouldWasteMoreThanHalf(int oldSize, int newSize)
    {
        byte* p = (byte*)Heap.Alloc((nuint)oldSize);
        FillPattern(p, (nuint)oldSize, 4);
        byte* q = (byte*)Heap.Realloc(p, (nuint)newSize);
        Assert.True(q != p);
        Assert.Equal(GoSizeClassTable.ReservedBytes((nuint)newSize), Heap.UsableSize(q));
        AssertPattern(q, (nuint)newSize, 4);
        Heap.Free(q);
    }

    [Fact]
    public void ReallocThatMovesFreesTheOldObject()
    {
        HeapStats before = QuiescentStats();
        void* p = Heap.Alloc(16);
        void* q = Heap.Realloc(p, 4096);
        Assert.True(p != q, "a 16-byte object cannot grow in place to 4096 bytes");
        HeapStats after = Heap.GetStats();
        Assert.Equal(before.Frees + 1, after.Frees);
        Assert.Equal(before.HeapObjects + 1, after.HeapObjects);
        Heap.Free(q);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(777)]
    [InlineData(100_000)]
    public void TryAllocSucceedsLikeAlloc(int size)
    {
        byte* p = (byte*)Heap.TryAlloc((nuint)size);
        Assert.True(p != null);
        AssertZeroed(p, (nuint)size);
        Assert.Equal(GoSizeClassTable.ReservedBytes((nuint)size), Heap.UsableSize(p));
        Heap.Free(p);
    }

    [Fact]
    public void FreedSmallSlotsAreReused()
    {
        // A cache that never reuses would pass every other test while leaking; freed slots must come back. Objects
        // of spans another thread's cache owns are reused only after a remote batch (at most 256 objects of 64 B)
        // has built up, so reuse is asserted over enough pairs to cross that, not on the next allocation.
        const int pairs = 4096;
        var seen = new HashSet<nint>();
        for (int i = 0; i < pairs; i++)
        {
            void* p = Heap.Alloc(64);
            seen.Add((nint)p);
            Heap.Free(p);
        }
        Assert.True(seen.Count <= pairs / 4, $"{pairs} alloc/free pairs of 64 B used {seen.Count} distinct addresses");
    }
}
