using System;
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
    private const nuint LargeObjectBytes = 1 << 20;
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
