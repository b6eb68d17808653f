using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Gen.Bench.Allocators;
using Gen.Bench.Runner;

namespace Gen.Bench.Workloads;

/// <summary>
/// mleak (mimalloc-bench's mleak.c, ITER=10): 1000 rounds of 10 short-lived threads; each callocs 16 words, swaps
/// the block into a random slot of a 1000-slot array and frees what was there, which another (now dead) thread
/// allocated. An allocator that strands the caches of exited threads grows without bound. Slots come from glibc's
/// <c>rand()</c> seeded as in the C program, drawn in thread order so that every peer frees the same blocks; RSS is
/// sampled every tenth of the run to show whether it grows from round to round.
/// </summary>
internal sealed class Mleak : Workload
{
    private const int ThreadsPerRound = 10;
    private const int BaseRounds = 100;
    private const int TransferSlots = ThreadsPerRound * BaseRounds;
    private const int BlockWords = 16;
    private const int RssSamples = 10;

    public override string Name => "mleak";
    public override string Description => "1000 rounds of 10 threads that each leave a block behind for the next round to free";
    public override MetricKind Metric => MetricKind.Seconds;
    public override bool FloorCanRun => true;
    public override IReadOnlyList<int> DefaultThreadCounts(int processorCount) => [ThreadsPerRound];

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int rounds = BaseRounds * (settings.Quick ? 1 : 10);
        int threads = settings.Threads;
        var random = new GlibcRand(0x1ce4e5b9);
        var transfer = new nint[TransferSlots];
        var checksums = new ulong[threads];
        var rssSamples = new long[RssSamples];

        Stopwatch stopwatch = Stopwatch.StartNew();
        for (int round = 0; round < rounds; round++)
        {
            var slots = new int[threads];
            for (int i = 0; i < threads; i++)
            {
                slots[i] = random.Next() % TransferSlots;
            }

            int roundNumber = round;
            WorkloadThreads.RunAndJoin<TAlloc>(threads, thread =>
            {
                TAlloc own = TAlloc.ForCurrentThread();
                var block = (ulong*)own.AllocZeroed(BlockWords * sizeof(ulong));
                new Span<ulong>(block, BlockWords).Fill((ulong)(roundNumber * threads + thread + 1));
                checksums[thread] += FreeVerified(own, Interlocked.Exchange(ref transfer[slots[thread]], (nint)block));
            });

            if ((round + 1) % (rounds / RssSamples) == 0)
            {
                // Collect the managed Thread objects first, so that the samples show the allocator's growth.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                rssSamples[(round + 1) / (rounds / RssSamples) - 1] = ProcessMemory.ResidentKiB();
            }
        }

        ulong checksum = 0;
        TAlloc alloc = TAlloc.ForCurrentThread();
        foreach (nint block in transfer)
        {
            checksum += FreeVerified(alloc, block);
        }

        TimeSpan elapsed = stopwatch.Elapsed;
        foreach (ulong threadChecksum in checksums)
        {
            checksum += threadChecksum;
        }

        return new WorkloadResult(elapsed, rounds * (long)threads, checksum) { RssSamplesKiB = rssSamples };
    }

    /// <summary>Checks that all 16 words still hold the value written at allocation, frees the block, returns the value.</summary>
    private static unsafe ulong FreeVerified<TAlloc>(TAlloc alloc, nint address) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (address == 0)
        {
            return 0;
        }

        var block = (ulong*)address;
        for (int i = 1; i < BlockWords; i++)
        {
            if (block[i] != block[0])
            {
                throw new InvalidOperationException($"mleak: block 0x{address:x} was overwritten at word {i}.");
            }
        }

        ulong value = block[0];
        alloc.Free(block);
        return value;
    }
}
