using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// alloc-test (allocator_tester, BENCH=4): each thread owns 2^18/threads slots and, 100 M times, picks a slot with
/// an 80/20-style Pareto distribution (a few hot slots take most picks); an occupied slot is read in full and
/// freed, an empty one gets a new block of 5..1024 bytes (half of them 5..8 B) filled with its size. No frees
/// cross threads; every thread uses seed 41. The suite runs it on 1 thread and on all cores; it reports wall time.
/// </summary>
internal sealed class AllocTest : Workload
{
    private const int TotalSlots = 1 << 18;
    private const ulong Seed = 41;
    private const int PickRounds = 32;

    /// <summary>Pareto_80_20_6's bucket probabilities: bucket k is chosen with Weights[k] and spans Weights[6-k] of the slots.</summary>
    private static readonly double[] Weights = [0.262144, 0.393216, 0.24576, 0.08192, 0.01536, 0.001536, 0.000064];

    public override string Name => "alloc-test";
    public override string Description => "single-thread-heavy churn of 5..1024 B blocks over a Pareto-distributed hot set, every byte written and read";
    public override MetricKind Metric => MetricKind.Seconds;
    public override bool FloorCanRun => true;
    public override IReadOnlyList<int> DefaultThreadCounts(int processorCount) =>
        processorCount > 1 ? [1, processorCount] : [1];

    public override WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        long iterationsPerThread = settings.Quick ? 1_000_000 : 100_000_000;
        int threads = settings.Threads;
        var checksums = new ulong[threads];

        Stopwatch stopwatch = Stopwatch.StartNew();
        WorkloadThreads.RunAndJoin<TAlloc>(threads, thread => checksums[thread] = RunThread(TAlloc.ForCurrentThread(), TotalSlots / threads, iterationsPerThread));
        TimeSpan elapsed = stopwatch.Elapsed;

        ulong checksum = 0;
        foreach (ulong threadChecksum in checksums)
        {
            checksum += threadChecksum;
        }

        return new WorkloadResult(elapsed, iterationsPerThread * threads, checksum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static unsafe ulong RunThread<TAlloc>(TAlloc alloc, int slotCount, long iterations) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        var random = new AllocTestRng(Seed);
        var slots = new nint[slotCount];
        var sizes = new nuint[slotCount];
        var picker = new ParetoSlotPicker(slotCount);
        ulong checksum = 0;

        // About half the slots start occupied: one random word per 32 slots says which.
        for (int group = 0; group < slotCount / 32; group++)
        {
            uint occupied = random.Next32();
            for (int bit = 0; bit < 32; bit++)
            {
                if ((occupied & (1u << bit)) != 0)
                {
                    int slot = group * 32 + bit;
                    Fill(alloc, ref slots[slot], ref sizes[slot], AllocTestRng.SizeFrom(random.Next64()));
                }
            }
        }

        long stepsPerRound = iterations / PickRounds;
        for (int round = 0; round < PickRounds; round++)
        {
            for (long step = 0; step < stepsPerRound; step++)
            {
                uint bucketRandom = random.Next32();
                uint offsetRandom = random.Next32();
                int slot = picker.Pick(bucketRandom, offsetRandom);
                if (slots[slot] != 0)
                {
                    checksum += ReadAndFree(alloc, ref slots[slot], sizes[slot]);
                }
                else
                {
                    Fill(alloc, ref slots[slot], ref sizes[slot], AllocTestRng.SizeFrom(random.Next64()));
                }
            }
        }

        for (int slot = 0; slot < slotCount; slot++)
        {
            if (slots[slot] != 0)
            {
                checksum += ReadAndFree(alloc, ref slots[slot], sizes[slot]);
            }
        }

        return checksum;
    }

    private static unsafe void Fill<TAlloc>(TAlloc alloc, ref nint slot, ref nuint slotSize, nuint size) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        void* block = alloc.Alloc(size);
        new Span<byte>(block, (int)size).Fill((byte)size);
        slot = (nint)block;
        slotSize = size;
    }

    /// <summary>Sums the block word by word, then the tail byte by byte (the suite's "full" access mode), and frees it.</summary>
    private static unsafe ulong ReadAndFree<TAlloc>(TAlloc alloc, ref nint slot, nuint size) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        byte* block = (byte*)slot;
        ulong sum = 0;
        nuint words = size / sizeof(ulong);
        for (nuint i = 0; i < words; i++)
        {
            sum += ((ulong*)block)[i];
        }

        for (nuint i = words * sizeof(ulong); i < size; i++)
        {
            sum += block[i];
        }

        alloc.Free(block);
        slot = 0;
        return sum;
    }

    /// <summary>Pareto_80_20_6_Rand: the bucket by cumulative weight, then a uniform slot inside it.</summary>
    private sealed class ParetoSlotPicker
    {
        private readonly uint[] _cumulativeThresholds = new uint[Weights.Length];
        private readonly int[] _bucketStarts = new int[Weights.Length + 1];

        public ParetoSlotPicker(int slotCount)
        {
            double cumulative = 0;
            for (int k = 0; k < Weights.Length; k++)
            {
                cumulative += Weights[k];
                _cumulativeThresholds[k] = (uint)Math.Min(uint.MaxValue, cumulative * uint.MaxValue);
                _bucketStarts[k + 1] = _bucketStarts[k] + (int)(slotCount * Weights[Weights.Length - 1 - k]);
            }
        }

        public int Pick(uint bucketRandom, uint offsetRandom)
        {
            int bucket = 0;
            while (bucket < Weights.Length - 1 && bucketRandom > _cumulativeThresholds[bucket])
            {
                bucket++;
            }

            int rangeSize = _bucketStarts[bucket + 1] - _bucketStarts[bucket];
            return _bucketStarts[bucket] + (int)(offsetRandom % (uint)rangeSize);
        }
    }
}
