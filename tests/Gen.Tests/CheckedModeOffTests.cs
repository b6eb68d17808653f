using Xunit;

namespace Gen.Tests;

/// <summary>The main suite runs unchecked; Gen.Tests.Checked covers checked mode.</summary>
public class CheckedModeOffTests
{
    [Fact]
    public void MainSuiteRunsUnchecked() =>
        Assert.False(Heap.IsChecked, "this assembly runs with checked mode off; is GEN_CHECKED set in the environment?");
}
