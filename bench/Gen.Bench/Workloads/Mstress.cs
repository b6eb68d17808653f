using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// mstress (`mstress threads 50 25`): 25 rounds; in each, every thread allocates zeroed blocks of 8..512 bytes
/// (2% of them 100x, 1000x or 10000x larger, up to about 5 MB), frees two thirds of its short-lived ones at
/// random, retains the rest, and swaps blocks with a global 1000-slot transfer array so objects migrate between
/// threads and rounds; between rounds main frees half of the transfer array. Every block is filled with a
/// pattern that is verified before it is freed. It reports wall time.
/// </summary>
internal sealed class Mstress : Workload
{
    private const int TransferSlots = 1000;
    private const ulong Cookie = 0xbf58476d1ce4e5b9UL;
    private const int ShortLivedSizeShifts = 5;
    private const int RetainedSizeShifts = ShortLivedSizeShifts + 2;

    public override string Name => "mstress";
    public override string Description => "mixed sizes up to 5 MB, retained and short-lived blocks, objects migrating between threads and rounds";
    public override MetricKind Metric => MetricKind.Seconds;

    public override WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int scale = settings.Quick ? 5 : 50;
        int rounds = settings.Quick ? 3 : 25;
        var transfer = new nint[TransferSlots];
        var checksums = new ulong[settings.Threads];
        ulong checksum = 0;
        var mainRandom = new SplitMix(43 * 43);
        TAlloc alloc = TAlloc.ForCurrentThread();

        Stopwatch stopwatch = Stopwatch.StartNew();
        for (int round = 0; round < rounds; round++)
        {
            WorkloadThreads.RunAndJoin<TAlloc>(settings.Threads, thread => checksums[thread] += Stress(TAlloc.ForCurrentThread(), thread, scale, transfer));
            bool lastRound = round + 1 == rounds;
            for (int i = 0; i < TransferSlots; i++)
            {
                if (mainRandom.Chance(50) || lastRound)
                {
                    checksum += FreeVerified(alloc, Interlocked.Exchange(ref transfer[i], 0));
                }
            }
        }

        TimeSpan elapsed = stopwatch.Elapsed;
        foreach (ulong threadChecksum in checksums)
        {
            checksum += threadChecksum;
        }

        return new WorkloadResult(elapsed, rounds * (long)settings.Threads, checksum);
    }

    // The workload's methods are compiled fully optimized at their first call, as the C program is compiled before it
    // runs: mstress lasts about 0.15 s, and with tiered compilation most of it ran in tier-0 code that calls the
    // allocator without inlining (a third of the run for every peer), which measured the JIT rather than the allocator.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Stress<TAlloc>(TAlloc alloc, int thread, int scale, nint[] transfer) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        var random = new SplitMix((ulong)(thread + 1) * 43);
        long allocs = 100L * scale * (thread % 8 + 1);
        long retain = allocs / 2;
        var data = new nint[allocs];
        long dataTop = 0;
        var retained = new nint[retain];
        long retainedTop = 0;
        ulong checksum = 0;

        while (allocs > 0 || retain > 0)
        {
            if (retain == 0 || (random.Chance(50) && allocs > 0))
            {
                allocs--;
                data[dataTop++] = AllocItems(alloc, 1UL << (int)(random.Pick() % ShortLivedSizeShifts), ref random);
            }
            else
            {
                retained[retainedTop++] = AllocItems(alloc, 1UL << (int)(random.Pick() % RetainedSizeShifts), ref random);
                retain--;
            }

            if (random.Chance(66) && dataTop > 0)
            {
                long index = (long)(random.Pick() % (ulong)dataTop);
                checksum += FreeVerified(alloc, data[index]);
                data[index] = 0;
            }

            if (random.Chance(25) && dataTop > 0)
            {
                long dataIndex = (long)(random.Pick() % (ulong)dataTop);
                long transferIndex = (long)(random.Pick() % TransferSlots);
                data[dataIndex] = Interlocked.Exchange(ref transfer[transferIndex], data[dataIndex]);
            }
        }

        for (long i = 0; i < retainedTop; i++)
        {
            checksum += FreeVerified(alloc, retained[i]);
        }

        for (long i = 0; i < dataTop; i++)
        {
            checksum += FreeVerified(alloc, data[i]);
        }

        return checksum;
    }

    /// <summary>calloc's a block of <paramref name="items"/> words (sometimes far more) and fills it with (items - i) ^ cookie.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe nint AllocItems<TAlloc>(TAlloc alloc, ulong items, ref SplitMix random) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (random.Chance(1))
        {
            if (random.Chance(1))
            {
                items *= 10000;
            }
            else if (random.Chance(10))
            {
                items *= 1000;
            }
            else
            {
                items *= 100;
            }
        }

        // pthreads uses 40-word blocks for stack growth; the C program steps around that size.
        if (items == 40)
        {
            items++;
        }

        var block = (ulong*)alloc.AllocZeroed((nuint)(items * sizeof(ulong)));
        for (ulong i = 0; i < items; i++)
        {
            if (block[i] != 0)
            {
                throw new InvalidOperationException("mstress: a calloc'ed block was not zeroed.");
            }

            block[i] = (items - i) ^ Cookie;
        }

        return (nint)block;
    }

    /// <summary>Checks the pattern AllocItems wrote, frees the block and returns its word count (0 for null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe ulong FreeVerified<TAlloc>(TAlloc alloc, nint address) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (address == 0)
        {
            return 0;
        }

        var block = (ulong*)address;
        ulong items = block[0] ^ Cookie;
        for (ulong i = 0; i < items; i++)
        {
            if ((block[i] ^ Cookie) != items - i)
            {
                throw new InvalidOperationException($"mstress: memory corruption in block 0x{address:x} at word {i}.");
            }
        }

        alloc.Free(block);
        return items;
    }
}
