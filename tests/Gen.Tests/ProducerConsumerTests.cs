using System;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Xunit.Abstractions;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>One thread only allocates, another only frees: the freeing thread's cache must hand memory back to
/// the allocating side, or the heap grows without bound.</summary>
public unsafe class ProducerConsumerTests(ITestOutputHelper output)
{
    private const int ObjectCount = 10_000_000;
    /// <summary>Objects in flight at most; 16 Ki × at most 512 B bounds the live data at 8 MiB.</summary>
    private const int RingCapacity = 16 * 1024;
    private const int MaxObjectBytes = 512;
    /// <summary>Peak in-use growth allowed: live data plus generous cache slack, far below the ~2.5 GiB an
    /// unbounded consumer cache would pile up.</summary>
    private const long MaxInuseGrowthBytes = 64 * MiB;
    private const int SampleEveryObjects = 64 * 1024;

    [Fact]
    public void MemoryStaysBoundedWhenOneThreadAllocatesAndAnotherFrees()
    {
        var ring = new SingleProducerSingleConsumerRing(RingCapacity);
        HeapStats baseline = QuiescentStats();
        ulong peakInuse = baseline.HeapInuse;
        Exception? consumerFailure = null;
        var clock = Stopwatch.StartNew();

        var consumer = new Thread(() =>
        {
            try
            {
                for (long id = 0; id < ObjectCount; id++)
                {
                    if (!ring.TryTake(out nint item)) return; // the producer failed
                    long* p = (long*)item;
                    if (*p != id) throw new InvalidOperationException($"object {id} at 0x{(nint)p:x} holds {*p}");
                    Heap.Free(p);
                }
            }
            catch (Exception e)
            {
                consumerFailure = e;
                ring.Abandon();
            }
        });
        consumer.Start();

        var random = new Random(7);
        try
        {
            for (long id = 0; id < ObjectCount; id++)
            {
                long* p = (long*)Heap.AllocUninitialized((nuint)random.Next(sizeof(long), MaxObjectBytes + 1));
                *p = id;
                if (!ring.TryAdd((nint)p)) break; // the consumer failed
                if (id % SampleEveryObjects == 0) peakInuse = Math.Max(peakInuse, Heap.GetStats().HeapInuse);
            }
        }
        finally
        {
            ring.Abandon();
            consumer.Join();
        }
        if (consumerFailure is not null) throw new InvalidOperationException("consumer failed", consumerFailure);

        HeapStats after = QuiescentStats();
        output.WriteLine($"{ObjectCount:N0} objects in {clock.ElapsedMilliseconds} ms; peak in-use growth {(peakInuse - baseline.HeapInuse) / (ulong)KiB:N0} KiB");
        Assert.True(peakInuse - baseline.HeapInuse < MaxInuseGrowthBytes,
            $"in-use bytes grew by {(peakInuse - baseline.HeapInuse) / (ulong)MiB} MiB with at most {RingCapacity} objects live");
        Assert.Equal(baseline.HeapObjects, after.HeapObjects);
        Assert.Equal(baseline.Mallocs + ObjectCount, after.Mallocs);
        Assert.Equal(baseline.Frees + ObjectCount, after.Frees);
        Assert.True((long)after.HeapInuse - (long)baseline.HeapInuse < MaxInuseGrowthBytes,
            $"in-use bytes stayed {((long)after.HeapInuse - (long)baseline.HeapInuse) / MiB} MiB above the baseline after every object was freed");
        AssertConsistent(after);
    }

    /// <summary>A bounded ring with one writer and one reader; each side spins (yielding) when it must wait, and
    /// either side can abandon it so that a failure on one thread cannot leave the other waiting forever.</summary>
    private sealed class SingleProducerSingleConsumerRing(int capacity)
    {
        private readonly nint[] _slots = new nint[capacity];
        private long _head; // next slot to read; written by the consumer only
        private long _tail; // next slot to write; written by the producer only
        private volatile bool _abandoned;

        /// <summary>Adds an item, waiting while full; false once the ring is abandoned.</summary>
        public bool TryAdd(nint item)
        {
            long tail = _tail;
            var spin = new SpinWait();
            while (tail - Volatile.Read(ref _head) == _slots.Length)
            {
                if (_abandoned) return false;
                spin.SpinOnce();
            }
            _slots[tail % _slots.Length] = item;
            Volatile.Write(ref _tail, tail + 1);
            return true;
        }

        /// <summary>Takes the oldest item, waiting while empty; false once the ring is abandoned and empty.</summary>
        public bool TryTake(out nint item)
        {
            long head = _head;
            var spin = new SpinWait();
            while (Volatile.Read(ref _tail) == head)
            {
                if (_abandoned && Volatile.Read(ref _tail) == head)
                {
                    item = 0;
                    return false;
                }
                spin.SpinOnce();
            }
            item = _slots[head % _slots.Length];
            Volatile.Write(ref _head, head + 1);
            return true;
        }

        /// <summary>Stops waiting: the producer calls it when done or failed, the consumer when failed.</summary>
        public void Abandon() => _abandoned = true;
    }
}
