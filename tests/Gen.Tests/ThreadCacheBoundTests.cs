using System.Collections.Generic;
using Gen.Runtime;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>
/// A thread's local lists start bounded at two batches per class and grow, within one budget per thread, when a
/// thread frees more than it allocates; a list that runs dry gives its growth back.
/// </summary>
public unsafe class ThreadCacheBoundTests
{
    private const nuint ObjectBytes = 16;
    private const int SpanClass = 2 << 1 | 1; // 16 B, noscan

    [Fact]
    public void AThreadThatFreesManyObjectsKeepsThemForItselfWithinItsBudget()
    {
        const int Objects = 20_000; // 312 KiB: far past two batches, far below the budget
        // Settled: no batch an earlier test's thread parked is left to hand this thread objects of that thread's spans,
        // which would go home when freed instead of staying on the list measured here.
        HeapStats baseline = SettledStats();
        RunOnNewThread(() =>
        {
            var live = new List<nint>(Objects);
            for (int i = 0; i < Objects; i++) live.Add((nint)Heap.AllocUninitialized(ObjectBytes));
            ThreadCache* tc = CurrentThreadCache.Value;
            ClassCache* e = tc->Entry(SpanClass);
            uint initialBound = 2 * e->BatchSize;
            uint before = e->Count;
            foreach (nint p in live) Heap.Free((void*)p);

            // Only the overflows before the bound starts growing sent batches to the central list.
            Assert.True(e->Count >= before + Objects - ThreadCaches.OverflowsBeforeGrowth * e->BatchSize,
                $"{e->Count} objects on the local list after {Objects} frees");
            Assert.True(e->MaxCount >= e->Count);
            AssertBudgetHolds(tc);

            // Allocating them again drains the list; the refills that follow give the growth back.
            for (int i = 0; i < Objects + 4 * (int)initialBound; i++) live.Add((nint)Heap.AllocUninitialized(ObjectBytes));
            Assert.True(e->MaxCount < before + Objects - ThreadCaches.OverflowsBeforeGrowth * e->BatchSize,
                $"the bound stayed at {e->MaxCount} after the list ran dry");
            AssertBudgetHolds(tc);
            foreach (nint p in live.GetRange(Objects, live.Count - Objects)) Heap.Free((void*)p);
        });
        Heap.ReleaseMemory();
        Assert.Equal(baseline.HeapObjects, QuiescentStats().HeapObjects);
    }

    [Fact]
    public void ALocalListNeverGrowsPastTheThreadsBudget()
    {
        int objects = (int)(2 * ThreadCaches.ListGrowthBudgetBytes / (long)ObjectBytes); // twice what the budget allows
        // Settled: no batch an earlier test's thread parked is left to hand this thread objects of that thread's spans,
        // which would go home when freed instead of staying on the list measured here.
        HeapStats baseline = SettledStats();
        RunOnNewThread(() =>
        {
            var live = new nint[objects];
            for (int i = 0; i < objects; i++) live[i] = (nint)Heap.AllocUninitialized(ObjectBytes);
            foreach (nint p in live) Heap.Free((void*)p);

            ThreadCache* tc = CurrentThreadCache.Value;
            ClassCache* e = tc->Entry(SpanClass);
            long cachedBytes = (long)e->Count * (long)ObjectBytes;
            Assert.True(cachedBytes <= ThreadCaches.ListGrowthBudgetBytes + 3L * e->BatchSize * (long)ObjectBytes,
                $"{cachedBytes} bytes stayed on one local list");
            Assert.True(cachedBytes >= ThreadCaches.ListGrowthBudgetBytes, $"only {cachedBytes} bytes stayed: the list did not grow");
            AssertBudgetHolds(tc);
        });
        Heap.ReleaseMemory();
        Assert.Equal(baseline.HeapObjects, QuiescentStats().HeapObjects);
    }

    /// <summary>The bounds' growth over all classes plus what is left of the budget is the budget.</summary>
    private static void AssertBudgetHolds(ThreadCache* tc)
    {
        long grown = 0;
        for (int spanClass = 2; spanClass < HeapConstants.NumSpanClasses; spanClass++)
        {
            ClassCache* e = tc->Entry(spanClass);
            grown += (long)(e->MaxCount - 2 * e->BatchSize) * e->ElemSize;
        }
        Assert.True(tc->ListGrowthBytesLeft >= 0, $"{tc->ListGrowthBytesLeft} bytes of budget left");
        Assert.Equal(ThreadCaches.ListGrowthBudgetBytes, grown + tc->ListGrowthBytesLeft);
    }
}
