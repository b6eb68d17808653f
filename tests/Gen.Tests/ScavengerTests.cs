using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Idle pages go back to the OS: at once with ReleaseMemory, and in the background after ScavengeDelay.</summary>
public unsafe class ScavengerTests(ITestOutputHelper output)
{
    private const long LargeBytes = 100 * MiB;
    private const long SmallBytes = 100 * MiB;
    /// <summary>Under the 1 MiB eager-release threshold, so these pages stay idle until scavenged.</summary>
    private const nuint LargeObjectBytes = 256 << 10;
    private const nuint SmallObjectBytes = 4096; // class 44: two per one-page span
    /// <summary>"Most of it": RSS and HeapReleased must move by at least three quarters of what was freed.</summary>
    private const long MostOfTouchedBytes = (LargeBytes + SmallBytes) * 3 / 4;
    private static readonly TimeSpan BackgroundTimeout = TimeSpan.FromSeconds(5);

    [LinuxFact]
    public void ReleaseMemoryReturnsFreedPagesToTheOs()
    {
        List<nint> live = AllocateAndTouch(LargeBytes, LargeObjectBytes);
        live.AddRange(AllocateAndTouch(SmallBytes, SmallObjectBytes));
        long touchedRss = ResidentBytes();

        foreach (nint p in live) Heap.Free((void*)p);
        HeapStats freed = QuiescentStats();
        Heap.ReleaseMemory();
        HeapStats released = Heap.GetStats();
        long releasedRss = ResidentBytes();
        output.WriteLine($"RSS {touchedRss / MiB} MiB → {releasedRss / MiB} MiB; HeapReleased {freed.HeapReleased / (ulong)MiB} → {released.HeapReleased / (ulong)MiB} MiB");

        Assert.True(touchedRss - releasedRss >= MostOfTouchedBytes,
            $"RSS fell by {(touchedRss - releasedRss) / MiB} MiB after freeing {(LargeBytes + SmallBytes) / MiB} MiB and ReleaseMemory");
        Assert.True((long)(released.HeapReleased - freed.HeapReleased) >= MostOfTouchedBytes,
            $"HeapReleased rose by {(long)(released.HeapReleased - freed.HeapReleased) / MiB} MiB");
        AssertConsistent(released);

        // Released pages are reused, zeroed, and count as unreleased again.
        void* again = Heap.Alloc((nuint)(64 * MiB));
        AssertZeroed(again, (nuint)(64 * MiB));
        Assert.True(Heap.GetStats().HeapReleased < released.HeapReleased);
        Heap.Free(again);
    }

    [LinuxFact]
    public void FreeingAnObjectOfAMebibyteOrMoreReleasesItsPagesAtOnce()
    {
        const nuint bigBytes = 64 << 20;
        byte* big = (byte*)Heap.AllocUninitialized(bigBytes);
        new Span<byte>(big, (int)bigBytes).Fill(0xA5);
        long touchedRss = ResidentBytes();
        ulong releasedBefore = Heap.GetStats().HeapReleased;

        Heap.Free(big);

        ulong releasedAfter = Heap.GetStats().HeapReleased;
        long rssAfter = ResidentBytes();
        output.WriteLine($"eager release: HeapReleased +{(releasedAfter - releasedBefore) / (ulong)MiB} MiB, RSS {touchedRss / MiB} → {rssAfter / MiB} MiB");
        Assert.True(releasedAfter - releasedBefore >= bigBytes, $"HeapReleased rose by {(releasedAfter - releasedBefore) / (ulong)MiB} MiB");
        Assert.True(touchedRss - rssAfter >= (long)bigBytes * 3 / 4, $"RSS fell by only {(touchedRss - rssAfter) / MiB} MiB");
        void* again = Heap.Alloc(bigBytes); // reuses the released pages: zero without a memset
        AssertZeroed(again, bigBytes);
        Heap.Free(again);
    }

