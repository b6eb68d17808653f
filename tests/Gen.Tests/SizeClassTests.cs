using Xunit;

namespace Gen.Tests;

public class SizeClassAlgorithmTests
{
    [Fact]
    public void ComputesGoTableOf68Classes()
    {
        var t = SizeClassAlgorithm.Compute();
        Assert.Equal(68, t.Count);
        Assert.Equal(24, t.ObjectSize[t.ClassOf(18)]);
        Assert.Equal(3, t.ClassOf(18));
    }
}
