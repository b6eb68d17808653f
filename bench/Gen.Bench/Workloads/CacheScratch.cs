using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// cache-scratch (Hoard's, `cache-scratch threads 1000 1 2000000 threads`): main allocates one 1-byte object per
/// thread and hands it over; each thread frees it (a remote free) and then 1000 times allocates 1 byte, writes and
/// reads it 2,000,000/threads times and frees it. An allocator that hands the threads neighbouring bytes of one
/// cache line (passive false sharing) scales badly. It reports wall time.
/// </summary>
internal sealed class CacheScratch : Workload
{
    private const int ObjectBytes = 1;
    private const int Iterations = 1000;

    public override string Name => "cache-scratch";
    public override string Description => "passive false sharing: threads write tiny objects that main once allocated for them";
    public override MetricKind Metric => MetricKind.Seconds;
    public override bool FloorCanRun => true;

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int threads = settings.Threads;
        int repetitions = (settings.Quick ? 20_000 : 2_000_000) / threads;
        var handedOver = new nint[threads];
        TAlloc alloc = TAlloc.ForCurrentThread();
        for (int i = 0; i < threads; i++)
        {
            handedOver[i] = (nint)alloc.Alloc(ObjectBytes);
        }

        var checksums = new ulong[threads];
        Stopwatch stopwatch = Stopwatch.StartNew();
        WorkloadThreads.RunAndJoin<TAlloc>(threads, thread => checksums[thread] = Scratch(TAlloc.ForCurrentThread(), handedOver[thread], repetitions));
        TimeSpan elapsed = stopwatch.Elapsed;

        ulong total = 0;
        foreach (ulong checksum in checksums)
        {
            total += checksum;
        }

        return new WorkloadResult(elapsed, (long)threads * Iterations * repetitions, total);
    }

    /// <summary>One thread: frees the object main allocated for it, then allocates, scratches and frees its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static unsafe ulong Scratch<TAlloc>(TAlloc own, nint handedOver, int repetitions) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        own.Free((void*)handedOver);
        ulong checksum = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte* obj = (byte*)own.Alloc(ObjectBytes);
            for (int j = 0; j < repetitions; j++)
            {
                for (int k = 0; k < ObjectBytes; k++)
                {
                    // Volatile so the JIT keeps every store and load, like the C program's volatile char.
                    Volatile.Write(ref obj[k], (byte)(k + j));
                    checksum += Volatile.Read(ref obj[k]);
                }
            }

            own.Free(obj);
        }

        return checksum;
    }
}
