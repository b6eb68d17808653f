using System;
using System.Runtime.InteropServices;
using Gen.Runtime;
using Xunit;

namespace Gen.Tests;

/// <summary>The layouts and tables the fast paths rely on: where a free finds everything it reads, and how
/// allocation finds a thread cache's entry without computing a span class.</summary>
public class FastPathLayoutTests
{
    [Fact]
    public unsafe void SpanKeepsWhatFreeReadsOnItsFirstCacheLineAndTheCentralsBookkeepingOnTheSecond()
    {
        // The runtime's own offsets (Marshal.OffsetOf would give the marshalled layout, where a bool takes 4 bytes).
        Span s = default;
        byte* start = (byte*)&s;
        long At(void* field) => (byte*)field - start;
        var firstLine = new (string, long)[]
        {
            ("Start", At(&s.Start)), ("State", At(&s.State)), ("SpanClass", At(&s.SpanClass)), ("DivShift", At(&s.DivShift)),
            ("DivInverse", At(&s.DivInverse)), ("NElems", At(&s.NElems)),
            ("CacheEntryOffset", At(&s.CacheEntryOffset)), ("Owner", At(&s.Owner)),
            ("OwnerIncarnation", At(&s.OwnerIncarnation)), ("ObjectType", At(&s.ObjectType)),
        };
        foreach ((string field, long offset) in firstLine)
            Assert.True(offset < 64, $"Span.{field} (at {offset}) is on the first cache line");
        var secondLine = new (string, long)[]
        {
            ("AllocCount", At(&s.AllocCount)), ("FreeList", At(&s.FreeList)), ("FreeListTail", At(&s.FreeListTail)),
            ("Next", At(&s.Next)), ("Prev", At(&s.Prev)),
        };
        foreach ((string field, long offset) in secondLine)
            Assert.True(offset >= 64, $"Span.{field} (at {offset}) is on the second cache line");
        Assert.Equal(128, sizeof(Span));
    }

    [Fact]
    public unsafe void APointerIntoAPageOfAGenArenaThatNoSpanHasCoveredIsNotGens()
    {
        // Such a page's entry in the arena's page table is the page heap's no-span, which Free's fast paths read without
        // a null check: the untyped and typed frees and UsableSize must still report the address as not Gen's.
        // Earlier tests may have covered every page of every arena, so make the page heap grow: no free run can serve
        // more pages than the heap has mapped, so it maps new arenas, and one page past whole arenas leaves the run after
        // the object almost an arena long. A free run records only its first and last page: the pages between are
        // outside every span.
        nuint mappedBytes = ((nuint)Heap.GetStats().HeapSys + HeapConstants.ArenaBytes - 1) & ~(HeapConstants.ArenaBytes - 1);
        nuint bytes = mappedBytes + HeapConstants.ArenaBytes + HeapConstants.PageSize;
        byte* large = (byte*)Heap.AllocUninitialized(bytes);
        try
        {
            byte* uncovered = null;
            for (byte* page = large + bytes; page < large + bytes + HeapConstants.ArenaBytes && PageHeap.ArenaOf(page) != null;
                 page += HeapConstants.PageSize)
            {
                if (PageHeap.ArenaOf(page)->SpanAt(page)->Start == null) { uncovered = page; break; } // the no-span
            }

            Assert.True(uncovered != null, "a page after the object is outside every span");
            HeapStats before = HeapTestSupport.SettledStats();
            foreach (nint address in new[] { (nint)uncovered, (nint)(uncovered + 64) })
            {
                var bad = (byte*)address;
                Assert.Contains("not allocated by Gen", Assert.Throws<ArgumentException>(() => Heap.Free(bad)).Message);
                Assert.Contains("not allocated by Gen",
                    Assert.Throws<ArgumentException>(() => Heap.Free((TypedAllocationTests.ListNode*)bad)).Message);
                Assert.Contains("not allocated by Gen", Assert.Throws<ArgumentException>(() => Heap.UsableSize(bad)).Message);
            }

            HeapTestSupport.AssertUnchanged(before, Heap.GetStats());
        }
        finally
        {
            Heap.Free(large); // a failure here must not leave later tests a heap larger by arenas
        }
    }

    [Fact]
    public unsafe void OtherThreadsWriteOnlyAThreadCachesInboxesAndReadOnlyItsFirstHeaderLine()
    {
        // Cross-thread frees read Dead and Incarnation; the owner counts down ForeignFreesUntilLivenessCheck on every
        // foreign free of its own.
        foreach (string field in new[] { "Dead", "Incarnation" })
            Assert.True(Marshal.OffsetOf<ThreadCache>(field) < 64, $"ThreadCache.{field} is on the first cache line");
        Assert.True(Marshal.OffsetOf<ThreadCache>("ForeignFreesUntilLivenessCheck") >= 64,
            "ThreadCache.ForeignFreesUntilLivenessCheck is on the second cache line");
        Assert.Equal(0, sizeof(ThreadCache) % 64);
        Assert.Equal(0, ThreadCache.InboxesOffset % 64); // the inboxes start on a line of their own
        Assert.Equal(sizeof(ThreadCache) + HeapConstants.NumSpanClasses * sizeof(ClassCache), ThreadCache.InboxesOffset);
    }

    [Fact]
    public void AllocationBySizeFindsTheEntryOfGosClassForEverySmallSize()
    {
        for (int size = 0; size <= GoSizeClassTable.MaxSmallSizeBytes; size++)
        {
            int noscanSpanClass = GoSizeClassTable.ClassOf((nuint)Math.Max(size, 1)) << 1 | 1;
            Assert.Equal(ThreadCache.EntryOffset(noscanSpanClass), ThreadCaches.NoscanEntryOffset((nuint)size));
        }
    }

    [Fact]
    public void EntryOffsetsAndSpanClassesRoundTrip()
    {
        for (int spanClass = 0; spanClass < HeapConstants.NumSpanClasses; spanClass++)
        {
            Assert.Equal(spanClass, ThreadCache.SpanClassAt(ThreadCache.EntryOffset(spanClass)));
        }
    }
}
