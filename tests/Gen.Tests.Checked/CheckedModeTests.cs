using System;
using System.Collections.Generic;
using System.Threading;
using Gen.Tests;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests.Checked;

/// <summary>What checked mode adds: small-object double frees are caught, freed memory is poisoned.</summary>
public unsafe class CheckedModeTests
{
    /// <summary>The byte the runtime fills freed objects with, after the free-list link in the first word.</summary>
    private const byte PoisonByte = 0xDD;
    private const int FreeListLinkBytes = sizeof(ulong);

    /// <summary>Small sizes from classes with at least two objects per span, across the range of span sizes.</summary>
    public static TheoryData<int> SmallSizes => new() { 16, 24, 48, 256, 1024, 4096, 10_240, 20_480 };

    [Fact]
    public void CheckedModeIsOn() => Assert.True(Heap.IsChecked, "the csproj sets the Gen.Checked AppContext switch");

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void DoubleFreeOfASmallObjectIsDetectedAndHarmless(int size)
    {
        void* keepSpanInUse = Heap.Alloc((nuint)size);
        void* p = Heap.Alloc((nuint)size);
        Heap.Free(p);

        HeapStats before = SettledStats();
        var error = Assert.Throws<InvalidOperationException>(() => Heap.Free(p));
        Assert.Contains("double free", error.Message);
        AssertUnchanged(before, Heap.GetStats());

        // Had the second free been taken, the slot would sit on the free list twice and come back twice.
        AssertFreshAllocationsAreDistinct((nuint)size);
        Heap.Free(keepSpanInUse);
    }

    [Fact]
    public void DoubleFreeIsDetectedWhenTheFirstFreeHappenedOnAnotherThread()
    {
        void* keepSpanInUse = Heap.Alloc(64);
        void* p = Heap.Alloc(64);
        var freer = new Thread(() => Heap.Free(p));
        freer.Start();
        freer.Join();

        HeapStats before = SettledStats();
        var error = Assert.Throws<InvalidOperationException>(() => Heap.Free(p));
        Assert.Contains("double free", error.Message);
        AssertUnchanged(before, Heap.GetStats());
        AssertFreshAllocationsAreDistinct(64);
        Heap.Free(keepSpanInUse);
    }

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void FreedSmallObjectsArePoisonedAfterTheFreeListLink(int size)
    {
        // A live neighbour keeps the span in use, so the freed slot stays mapped and readable.
        void* keepSpanInUse = Heap.Alloc((nuint)size);
        byte* p = (byte*)Heap.Alloc((nuint)size);
        nuint usable = Heap.UsableSize(p);
        new Span<byte>(p, (int)usable).Fill(0x11);
        Heap.Free(p);

        var afterLink = new ReadOnlySpan<byte>(p + FreeListLinkBytes, (int)usable - FreeListLinkBytes);
        int notPoisoned = afterLink.IndexOfAnyExcept(PoisonByte);
        Assert.True(notPoisoned < 0,
            $"freed {usable}-byte object: byte {notPoisoned + FreeListLinkBytes} is 0x{afterLink[Math.Max(notPoisoned, 0)]:X2}, not 0x{PoisonByte:X2}");
        Heap.Free(keepSpanInUse);
    }

    [Theory]
    [MemberData(nameof(SmallSizes))]
    public void SlotsNeverHandedOutAreAllocatableAfterTheirCacheIsFlushed(int size)
    {
        // A thread cache carves a new span lazily. When the cache is flushed (ReleaseMemory here; thread exit does
        // the same) the never-used rest of the span goes to the central list without ever having been freed, so it
        // carries no poison: handing it out later is a legal allocation, not a use after free. One object stays
        // live, so that the span stays partial instead of going back to the page heap.
        nint keptAlive = 0;
        var worker = new Thread(() =>
        {
            keptAlive = (nint)Heap.Alloc((nuint)size);
            Heap.Free(Heap.Alloc((nuint)size));
            Heap.ReleaseMemory();
        });
        worker.Start();
        worker.Join();

        int count = 2 * SizeClasses.ObjectsPerSpan(SizeClasses.ClassOf((nuint)size));
        var live = new List<nint>(count) { keptAlive };
        try
        {
            for (int i = 0; i < count; i++)
            {
                void* p = Heap.Alloc((nuint)size);
                live.Add((nint)p);
                AssertZeroed(p, (nuint)size);
            }
        }
        finally
        {
            foreach (nint p in live) Heap.Free((void*)p);
        }
    }

    [Fact]
    public void PoisonedSlotsComeBackZeroedFromAlloc()
    {
        var freed = new HashSet<nint>();
        for (int i = 0; i < 32; i++)
        {
            byte* dirty = (byte*)Heap.Alloc(96);
            new Span<byte>(dirty, 96).Fill(0x22);
            freed.Add((nint)dirty);
        }
        foreach (nint p in freed) Heap.Free((void*)p);

        var reused = new List<nint>();
        for (int i = 0; i < 32; i++)
        {
            byte* p = (byte*)Heap.Alloc(96);
            AssertZeroed(p, 96);
            reused.Add((nint)p);
        }
        Assert.Contains(reused, freed.Contains); // the poisoned slots were really handed out again
        foreach (nint p in reused) Heap.Free((void*)p);
    }

    private static void AssertFreshAllocationsAreDistinct(nuint size)
    {
        var seen = new HashSet<nint>();
        var pointers = new List<nint>();
        for (int i = 0; i < 64; i++)
        {
            nint p = (nint)Heap.Alloc(size);
            Assert.True(seen.Add(p), $"slot 0x{p:x} handed out twice after a rejected double free");
            FillPattern((void*)p, size, (ulong)i);
            pointers.Add(p);
        }
        for (int i = 0; i < pointers.Count; i++)
        {
            AssertPattern((void*)pointers[i], size, (ulong)i);
            Heap.Free((void*)pointers[i]);
        }
    }
}
