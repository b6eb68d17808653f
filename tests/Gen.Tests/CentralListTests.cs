using System;
using System.Collections.Generic;
using Gen.Runtime;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>
/// Batches parked in the central lists' transfer caches, and the caches of exited threads, go back to their spans
/// without any call from the program, so idle objects do not pin spans for ever.
/// </summary>
public unsafe class CentralListTests(ITestOutputHelper output)
{
    /// <summary>64 B objects: 512 to a batch, so freeing 200,000 of them parks every transfer slot many times over.</summary>
    private const nuint ObjectBytes = 64;
    private const int Objects = 200_000;
    /// <summary>The 8 parked batches of 512 × 64 B alone pin at least 256 KiB of spans; a few pages of slack remain.</summary>
    private const long ToleratedInuseGrowthBytes = 64 * KiB;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void IdleTransferCachesAndDeadThreadsCachesReturnToTheirSpansInTheBackground() => WithScavengeDelay(TimeSpan.FromMilliseconds(100), () =>
    {
        Heap.ReleaseMemory();
        HeapStats baseline = Heap.GetStats();

        var worker = new Thread(() =>
        {
            var live = new nint[Objects];
            for (int i = 0; i < Objects; i++) live[i] = (nint)Heap.AllocUninitialized(ObjectBytes);
            for (int i = 0; i < Objects; i++) Heap.Free((void*)live[i]);
        });
        worker.Start();
        worker.Join();
        HeapStats afterExit = Heap.GetStats();
        Assert.True(afterExit.HeapInuse - baseline.HeapInuse >= 256 * KiB,
            $"only {(afterExit.HeapInuse - baseline.HeapInuse) / KiB} KiB in use after the worker: nothing was parked, the test proves nothing");

        // No call into the heap from here: only the background worker can return those objects to their spans.
        var clock = Stopwatch.StartNew();
        HeapStats now = WaitForInuseWithin(baseline, ToleratedInuseGrowthBytes, Timeout);
        output.WriteLine($"in use: baseline {baseline.HeapInuse / KiB} KiB, after the worker {afterExit.HeapInuse / KiB} KiB, " +
                         $"{clock.ElapsedMilliseconds} ms later {now.HeapInuse / KiB} KiB");
        Assert.True((long)now.HeapInuse - (long)baseline.HeapInuse <= ToleratedInuseGrowthBytes,
            $"{((long)now.HeapInuse - (long)baseline.HeapInuse) / KiB} KiB still in use {Timeout.TotalSeconds} s after the worker exited");
        Assert.Equal(baseline.HeapObjects, now.HeapObjects);
    });

    [Fact]
    public void AnObjectHandedToAnotherThreadIsNotReusedThere()
    {
        // cache-scratch's passive false sharing: a live thread (this one) allocates an object and hands it to
        // thread B, which frees it and allocates the same size. Were B given that object back, the two threads would
        // keep writing neighbouring objects; B must get another one. The object must come from a span this thread's
        // cache owns in its current incarnation: objects of a dead thread's span (one whose cache this thread may have
        // inherited) would rightly be adopted by B.
        var others = new List<nint>();
        nint handedOver = 0;
        for (int i = 0; i < 100_000 && handedOver == 0; i++)
        {
            void* p = Heap.AllocUninitialized(8);
            Span* span = PageHeap.SpanOf(p);
            ThreadCache* cache = CurrentThreadCache.Value;
            if (span->Owner == cache && span->OwnerIncarnation == cache->Incarnation) handedOver = (nint)p;
            else others.Add((nint)p);
        }
        Assert.NotEqual(0, handedOver);

        nint allocatedByB = 0;
        var b = new Thread(() =>
        {
            Heap.Free((void*)handedOver);
            allocatedByB = (nint)Heap.AllocUninitialized(8);
            Heap.Free((void*)allocatedByB);
        });
        b.Start();
        b.Join();
        foreach (nint p in others) Heap.Free((void*)p);
        Assert.NotEqual(handedOver, allocatedByB);
    }
}
