using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// xmalloc-test (SuperMalloc's version, `-w threads -t 5 -s 64`): allocator threads fill batches of 4096 objects of
/// 64 bytes and push them on a bounded LIFO stack; as many releaser threads pop batches and free every object.
/// Every free is remote: producers never see their objects again. The C program runs 5 s; this port has each
/// producer make a fixed number of batches (5000 at full scale: about a second for the fast peers on 2 cores) so the
/// work is identical for every peer, and reports frees per second.
/// </summary>
internal sealed class XmallocTest : Workload
{
    private const int ObjectsPerBatch = 4096;
    private const int ObjectBytes = 64;
    private const int FilledBytesPerObject = 128;
    private const int MaxQueuedBatches = 100;

    public override string Name => "xmalloc-test";
    public override string Description => "producer/consumer: 64 B objects allocated on some threads, all freed on others";
    public override MetricKind Metric => MetricKind.OperationsPerSecond;
    public override string OperationUnit => "frees/s";

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings)
    {
        int batchesPerProducer = settings.Quick ? 40 : 5000;
        int producers = settings.Threads;
        var queue = new BatchStack(MaxQueuedBatches, producers);
        var releaserChecksums = new ulong[producers];
        var releaserFrees = new long[producers];

        Stopwatch stopwatch = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (int i = 0; i < producers; i++)
        {
            threads.Add(WorkloadThreads.Create<TAlloc>(() => Produce(TAlloc.ForCurrentThread(), queue, batchesPerProducer)));
            int releaser = i;
            threads.Add(WorkloadThreads.Create<TAlloc>(() => Release(TAlloc.ForCurrentThread(), queue, out releaserFrees[releaser], out releaserChecksums[releaser])));
        }

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        TimeSpan elapsed = stopwatch.Elapsed;

        ulong checksum = 0;
        long frees = 0;
        for (int i = 0; i < producers; i++)
        {
            checksum += releaserChecksums[i];
            frees += releaserFrees[i];
        }

        return new WorkloadResult(elapsed, frees, checksum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static unsafe void Produce<TAlloc>(TAlloc alloc, BatchStack queue, int batches) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        for (int b = 0; b < batches; b++)
        {
            // struct batch { batch* next; void* objects[4096]; }: one pointer-sized link, then the objects.
            var batch = (nint*)alloc.Alloc((nuint)((1 + ObjectsPerBatch) * sizeof(nint)));
            nint* objects = batch + 1;
            for (int i = 0; i < ObjectsPerBatch; i++)
            {
                void* obj = alloc.Alloc(ObjectBytes);
                new Span<byte>(obj, Math.Min(ObjectBytes, FilledBytesPerObject)).Fill((byte)(i % 256));
                objects[i] = (nint)obj;
            }

            queue.Push((nint)batch);
        }

        queue.ProducerFinished();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see Workload
    private static unsafe void Release<TAlloc>(TAlloc alloc, BatchStack queue, out long totalFrees, out ulong totalChecksum) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        // Counted in locals and stored once: the out parameters are neighbouring elements of arrays that every releaser
        // writes, and updating them per object would make the releasers contend for one cache line.
        long frees = 0;
        ulong checksum = 0;
        while (queue.TryPop(out nint batchAddress))
        {
            var batch = (nint*)batchAddress;
            nint* objects = batch + 1;
            for (int i = 0; i < ObjectsPerBatch; i++)
            {
                byte* obj = (byte*)objects[i];
                checksum += (ulong)obj[0] + obj[ObjectBytes - 1];
                alloc.Free(obj);
            }

            alloc.Free(batch);
            frees += ObjectsPerBatch;
        }

        totalFrees = frees;
        totalChecksum = checksum;
    }

    /// <summary>The C program's mutex-and-two-condition-variables LIFO stack, bounded at 100 batches.</summary>
    private sealed class BatchStack(int capacity, int producers)
    {
        private readonly Stack<nint> _batches = new(capacity);
        private int _producersRunning = producers;

        public void Push(nint batch)
        {
            lock (_batches)
            {
                while (_batches.Count >= capacity)
                {
                    Monitor.Wait(_batches);
                }

                _batches.Push(batch);
                Monitor.PulseAll(_batches);
            }
        }

        public void ProducerFinished()
        {
            lock (_batches)
            {
                _producersRunning--;
                Monitor.PulseAll(_batches);
            }
        }

        /// <summary>Waits for a batch; false once the stack is empty and every producer has finished.</summary>
        public bool TryPop(out nint batch)
        {
            lock (_batches)
            {
                while (_batches.Count == 0)
                {
                    if (_producersRunning == 0)
                    {
                        batch = 0;
                        return false;
                    }

                    Monitor.Wait(_batches);
                }

                batch = _batches.Pop();
                Monitor.PulseAll(_batches);
                return true;
            }
        }
    }
}
