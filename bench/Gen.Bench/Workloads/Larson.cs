using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// larson (larson.cpp, `larson 5 8 1000 5000 100 4141 threads`): each thread replaces random blocks of 8..999
/// bytes in its own slice of blocks that the main thread allocated, and after every 100 × 5000 replacements hands
/// its slice and generator to a new thread and exits, so the successor frees blocks of a dead thread. The C
/// program stops after 5 s; this port runs a fixed number of thread generations instead (50 at full scale: about a
/// second for the fast peers on 2 cores) so that every peer does the same work and the checksums can be compared,
/// and reports allocations per second as the suite does.
/// </summary>
internal sealed class Larson : Workload
{
    private const int MinBlockBytes = 8;
    private const int MaxBlockBytes = 1000;
    private const int Seed = 4141;
    private const int WarmupReplacementsPerBlock = 4;

    public override string Name => "larson";
    public override string Description => "server-like churn: 8..999 B blocks replaced at random, threads hand their blocks to successors";
    public override MetricKind Metric => MetricKind.OperationsPerSecond;
    public override bool FloorCanRun => true;
    public override string OperationUnit => "allocs/s";

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int blocksPerThread = settings.Quick ? 1000 : 5000;
        int roundsPerGeneration = settings.Quick ? 10 : 100;
        int generations = settings.Quick ? 2 : 50;
        int threads = settings.Threads;
        int blockCount = threads * blocksPerThread;

        var random = new Lran2(Seed);
        var blocks = new nint[blockCount];
        ulong checksum = 0;
        TAlloc alloc = TAlloc.ForCurrentThread();

        // Warm-up on the main thread: allocate, shuffle (Fisher-Yates), then replace random victims.
        for (int i = 0; i < blockCount; i++)
        {
            blocks[i] = AllocateTouched(alloc, ref random);
        }

        for (int remaining = blockCount; remaining > 0; remaining--)
        {
            int victim = random.Next() % remaining;
            (blocks[victim], blocks[remaining - 1]) = (blocks[remaining - 1], blocks[victim]);
        }

        for (int i = 0; i < WarmupReplacementsPerBlock * blockCount; i++)
        {
            int victim = random.Next() % blockCount;
            checksum += FreeReadingBack(alloc, blocks[victim]);
            blocks[victim] = AllocateTouched(alloc, ref random);
        }

        var slices = new Slice[threads];
        for (int i = 0; i < threads; i++)
        {
            slices[i] = new Slice(blocks, i * blocksPerThread, blocksPerThread, new Lran2(random.Next()));
        }

        long iterationsPerGeneration = (long)roundsPerGeneration * blocksPerThread;
        using var allFinished = new CountdownEvent(threads);
        Stopwatch stopwatch = Stopwatch.StartNew();
        foreach (Slice slice in slices)
        {
            StartGeneration<TAlloc>(slice, generation: 0, generations, iterationsPerGeneration, allFinished);
        }

        allFinished.Wait();
        TimeSpan elapsed = stopwatch.Elapsed;

        long allocations = 0;
        foreach (Slice slice in slices)
        {
            allocations += slice.Allocations;
            checksum += slice.Checksum;
        }

        foreach (nint block in blocks)
        {
            checksum += FreeReadingBack(alloc, block);
        }

        return new WorkloadResult(elapsed, allocations, checksum);
    }

    /// <summary>A thread's share of the blocks and its generator, passed from each thread to its successor.</summary>
    private sealed class Slice(nint[] blocks, int offset, int length, Lran2 random)
    {
        public readonly nint[] Blocks = blocks;
        public readonly int Offset = offset;
        public readonly int Length = length;
        public Lran2 Random = random;
        public long Allocations;
        public ulong Checksum;
    }

    private static void StartGeneration<TAlloc>(Slice slice, int generation, int generations, long iterations, CountdownEvent allFinished)
        where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        Thread thread = WorkloadThreads.Create<TAlloc>(() =>
        {
            ReplaceBlocks(TAlloc.ForCurrentThread(), slice, iterations);
            if (generation + 1 < generations)
            {
                // larson's "bleeding": a fresh thread inherits the blocks this one allocated, then this one exits.
                StartGeneration<TAlloc>(slice, generation + 1, generations, iterations, allFinished);
            }
            else
            {
                allFinished.Signal();
            }
        });
        thread.Start();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static void ReplaceBlocks<TAlloc>(TAlloc alloc, Slice slice, long iterations) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        // The loop writes only this thread's memory: its stack and a generator copied here. The slices, allocated one
        // after the other by the main thread, share cache lines; a generator written in place in its slice made every
        // iteration contend for a line with the other thread's bounds checks, at a cost (up to 2x here) that depended
        // on where the garbage collector happened to place the slices: on the run, not on the allocator.
        nint[] blocks = slice.Blocks;
        int offset = slice.Offset, length = slice.Length;
        Lran2 random = slice.Random.Clone();
        ulong checksum = 0;
        for (long i = 0; i < iterations; i++)
        {
            int victim = offset + random.Next() % length;
            checksum += FreeReadingBack(alloc, blocks[victim]);
            blocks[victim] = AllocateTouched(alloc, ref random);
        }

        slice.Random = random;
        slice.Allocations += iterations;
        slice.Checksum += checksum;
    }

    /// <summary>Allocates a random size and writes 'a' and 'b' to its first two bytes, as larson does.</summary>
    private static unsafe nint AllocateTouched<TAlloc>(TAlloc alloc, ref Lran2 random) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        nuint size = (nuint)(MinBlockBytes + random.Next() % (MaxBlockBytes - MinBlockBytes));
        byte* block = (byte*)alloc.Alloc(size);
        block[0] = (byte)'a';
        block[1] = (byte)'b';
        return (nint)block;
    }

    /// <summary>Reads back the two touched bytes, then frees the block.</summary>
    private static unsafe ulong FreeReadingBack<TAlloc>(TAlloc alloc, nint block) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        byte* bytes = (byte*)block;
        ulong readBack = (ulong)bytes[0] + bytes[1];
        alloc.Free(bytes);
        return readBack;
    }
}
