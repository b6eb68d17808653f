using System;
using Xunit;

namespace Gen.Tests.Checked;

/// <summary>The runtimeconfig knobs this project's csproj sets are what the heap starts with (an environment
/// variable would win over them: GEN_HEAP_HARD_LIMIT, GEN_SCAVENGE_DELAY_MS).</summary>
public class RuntimeConfigKnobTests
{
    [Fact]
    public void HardLimitComesFromGenHeapHardLimit()
    {
        Assert.Null(Environment.GetEnvironmentVariable("GEN_HEAP_HARD_LIMIT"));
        Assert.Equal(64L << 30, Heap.HardLimit);
    }

    [Fact]
    public void ScavengeDelayComesFromGenScavengeDelayMilliseconds()
    {
        Assert.Null(Environment.GetEnvironmentVariable("GEN_SCAVENGE_DELAY_MS"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Heap.ScavengeDelay);
    }
}
