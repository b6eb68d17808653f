using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Xunit;
using static Gen.Tests.HeapTestSupport;
using ListNode = Gen.Tests.TypedAllocationTests.ListNode;
using Page = Gen.Tests.TypedAllocationTests.Page;
using Sample = Gen.Tests.TypedAllocationTests.Sample;

namespace Gen.Tests;

/// <summary><see cref="ThreadHeap"/>: the calling thread's handle works on the same heap, objects, lists and
/// statistics as <see cref="Heap"/>'s static methods, with the same checks.</summary>
public unsafe class ThreadHeapTests
{
    private static readonly nuint[] Sizes = [0, 1, 8, 24, 100, 256, 1000, 4096, 32 * 1024, 32 * 1024 + 1, 300_000];

    [Fact]
    public void AHandleUsesTheThreadsOwnCache()
    {
        // LIFO reuse across the two APIs shows both reach one local list: a handle with a cache of its own, or another
        // thread's, would not hand back the object just freed through the other.
        ReturnBatchesToTheirSpans();
        ThreadHeap heap = Heap.ForCurrentThread();
        void* p = heap.AllocUninitialized(48);
        Heap.Free(p);
        Assert.Equal((nint)p, (nint)heap.AllocUninitialized(48));
        heap.Free(p);
        Assert.Equal((nint)p, (nint)Heap.AllocUninitialized(48));
        Heap.Free(p);
    }

