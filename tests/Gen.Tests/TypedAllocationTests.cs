using System;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Heap.Alloc&lt;T&gt;, Free&lt;T&gt; and GetPointerBitmap with ISizeClassed written by hand, exactly as the
/// source generator would emit it, so that the runtime is tested without the generator.</summary>
public unsafe class TypedAllocationTests
{
    /// <summary>24 bytes, class 3, data pointers at words 0 and 2.</summary>
    internal struct ListNode : ISizeClassed<ListNode>
    {
        public ListNode* Next;
        public long Value;
        public ListNode* Previous;

        public static int Size => 24;
        public static int SizeClass => 3;
        public static int ClassSize => 24;
        public static bool HasPointers => true;
        public static ReadOnlySpan<byte> PointerBitmap => [0b0000_0101];
    }

    /// <summary>24 bytes like <see cref="ListNode"/>, so the two share span class 3 (scan), with its one data pointer
    /// at word 1: a span holding both must keep each object's own bitmap.</summary>
    internal struct Triple : ISizeClassed<Triple>
    {
        public long Key;
        public Triple* Link;
        public long Value;

        public static int Size => 24;
        public static int SizeClass => 3;
        public static int ClassSize => 24;
        public static bool HasPointers => true;
        public static ReadOnlySpan<byte> PointerBitmap => [0b0000_0010];
    }

    /// <summary>100 bytes of plain data: class 9 (112 B), no pointers.</summary>
    internal struct Sample : ISizeClassed<Sample>
    {
        public fixed byte Bytes[100];

        public static int Size => 100;
        public static int SizeClass => 9;
        public static int ClassSize => 112;
        public static bool HasPointers => false;
        public static ReadOnlySpan<byte> PointerBitmap => [];
    }

    /// <summary>40,000 bytes with a pointer in word 1: a large object (class 0), five pages.</summary>
    internal struct Page : ISizeClassed<Page>
    {
        public long Header;
        public void* Owner;
        public fixed byte Payload[40_000 - 16];

        public static int Size => 40_000;
        public static int SizeClass => 0;
        public static int ClassSize => 5 * 8192;
        public static bool HasPointers => true;
        public static ReadOnlySpan<byte> PointerBitmap => [0b0000_0010];
    }

    /// <summary>Claims 16 bytes but is 8: what a stale generator output would look like.</summary>
    internal struct Mislabelled : ISizeClassed<Mislabelled>
    {
        public fixed byte Bytes[8];

        public static int Size => 16;
        public static int SizeClass => 2;
        public static int ClassSize => 16;
        public static bool HasPointers => false;
        public static ReadOnlySpan<byte> PointerBitmap => [];
    }

    [Fact]
    public void ATypeWhoseCompiledSizeIsWrongIsRefusedAndNothingIsAllocated()
    {
        Assert.NotEqual(sizeof(Mislabelled), Mislabelled.Size);
        HeapStats before = SettledStats();
        var error = Assert.Throws<InvalidOperationException>(() => Heap.Alloc<Mislabelled>());
        Assert.Contains(nameof(Mislabelled), error.Message);
        Assert.Throws<InvalidOperationException>(() => Heap.AllocUninitialized<Mislabelled>());
        AssertUnchanged(before, Heap.GetStats());
    }

    [Fact]
    public void PointerBitmapOfAForeignPointerIsRejected()
    {
        long local = 0;
        long* stackPointer = &local;
        var error = Assert.Throws<ArgumentException>(() => Heap.GetPointerBitmap(stackPointer).ToArray());
        Assert.Contains("not allocated by Gen", error.Message);
    }

    [Fact]
    public void TypedFreeOfAnObjectsAddressWithABitAbove48SetIsRejected()
    {
        // As for Free(void*): the typed fast path's masked lookup finds the node's own span, of the node's own class.
        ListNode* node = Heap.Alloc<ListNode>();
        node->Value = 42;
        HeapStats before = SettledStats();
        var error = Assert.Throws<ArgumentException>(() => Heap.Free((ListNode*)((nuint)node | (nuint)1 << 52)));
        Assert.Contains("not allocated by Gen", error.Message);
        AssertUnchanged(before, Heap.GetStats());
        Assert.Equal(42, node->Value);
        Heap.Free(node);
    }

    [Fact]
    public void PointerBitmapOfAFreedLargeObjectIsRejected()
    {
        Page* page = Heap.Alloc<Page>();
        Heap.Free(page);
        Assert.Throws<ArgumentException>(() => Heap.GetPointerBitmap(page).ToArray());
    }

