using System.Collections.Generic;
using System.Linq;
using Gen.Bench.Allocators;
using Gen.Bench.Runner;
using Gen.Bench.Workloads;
using Xunit;

namespace Gen.Bench.Tests;

/// <summary>
/// Every peer must do the same work: at the quick scale, each workload's checksum with Gen, through its static methods
/// and through each thread's handle, equals its checksum with glibc (and with the .NET GC where the workload has a
/// managed form). The runner asserts the same across processes.
/// </summary>
public sealed class WorkloadChecksumTests
{
    public static IEnumerable<object[]> WorkloadNames => Catalog.Workloads.Select(w => new object[] { w.Name });

    [Theory]
    [MemberData(nameof(WorkloadNames))]
    public void GenItsHandleAndGlibc_ReadBackTheSameBytes(string workloadName)
    {
        Workload workload = Catalog.FindWorkload(workloadName)!;
        var settings = new WorkloadSettings(Threads: 2, Quick: true);

        WorkloadResult glibc = workload.Run<GlibcAllocator>(settings);
        WorkloadResult gen = workload.Run<GenAllocator>(settings);
        WorkloadResult genThreadHeap = workload.Run<GenThreadHeapAllocator>(settings);

        Assert.NotEqual(0UL, glibc.Checksum);
        Assert.Equal(glibc.Operations, gen.Operations);
        Assert.Equal(glibc.Checksum, gen.Checksum);
        Assert.Equal(glibc.Operations, genThreadHeap.Operations);
        Assert.Equal(glibc.Checksum, genThreadHeap.Checksum);
        if (workload.HasManagedForm)
        {
            Assert.Equal(glibc.Checksum, workload.RunManaged(settings).Checksum);
        }
    }

    [Fact]
    public void ProcessMemory_ReadsThisProcesssResidentSet()
    {
        long current = ProcessMemory.ResidentKiB();
        long peak = ProcessMemory.PeakResidentKiB();

        Assert.True(current > 1024, $"VmRSS {current} KiB");
        Assert.True(peak >= current, $"VmHWM {peak} KiB < VmRSS {current} KiB");
    }
}
