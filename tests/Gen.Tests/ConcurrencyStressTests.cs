using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Many threads allocate, hand objects to each other and free them, checking every byte on the way.</summary>
public unsafe class ConcurrencyStressTests(ITestOutputHelper output)
{
    private const int TotalAllocations = 2_000_000;
    /// <summary>Objects a thread keeps for itself before freeing a random one (mixes slots across spans).</summary>
    private const int LocalLiveObjects = 256;
    /// <summary>Handed-over objects a thread frees per allocation; more than one keeps inboxes short.</summary>
    private const int InboxDrainPerAllocation = 2;

    private readonly record struct LiveObject(nint Address, nuint Size, ulong Seed);

    [Fact]
    public void ThreadsAllocateAndFreeAcrossEachOtherWithoutCorruption()
    {
        // At least four, so that even on two cores threads are preempted inside the heap's slow paths.
        int threadCount = Math.Max(4, Environment.ProcessorCount);
        int allocationsPerThread = TotalAllocations / threadCount;
        var inboxes = new ConcurrentQueue<LiveObject>[threadCount];
        for (int t = 0; t < threadCount; t++) inboxes[t] = new ConcurrentQueue<LiveObject>();
        var failures = new ConcurrentQueue<Exception>();

        HeapStats baseline = QuiescentStats();
        var clock = Stopwatch.StartNew();
        var threads = new Thread[threadCount];
        for (int t = 0; t < threadCount; t++)
        {
            int self = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    RunWorker(self, allocationsPerThread, inboxes[self], inboxes[(self + 1) % threadCount]);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            });
            threads[t].Start();
        }
        var sampler = new Thread(() =>
        {
            try
            {
                SampleStatsUntilDone(threads);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        });
        sampler.Start();
        foreach (Thread thread in threads) thread.Join();
        sampler.Join();
        if (!failures.IsEmpty) throw new AggregateException(failures);

        // What is still in the inboxes was allocated on other threads: the test thread checks and frees it.
        foreach (ConcurrentQueue<LiveObject> inbox in inboxes)
        {
            while (inbox.TryDequeue(out LiveObject o)) CheckAndFree(o);
        }
        output.WriteLine($"{threadCount} threads, {TotalAllocations:N0} allocations + frees in {clock.ElapsedMilliseconds} ms");

        HeapStats after = QuiescentStats();
        ulong allocations = (ulong)(allocationsPerThread * threadCount);
        Assert.Equal(baseline.Mallocs + allocations, after.Mallocs);
        Assert.Equal(baseline.Frees + allocations, after.Frees);
        Assert.Equal(baseline.HeapObjects, after.HeapObjects);
        Assert.Equal(baseline.HeapAlloc, after.HeapAlloc);
        AssertConsistent(after);
    }

    /// <summary>Reads stats while the workers run: cumulative counters never go backwards, even mid-flight.</summary>
    private static void SampleStatsUntilDone(Thread[] workers)
    {
        HeapStats previous = Heap.GetStats();
        while (Array.Exists(workers, w => w.IsAlive))
        {
            Thread.Sleep(1);
            HeapStats now = Heap.GetStats();
            if (now.Mallocs < previous.Mallocs || now.Frees < previous.Frees || now.TotalAlloc < previous.TotalAlloc)
                throw new InvalidOperationException(
                    $"cumulative stats went backwards: Mallocs {previous.Mallocs} → {now.Mallocs}, Frees {previous.Frees} → {now.Frees}, TotalAlloc {previous.TotalAlloc} → {now.TotalAlloc}");
            if (now.HeapSys != now.HeapInuse + now.HeapIdle)
                throw new InvalidOperationException($"HeapSys {now.HeapSys} != HeapInuse {now.HeapInuse} + HeapIdle {now.HeapIdle}");
            previous = now;
        }
    }

    private static void RunWorker(int self, int allocations, ConcurrentQueue<LiveObject> inbox, ConcurrentQueue<LiveObject> neighbour)
    {
        var random = new Random(1000 + self);
        var local = new List<LiveObject>(LocalLiveObjects + 1);
        ulong nextSeed = (ulong)self << 40;
        for (int i = 0; i < allocations; i++)
        {
            nuint size = NextSize(random);
            bool zeroed = (i & 1) == 0;
            void* p = zeroed ? Heap.Alloc(size) : Heap.AllocUninitialized(size);
            if (p == null) throw new InvalidOperationException($"Alloc({size}) returned null");
            if (zeroed)
            {
                long dirty = FindNonZero(p, size);
                if (dirty >= 0) throw new InvalidOperationException($"Alloc({size}) at 0x{(nuint)p:x} not zeroed at {dirty}");
            }
            var o = new LiveObject((nint)p, size, nextSeed++);
            FillPattern(p, size, o.Seed);

            if (random.Next(2) == 0) local.Add(o);
            else neighbour.Enqueue(o);

            if (local.Count > LocalLiveObjects)
            {
                int victim = random.Next(local.Count);
                CheckAndFree(local[victim]);
                local[victim] = local[^1];
                local.RemoveAt(local.Count - 1);
            }
            for (int d = 0; d < InboxDrainPerAllocation && inbox.TryDequeue(out LiveObject handed); d++) CheckAndFree(handed);
        }
        foreach (LiveObject o in local) CheckAndFree(o);
    }

    /// <summary>1 B..1 MiB, skewed toward small: 98% up to 256 B, 1.9% up to 32 KiB, 0.1% large.</summary>
    private static nuint NextSize(Random random)
    {
        int bucket = random.Next(1000);
        if (bucket < 980) return (nuint)random.Next(1, 257);
        if (bucket < 999) return (nuint)random.Next(257, 32 * 1024 + 1);
        return (nuint)random.Next(32 * 1024 + 1, (int)MiB + 1);
    }

    private static void CheckAndFree(LiveObject o)
    {
        long offset = FindPatternMismatch((void*)o.Address, o.Size, o.Seed);
        if (offset >= 0)
            throw new InvalidOperationException($"object 0x{o.Address:x} ({o.Size} B) overwritten at offset {offset} before its free");
        nuint usable = Heap.UsableSize((void*)o.Address);
        if (usable < o.Size) throw new InvalidOperationException($"UsableSize {usable} < requested {o.Size}");
        Heap.Free((void*)o.Address);
    }
}
