using System;
using Gen.Runtime;
using Xunit;

namespace Gen.Tests;

/// <summary>The size syntax of GEN_HEAP_HARD_LIMIT / Gen.HeapHardLimit (GOMEMLIMIT's suffixes). The knobs themselves
/// are read from a runtimeconfig in Gen.Tests.Checked.</summary>
public class HeapConfigurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1234", 1234L)]
    [InlineData("5B", 5L)]
    [InlineData("8 KiB", 8L << 10)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData(" 2 GiB ", 2L << 30)]
    [InlineData("3TiB", 3L << 40)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void ParsesBytesWithGoMemLimitSuffixes(string text, long expected) =>
        Assert.Equal(expected, HeapConfiguration.ParseBytes(text));

    [Theory]
    [InlineData("")]
    [InlineData("GiB")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5GiB")]
    [InlineData("64MB")]
    [InlineData("64 mib")]
    [InlineData("1,000")]
    [InlineData("8388608TiB")] // 2^63 bytes: one past long.MaxValue
    [InlineData("9223372036854775808")]
    public void RejectsMalformedOrOverflowingSizes(string text) => Assert.Null(HeapConfiguration.ParseBytes(text));

    [Fact]
    public void EnvironmentVariablesSetTheStartupValues()
    {
        // The runtime reads these once at start-up; reading them again here exercises the same code on the
        // environment path (the runtimeconfig path is covered in Gen.Tests.Checked).
        try
        {
            Environment.SetEnvironmentVariable(HeapConfiguration.HardLimitEnv, "3 GiB");
            Environment.SetEnvironmentVariable(HeapConfiguration.ScavengeDelayEnv, "250");
            Assert.Equal(3L << 30, HeapConfiguration.InitialHardLimit);
            Assert.Equal(250L, HeapConfiguration.InitialScavengeDelayMs);

            Environment.SetEnvironmentVariable(HeapConfiguration.HardLimitEnv, "lots");
            var error = Assert.Throws<InvalidOperationException>(() => HeapConfiguration.InitialHardLimit);
            Assert.Contains("GEN_HEAP_HARD_LIMIT='lots' is not a size", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(HeapConfiguration.HardLimitEnv, null);
            Environment.SetEnvironmentVariable(HeapConfiguration.ScavengeDelayEnv, null);
        }
        Assert.Equal(long.MaxValue, HeapConfiguration.InitialHardLimit);
        Assert.Equal(HeapConfiguration.DefaultScavengeDelayMs, HeapConfiguration.InitialScavengeDelayMs);
    }
}
