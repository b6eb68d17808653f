using System;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Gen.Bench.Allocators;

namespace Gen.Bench.Micro;

/// <summary>
/// Issue 2's first benchmark: alloc+free pairs of random sizes 16..256 B on one thread. A window of live blocks
/// (each new block replaces the one allocated 64 pairs earlier) keeps the pattern from being pure LIFO. Each
/// invocation starts with an empty window and ends by emptying it, so every allocator does exactly 1024 pairs and
/// keeps no state between benchmarks. The <c>[ThreadStatic]</c> free list is the floor (baseline). The workloads' floor
/// (<see cref="FloorAllocator"/>) is the least an allocator that keeps sizes apart can do: the same pop and push, plus
/// the size-to-class lookup on allocation and the class from the address on free. Gen runs twice:
/// through <see cref="Heap"/>'s static methods, which find the thread cache on every call, and through a
/// <see cref="ThreadHeap"/> made once per invocation.
/// </summary>
[Config(typeof(MicroConfig))]
public unsafe class AllocFreePairsBenchmark
{
    private const int PairsPerInvocation = 1024;
    private const int LiveWindow = 64;
    private const int MinBytes = 16;
    private const int MaxBytes = ThreadStaticFreeList.BlockBytes;

    private readonly nuint[] _sizes = new nuint[PairsPerInvocation];
    private readonly nint[] _window = new nint[LiveWindow];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        for (int i = 0; i < _sizes.Length; i++)
        {
            _sizes[i] = (nuint)random.Next(MinBytes, MaxBytes + 1);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerInvocation)]
    public void FreeListFloor() => AllocFreePairs(ThreadStaticFreeList.ForCurrentThread());

    [Benchmark(OperationsPerInvoke = PairsPerInvocation)]
    public void SizeClassFloor() => AllocFreePairs(FloorAllocator.ForCurrentThread());

    [Benchmark(OperationsPerInvoke = PairsPerInvocation)]
    public void Gen() => AllocFreePairs(GenAllocator.ForCurrentThread());

    [Benchmark(OperationsPerInvoke = PairsPerInvocation)]
    public void GenThreadHeap() => AllocFreePairs(GenThreadHeapAllocator.ForCurrentThread());

    [Benchmark(OperationsPerInvoke = PairsPerInvocation)]
    public void Glibc() => AllocFreePairs(GlibcAllocator.ForCurrentThread());

    [Benchmark(OperationsPerInvoke = PairsPerInvocation)]
    [BenchmarkCategory(MicroBenchmarks.MimallocCategory)]
    public void Mimalloc() => AllocFreePairs(NativeLibraryAllocator<Allocators.Mimalloc>.ForCurrentThread());

    /// <summary>The benchmark's loop outside BenchmarkDotNet, <paramref name="invocations"/> times for one peer, so that a
    /// profiler (<c>perf stat</c>, see <c>bench/pair-cost.sh</c>) can count what one pair costs.</summary>
    public static void RunInvocations(string peer, int invocations)
    {
        var benchmark = new AllocFreePairsBenchmark();
        benchmark.Setup();
        Action invoke = peer switch
        {
            "floor" => benchmark.FreeListFloor,
            "size-class-floor" => benchmark.SizeClassFloor,
            "gen" => benchmark.Gen,
            "gen-thread-heap" => benchmark.GenThreadHeap,
            "glibc" => benchmark.Glibc,
            "mimalloc" when NativeLibraryAllocator<Allocators.Mimalloc>.IsAvailable => benchmark.Mimalloc,
            "mimalloc" => throw new InvalidOperationException(NativeLibraryAllocator<Allocators.Mimalloc>.UnavailableReason),
            _ => throw new ArgumentException($"Unknown peer '{peer}'; known: floor, size-class-floor, gen, gen-thread-heap, glibc, mimalloc.", nameof(peer)),
        };
        // Warm up as BenchmarkDotNet does: rounds of calls separated by pauses, so that tiered compilation starts
        // counting calls (only after start-up has been quiet for 100 ms), queues the method and installs its optimized
        // code, which the counted invocations then run.
        for (int round = 0; round < WarmupRounds; round++)
        {
            for (int i = 0; i < WarmupInvocations; i++)
            {
                invoke();
            }

            Thread.Sleep(TierUpPause);
        }

        for (int i = 0; i < invocations; i++)
        {
            invoke();
        }
    }

    private const int WarmupRounds = 6, WarmupInvocations = 100;
    private static readonly TimeSpan TierUpPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Pairs per invocation of every benchmark method.</summary>
    public static int Pairs => PairsPerInvocation;

    private void AllocFreePairs<TAlloc>(TAlloc allocator) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        nuint[] sizes = _sizes;
        nint[] window = _window;
        for (int i = 0; i < sizes.Length; i++)
        {
            ref nint slot = ref window[i & (LiveWindow - 1)];
            allocator.Free((void*)slot);
            slot = (nint)allocator.Alloc(sizes[i]);
        }

        for (int i = 0; i < window.Length; i++)
        {
            allocator.Free((void*)window[i]);
            window[i] = 0;
        }
    }
}
