using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>A thread's cache goes back to central when the thread dies, so short-lived threads leak nothing.</summary>
public unsafe class ThreadExitTests(ITestOutputHelper output)
{
    private const int ThreadCount = 1000;
    private const int ConcurrentThreads = 8;
    private const int ObjectsPerSize = 16;
    /// <summary>One size per few classes, spanning 1- to 10-page spans, so each thread caches many spans.</summary>
    private static readonly nuint[] Sizes = [8, 24, 100, 512, 1500, 4000, 9000, 20_000, 27_000, 32_768];
    /// <summary>In-use growth tolerated after the caches are flushed. Each dead thread held at least one span per
    /// size (≥ 10 spans, ≥ 200 KiB), so 1,000 unflushed caches would leave hundreds of MiB in use.</summary>
    private const long ToleratedInuseGrowthBytes = 1 * MiB;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void DeadThreadsCachesReturnToCentral()
    {
        HeapStats baseline = QuiescentStats();
        var failures = new ConcurrentQueue<Exception>();
        var wave = new Thread[ConcurrentThreads];
        for (int started = 0; started < ThreadCount; started += ConcurrentThreads)
        {
            for (int i = 0; i < ConcurrentThreads; i++)
            {
                wave[i] = new Thread(() =>
                {
                    try
                    {
                        AllocateAndFreeEverySize();
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                });
                wave[i].Start();
            }
            foreach (Thread thread in wave) thread.Join();
        }
        if (!failures.IsEmpty) throw new AggregateException(failures);

        ulong expectedAllocations = (ulong)(ThreadCount * Sizes.Length * ObjectsPerSize);
        HeapStats after = QuiescentStats();
        var clock = Stopwatch.StartNew();
        // Finalizers of dead threads' caches may need more than one collection to be found and run.
        while ((long)after.HeapInuse - (long)baseline.HeapInuse > ToleratedInuseGrowthBytes && clock.Elapsed < FlushTimeout)
        {
            Thread.Sleep(50);
            after = QuiescentStats();
        }
        output.WriteLine($"in-use: baseline {baseline.HeapInuse / (ulong)KiB:N0} KiB, after {after.HeapInuse / (ulong)KiB:N0} KiB ({clock.ElapsedMilliseconds} ms of flushing)");

        Assert.Equal(baseline.Mallocs + expectedAllocations, after.Mallocs);
        Assert.Equal(baseline.Frees + expectedAllocations, after.Frees);
        Assert.Equal(baseline.HeapObjects, after.HeapObjects);
        Assert.Equal(baseline.HeapAlloc, after.HeapAlloc);
        Assert.True((long)after.HeapInuse - (long)baseline.HeapInuse <= ToleratedInuseGrowthBytes,
            $"in-use bytes grew by {((long)after.HeapInuse - (long)baseline.HeapInuse) / KiB:N0} KiB after {ThreadCount} threads exited");
        AssertConsistent(after);
    }

    private static void AllocateAndFreeEverySize()
    {
        var pointers = new nint[Sizes.Length * ObjectsPerSize];
        int count = 0;
        foreach (nuint size in Sizes)
        {
            for (int i = 0; i < ObjectsPerSize; i++)
            {
                void* p = Heap.Alloc(size);
                *(int*)p = count;
                pointers[count++] = (nint)p;
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (*(int*)pointers[i] != i) throw new InvalidOperationException($"object {i} overwritten");
            Heap.Free((void*)pointers[i]);
        }
    }
}
