using System;
using System.Collections.Generic;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Heap.HardLimit (Go's GOMEMLIMIT, the GC's HeapHardLimit) caps in-use span bytes.</summary>
public unsafe class HardLimitTests
{
    private const long HeadroomBytes = 64 * MiB;

    [Fact]
    public void NoLimitByDefault() => Assert.Equal(long.MaxValue, Heap.HardLimit);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ANonPositiveLimitIsRejected(long limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Heap.HardLimit = limit);
        Assert.Equal(long.MaxValue, Heap.HardLimit);
    }

    [Fact]
    public void LargeAllocationsStopExactlyAtTheLimitAndResumeAfterFrees()
    {
        const nuint ObjectBytes = 1 << 20;
        var live = new List<nint>();
        try
        {
            // Nothing left for the background worker to free: spans it freed during the test would widen the headroom.
            HeapStats baseline = SettledStats();
            Heap.HardLimit = (long)baseline.HeapInuse + HeadroomBytes;
            Assert.Equal((long)baseline.HeapInuse + HeadroomBytes, Heap.HardLimit);

            for (void* p; (p = Heap.TryAlloc(ObjectBytes)) != null;)
            {
                live.Add((nint)p);
                Assert.True(live.Count <= HeadroomBytes / (long)ObjectBytes, $"allocated {live.Count} MiB under a {HeadroomBytes / MiB} MiB headroom");
            }
            // In-use bytes may reach the limit but not pass it: exactly 64 objects of 1 MiB fit.
            Assert.Equal(HeadroomBytes / (long)ObjectBytes, live.Count);
            Assert.True((long)Heap.GetStats().HeapInuse <= Heap.HardLimit);

            var error = Assert.Throws<OutOfMemoryException>(() => Heap.Alloc(ObjectBytes));
            Assert.NotEqual(DefaultOutOfMemoryMessage, error.Message);
            Assert.Throws<OutOfMemoryException>(() => Heap.AllocUninitialized(ObjectBytes));
            // A small request may still reuse a free slot of a span already in use, but never takes a new span.
            void* small = Heap.TryAlloc(8);
            Assert.True((long)Heap.GetStats().HeapInuse <= Heap.HardLimit);
            Heap.Free(small);

            Heap.Free((void*)live[^1]);
            live.RemoveAt(live.Count - 1);
            void* again = Heap.Alloc(ObjectBytes);
            live.Add((nint)again);
            Assert.True(Heap.TryAlloc(ObjectBytes) == null);
        }
        finally
        {
            Heap.HardLimit = long.MaxValue;
            foreach (nint p in live) Heap.Free((void*)p);
        }
        Assert.Equal(long.MaxValue, Heap.HardLimit);
        Heap.Free(Heap.Alloc(ObjectBytes));
    }

    [Fact]
    public void SmallAllocationsStopAtTheLimitAndResumeAfterFrees()
    {
        const nuint ObjectBytes = 64;
        var live = new List<nint>(capacity: (int)(HeadroomBytes / (long)ObjectBytes) + 1024);
        try
        {
            // Return whatever the background worker could still free (inboxes, parked batches, exited threads' caches)
            // first: spans it freed during the test would widen the headroom the count below is checked against.
            Heap.ReleaseMemory();
            HeapStats baseline = QuiescentStats();
            Heap.HardLimit = (long)baseline.HeapInuse + HeadroomBytes;
            for (void* p; (p = Heap.TryAlloc(ObjectBytes)) != null;)
            {
                live.Add((nint)p);
                Assert.True(live.Count <= 2 * HeadroomBytes / (long)ObjectBytes, "the limit never stopped 64-byte allocations");
            }
            // The headroom holds 64 MiB of fresh 64-byte slots; free slots in spans already in use add a little.
            long allocatedBytes = live.Count * (long)ObjectBytes;
            Assert.InRange(allocatedBytes, HeadroomBytes - GoSizeClassTable.PageSizeBytes, HeadroomBytes + 1 * MiB);
            Assert.Throws<OutOfMemoryException>(() => Heap.Alloc(ObjectBytes));

            // Free a whole span's worth (and more) of the newest objects; allocation resumes.
            for (int i = 0; i < 1024; i++)
            {
                Heap.Free((void*)live[^1]);
                live.RemoveAt(live.Count - 1);
            }
            for (int i = 0; i < 1024; i++) live.Add((nint)Heap.Alloc(ObjectBytes));
        }
        finally
        {
            Heap.HardLimit = long.MaxValue;
            foreach (nint p in live) Heap.Free((void*)p);
        }
    }

    [Fact]
    public void ALimitBelowTheCurrentHeapFailsNewSpansUntilRaised()
    {
        try
        {
            Heap.HardLimit = 1;
            Assert.True(Heap.TryAlloc(1 << 20) == null);
            Assert.Throws<OutOfMemoryException>(() => Heap.Alloc(1 << 20));
        }
        finally
        {
            Heap.HardLimit = long.MaxValue;
        }
        Heap.Free(Heap.Alloc(1 << 20));
    }
}
