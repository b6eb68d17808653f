using System;
using Xunit;

namespace Gen.Tests;

/// <summary>The computed table (SizeClassAlgorithm) against Go's published one and against Go's own invariants.</summary>
public class SizeClassAlgorithmTests
{
    private static readonly SizeClassAlgorithm.Table Table = SizeClassAlgorithm.Compute();

    [Fact]
    public void ComputesGoTableOf68Classes()
    {
        Assert.Equal(68, Table.Count);
        Assert.Equal(24, Table.ObjectSize[Table.ClassOf(18)]);
        Assert.Equal(3, Table.ClassOf(18));
    }

    [Fact]
    public void EveryClassMatchesGosPublishedTable()
    {
        for (int cls = 0; cls < GoSizeClassTable.ClassCount; cls++)
        {
            Assert.True(GoSizeClassTable.ObjectSizeBytes[cls] == Table.ObjectSize[cls],
                $"class {cls}: size {Table.ObjectSize[cls]}, Go has {GoSizeClassTable.ObjectSizeBytes[cls]}");
            Assert.True(GoSizeClassTable.SpanPages[cls] == Table.SpanPages[cls],
                $"class {cls}: {Table.SpanPages[cls]} pages, Go has {GoSizeClassTable.SpanPages[cls]}");
        }
    }

    [Theory]
    [InlineData(1, 8, 1, 1024)]
    [InlineData(2, 16, 1, 512)]
    [InlineData(3, 24, 1, 341)]
    [InlineData(32, 1024, 1, 8)]
    [InlineData(35, 1408, 2, 11)]
    [InlineData(52, 9472, 7, 6)] // the enlarge step: 8448 grows to 9472, still 6 objects in 7 pages
    [InlineData(65, 27264, 10, 3)]
    [InlineData(67, 32768, 4, 1)]
    public void SpotValues(int cls, int objectSize, int spanPages, int objectsPerSpan)
    {
        Assert.Equal(objectSize, Table.ObjectSize[cls]);
        Assert.Equal(spanPages, Table.SpanPages[cls]);
        Assert.Equal(objectsPerSpan, Table.ObjectsPerSpan[cls]);
    }

    [Fact]
    public void ClassZeroStandsForLargeObjects()
    {
        Assert.Equal(0, Table.ObjectSize[0]);
        Assert.Equal(0, Table.SpanPages[0]);
        Assert.Equal(0, Table.ObjectsPerSpan[0]);
    }

    [Fact]
    public void MaximaAreGos()
    {
        int maxObjects = 0, maxPages = 0;
        for (int cls = 1; cls < Table.Count; cls++)
        {
            maxObjects = Math.Max(maxObjects, Table.ObjectsPerSpan[cls]);
            maxPages = Math.Max(maxPages, Table.SpanPages[cls]);
        }
        Assert.Equal(1024, maxObjects); // Go's MaxObjsPerSpan
        Assert.Equal(10, maxPages);     // Go's MaxSizeClassNPages
        Assert.Equal(32768, Table.ObjectSize[Table.Count - 1]);
    }

    [Fact]
    public void SizesStrictlyIncreaseAndSpanBytesIsPagesTimesPageSize()
    {
        for (int cls = 2; cls < Table.Count; cls++)
        {
            Assert.True(Table.ObjectSize[cls] > Table.ObjectSize[cls - 1], $"class {cls} is not larger than {cls - 1}");
        }
        for (int cls = 1; cls < Table.Count; cls++)
        {
            Assert.Equal(Table.SpanPages[cls] * SizeClassAlgorithm.PageSize / Table.ObjectSize[cls], Table.ObjectsPerSpan[cls]);
        }
    }

    [Fact]
    public void TailWasteIsAtMostAnEighthOfTheSpan()
    {
        for (int cls = 1; cls < Table.Count; cls++)
        {
            int spanBytes = Table.SpanPages[cls] * SizeClassAlgorithm.PageSize;
            int tailBytes = spanBytes - Table.ObjectsPerSpan[cls] * Table.ObjectSize[cls];
            Assert.True(tailBytes <= spanBytes / 8, $"class {cls}: tail {tailBytes} of {spanBytes}");
        }
    }

    [Fact]
    public void LookupEqualsFirstClassThatFitsForEverySmallSize()
    {
        int expected = 1;
        for (int size = 1; size <= SizeClassAlgorithm.MaxSmallSizeBytes; size++)
        {
            while (Table.ObjectSize[expected] < size) expected++;
            int actual = Table.ClassOf(size);
            if (actual != expected) Assert.Fail($"size {size}: class {actual}, first class that fits is {expected}");
        }
    }

    [Fact]
    public void LookupAgreesWithGosWrappingFormulaBelow1024()
    {
        // Go: size <= 1016 → SizeToSizeClass8[ceil(size/8)], else SizeToSizeClass128[ceil((size-1024)/128)],
        // relying on unsigned wrap-around for 1017..1023 (index 0 of the 128-byte table).
        for (uint size = 1; size <= SizeClassAlgorithm.MaxSmallSizeBytes; size++)
        {
            int goClass = size <= 1016
                ? Table.SizeToClass8[(size + 7) / 8]
                : Table.SizeToClass128[unchecked(size - 1024u + 127u) / 128u];
            Assert.Equal(goClass, Table.ClassOf((int)size));
        }
    }

    [Fact]
    public unsafe void ExactDivisionGivesTheIndexOfEveryObjectStartAndRejectsEveryOtherOffset()
    {
        var random = new Random(7);
        for (int cls = 1; cls < Table.Count; cls++)
        {
            int size = Table.ObjectSize[cls];
            var span = new Gen.Runtime.Span
            {
                ElemSize = (uint)size,
                NElems = (nuint)Table.ObjectsPerSpan[cls],
                DivInverse = Table.DivInverse[cls],
                DivShift = (byte)Table.DivShift[cls],
            };
            int spanBytes = Table.SpanPages[cls] * SizeClassAlgorithm.PageSize;
            // Every offset in the span and a page past it, and offsets that wrapped (a pointer below the span's start).
            for (long offset = -SizeClassAlgorithm.PageSize; offset < spanBytes + SizeClassAlgorithm.PageSize; offset++)
                CheckOffset(ref span, cls, size, offset);
            for (int i = 0; i < 10_000; i++)
                CheckOffset(ref span, cls, size, random.NextInt64(long.MinValue, long.MaxValue));
        }

        static void CheckOffset(ref Gen.Runtime.Span span, int cls, int size, long offset)
        {
            bool isStart = offset >= 0 && offset % size == 0 && (ulong)(offset / size) < span.NElems;
            ulong index = span.ObjectIndex((nuint)offset);
            if (isStart ? index != (ulong)(offset / size) : index < span.NElems)
                Assert.Fail($"class {cls} ({size} B): offset {offset} gave index {index}");
            Assert.Equal(isStart, span.IsObjectStart((void*)(nuint)offset)); // Start is 0
        }
    }

    [Fact]
    public void SizeZeroIsServedByClassOne() => Assert.Equal(1, Table.ClassOf(0));
}
