// BackgroundWorker: Gen's one background thread (Go's bgscavenge, plus the freemcache that Go runs on P destroy).
//
// Every tick (100 ms) it:
//   1. reaps the caches of threads that have exited (ThreadCaches.ReapDeadThreads: registry lock, then central locks);
//   2. once per half scavenge delay, returns to their spans the objects waiting in thread caches' inboxes (one
//      exchange each; a thread that stopped allocating a class would keep them) and the batches parked in transfer
//      caches that went unused since the last pass (central locks), then releases to the OS the free page runs idle for longer than
//      Heap.ScavengeDelay (PageHeap.Scavenge: heap lock, madvise).
// It starts with the first arena, so a process that never allocates from Gen never gets the thread.

using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Gen.Runtime;

internal static class BackgroundWorker
{
    private const int TickMs = 100;
    private static int s_started;

    internal static void StartOnce()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0) return;
        new Thread(Run) { IsBackground = true, Name = "Gen background worker" }.Start();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run()
    {
        long lastScavengeMs = Environment.TickCount64;
        while (true)
        {
            Thread.Sleep(TickMs);
            ThreadCaches.ReapDeadThreads();
            long delayMs = Math.Max(0, PageHeap.ScavengeDelayMs);
            long now = Environment.TickCount64;
            if (now - lastScavengeMs >= delayMs / 2)
            {
                ThreadCaches.DrainAllInboxes();
                Central.DrainAll(onlyIfIdle: true);
                PageHeap.Scavenge(now - delayMs);
                lastScavengeMs = now;
            }
        }
    }
}
