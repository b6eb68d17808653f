using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Gen.Runtime;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>
/// Objects freed on another thread go home: into the inbox of the thread cache that owns their span, to be reused by
/// that thread only; to the freeing thread when the owner has exited.
/// </summary>
public unsafe class CrossThreadFreeTests
{
    /// <summary>256 B objects: 256 to a batch, so <see cref="Objects"/> fill whole remote batches.</summary>
    private const nuint ObjectBytes = 256;
    private const int Objects = 8 * 256;
    /// <summary>Allocations a reuse check makes at most: 32 MiB of 256 B objects.</summary>
    private const int ReuseAllocationLimit = 64 * Objects;

    [Fact]
    public void ObjectsFreedOnAnotherThreadAreReusedByTheirOwnerOnly() => WithoutBackgroundDrain(() =>
    {
        HeapStats baseline = QuiescentStats();
        using var owner = new Worker();
        List<nint> owned = owner.Run(() => AllocateOwned(Objects, out _));

        // A live thread's objects freed here are not this thread's to reuse, nor a third thread's.
        RunOnNewThread(() => { foreach (nint p in owned) Heap.Free((void*)p); });
        var ownedSet = new HashSet<nint>(owned);
        List<nint> third = RunOnNewThread(() => AllocateMany(Objects));
        Assert.DoesNotContain(third, ownedSet.Contains);

        // The owner gets every one of them back (after whatever its local list still held).
        List<nint> again = owner.Run(() => AllocateUntilReused(ownedSet));
        Assert.Empty(ownedSet.Except(again));

        foreach (nint p in third) Heap.Free((void*)p);
        owner.Run(() => { foreach (nint p in again) Heap.Free((void*)p); return 0; });
        AssertReturnsToBaseline(baseline);
    });

    [Fact]
    public void FreesIntoTheSpansOfAnExitedThreadAreAdoptedByTheFreeingThread()
    {
        HeapStats baseline = QuiescentStats();
        using var freer = new Worker();
        freer.Run(() => { Heap.Free(Heap.AllocUninitialized(ObjectBytes)); return 0; }); // its cache exists before the owner exits
        AssertAdoptsTheObjectsOfAnExitedOwner(freer);
        AssertReturnsToBaseline(baseline);
    }

    [Fact]
    public void FreesIntoTheSpansOfAThreadThatReleasedItsCacheAreAdoptedAtOnceWhileItStillRuns() => WithoutBackgroundDrain(() =>
    {
        // The first test here is the contrast: a live owner's objects wait in its inbox and the freeing thread gets none.
        HeapStats baseline = QuiescentStats();
        using var owner = new Worker();
        using var freer = new Worker();
        freer.Run(() => { Heap.Free(Heap.AllocUninitialized(ObjectBytes)); return 0; }); // its cache exists
        List<nint> owned = owner.Run(() =>
        {
            List<nint> list = AllocateOwned(Objects, out _);
            Heap.ReleaseThreadCache();
            Assert.True(CurrentThreadCache.Value == null, "the released cache is still the thread's");
            return list;
        });
        var ownedSet = new HashSet<nint>(owned);
        List<nint> reused = freer.Run(() =>
        {
            foreach (nint p in owned) Heap.Free((void*)p);
            return AllocateUntilReused(ownedSet);
        });
        // No liveness check is needed: the owner said it is done, so every free adopts or joins an adopted span.
        Assert.Empty(ownedSet.Except(reused));
        freer.Run(() => { foreach (nint p in reused) Heap.Free((void*)p); return 0; });

        // The owner, still running, may allocate again: it gets a cache anew.
        List<nint> later = owner.Run(() => AllocateMany(100));
        owner.Run(() => { foreach (nint p in later) Heap.Free((void*)p); Heap.ReleaseThreadCache(); return 0; });
        AssertReturnsToBaseline(baseline);
    });

    [Fact]
    public void LivenessChecksThinOutWhileOneOwnerLivesAndANewOwnersExitIsStillFoundWithinTheShortestInterval()
    {
        HeapStats baseline = QuiescentStats();
        using var owner = new Worker();
        using var freer = new Worker();
        freer.Run(() => { Heap.Free(Heap.AllocUninitialized(ObjectBytes)); return 0; }); // its cache exists

        // An owner that lives but allocates nothing (larson's predecessor threads, exiting while their successors free
        // their objects) keeps the shortest interval: 4,096 frees into its spans.
        const int Rounds = 16, PerRound = 1024;
        List<nint> ofLiveOwner = owner.Run(() => AllocateOwned(4 * PerRound + Rounds * PerRound, out _));
        uint interval = freer.Run(() =>
        {
            foreach (nint p in ofLiveOwner.GetRange(0, 4 * PerRound)) Heap.Free((void*)p);
            return CurrentThreadCache.Value->LivenessCheckInterval;
        });
        Assert.Equal(ThreadCaches.MinLivenessCheckInterval, interval);
        ofLiveOwner.RemoveRange(0, 4 * PerRound);

        // A consumer freeing the objects of a producer that keeps allocating: 16,384 frees in rounds of 1,024, the owner
        // allocating after each round. The interval doubles at each check after the owner has allocated, from 64 up to
        // 4,096.
        for (int round = 0; round < Rounds; round++)
        {
            List<nint> slice = ofLiveOwner.GetRange(round * PerRound, PerRound);
            interval = freer.Run(() =>
            {
                foreach (nint p in slice) Heap.Free((void*)p);
                return CurrentThreadCache.Value->LivenessCheckInterval;
            });
            owner.Run(() =>
            {
                foreach (nint p in AllocateMany(PerRound)) Heap.Free((void*)p);
                return 0;
            });
        }
        Assert.Equal(ThreadCaches.MaxLivenessCheckInterval, interval);

        // Then frees into an exited thread's spans: found within the shortest interval all the same, and adopted.
        AssertAdoptsTheObjectsOfAnExitedOwner(freer);
        AssertReturnsToBaseline(baseline);
    }

