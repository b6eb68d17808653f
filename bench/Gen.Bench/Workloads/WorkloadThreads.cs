using System;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>Starting and joining the OS threads a workload runs on (the C programs' <c>run_os_threads</c>).</summary>
internal static class WorkloadThreads
{
    /// <summary>Runs <paramref name="body"/>(0..count-1) on <paramref name="count"/> new threads and waits for all.</summary>
    public static void RunAndJoin<TAlloc>(int count, Action<int> body) where TAlloc : INativeAllocator<TAlloc>, allows ref struct =>
        RunAndJoin(count, body, TAlloc.ThreadExit);

    /// <inheritdoc cref="RunAndJoin{TAlloc}"/>
    /// <param name="threadExit">What each thread does last: the allocator's thread exit (<see cref="INativeAllocator{TSelf}.ThreadExit"/>).</param>
    public static void RunAndJoin(int count, Action<int> body, Action threadExit)
    {
        var threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            int threadIndex = i;
            threads[i] = Create(() => body(threadIndex), threadExit);
            threads[i].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }

    /// <summary>A background thread that runs <paramref name="body"/>, then the allocator's thread exit.</summary>
    public static Thread Create<TAlloc>(Action body) where TAlloc : INativeAllocator<TAlloc>, allows ref struct => Create(body, TAlloc.ThreadExit);

    private static Thread Create(Action body, Action threadExit) => new(() =>
    {
        body();
        threadExit();
    })
    { IsBackground = true };
}
