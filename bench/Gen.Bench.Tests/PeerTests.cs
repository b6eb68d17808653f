using Gen.Bench.Allocators;
using Gen.Bench.Runner;
using Xunit;

namespace Gen.Bench.Tests;

public sealed class PeerTests
{
    /// <summary>A library that no system has, standing for a peer whose Debian package is not installed.</summary>
    private readonly struct AbsentLibrary : INativeAllocatorLibrary
    {
        public static string FileName => "libgen-bench-absent.so.7";
        public static string DebianPackage => "gen-bench-absent7";
        public static string MallocExport => "malloc";
        public static string CallocExport => "calloc";
        public static string FreeExport => "free";
    }

    [Fact]
    public void AnAbsentLibrary_IsSkippedWithItsDebianPackageNamed()
    {
        var peer = new LibraryPeer<AbsentLibrary>("absent");

        Assert.False(NativeLibraryAllocator<AbsentLibrary>.IsAvailable);
        Assert.Contains("gen-bench-absent7", peer.UnavailableReason);
        Assert.Contains("libgen-bench-absent.so.7", peer.UnavailableReason);
    }
}
