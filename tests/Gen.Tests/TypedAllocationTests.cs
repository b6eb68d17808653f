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
        HeapStats before = QuiescentStats();
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
