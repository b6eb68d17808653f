using System.Collections.Immutable;
using System.Threading.Tasks;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>GEN006 (wasted class space) and GEN009 (large object): what the size class costs.</summary>
public class FootprintRuleTests
{
    private static string Bytes(int size) => $$"""
        using Gen;
        [SizeClassed]
        public unsafe partial struct {|GEN006:Node|} { public fixed byte Data[{{size}}]; }
        """;

    [Fact]
    public Task ThirtyThreeBytes_WasteFifteenOfFortyEight() => AnalyzerVerifier.VerifyAsync(Bytes(33),
        "'Node' is 33 bytes; its size class reserves 48, wasting 15 bytes (31%) per object: 1 byte less fits the 32-byte class, or 15 more bytes are free");

    [Fact]
    public Task FortyOneBytes_WasteJustOverAnEighth() => AnalyzerVerifier.VerifyAsync(Bytes(41),
        "'Node' is 41 bytes; its size class reserves 48, wasting 7 bytes (15%) per object: 9 bytes less fits the 32-byte class, or 7 more bytes are free");

    [Theory]
    [InlineData(32)]    // exactly a class
    [InlineData(42)]    // 6 of 48 wasted: exactly 12.5%, not more
    [InlineData(5)]     // class 1 (8 bytes): no smaller class to move to
    [InlineData(32768)] // the largest class
    public Task SizesWithinTheBound_AreClean(int size) => AnalyzerVerifier.VerifyAsync(
        Bytes(size).Replace("{|GEN006:Node|}", "Node"));

    [Fact]
    public Task Threshold_ComesFromEditorConfig()
    {
        var lenient = ImmutableDictionary<string, string>.Empty.Add(SizeClassedStructAnalyzer.WastedClassSpaceThresholdOption, "40");
        var strict = ImmutableDictionary<string, string>.Empty.Add(SizeClassedStructAnalyzer.WastedClassSpaceThresholdOption, "10");
        return Task.WhenAll(
            AnalyzerVerifier.VerifyAsync(Bytes(33).Replace("{|GEN006:Node|}", "Node"), lenient),
            AnalyzerVerifier.VerifyAsync(Bytes(42), strict,
                "'Node' is 42 bytes; its size class reserves 48, wasting 6 bytes (13%) per object: 10 bytes less fits the 32-byte class, or 6 more bytes are free"));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    public Task UnreadableThreshold_FallsBackToTheDefault(string value) => AnalyzerVerifier.VerifyAsync(
        Bytes(33), ImmutableDictionary<string, string>.Empty.Add(SizeClassedStructAnalyzer.WastedClassSpaceThresholdOption, value),
        "'Node' is 33 bytes; its size class reserves 48, wasting 15 bytes (31%) per object: 1 byte less fits the 32-byte class, or 15 more bytes are free");

    [Fact]
    public Task LargeObject_ReportsItsPages() => AnalyzerVerifier.VerifyAsync(
        Bytes(40000).Replace("GEN006", "GEN009"),
        "'Node' is 40000 bytes, more than 32768: each object takes 5 whole 8 KiB pages (40960 bytes), wasting 960 bytes in the last page");
}