    [Fact]
    public void HandWrittenFactsMatchTheLayoutAndGosTable()
    {
        Assert.Equal(sizeof(ListNode), ListNode.Size);
        Assert.Equal(sizeof(Sample), Sample.Size);
        Assert.Equal(sizeof(Page), Page.Size);
        Assert.Equal(GoSizeClassTable.ClassOf((nuint)ListNode.Size), ListNode.SizeClass);
        Assert.Equal(GoSizeClassTable.ClassOf((nuint)Sample.Size), Sample.SizeClass);
        Assert.Equal((int)GoSizeClassTable.ReservedBytes((nuint)Page.Size), Page.ClassSize);
    }

    [Fact]
    public void AllocOfTReturnsAZeroedObjectOfItsClass()
    {
        HeapStats before = QuiescentStats();
        ListNode* node = Heap.Alloc<ListNode>();
        AssertZeroed(node, (nuint)sizeof(ListNode));
        Assert.Equal((nuint)ListNode.ClassSize, Heap.UsableSize(node));
        *node = new ListNode { Next = node, Value = 42, Previous = node };
        Assert.True(node->Next == node && node->Previous == node && node->Value == 42);
        HeapStats allocated = Heap.GetStats();
        Assert.Equal(before.BySize[ListNode.SizeClass].Mallocs + 1, allocated.BySize[ListNode.SizeClass].Mallocs);
        Assert.Equal(before.HeapAlloc + (ulong)ListNode.ClassSize, allocated.HeapAlloc);
        Heap.Free(node);
        HeapStats freed = Heap.GetStats();
        Assert.Equal(before.BySize[ListNode.SizeClass].Frees + 1, freed.BySize[ListNode.SizeClass].Frees);
        Assert.Equal(before.HeapAlloc, freed.HeapAlloc);
    }

    [Fact]
    public void AllocOfTZeroesReusedMemory()
    {
        Sample* dirty = Heap.AllocUninitialized<Sample>();
        new Span<byte>(dirty, sizeof(Sample)).Fill(0xFF);
        Heap.Free(dirty);
        Sample* clean = Heap.Alloc<Sample>();
        AssertZeroed(clean, (nuint)sizeof(Sample));
        Heap.Free(clean);
    }

    [Fact]
    public void PointerBitmapIsTheTypesForScanObjectsAndEmptyOtherwise()
    {
        ListNode* node = Heap.Alloc<ListNode>();
        Sample* sample = Heap.Alloc<Sample>();
        Page* page = Heap.Alloc<Page>();
        void* untyped = Heap.Alloc(24);
        try
        {
            Assert.Equal(ListNode.PointerBitmap.ToArray(), Heap.GetPointerBitmap(node).ToArray());
            Assert.Equal(Page.PointerBitmap.ToArray(), Heap.GetPointerBitmap(page).ToArray());
            Assert.True(Heap.GetPointerBitmap(sample).IsEmpty, "a pointer-free type has no bitmap");
            Assert.True(Heap.GetPointerBitmap(untyped).IsEmpty, "an untyped allocation has no bitmap");
        }
        finally
        {
            Heap.Free(node);
            Heap.Free(sample);
            Heap.Free(page);
            Heap.Free(untyped);
        }
    }

    [Fact]
    public void TypesSharingASpanKeepTheirOwnBitmaps()
    {
        // Alternating allocations put both types in the same spans: each span starts with one type and turns mixed.
        const int Objects = 4000;
        var nodes = new nint[Objects];
        var isTriple = new bool[Objects];
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < Objects; i++)
            {
                if (nodes[i] != 0) continue;
                isTriple[i] = (i + round) % 2 == 1; // slots freed below come back as the other type
                nodes[i] = isTriple[i] ? (nint)NewTriple(i) : (nint)Heap.Alloc<ListNode>();
            }

