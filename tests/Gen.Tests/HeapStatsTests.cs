using System;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>HeapStats is exact when quiescent: every counter moves by exactly what the test did.</summary>
public unsafe class HeapStatsTests
{
    [Fact]
    public void QuiescentSnapshotIsConsistent() => AssertConsistent(QuiescentStats());

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(100, 1000)]      // class 9, 112 B
    [InlineData(1500, 300)]      // class 37, 1792 B
    [InlineData(9000, 50)]       // class 52, 9472 B, 7-page spans
    [InlineData(32768, 20)]      // class 67
    public void SmallAllocationsMoveTheirClassCountersExactly(int size, int count)
    {
        int cls = GoSizeClassTable.ClassOf((nuint)size);
        ulong classBytes = GoSizeClassTable.ObjectSizeBytes[cls];
        var pointers = new nint[count];

        HeapStats before = QuiescentStats();
        for (int i = 0; i < count; i++) pointers[i] = (nint)Heap.Alloc((nuint)size);
        HeapStats allocated = Heap.GetStats();

        Assert.Equal(before.Mallocs + (ulong)count, allocated.Mallocs);
        Assert.Equal(before.Frees, allocated.Frees);
        Assert.Equal(before.HeapObjects + (ulong)count, allocated.HeapObjects);
        Assert.Equal(before.HeapAlloc + classBytes * (ulong)count, allocated.HeapAlloc);
        Assert.Equal(before.TotalAlloc + classBytes * (ulong)count, allocated.TotalAlloc);
        Assert.Equal(before.BySize[cls].Mallocs + (ulong)count, allocated.BySize[cls].Mallocs);
        Assert.Equal(before.BySize[cls].Frees, allocated.BySize[cls].Frees);
        // The new objects live in spans: in-use bytes cover them.
        Assert.True(allocated.HeapInuse >= allocated.HeapAlloc);
        AssertConsistent(allocated);
        AssertOtherClassesUnchanged(before, allocated, cls);

        foreach (nint p in pointers) Heap.Free((void*)p);
        HeapStats freed = Heap.GetStats();

        Assert.Equal(before.Frees + (ulong)count, freed.Frees);
        Assert.Equal(before.HeapObjects, freed.HeapObjects);
        Assert.Equal(before.HeapAlloc, freed.HeapAlloc);
        Assert.Equal(allocated.TotalAlloc, freed.TotalAlloc); // cumulative: frees never lower it
        Assert.Equal(before.BySize[cls].Frees + (ulong)count, freed.BySize[cls].Frees);
        AssertConsistent(freed);
    }

    [Theory]
    [InlineData(32769)]
    [InlineData(1 << 20)]
    [InlineData(5_000_001)]
    public void LargeAllocationsCountWholePagesInClassZero(int size)
    {
        ulong pageBytes = GoSizeClassTable.ReservedBytes((nuint)size);
        HeapStats before = SettledStats(); // nothing left for the background worker to return meanwhile
        void* p = Heap.Alloc((nuint)size);
        HeapStats allocated = Heap.GetStats();

        Assert.Equal(before.HeapAlloc + pageBytes, allocated.HeapAlloc);
        Assert.Equal(before.TotalAlloc + pageBytes, allocated.TotalAlloc);
        Assert.Equal(before.BySize[0].Mallocs + 1, allocated.BySize[0].Mallocs);
        Assert.Equal(before.HeapObjects + 1, allocated.HeapObjects);
        // A large object is its own span: in-use bytes grow by exactly its pages.
        Assert.Equal(before.HeapInuse + pageBytes, allocated.HeapInuse);
        AssertConsistent(allocated);
        AssertOtherClassesUnchanged(before, allocated, 0);

        Heap.Free(p);
        HeapStats freed = Heap.GetStats();
        Assert.Equal(before.HeapAlloc, freed.HeapAlloc);
        Assert.Equal(before.HeapInuse, freed.HeapInuse);
        Assert.Equal(before.BySize[0].Frees + 1, freed.BySize[0].Frees);
        Assert.Equal(allocated.TotalAlloc, freed.TotalAlloc);
        AssertConsistent(freed);
    }

    [Fact]
    public void HeapSysCoversTheHeapAndOnlyGrows()
    {
        HeapStats before = SettledStats(); // nothing left for the background worker to return meanwhile
        void* p = Heap.Alloc((nuint)(200 * MiB));
        HeapStats allocated = Heap.GetStats();
        Assert.True(allocated.HeapSys >= allocated.HeapInuse);
        Assert.True(allocated.HeapInuse >= before.HeapInuse + 200UL * (ulong)MiB);
        Assert.True(allocated.HeapSys >= before.HeapSys);
        Assert.True(allocated.MetadataSys > 0, "the heap's own tables must be accounted");
        Heap.Free(p);
        HeapStats freed = Heap.GetStats();
        // Freed pages turn idle; address space stays with the heap.
        Assert.Equal(allocated.HeapSys, freed.HeapSys);
        Assert.True(freed.HeapIdle >= 200UL * (ulong)MiB);
        AssertConsistent(freed);
    }

    [Fact]
    public void TotalAllocNeverDecreases()
    {
        var random = new Random(11);
        ulong last = Heap.GetStats().TotalAlloc;
        for (int round = 0; round < 200; round++)
        {
            void* p = Heap.Alloc((nuint)random.Next(1, 70_000));
            ulong afterAlloc = Heap.GetStats().TotalAlloc;
            Assert.True(afterAlloc > last, $"round {round}: TotalAlloc {afterAlloc} did not grow past {last}");
            Heap.Free(p);
            ulong afterFree = Heap.GetStats().TotalAlloc;
            Assert.Equal(afterAlloc, afterFree);
            last = afterFree;
        }
    }

    private static void AssertOtherClassesUnchanged(HeapStats before, HeapStats after, int exceptClass)
    {
        for (int cls = 0; cls < before.BySize.Count; cls++)
        {
            if (cls != exceptClass) Assert.Equal(before.BySize[cls], after.BySize[cls]);
        }
    }
}