    [Theory]
    [InlineData(16)] // bounded by the length field: 65,535 objects
    [InlineData(1024)] // bounded by bytes: 4 MiB, 4,096 objects
    public void AnInboxHoldsAtMostItsBoundAndTheRestGoesToTheCentralList(int objectBytes) => WithoutBackgroundDrain(() =>
    {
        int spanClass = GoSizeClassTable.ClassOf((nuint)objectBytes) << 1 | 1; // noscan
        uint capacity = ThreadCaches.InboxCapacity((uint)objectBytes);
        HeapStats baseline = QuiescentStats();
        using var owner = new Worker();
        int count = (int)capacity + 10_000;
        ThreadCache* ownerCache = null;
        List<nint> owned = owner.Run(() => AllocateOwned(count, out ownerCache, (nuint)objectBytes));

        RunOnNewThread(() => { foreach (nint p in owned) Heap.Free((void*)p); });
        ulong inboxObjects = *ownerCache->Inbox(spanClass) >> HeapConstants.HeapAddressBits;
        uint batch = ownerCache->Entry(spanClass)->BatchSize;
        Assert.True(inboxObjects <= capacity, $"the inbox holds {inboxObjects} objects; its capacity is {capacity}");
        Assert.True(inboxObjects > capacity - batch, $"the inbox holds only {inboxObjects} of {capacity} objects: it was not filled");

        AssertReturnsToBaseline(baseline); // ReleaseMemory drains the live owner's inbox too
    });

    [Fact]
    public void ObjectsWaitingInAnIdleThreadsInboxReturnToTheirSpansInTheBackground()
    {
        const int Count = 60_000; // 15 MiB of 256 B objects: 4 MiB wait in the owner's inbox, the rest in central lists
        const long ToleratedBytes = 1 * MiB;
        HeapStats baseline = null!, freed = null!; // set in the first step
        using var owner = new Worker();
        WithoutBackgroundDrain(() =>
        {
            baseline = SettledStats();
            List<nint> owned = owner.Run(() => AllocateOwned(Count, out _));
            // The inbox takes the first frees: those of the newest objects, whose spans hold nothing else. The first
            // objects may have filled partial spans that earlier tests' threads left in the central list.
            owned.Reverse();
            RunOnNewThread(() => { foreach (nint p in owned) Heap.Free((void*)p); });
            freed = Heap.GetStats();
        });
        Assert.True((long)freed.HeapInuse - (long)baseline.HeapInuse > 2 * ToleratedBytes,
            $"only {((long)freed.HeapInuse - (long)baseline.HeapInuse) / KiB} KiB stayed in use after the frees: " +
            "nothing waits for the background worker, and the test proves nothing");

        // The owner stays alive and never allocates again; only the background worker can return its inbox.
        WithScavengeDelay(TimeSpan.FromMilliseconds(100), () =>
        {
            TimeSpan timeout = TimeSpan.FromSeconds(30);
            HeapStats now = WaitForInuseWithin(baseline, ToleratedBytes, timeout);
            long stillInuse = (long)now.HeapInuse - (long)baseline.HeapInuse;
            Assert.True(stillInuse <= ToleratedBytes,
                $"{stillInuse / KiB} KiB still in use {timeout.TotalSeconds} s after the frees");
        });
    }

    [Fact]
    public void AThreadsFirstOperationMayBeAFree()
    {
        // Free's fast path compares a span's owner with the thread's cache, which is null until the thread's first
        // allocation: the free must still work, whether the owner lives (the object goes to its inbox) or has exited
        // (the new thread's cache, possibly the reaped owner's own, adopts the span).
        HeapStats baseline = QuiescentStats();
        using var owner = new Worker();
        List<nint> ofLiveOwner = owner.Run(() => AllocateOwned(Objects, out _));
        List<nint> ofExitedOwner = RunOnNewThread(() => AllocateOwned(Objects, out _));
        RunOnNewThread(() => { foreach (nint p in ofLiveOwner) Heap.Free((void*)p); });
        RunOnNewThread(() => { foreach (nint p in ofExitedOwner) Heap.Free((void*)p); });
        HeapStats stats = QuiescentStats();
        Assert.Equal(baseline.HeapObjects, stats.HeapObjects);
        AssertReturnsToBaseline(baseline);
    }

