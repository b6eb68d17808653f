using System;
using System.Threading;

namespace Gen.Bench.Workloads;

/// <summary>Starting and joining the OS threads a workload runs on (the C programs' <c>run_os_threads</c>).</summary>
internal static class WorkloadThreads
{
    /// <summary>Runs <paramref name="body"/>(0..count-1) on <paramref name="count"/> new threads and waits for all.</summary>
    public static void RunAndJoin(int count, Action<int> body)
    {
        var threads = new Thread[count];
        for (int i = 0; i < count; i++)
        {
            int threadIndex = i;
            threads[i] = new Thread(() => body(threadIndex)) { IsBackground = true };
            threads[i].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }
}