            AssertBitmaps(nodes, isTriple);
            for (int i = round % 3; i < Objects; i += 3)
            {
                Heap.Free((void*)nodes[i]);
                nodes[i] = 0;
            }
        }

        AssertBitmaps(nodes, isTriple);
        foreach (nint node in nodes)
        {
            if (node != 0) Heap.Free((void*)node);
        }
    }

    [Fact]
    public void TwoThreadsMixingTypesInSharedSpansKeepEveryBitmap()
    {
        // Each thread allocates both types, then frees half of what the other allocated and allocates the other
        // type in its place, so objects and spans move between the threads while spans turn mixed concurrently.
        const int Objects = 20_000;
        var lists = new nint[2][];
        var kinds = new bool[2][];
        using var handOver = new System.Threading.Barrier(2);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = new System.Threading.Thread[2];
        for (int t = 0; t < 2; t++)
        {
            int me = t;
            threads[t] = new System.Threading.Thread(() =>
            {
                try
                {
                    var mine = new nint[Objects];
                    var mineIsTriple = new bool[Objects];
                    for (int i = 0; i < Objects; i++)
                    {
                        mineIsTriple[i] = (i + me) % 2 == 1;
                        mine[i] = mineIsTriple[i] ? (nint)NewTriple(i) : (nint)Heap.Alloc<ListNode>();
                    }
                    lists[me] = mine;
                    kinds[me] = mineIsTriple;
                    handOver.SignalAndWait();
                    nint[] theirs = lists[1 - me];
                    bool[] theirKinds = kinds[1 - me];
                    for (int i = me; i < Objects; i += 2)
                    {
                        Heap.Free((void*)theirs[i]);
                        theirKinds[i] = !theirKinds[i];
                        theirs[i] = theirKinds[i] ? (nint)NewTriple(i) : (nint)Heap.Alloc<ListNode>();
                    }
                    handOver.SignalAndWait();
                    AssertBitmaps(mine, mineIsTriple);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                    handOver.RemoveParticipant();
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads) thread.Join();
        Assert.Empty(failures);
        foreach (nint[] list in lists)
        {
            foreach (nint node in list) Heap.Free((void*)node);
        }
    }

    [Fact]
    public void MixedSpansTypeTablesCountAsMetadataUntilTheirSpansAreFreed()
    {
        // A class-3 span holds 341 objects: its per-object type table, made when it turns mixed, is 341 pointers.
        const long OneTableBytes = 8192 / 24 * sizeof(long);
        Heap.ReleaseMemory();
        ulong before = Heap.GetStats().MetadataSys;
        var nodes = new nint[2000];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = i % 2 == 0 ? (nint)Heap.Alloc<ListNode>() : (nint)NewTriple(i);
        ulong mixed = Heap.GetStats().MetadataSys;
        foreach (nint node in nodes) Heap.Free((void*)node);
        Heap.ReleaseMemory(); // every object back to its span, every span back to the page heap
        ulong after = Heap.GetStats().MetadataSys;

        Assert.True(mixed >= before + OneTableBytes, $"mixed spans' tables are counted: {before} -> {mixed} bytes");
        Assert.True(after <= mixed - OneTableBytes, $"freed spans' tables are uncounted: {mixed} -> {after} bytes");
    }

    private static Triple* NewTriple(int key)
    {
        Triple* triple = Heap.Alloc<Triple>();
        *triple = new Triple { Key = key, Link = triple, Value = -key };
        return triple;
    }

    /// <summary>Every live object's bitmap is its own type's.</summary>
    private static void AssertBitmaps(nint[] nodes, bool[] isTriple)
    {
        for (int i = 0; i < nodes.Length; i++)
        {
            if (nodes[i] == 0) continue;
            ReadOnlySpan<byte> expected = isTriple[i] ? Triple.PointerBitmap : ListNode.PointerBitmap;
            byte[] actual = Heap.GetPointerBitmap((void*)nodes[i]).ToArray();
            Assert.True(expected.SequenceEqual(actual),
                $"object {i} (a {(isTriple[i] ? "Triple" : "ListNode")}) has bitmap [{string.Join(", ", actual)}].");
        }
    }

    [Fact]
    public void TypedObjectsFreeThroughTheUntypedApiToo()
    {
        HeapStats before = QuiescentStats();
        Page* page = Heap.Alloc<Page>();
        Assert.Equal((nuint)Page.ClassSize, Heap.UsableSize(page));
        Assert.Equal(0u, (nuint)page % GoSizeClassTable.PageSizeBytes);
        page->Header = 7;
        page->Owner = page;
        page->Payload[40_000 - 17] = 1; // the last byte of the struct is writable
        Assert.True(page->Header == 7 && page->Owner == page);
        Heap.Free((void*)page);
        Assert.Equal(before.HeapAlloc, Heap.GetStats().HeapAlloc);
        Assert.Equal(before.HeapObjects, Heap.GetStats().HeapObjects);
    }
}
