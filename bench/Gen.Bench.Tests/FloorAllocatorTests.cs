using System;
using System.Linq;
using System.Threading;
using Gen.Bench.Allocators;
using Gen.Bench.Runner;
using Gen.Bench.Workloads;
using Xunit;

namespace Gen.Bench.Tests;

/// <summary>The workloads' floor must be a real allocator for what it serves, and refuse what it does not.</summary>
public sealed unsafe class FloorAllocatorTests
{
    [Fact]
    public void ObjectsOfOneClassAreReusedNewestFirst_AndClassesNeverShareMemory()
    {
        RunOnOwnThread(floor =>
        {
            // The thread may have taken the lists of a thread that ran before it, so nothing here assumes fresh memory.
            byte* a = (byte*)floor.Alloc(24);
            byte* b = (byte*)floor.Alloc(20); // class 3 (24 B) too
            byte* big = (byte*)floor.Alloc(1000); // class 1024 B
            Assert.True(b >= a + 24 || b + 24 <= a, "two live 24-byte objects overlap");
            Assert.True(big >= a + 24 || big + 1024 <= a, "a 1,000-byte object overlaps a 24-byte one");
            Assert.True(big >= b + 24 || big + 1024 <= b, "a 1,000-byte object overlaps a 24-byte one");

            floor.Free(a);
            floor.Free(b);
            Assert.Equal((nint)b, (nint)floor.Alloc(17));
            Assert.Equal((nint)a, (nint)floor.Alloc(24));

            *(long*)big = -1;
            floor.Free(big);
            byte* zeroed = (byte*)floor.AllocZeroed(1000);
            Assert.Equal((nint)big, (nint)zeroed);
            Assert.True(new Span<byte>(zeroed, 1000).IndexOfAnyExcept((byte)0) < 0);
            floor.Free(zeroed);
            floor.Free(a);
            floor.Free(b);
        });
    }

    [Fact]
    public void LargeObjects_AreRefusedWithAClearMessage()
    {
        RunOnOwnThread(floor =>
        {
            var e = Assert.Throws<NotSupportedException>(() => floor.Alloc(SizeClasses.MaxSmallSize + 1));
            Assert.Contains("small objects only", e.Message);
        });
    }

    [Fact]
    public void TheFloorPeer_RunsTheWorkloadsOfSmallObjectsWithoutOneWayFrees_WithGlibcsChecksums()
    {
        Peer floor = Catalog.FindPeer(Catalog.FloorPeerName)!;
        string[] served = Catalog.Workloads.Where(floor.CanRun).Select(w => w.Name).ToArray();
        Assert.Equal(["larson", "alloc-test", "glibc-thread", "mleak", "cache-scratch", "binary-trees"], served);

        var settings = new WorkloadSettings(Threads: 2, Quick: true);
        foreach (Workload workload in Catalog.Workloads.Where(floor.CanRun))
        {
            WorkloadResult glibc = workload.Run<GlibcAllocator>(settings);
            WorkloadResult floorResult = floor.Run(workload, settings);
            Assert.Equal(glibc.Operations, floorResult.Operations);
            Assert.Equal(glibc.Checksum, floorResult.Checksum);
        }
    }

    /// <summary>Each test gets a thread of its own, whose reservation the allocator's thread exit gives back.</summary>
    private static void RunOnOwnThread(Action<FloorAllocator> body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body(FloorAllocator.ForCurrentThread());
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                FloorAllocator.ThreadExit();
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null) throw new AggregateException(failure);
    }
}
