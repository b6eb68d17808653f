using System;
using System.Collections.Generic;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>
/// Heap.AllocAligned: zeroed objects at multiples of a power of two up to the page size, from the smallest size class
/// whose objects all lie at such multiples; bad alignments are refused with the heap unchanged.
/// </summary>
public unsafe class AlignedAllocationTests
{
    public static IEnumerable<object[]> AlignmentsAndSizes()
    {
        nuint[] sizes = [0, 1, 8, 17, 24, 100, 1000, 3000, 4097, 9000, 20_000, 32 * 1024, 40_000, (1 << 20) + 3];
        foreach (bool zeroed in new[] { true, false })
        {
            for (nuint alignment = 1; alignment <= (nuint)Heap.MaxAlignment; alignment <<= 1)
            {
                foreach (nuint size in sizes) yield return [alignment, size, zeroed];
            }
        }
    }

    [Theory]
    [MemberData(nameof(AlignmentsAndSizes))]
    public void ObjectsAreAlignedAndFreeable(nuint alignment, nuint size, bool zeroed)
    {
        HeapStats before = QuiescentStats();
        // One through each API. Each object is dirtied before it is freed, so later cases that reuse it check the zeroing.
        ThreadHeap heap = Heap.ForCurrentThread();
        var objects = zeroed
            ? new nint[] { (nint)Heap.AllocAligned(size, alignment), (nint)heap.AllocAligned(size, alignment) }
            : new nint[] { (nint)Heap.AllocAlignedUninitialized(size, alignment), (nint)heap.AllocAlignedUninitialized(size, alignment) };
        foreach (nint address in objects)
        {
            var p = (byte*)address;
            Assert.True((nuint)p % alignment == 0, $"{(nuint)p:x} is not a multiple of {alignment}");
            Assert.True(Heap.UsableSize(p) >= size, $"{Heap.UsableSize(p)} usable bytes for a request of {size}");
            if (zeroed)
            {
                for (nuint i = 0; i < size; i++) Assert.Equal(0, p[i]);
            }
            else
            {
                void* other = Heap.AllocAligned(size, alignment); // the same request, zeroed, takes the same class
                Assert.Equal(Heap.UsableSize(other), Heap.UsableSize(p));
                Heap.Free(other);
            }
            new Span<byte>(p, (int)size).Fill(0xAB);
            Heap.Free(p);
        }
        Assert.Equal(before.HeapObjects, QuiescentStats().HeapObjects);
    }

    [Fact]
    public void TheSmallestClassWhoseObjectsAreAlignedServesTheRequest()
    {
        for (int sizeClass = 1; sizeClass < SizeClasses.Count; sizeClass++)
        {
            nuint size = (nuint)SizeClasses.ObjectSize(sizeClass);
            for (nuint alignment = 16; alignment <= (nuint)Heap.MaxAlignment; alignment <<= 1)
            {
                int expected = sizeClass;
                while (SizeClasses.ObjectSize(expected) % (int)alignment != 0) expected++;
                void* p = Heap.AllocAligned(size, alignment);
                try
                {
                    Assert.Equal((nuint)SizeClasses.ObjectSize(expected), Heap.UsableSize(p));
                }
                finally
                {
                    Heap.Free(p);
                }
            }
        }
    }

    [Fact]
    public void EightByteAlignmentOrLessCostsNoLargerClass()
    {
        void* p = Heap.AllocAligned(24, 8);
        Assert.Equal((nuint)24, Heap.UsableSize(p)); // class 3: 24-byte objects, all at multiples of 8
        Heap.Free(p);
        p = Heap.AllocAligned(24, 16);
        Assert.Equal((nuint)32, Heap.UsableSize(p));
        Heap.Free(p);
    }

    [Theory]
    [InlineData(0ul)]
    [InlineData(3ul)]
    [InlineData(24ul)]
    [InlineData(16_384ul)]
    [InlineData(ulong.MaxValue)]
    public void BadAlignmentsAreRefusedWithTheHeapUnchanged(ulong alignment)
    {
        HeapStats before = SettledStats();
        var error = Assert.Throws<ArgumentException>(() => Heap.AllocAligned(64, (nuint)alignment));
        Assert.Equal("alignment", error.ParamName);
        Assert.Contains("power of two", error.Message);
        Assert.Throws<ArgumentException>(() => Heap.ForCurrentThread().AllocAligned(64, (nuint)alignment));
        Assert.Throws<ArgumentException>(() => Heap.AllocAlignedUninitialized(64, (nuint)alignment));
        Assert.Throws<ArgumentException>(() => Heap.ForCurrentThread().AllocAlignedUninitialized(64, (nuint)alignment));
        HeapStats after = SettledStats();
        Assert.Equal(before.HeapObjects, after.HeapObjects);
        Assert.Equal(before.Mallocs, after.Mallocs);
    }

    [Fact]
    public void AnImpossibleSizeIsOutOfMemory()
    {
        HeapStats before = SettledStats();
        Assert.Throws<OutOfMemoryException>(() => Heap.AllocAligned(nuint.MaxValue, 64));
        Assert.Equal(before.HeapObjects, SettledStats().HeapObjects);
    }
}