    /// <summary>Runs <paramref name="test"/> with the background worker's scavenge pass, which drains every inbox,
    /// put off for the test's duration, so that what the test reads of an inbox is what the threads put there.</summary>
    private static void WithoutBackgroundDrain(Action test) => WithScavengeDelay(TimeSpan.FromHours(1), test);

    /// <summary>Allocates until <paramref name="count"/> objects come from spans the calling thread's cache owns (a
    /// reused cache's earlier lists may hold other threads' objects); frees the others.</summary>
    private static List<nint> AllocateOwned(int count, out ThreadCache* cache, nuint size = ObjectBytes)
    {
        var owned = new List<nint>(count);
        var others = new List<nint>();
        cache = null;
        while (owned.Count < count)
        {
            void* p = Heap.AllocUninitialized(size);
            cache = CurrentThreadCache.Value;
            Span* span = PageHeap.SpanOf(p);
            if (span->Owner == cache && span->OwnerIncarnation == cache->Incarnation) owned.Add((nint)p);
            else others.Add((nint)p);
            Assert.True(others.Count < count, "the thread's allocations do not come from its own spans");
        }
        foreach (nint p in others) Heap.Free((void*)p);
        return owned;
    }

    /// <summary>
    /// A thread allocates <see cref="Objects"/> objects and exits; <paramref name="freer"/> frees them all. Nothing has
    /// reaped the owner yet (the background tick is 100 ms away, this takes microseconds): the freeing thread must find
    /// it exited by a liveness check within <see cref="ThreadCaches.MinLivenessCheckInterval"/> frees and adopt its
    /// spans, so that its later allocations reuse those objects.
    /// </summary>
    private static void AssertAdoptsTheObjectsOfAnExitedOwner(Worker freer)
    {
        List<nint> owned = RunOnNewThread(() => AllocateOwned(Objects, out _)); // the owner has exited when this returns
        var ownedSet = new HashSet<nint>(owned);
        int slack = (int)ThreadCaches.MinLivenessCheckInterval; // frees before the liveness check go to the dead inbox
        List<nint> reused = freer.Run(() =>
        {
            foreach (nint p in owned) Heap.Free((void*)p);
            return AllocateUntilReused(ownedSet, slack);
        });
        int overlap = ownedSet.Intersect(reused).Count();
        Assert.True(overlap >= Objects - slack,
            $"the freeing thread reused only {overlap} of the {Objects} objects it freed into an exited thread's spans");
        freer.Run(() => { foreach (nint p in reused) Heap.Free((void*)p); return 0; });
    }

    /// <summary>
    /// Allocates until every object of <paramref name="freed"/> but <paramref name="mayStayAway"/> has been handed out
    /// again, or <see cref="ReuseAllocationLimit"/> allocations; returns them all. Those of <paramref name="freed"/>
    /// that passed the local list's bound wait in the central list behind whatever partial spans of the class earlier
    /// tests' threads left there (their other objects still sit in those threads' caches), so no fixed number of
    /// allocations is sure to reach them.
    /// </summary>
    private static List<nint> AllocateUntilReused(HashSet<nint> freed, int mayStayAway = 0)
    {
        var list = new List<nint>();
        int pending = freed.Count;
        while (pending > mayStayAway && list.Count < ReuseAllocationLimit)
        {
            var p = (nint)Heap.AllocUninitialized(ObjectBytes);
            list.Add(p);
            if (freed.Contains(p)) pending--;
        }
        return list;
    }

    private static List<nint> AllocateMany(int count)
    {
        var list = new List<nint>(count);
        for (int i = 0; i < count; i++) list.Add((nint)Heap.AllocUninitialized(ObjectBytes));
        return list;
    }

    private static void AssertReturnsToBaseline(HeapStats baseline)
    {
        Heap.ReleaseMemory();
        HeapStats after = QuiescentStats();
        Assert.Equal(baseline.HeapObjects, after.HeapObjects);
        AssertConsistent(after);
    }

    /// <summary>A thread that stays alive between the pieces of work it is given, so that it keeps its cache.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly BlockingCollection<Action> _work = new();
        private readonly Thread _thread;

        public Worker()
        {
            _thread = new Thread(() => { foreach (Action action in _work.GetConsumingEnumerable()) action(); });
            _thread.Start();
        }

        public T Run<T>(Func<T> work)
        {
            var outcome = new Outcome<T>();
            using var done = new ManualResetEventSlim();
            _work.Add(() =>
            {
                outcome.Run(work);
                done.Set();
            });
            done.Wait();
            return outcome.Get("the worker thread failed");
        }

        public void Dispose()
        {
            _work.CompleteAdding();
            _thread.Join();
            _work.Dispose();
        }
    }
}
