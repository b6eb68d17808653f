using System;
using Xunit;

namespace Gen.Tests;

/// <summary>The public Gen.SizeClasses API against Go's published table.</summary>
public class SizeClassesApiTests
{
    [Fact]
    public void CountIsGos68() => Assert.Equal(GoSizeClassTable.ClassCount, SizeClasses.Count);

    [Fact]
    public void PageAndSmallLimitsAreGos()
    {
        Assert.Equal(GoSizeClassTable.PageSizeBytes, SizeClasses.PageSize);
        Assert.Equal(GoSizeClassTable.MaxSmallSizeBytes, SizeClasses.MaxSmallSize);
    }

    [Fact]
    public void EveryClassHasGosSizePagesAndObjectCount()
    {
        for (int cls = 1; cls < SizeClasses.Count; cls++)
        {
            int size = GoSizeClassTable.ObjectSizeBytes[cls];
            int pages = GoSizeClassTable.SpanPages[cls];
            Assert.Equal(size, SizeClasses.ObjectSize(cls));
            Assert.Equal(pages, SizeClasses.SpanPages(cls));
            Assert.Equal(pages * GoSizeClassTable.PageSizeBytes / size, SizeClasses.ObjectsPerSpan(cls));
            Assert.Equal(pages * GoSizeClassTable.PageSizeBytes % size, SizeClasses.TailWaste(cls));
        }
    }

    [Fact]
    public void ClassZeroIsLargeObjects()
    {
        Assert.Equal(0, SizeClasses.ObjectSize(0));
        Assert.Equal(0, SizeClasses.ClassOf(32769));
        Assert.Equal(0, SizeClasses.ClassOf(nuint.MaxValue));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    [InlineData(18, 3)]
    [InlineData(1024, 32)]
    [InlineData(1025, 33)]
    [InlineData(9472, 52)]
    [InlineData(32768, 67)]
    public void ClassOfSpotValues(int size, int expectedClass) => Assert.Equal(expectedClass, SizeClasses.ClassOf((nuint)size));

    [Fact]
    public void ClassOfIsTheFirstClassThatFitsForEverySmallSize()
    {
        for (nuint size = 1; size <= GoSizeClassTable.MaxSmallSizeBytes; size++)
        {
            int expected = GoSizeClassTable.ClassOf(size);
            int actual = SizeClasses.ClassOf(size);
            if (actual != expected) Assert.Fail($"ClassOf({size}) = {actual}, first class that fits is {expected}");
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(68)]
    public void OutOfRangeClassesAreRejected(int cls)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeClasses.ObjectSize(cls));
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeClasses.SpanPages(cls));
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeClasses.ObjectsPerSpan(cls));
    }

    [Theory]
    [InlineData(1, 87.50)]
    [InlineData(3, 29.24)]
    [InlineData(35, 14.00)]
    [InlineData(52, 14.28)]
    [InlineData(67, 12.50)]
    public void MaxWasteMatchesGosColumn(int cls, double percent) =>
        Assert.Equal(percent, Math.Round(SizeClasses.MaxWastePercent(cls), 2));
}
