using System.Runtime.InteropServices;
using Gen.Runtime;
using Xunit;

namespace Gen.Tests;

/// <summary>
/// The slow path that carves an object from a new span's fresh region also links the next ones onto the empty local
/// list, in address order, so that the allocations after it take the fast path (mimalloc's free-list extension).
/// </summary>
public unsafe class FreshRegionExtensionTests
{
    [Theory]
    [InlineData(16u, 100u)] // the whole rest of the region is within the budget
    [InlineData(16u, 1000u)] // the budget (4 KiB: 256 objects) stops it
    [InlineData(48u, 1000u)] // 4 KiB is not a multiple of the size: 85 objects
    public void TheNextFreshObjectsGoOntoTheLocalListInAddressOrder(uint elemSize, uint freshObjects)
    {
        nuint expected = System.Math.Min(freshObjects, ThreadCaches.ExtendBytes / elemSize);
        WithEntry(elemSize, freshObjects, (e, region) =>
        {
            ThreadCaches.ExtendLocalList(e);

            Assert.Equal((uint)expected, e->Count);
            byte* p = (byte*)e->Head;
            for (nuint i = 0; i < expected; i++)
            {
                Assert.True(p == region + i * elemSize, $"object {i} of the list is at offset {p - region}");
                p = (byte*)*(void**)p;
            }
            Assert.True(p == null, "the list runs on past the objects it was given");
            Assert.True(e->FreshNext == region + expected * elemSize, "the fresh region does not start after the list");
        });
    }

    [Fact]
    public void ClassesOfLargerObjectsKeepCarvingOneByOne()
    {
        uint elemSize = (uint)ThreadCaches.MaxExtendObjectBytes + 16;
        WithEntry(elemSize, 16, (e, region) =>
        {
            ThreadCaches.ExtendLocalList(e);

            Assert.True(e->Head == null);
            Assert.Equal(0u, e->Count);
            Assert.True(e->FreshNext == region, "the fresh region moved");
        });
    }

    [Fact]
    public void ANewSpansObjectsAfterTheFirstComeOffTheLocalListInAddressOrder()
    {
        const nuint ObjectBytes = 16;
        const int SpanClass = 2 << 1 | 1; // 16 B, noscan
        HeapTestSupport.SettledStats();
        HeapTestSupport.RunOnNewThread(() =>
        {
            var live = new System.Collections.Generic.List<nint>();
            try
            {
                // Allocate until one allocation carves a new span's fresh region (a refill may first hand this thread
                // objects other threads left in partial spans).
                byte* first = null;
                ClassCache* e = null;
                for (int i = 0; i < 100_000 && first == null; i++)
                {
                    var p = (byte*)Heap.AllocUninitialized(ObjectBytes);
                    live.Add((nint)p);
                    e = CurrentThreadCache.Value->Entry(SpanClass);
                    // p was carved, and the objects after it, up to the fresh region's new start, are on the list.
                    if (e->Head == p + ObjectBytes && e->FreshNext == p + (e->Count + 1) * ObjectBytes) first = p;
                }
                Assert.True(first != null, "no allocation carved a fresh region and linked the objects after it");
                uint linked = e->Count;
                Assert.Equal((uint)(ThreadCaches.ExtendBytes / ObjectBytes), linked);

                for (uint i = 1; i <= linked; i++)
                {
                    var p = (byte*)Heap.AllocUninitialized(ObjectBytes);
                    live.Add((nint)p);
                    Assert.True(p == first + i * ObjectBytes, $"allocation {i} after the carve is at offset {p - first}");
                    Assert.Equal(linked - i, e->Count);
                }
            }
            finally
            {
                foreach (nint p in live) Heap.Free((void*)p);
            }
        });
    }

    private delegate void EntryTest(ClassCache* e, byte* region);

    /// <summary>Runs <paramref name="test"/> on an entry with an empty local list and a fresh region of
    /// <paramref name="freshObjects"/> objects in native memory (not the heap's: the function under test only links the
    /// region's objects).</summary>
    private static void WithEntry(uint elemSize, uint freshObjects, EntryTest test)
    {
        nuint bytes = (nuint)freshObjects * elemSize;
        var region = (byte*)NativeMemory.AllocZeroed(bytes);
        var e = (ClassCache*)NativeMemory.AllocZeroed((nuint)sizeof(ClassCache));
        try
        {
            e->ElemSize = elemSize;
            e->BatchSize = 512;
            e->MaxCount = 2 * e->BatchSize;
            e->FreshNext = region;
            e->FreshEnd = region + bytes;
            e->FreshIsZero = true;
            test(e, region);
            Assert.True(e->FreshEnd == region + bytes, "the fresh region's end moved");
        }
        finally
        {
            NativeMemory.Free(e);
            NativeMemory.Free(region);
        }
    }
}
