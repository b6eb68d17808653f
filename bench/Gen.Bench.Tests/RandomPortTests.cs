using System.Linq;
using System.Runtime.InteropServices;
using Gen.Bench.Workloads;
using Xunit;

namespace Gen.Bench.Tests;

/// <summary>The workloads' random generators must draw what the C programs draw.</summary>
public sealed partial class RandomPortTests
{
    [LibraryImport("libc", EntryPoint = "srand")]
    private static partial void LibcSrand(uint seed);

    [LibraryImport("libc", EntryPoint = "rand")]
    private static partial int LibcRand();

    [Theory]
    [InlineData(1u)] // glibc-thread never seeds: srand(1)
    [InlineData(0x1ce4e5b9u)] // mleak
    public void GlibcRand_DrawsWhatLibcRandDraws(uint seed)
    {
        // The C library itself is the reference: same seed, same first 5000 values.
        LibcSrand(seed);
        int[] expected = Enumerable.Range(0, 5000).Select(_ => LibcRand()).ToArray();

        var port = new GlibcRand(seed);
        int[] actual = Enumerable.Range(0, 5000).Select(_ => port.Next()).ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AllocTestSizes_FollowTheSuitesDistribution()
    {
        // The reference: uniform within (2^k, 2^(k+1)] for k = 2..9, half of all sizes in 5..8 B, a quarter in 9..16 B.
        var random = new AllocTestRng(41);
        const int draws = 200_000;
        int[] sizes = Enumerable.Range(0, draws).Select(_ => (int)AllocTestRng.SizeFrom(random.Next64())).ToArray();

        Assert.All(sizes, size => Assert.InRange(size, 5, 1024));
        Assert.InRange(sizes.Count(s => s <= 8) / (double)draws, 0.49, 0.51);
        Assert.InRange(sizes.Count(s => s is > 8 and <= 16) / (double)draws, 0.24, 0.26);
        Assert.InRange(sizes.Count(s => s > 512) / (double)draws, 0.006, 0.010);
    }

    [Fact]
    public void Lran2_StaysInItsRange_AndDependsOnTheSeed()
    {
        var first = new Lran2(4141);
        var second = new Lran2(4142);
        int[] a = Enumerable.Range(0, 10_000).Select(_ => first.Next()).ToArray();
        int[] b = Enumerable.Range(0, 10_000).Select(_ => second.Next()).ToArray();

        Assert.All(a, value => Assert.InRange(value, 0, 714024));
        Assert.NotEqual(a, b);
        // A shuffled LCG spreads its values: no tenth of the range holds more than 12% of the draws.
        Assert.All(a.GroupBy(v => v / 71403), group => Assert.True(group.Count() < 1200));
    }

    [Fact]
    public void SplitMixChance_HappensWithProbabilityPercentPlusOne()
    {
        // mstress's chance(p) is `pick % 100 <= p`: chance(50) is 51%.
        var random = new SplitMix(43 * 43);
        int hits = Enumerable.Range(0, 100_000).Count(_ => random.Chance(50));
        Assert.InRange(hits / 100_000.0, 0.50, 0.52);
    }
}
