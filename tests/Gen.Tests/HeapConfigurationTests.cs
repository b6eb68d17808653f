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
}
