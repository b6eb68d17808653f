using System;
using System.IO;
using Xunit;

namespace Gen.Tests;

/// <summary>Shared helpers: patterns that prove memory was not overwritten, quiescent stats, process RSS.</summary>
internal static unsafe class HeapTestSupport
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;

    /// <summary>The default <see cref="OutOfMemoryException"/> message, which a Gen OOM must improve on.</summary>
    public static readonly string DefaultOutOfMemoryMessage = new OutOfMemoryException().Message;

    private const ulong GoldenRatio64 = 0x9E3779B97F4A7C15;

    /// <summary>Fills <paramref name="size"/> bytes with a pattern unique to <paramref name="seed"/> and each offset,
    /// so that any overlap between two live objects, or a stray write, shows up in <see cref="FindPatternMismatch"/>.</summary>
    public static void FillPattern(void* p, nuint size, ulong seed)
    {
        ulong* words = (ulong*)p;
        nuint wordCount = size / sizeof(ulong);
        for (nuint i = 0; i < wordCount; i++) words[i] = PatternWord(seed, i);
        byte* bytes = (byte*)p;
        for (nuint i = wordCount * sizeof(ulong); i < size; i++) bytes[i] = PatternByte(seed, i);
    }

    // The pattern is defined per byte (little-endian bytes of one word per 8-byte slot), so that a prefix of a
    // filled object matches the pattern of the shorter size: Realloc keeps a prefix.
    private static ulong PatternWord(ulong seed, nuint wordIndex) => seed ^ (wordIndex * GoldenRatio64);

    private static byte PatternByte(ulong seed, nuint offset) =>
        (byte)(PatternWord(seed, offset / sizeof(ulong)) >> (int)(offset % sizeof(ulong) * 8));

    /// <summary>The first offset whose byte differs from <see cref="FillPattern"/>'s, or -1 when all match.</summary>
    public static long FindPatternMismatch(void* p, nuint size, ulong seed)
    {
        ulong* words = (ulong*)p;
        nuint wordCount = size / sizeof(ulong);
        for (nuint i = 0; i < wordCount; i++)
        {
            if (words[i] != PatternWord(seed, i)) return (long)(i * sizeof(ulong));
        }
        byte* bytes = (byte*)p;
        for (nuint i = wordCount * sizeof(ulong); i < size; i++)
        {
            if (bytes[i] != PatternByte(seed, i)) return (long)i;
        }
        return -1;
    }

    public static void AssertPattern(void* p, nuint size, ulong seed)
    {
        long offset = FindPatternMismatch(p, size, seed);
        if (offset >= 0) Assert.Fail($"object 0x{(nuint)p:x} ({size} B, seed {seed}) overwritten at offset {offset}");
    }

    /// <summary>The first nonzero byte's offset, or -1 when all <paramref name="size"/> bytes are zero.</summary>
    public static long FindNonZero(void* p, nuint size)
    {
        int index = new ReadOnlySpan<byte>(p, checked((int)size)).IndexOfAnyExcept((byte)0);
        return index;
    }

    public static void AssertZeroed(void* p, nuint size)
    {
        long offset = FindNonZero(p, size);
        if (offset >= 0) Assert.Fail($"object 0x{(nuint)p:x} ({size} B) not zeroed at offset {offset}");
    }

    /// <summary>Lets finalizers run (the runtime flushes dead threads' caches from one), so that no other thread
    /// touches the heap while a test reads its stats.</summary>
    public static HeapStats QuiescentStats()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Heap.GetStats();
    }

    /// <summary>A quiescent snapshot taken after returning everything the background worker could still return on its
    /// own (inboxes, parked batches, exited threads' caches): for tests that check that a failing call changed nothing,
    /// so that the background worker cannot change the figures between their two snapshots.</summary>
    public static HeapStats SettledStats()
    {
        QuiescentStats();
        Heap.ReleaseMemory();
        return Heap.GetStats();
    }

    /// <summary>The invariants every quiescent snapshot satisfies (Go's MemStats relations).</summary>
    public static void AssertConsistent(HeapStats stats)
    {
        Assert.Equal(stats.Mallocs - stats.Frees, stats.HeapObjects);
        Assert.Equal(stats.HeapSys, stats.HeapInuse + stats.HeapIdle);
        Assert.True(stats.HeapReleased <= stats.HeapIdle, $"HeapReleased {stats.HeapReleased} > HeapIdle {stats.HeapIdle}");
        Assert.True(stats.HeapAlloc <= stats.HeapInuse, $"HeapAlloc {stats.HeapAlloc} > HeapInuse {stats.HeapInuse}");
        Assert.True(stats.HeapAlloc <= stats.TotalAlloc, $"HeapAlloc {stats.HeapAlloc} > TotalAlloc {stats.TotalAlloc}");
        Assert.Equal(GoSizeClassTable.ClassCount, stats.BySize.Count);
        ulong mallocs = 0, frees = 0;
        for (int cls = 0; cls < stats.BySize.Count; cls++)
        {
            SizeClassStats entry = stats.BySize[cls];
            Assert.Equal(cls, entry.SizeClass);
            Assert.Equal(GoSizeClassTable.ObjectSizeBytes[cls], entry.Size);
            Assert.True(entry.Frees <= entry.Mallocs, $"class {cls}: {entry.Frees} frees > {entry.Mallocs} mallocs");
            mallocs += entry.Mallocs;
            frees += entry.Frees;
        }
        Assert.Equal(stats.Mallocs, mallocs);
        Assert.Equal(stats.Frees, frees);
    }

    /// <summary>Asserts that a call that failed left the heap's accounting exactly as it was.</summary>
    public static void AssertUnchanged(HeapStats before, HeapStats after)
    {
        Assert.Equal(before.Mallocs, after.Mallocs);
        Assert.Equal(before.Frees, after.Frees);
        Assert.Equal(before.HeapObjects, after.HeapObjects);
        Assert.Equal(before.HeapAlloc, after.HeapAlloc);
        Assert.Equal(before.TotalAlloc, after.TotalAlloc);
        Assert.Equal(before.HeapInuse, after.HeapInuse);
        Assert.Equal(before.HeapSys, after.HeapSys);
        Assert.Equal(before.BySize, after.BySize);
    }

    /// <summary>Runs <paramref name="test"/> with <see cref="Heap.ScavengeDelay"/> set to <paramref name="delay"/>
    /// (the background worker's scavenge pass, which also drains idle batches and inboxes, runs every half delay),
    /// then restores it.</summary>
    public static void WithScavengeDelay(TimeSpan delay, Action test)
    {
        TimeSpan originalDelay = Heap.ScavengeDelay;
        Heap.ScavengeDelay = delay;
        try
        {
            test();
        }
        finally
        {
            Heap.ScavengeDelay = originalDelay;
        }
    }

    /// <summary>Polls the stats, making no other call into the heap, until in-use bytes are at most
    /// <paramref name="toleratedBytes"/> above <paramref name="baseline"/> or <paramref name="timeout"/> passes; returns
    /// the last snapshot. Only the background worker can bring them down meanwhile.</summary>
    public static HeapStats WaitForInuseWithin(HeapStats baseline, long toleratedBytes, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HeapStats now = Heap.GetStats();
        while ((long)now.HeapInuse - (long)baseline.HeapInuse > toleratedBytes && clock.Elapsed < timeout)
        {
            System.Threading.Thread.Sleep(50);
            now = Heap.GetStats();
        }
        return now;
    }

    /// <summary>Runs <paramref name="work"/> on a new thread and waits for the thread to exit; its failure is
    /// rethrown here.</summary>
    public static T RunOnNewThread<T>(Func<T> work)
    {
        var outcome = new Outcome<T>();
        var thread = new System.Threading.Thread(() => outcome.Run(work));
        thread.Start();
        thread.Join();
        return outcome.Get("the thread failed");
    }

    /// <summary>The result of work run on another thread, or its failure, for the thread that waits for it.</summary>
    public sealed class Outcome<T>
    {
        private T _result = default!;
        private Exception? _failure;

        public void Run(Func<T> work)
        {
            try { _result = work(); }
            catch (Exception e) { _failure = e; }
        }

        /// <summary>The result; the work's exception, wrapped with <paramref name="what"/>, if it failed.</summary>
        public T Get(string what) => _failure is null ? _result : throw new InvalidOperationException(what, _failure);
    }

    /// <inheritdoc cref="RunOnNewThread{T}(Func{T})"/>
    public static void RunOnNewThread(Action work) => RunOnNewThread(() => { work(); return 0; });

    /// <summary>Resident set size of this process, from /proc/self/statm (Linux only).</summary>
    public static long ResidentBytes()
    {
        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize;
    }
}

/// <summary>A fact that needs Linux's /proc (RSS); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "reads RSS from /proc/self/statm (Linux only)";
    }
}
