using System;
using Gen.Runtime;
using Xunit;

namespace Gen.Tests;

/// <summary>The tables the fast paths use to find a thread cache's entry without computing a span class.</summary>
public class ThreadCacheLayoutTests
{
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
