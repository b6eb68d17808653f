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
            byte* a = (byte*)floor.Alloc(24);
            byte* b = (byte*)floor.Alloc(20); // class 3 (24 B) too
            byte* big = (byte*)floor.Alloc(1000);
            Assert.Equal(24, (int)(b - a));
            Assert.True(big >= b + 24 || big + 1024 <= a, "a 1,000-byte object overlaps the 24-byte class's objects");

            floor.Free(a);
            floor.Free(b);
            Assert.Equal((nint)b, (nint)floor.Alloc(17));
            Assert.Equal((nint)a, (nint)floor.Alloc(24));
            Assert.NotEqual((nint)a, (nint)floor.Alloc(24)); // the list is empty: a new object of the class's region

            byte* zeroed = (byte*)floor.AllocZeroed(1000);
            *(long*)big = -1;
            floor.Free(big);
            Assert.True(new Span<byte>(zeroed, 1000).IndexOfAnyExcept((byte)0) < 0);
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
    public void TheFloorPeer_RunsExactlyTheWorkloadsWhoseObjectsStayOnTheirThread_WithGlibcsChecksums()
    {
        Peer floor = Catalog.FindPeer(Catalog.FloorPeerName)!;
        string[] served = Catalog.Workloads.Where(floor.CanRun).Select(w => w.Name).ToArray();
        Assert.Equal(["alloc-test", "glibc-thread"], served);

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
