using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// malloc-large (mimalloc-bench's malloc-large.cpp): 2000 times, a zero-filled buffer of 5..25 MiB replaces the
/// occupant of one of 20 slots (<c>std::make_unique&lt;char[]&gt;</c>: malloc, then memset). At most 20 buffers
/// (up to 500 MiB) live at once; it measures how an allocator reuses and returns huge blocks. Sizes and slots
/// come from splitmix64 seeded with 42 (the C++ program uses mt19937). It reports wall time.
/// </summary>
internal sealed class MallocLarge : Workload
{
    private const int Slots = 20;
    private const long MinBufferBytes = 5L << 20;
    private const long MaxBufferBytes = 25L << 20;

    public override string Name => "malloc-large";
    public override string Description => "2000 zero-filled 5..25 MiB buffers, at most 20 alive";
    public override MetricKind Metric => MetricKind.Seconds;
    public override IReadOnlyList<int> DefaultThreadCounts(int processorCount) => [1];

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int iterations = settings.Quick ? 40 : 2000;
        var random = new SplitMix(42);
        var buffers = new nint[Slots];
        var bufferBytes = new long[Slots];
        ulong checksum = 0;
        TAlloc alloc = TAlloc.ForCurrentThread();

        Stopwatch stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            int slot = (int)(random.Pick() % Slots);
            long size = MinBufferBytes + (long)(random.Pick() % (ulong)(MaxBufferBytes - MinBufferBytes + 1));
            byte* buffer = (byte*)alloc.Alloc((nuint)size);
            NativeMemory.Clear(buffer, (nuint)size);
            buffer[size - 1] = (byte)(i + 1);
            checksum += FreeReadingBack(alloc, buffers[slot], bufferBytes[slot]);
            buffers[slot] = (nint)buffer;
            bufferBytes[slot] = size;
        }

        for (int slot = 0; slot < Slots; slot++)
        {
            checksum += FreeReadingBack(alloc, buffers[slot], bufferBytes[slot]);
        }

        return new WorkloadResult(stopwatch.Elapsed, iterations, checksum);
    }

    /// <summary>Reads the buffer's first byte (zero) and last byte (its iteration number) and frees it.</summary>
    private static unsafe ulong FreeReadingBack<TAlloc>(TAlloc alloc, nint address, long size) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (address == 0)
        {
            return 0;
        }

        byte* buffer = (byte*)address;
        ulong readBack = (ulong)size + buffer[0] + buffer[size - 1];
        alloc.Free(buffer);
        return readBack;
    }
}
