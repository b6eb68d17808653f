using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// glibc-thread (glibc's bench-malloc-thread): each thread owns 1024 slots and, in turn, takes the next of 4096
/// precomputed random slots, frees it and mallocs the next of 8000 precomputed sizes (an inverse-square
/// distribution over 4..32768 B, from glibc's <c>rand()</c>), writing every byte. The C program runs 2 s and
/// counts iterations; this port runs a fixed number of iterations per thread and reports iterations per second.
/// </summary>
internal sealed class GlibcThread : Workload
{
    private const int WorkingSetSlots = 1024;
    private const int SlotSequenceLength = WorkingSetSlots * 4;
    private const int SizeSequenceLength = 8000;
    private const float MinAllocationBytes = 4;
    private const float MaxAllocationBytes = 32768;

    public override string Name => "glibc-thread";
    public override string Description => "per-thread replacement of 1024 slots, sizes 4..32768 B with an inverse-square distribution";
    public override MetricKind Metric => MetricKind.OperationsPerSecond;
    public override bool FloorCanRun => true;
    public override string OperationUnit => "iterations/s";

    public override WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        long iterationsPerThread = settings.Quick ? 200_000 : 10_000_000;
        var random = new GlibcRand(1);
        var sizes = new int[SizeSequenceLength];
        for (int i = 0; i < sizes.Length; i++)
        {
            sizes[i] = InverseSquareSize(random.Next());
        }

        var slots = new int[SlotSequenceLength];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = random.Next() % WorkingSetSlots;
        }

        var checksums = new ulong[settings.Threads];
        Stopwatch stopwatch = Stopwatch.StartNew();
        WorkloadThreads.RunAndJoin<TAlloc>(settings.Threads, thread => checksums[thread] = RunThread(TAlloc.ForCurrentThread(), sizes, slots, iterationsPerThread));
        TimeSpan elapsed = stopwatch.Elapsed;

        ulong checksum = 0;
        foreach (ulong threadChecksum in checksums)
        {
            checksum += threadChecksum;
        }

        return new WorkloadResult(elapsed, iterationsPerThread * settings.Threads, checksum);
    }

    /// <summary>glibc's get_block_size: inverts the cumulative distribution of 1/x^2 on [4, 32768] (in float, as C does).</summary>
    private static int InverseSquareSize(int randomValue)
    {
        const float exponent = -2;
        float minPower = MathF.Pow(MinAllocationBytes, exponent + 1);
        float maxPower = MathF.Pow(MaxAllocationBytes, exponent + 1);
        float r = (float)randomValue / GlibcRand.MaxValue;
        return (int)MathF.Pow((maxPower - minPower) * r + minPower, 1 / (exponent + 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static unsafe ulong RunThread<TAlloc>(TAlloc alloc, int[] sizes, int[] slotSequence, long iterations) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        var blocks = new nint[WorkingSetSlots];
        var blockSizes = new int[WorkingSetSlots];
        int slotIndex = 0;
        int sizeIndex = 0;
        ulong checksum = 0;
        for (long i = 0; i < iterations; i++)
        {
            // The C program advances its indices before use, so the first slot and size are the second entries.
            slotIndex = slotIndex >= SlotSequenceLength - 1 ? 0 : slotIndex + 1;
            sizeIndex = sizeIndex >= SizeSequenceLength - 1 ? 0 : sizeIndex + 1;
            int slot = slotSequence[slotIndex];
            int size = sizes[sizeIndex];

            checksum += FreeReadingBack(alloc, blocks[slot], blockSizes[slot]);
            byte* block = (byte*)alloc.Alloc((nuint)size);
            for (int b = 0; b < size; b++)
            {
                block[b] = (byte)b;
            }

            blocks[slot] = (nint)block;
            blockSizes[slot] = size;
        }

        for (int slot = 0; slot < WorkingSetSlots; slot++)
        {
            checksum += FreeReadingBack(alloc, blocks[slot], blockSizes[slot]);
        }

        return checksum;
    }

    /// <summary>Reads the block's last byte (written as its index) and frees it; null reads nothing.</summary>
    private static unsafe ulong FreeReadingBack<TAlloc>(TAlloc alloc, nint address, int size) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (address == 0)
        {
            return 0;
        }

        byte* block = (byte*)address;
        ulong lastByte = size > 0 ? block[size - 1] : 0u;
        alloc.Free(block);
        return lastByte + 1;
    }
}