    [Fact]
    public void ObjectsMoveFreelyBetweenTheHandleAndTheStaticApiAndAreCountedOnce()
    {
        HeapStats before = QuiescentStats();
        ThreadHeap heap = Heap.ForCurrentThread();
        var objects = new List<(nint Pointer, nuint Size)>();
        for (int round = 0; round < 4; round++)
        {
            foreach (nuint size in Sizes)
            {
                void* p = round % 2 == 0 ? heap.AllocUninitialized(size) : Heap.AllocUninitialized(size);
                Assert.True(Heap.UsableSize(p) >= size);
                FillPattern(p, size, (ulong)objects.Count);
                objects.Add(((nint)p, size));
            }
        }

        HeapStats live = QuiescentStats();
        Assert.Equal((ulong)objects.Count, live.Mallocs - before.Mallocs);
        Assert.Equal(before.HeapObjects + (ulong)objects.Count, live.HeapObjects);
        for (int i = 0; i < objects.Count; i++)
        {
            (nint p, nuint size) = objects[i];
            AssertPattern((void*)p, size, (ulong)i);
            if (i % 3 == 0) Heap.Free((void*)p);
            else heap.Free((void*)p);
        }

        HeapStats after = QuiescentStats();
        AssertConsistent(after);
        Assert.Equal((ulong)objects.Count, after.Frees - before.Frees);
        Assert.Equal(before.HeapObjects, after.HeapObjects);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void AllocZeroesWhatWasDirty(int size)
    {
        ThreadHeap heap = Heap.ForCurrentThread();
        byte* dirty = (byte*)heap.AllocUninitialized((nuint)size);
        new Span<byte>(dirty, size).Fill(0xAB);
        heap.Free(dirty);
        byte* p = (byte*)heap.Alloc((nuint)size);
        AssertZeroed(p, (nuint)size);
        heap.Free(p);
    }

    [Fact]
    public void FreeOfNullDoesNothing()
    {
        HeapStats before = SettledStats();
        Heap.ForCurrentThread().Free(null);
        AssertUnchanged(before, Heap.GetStats());
    }

    [Fact]
    public void BadPointersAreRejectedAndTheHeapIsUnchanged()
    {
        byte* small = (byte*)Heap.Alloc(64);
        FillPattern(small, 64, 3);
        void* foreign = NativeMemory.Alloc(64);
        void* large = Heap.Alloc(1 << 20);
        Heap.Free(large);
        try
        {
            HeapStats before = SettledStats();
            ThreadHeap heap = Heap.ForCurrentThread();
            var notOurs = Assert.Throws<ArgumentException>(() => FreeByHandle(foreign));
            Assert.Contains("not allocated by Gen", notOurs.Message);
            var interior = Assert.Throws<ArgumentException>(() => FreeByHandle(small + 8));
            Assert.Contains("interior pointer", interior.Message);
            Assert.Contains("double free", Assert.Throws<InvalidOperationException>(() => FreeByHandle(large)).Message);
            AssertUnchanged(before, Heap.GetStats());
            AssertPattern(small, 64, 3);
            heap.Free(small);
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    [Fact]
    public void ImpossibleSizesThrowOutOfMemory()
    {
        HeapStats before = SettledStats();
        var error = Assert.Throws<OutOfMemoryException>(() => { Heap.ForCurrentThread().Alloc(nuint.MaxValue); });
        Assert.Contains("larger than", error.Message);
        AssertUnchanged(before, Heap.GetStats());
    }

    [Fact]
    public void TypedAllocationThroughAHandleRecordsTheTypeAndValidatesTheFree()
    {
        ThreadHeap heap = Heap.ForCurrentThread();
        ListNode* node = heap.Alloc<ListNode>();
        Sample* sample = heap.AllocUninitialized<Sample>();
        Page* page = heap.Alloc<Page>();
        AssertZeroed(node, (nuint)sizeof(ListNode));
        AssertZeroed(page, (nuint)sizeof(Page));
        Assert.Equal(ListNode.PointerBitmap, Heap.GetPointerBitmap(node));
        Assert.Equal(Page.PointerBitmap, Heap.GetPointerBitmap(page));
        Assert.True(Heap.GetPointerBitmap(sample).IsEmpty);
        Assert.Equal((nuint)ListNode.ClassSize, Heap.UsableSize(node));

        Assert.Throws<ArgumentException>(() => FreeByHandle((ListNode*)((byte*)node + 8)));
        heap.Free(node);
        heap.Free(sample);
        heap.Free(page);
        Assert.Contains("double free", Assert.Throws<InvalidOperationException>(() => FreeByHandle(page)).Message);
    }

    [Fact]
    public void AThreadsFirstCallMayBeThroughAHandle() => RunOnNewThread(() =>
    {
        // The handle makes the thread's cache; the next allocation of the size reuses what the handle freed.
        ReturnBatchesToTheirSpans();
        ThreadHeap heap = Heap.ForCurrentThread();
        void* p = heap.AllocUninitialized(200);
        heap.Free(p);
        Assert.Equal((nint)p, (nint)Heap.AllocUninitialized(200));
        Heap.Free(p);
    });

    [Fact]
    public void TheDefaultHandleWorksLikeTheStaticApi() => RunOnNewThread(() =>
    {
        // default(ThreadHeap) has no cache: every call takes the slow path, which finds (or makes) the thread's.
        ReturnBatchesToTheirSpans();
        ThreadHeap none = default;
        void* p = none.Alloc(72);
        AssertZeroed(p, 72);
        none.Free(p);
        Assert.Equal((nint)p, (nint)Heap.AllocUninitialized(72));
        none.Free(p);
        ListNode* node = none.Alloc<ListNode>();
        none.Free(node);
    });

    [Fact]
    public void AHandleFreesObjectsOfOtherThreads()
    {
        HeapStats before = QuiescentStats();
        List<nint> others = RunOnNewThread(() =>
        {
            var list = new List<nint>();
            for (int i = 0; i < 3000; i++) list.Add((nint)Heap.AllocUninitialized((nuint)(16 + i % 500)));
            return list;
        });
        ThreadHeap heap = Heap.ForCurrentThread();
        foreach (nint p in others) heap.Free((void*)p);
        HeapStats after = QuiescentStats();
        AssertConsistent(after);
        Assert.Equal(before.HeapObjects, after.HeapObjects);
        Assert.Equal(3000ul, after.Frees - before.Frees);
    }

    [Fact]
    public void ReleasingTheThreadCacheKeepsEveryCountAndTheThreadMayAllocateAgain() => RunOnNewThread(() =>
    {
        Heap.ReleaseThreadCache(); // no cache yet: nothing to do
        HeapStats before = QuiescentStats();
        var objects = new List<nint>();
        for (int i = 0; i < 2000; i++) objects.Add((nint)Heap.AllocUninitialized((nuint)(8 + i % 700)));
        for (int i = 0; i < objects.Count; i += 2) Heap.Free((void*)objects[i]); // some on the local lists
        HeapStats live = QuiescentStats();

        Heap.ReleaseThreadCache();
        Heap.ReleaseThreadCache(); // released already: nothing to do
        HeapStats released = QuiescentStats();
        AssertConsistent(released);
        Assert.Equal(live.Mallocs, released.Mallocs);
        Assert.Equal(live.Frees, released.Frees);
        Assert.Equal(live.HeapObjects, released.HeapObjects);

        // A new handle, and the static API, work on the cache the thread gets anew; the live objects are intact.
        ThreadHeap heap = Heap.ForCurrentThread();
        for (int i = 1; i < objects.Count; i += 2) heap.Free((void*)objects[i]);
        void* p = Heap.Alloc(100);
        AssertZeroed(p, 100);
        heap.Free(p);
        HeapStats after = QuiescentStats();
        AssertConsistent(after);
        Assert.Equal(before.HeapObjects, after.HeapObjects);
        Assert.Equal(before.Mallocs + (ulong)objects.Count + 1, after.Mallocs);
    });

    /// <summary>The reuse checks need the freed object to be in a span the thread owns, so that its free goes to the
    /// thread's own list. A batch refilled from the central transfer cache holds objects of other threads' spans (their
    /// frees go home); returning every batch to its span first makes the next refill take whole spans, which it
    /// owns.</summary>
    private static void ReturnBatchesToTheirSpans() => Heap.ReleaseMemory();

    // A handle cannot be captured by a lambda (it is a ref struct): each call that should throw makes its own.
    private static void FreeByHandle(void* p) => Heap.ForCurrentThread().Free(p);

    private static void FreeByHandle<T>(T* p) where T : unmanaged, ISizeClassed<T> => Heap.ForCurrentThread().Free(p);
}