    [LinuxFact]
    public void BackgroundScavengerReleasesIdlePagesAfterTheDelay()
    {
        TimeSpan originalDelay = Heap.ScavengeDelay;
        try
        {
            Heap.ScavengeDelay = TimeSpan.FromMilliseconds(100);
            Assert.Equal(TimeSpan.FromMilliseconds(100), Heap.ScavengeDelay);

            List<nint> live = AllocateAndTouch(LargeBytes, LargeObjectBytes);
            long touchedRss = ResidentBytes();
            foreach (nint p in live) Heap.Free((void*)p);
            ulong releasedAtFree = Heap.GetStats().HeapReleased;

            var clock = Stopwatch.StartNew();
            ulong releasedNow = releasedAtFree;
            while (releasedNow - releasedAtFree < (ulong)(LargeBytes * 3 / 4) && clock.Elapsed < BackgroundTimeout)
            {
                Thread.Sleep(50);
                releasedNow = Heap.GetStats().HeapReleased;
            }
            long rssNow = ResidentBytes();
            output.WriteLine($"background scavenger: HeapReleased +{(releasedNow - releasedAtFree) / (ulong)MiB} MiB, RSS {touchedRss / MiB} → {rssNow / MiB} MiB in {clock.ElapsedMilliseconds} ms");

            Assert.True(releasedNow - releasedAtFree >= (ulong)(LargeBytes * 3 / 4),
                $"HeapReleased rose by {(releasedNow - releasedAtFree) / (ulong)MiB} MiB within {BackgroundTimeout.TotalSeconds} s of freeing {LargeBytes / MiB} MiB");
            Assert.True(touchedRss - rssNow >= LargeBytes * 3 / 4, $"RSS fell by only {(touchedRss - rssNow) / MiB} MiB");
        }
        finally
        {
            Heap.ScavengeDelay = originalDelay;
        }
    }

    [Fact]
    public void ScavengingWhileThreadsAllocateNeverTouchesLiveObjects()
    {
        const int Workers = 2, AllocationsPerWorker = 2000, LiveObjectsPerWorker = 32;
        TimeSpan originalDelay = Heap.ScavengeDelay;
        var failures = new ConcurrentQueue<Exception>();
        int workersRunning = Workers;
        try
        {
            // Every free page is released as soon as the scavenger looks, while other threads reuse them.
            Heap.ScavengeDelay = TimeSpan.Zero;
            var releaser = new Thread(() =>
            {
                while (Volatile.Read(ref workersRunning) > 0)
                {
                    Heap.ReleaseMemory();
                    Thread.Sleep(1);
                }
            });
            var workers = new Thread[Workers];
            for (int w = 0; w < Workers; w++)
            {
                int seed = w;
                workers[w] = new Thread(() =>
                {
                    try
                    {
                        AllocateAndFreeWhileCheckingPatterns(new Random(seed), AllocationsPerWorker, LiveObjectsPerWorker);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref workersRunning);
                    }
                });
                workers[w].Start();
            }
            releaser.Start();
            foreach (Thread worker in workers) worker.Join();
            releaser.Join();
        }
        finally
        {
            Heap.ScavengeDelay = originalDelay;
        }
        if (!failures.IsEmpty) throw new AggregateException(failures);
        AssertConsistent(QuiescentStats());
    }

    /// <summary>Zeroed allocations of 1 KiB..1 MiB, each filled with a pattern that is checked before its free.</summary>
    private static void AllocateAndFreeWhileCheckingPatterns(Random random, int allocations, int liveObjects)
    {
        var live = new List<(nint Address, nuint Size, ulong Seed)>();
        for (int i = 0; i < allocations; i++)
        {
            nuint size = (nuint)(random.Next(2) == 0 ? random.Next(1024, 32 * 1024) : random.Next(32 * 1024, (int)MiB));
            void* p = Heap.Alloc(size);
            long dirty = FindNonZero(p, size);
            if (dirty >= 0) throw new InvalidOperationException($"Alloc({size}) at 0x{(nuint)p:x} not zeroed at {dirty}");
            ulong seed = (ulong)random.NextInt64();
            FillPattern(p, size, seed);
            live.Add(((nint)p, size, seed));
            if (live.Count > liveObjects || i == allocations - 1)
            {
                while (live.Count > (i == allocations - 1 ? 0 : liveObjects / 2))
                {
                    int victim = random.Next(live.Count);
                    (nint address, nuint victimSize, ulong victimSeed) = live[victim];
                    long offset = FindPatternMismatch((void*)address, victimSize, victimSeed);
                    if (offset >= 0) throw new InvalidOperationException($"live object 0x{address:x} ({victimSize} B) changed at offset {offset}");
                    Heap.Free((void*)address);
                    live[victim] = live[^1];
                    live.RemoveAt(live.Count - 1);
                }
            }
        }
    }

    /// <summary>Allocates <paramref name="totalBytes"/> in objects of <paramref name="objectBytes"/> and writes every
    /// OS page of them, so that they are resident.</summary>
    private static List<nint> AllocateAndTouch(long totalBytes, nuint objectBytes)
    {
        var live = new List<nint>();
        for (long allocated = 0; allocated < totalBytes; allocated += (long)objectBytes)
        {
            byte* p = (byte*)Heap.AllocUninitialized(objectBytes);
            for (nuint offset = 0; offset < objectBytes; offset += (nuint)Environment.SystemPageSize) p[offset] = 0xA5;
            p[objectBytes - 1] = 0xA5;
            live.Add((nint)p);
        }
        return live;
    }
}
