// ThreadCache: Gen's mcache, one per thread, reached through a [ThreadStatic] pointer.
//
// Glossary:
//   ClassCache   - the cache's entry for one span class: a local list of objects, a fresh region of a new span
//                  carved by bumping a pointer, and this thread's malloc and free counts for the class.
//   inbox        - per span class, a lock-free stack of objects other threads freed into spans this cache owns
//                  (snmalloc's message queue, mimalloc's thread-free list kept per cache rather than per page).
//   registry     - every live thread cache, so GetStats can sum their counters.
//   reaping      - returning a dead thread's cache to the central lists (Go's freemcache). .NET has no thread-exit
//                  hook, so the registry keeps each cache's Thread and reaps those no longer alive: when a new
//                  thread makes its cache, on the background worker's tick, in ReleaseMemory, and when the
//                  [ThreadStatic] owner object of a dead thread is finalized. Reaped caches are kept for new threads.
//
// Allocate (Heap.AllocSmall): pop the class's local list: no lock, no interlocked instruction, one TLS read. When it
// is empty, take the whole inbox with one exchange, else carve the fresh region (and link its next objects, up to 4 KiB
// of objects of at most 256 B, onto the local list in address order, mimalloc's free-list extension), else refill
// from the central list.
// Free (Heap.Free): if this cache owns the object's span (it carved the span, took the span's free list whole, or
// adopted the span of a dead thread's cache), push onto the local list, to be reused here: no lock, no interlocked
// instruction. Otherwise push it onto the owner's inbox with one compare-exchange: the object goes home, and its
// owner reuses it with the rest of its span. Objects therefore never circulate between threads: each thread
// allocates from its own spans, so one thread's objects stay off the cache lines another thread writes (passive
// false sharing), and a producer/consumer pair converges: the consumer's frees refill the producer.
// Only when the local list is longer than MaxCount, or empty with an empty inbox and fresh region, does a thread
// touch a central lock, once per batch.

using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using static Gen.Runtime.HeapConstants;

namespace Gen.Runtime;

/// <summary>
/// One span class's slice of a thread cache. The fields the fast paths touch share the first 64-byte line.
/// Invariants: <c>Count</c> (derived from the counters and <c>FreeLimit</c>) is the length of the local list at
/// <c>Head</c> (at most <c>MaxCount</c> after a free),
/// <c>RemoteCount</c> that of the remote list (below <c>BatchSize</c> after a free, all of one owner's spans); objects in
/// <c>[FreshNext, FreshEnd)</c> were never handed out and read as zero when <c>FreshIsZero</c>. <c>Mallocs</c> and
/// <c>Frees</c> only grow, so GetStats, reading them from another thread while this one runs, never sees a
/// cumulative count go backwards.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal unsafe struct ClassCache
{
    // First cache line: the fast paths.
    /// <summary>Local list: objects of spans this cache owns, reused by this thread's allocations.</summary>
    public void* Head;
    /// <summary>Objects handed to the user.</summary>
    public ulong Mallocs;
    /// <summary>Objects the user freed into this entry.</summary>
    public ulong Frees;
    /// <summary>
    /// The local list passes its bound when <c>Frees - Mallocs</c> exceeds this. The list's length is not kept per
    /// operation: it is <c>Frees - Mallocs + MaxCount - FreeLimit</c>, which every push and pop moves as it moves the
    /// length, so the fast paths only count (one store each) and the slow paths that add or take objects other than
    /// one by one adjust this field (see <see cref="Count"/>).
    /// </summary>
    public long FreeLimit;
    public uint ElemSize;
    public uint BatchSize;
    private uint _maxCount;

    // Second cache line: the slow paths.
    public byte* FreshNext;
    public byte* FreshEnd;
    public bool FreshIsZero;
    /// <summary>Remote list: objects this thread freed into spans of <c>RemoteOwner</c>, sent to its inbox as one
    /// list when it reaches a batch or the next foreign free has another owner.</summary>
    public void* RemoteHead;
    public void* RemoteTail;
    public ThreadCache* RemoteOwner;
    public uint RemoteCount;
    /// <summary>Times the local list passed its bound since it last ran dry (see <see cref="ThreadCaches.FlushSurplus"/>).</summary>
    public uint OverflowsSinceRefill;

    /// <summary>The local list's length (slow paths and tests only: the fast paths compare counts with <see cref="FreeLimit"/>).</summary>
    public uint Count
    {
        readonly get => (uint)((long)(Frees - Mallocs) + _maxCount - FreeLimit);
        set => FreeLimit = _maxCount - (value - (long)(Frees - Mallocs));
    }

    /// <summary>The local list's bound; changing it keeps <see cref="Count"/>.</summary>
    public uint MaxCount
    {
        readonly get => _maxCount;
        set
        {
            FreeLimit += (long)value - _maxCount;
            _maxCount = value;
        }
    }

    /// <summary>Counts an object handed to the user that did not come off the local list (the fresh region).</summary>
    public void CountMallocOffList()
    {
        Mallocs++;
        FreeLimit--;
    }

    /// <summary>Counts an object the user freed that did not go on the local list (the remote list).</summary>
    public void CountFreeOffList()
    {
        Frees++;
        FreeLimit++;
    }
}

/// <summary>
/// A thread cache's header; its entries and inboxes follow. The first line is read by other threads (whether the
/// cache is dead, its incarnation) and written only under the registry lock; the second is written by the owning
/// thread alone.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal unsafe struct ThreadCache
{
    [FieldOffset(0)] public ThreadCache* Next;
    [FieldOffset(8)] public ThreadCache* Prev;
    /// <summary>A GCHandle to the owning <see cref="Thread"/>, so the registry can tell when it has died.</summary>
    [FieldOffset(16)] public nint Thread;
    /// <summary>1 from the moment the cache is reaped until a new thread reuses it. Cache structs are never freed,
    /// so a span's <see cref="Span.Owner"/> can be read through: a dead owner's spans are adopted by whoever frees
    /// into them next.</summary>
    [FieldOffset(24)] public int Dead;
    /// <summary>Counts the threads this cache has served; spans record it with their owner (see
    /// <see cref="Span.OwnerIncarnation"/>).</summary>
    [FieldOffset(28)] public uint Incarnation;
    /// <summary>Frees into other caches' spans this thread makes before it next checks that the owner of the span it
    /// frees into still lives (see <see cref="ThreadCaches.CheckLiveness"/>).</summary>
    [FieldOffset(64)] public uint ForeignFreesUntilLivenessCheck;
    /// <summary>The current number of foreign frees between two liveness checks.</summary>
    [FieldOffset(68)] public uint LivenessCheckInterval;
    /// <summary>The owner the last liveness check found alive (null if it found it gone).</summary>
    [FieldOffset(80)] public ThreadCache* LivenessOwner;
    /// <summary>The <see cref="ClassCache.Mallocs"/> of <see cref="LivenessOwner"/>'s entry for the checked span's
    /// class at that check.</summary>
    [FieldOffset(88)] public ulong LivenessOwnerMallocs;
    /// <summary>Bytes by which this thread's local lists may still grow past their initial bound of two batches
    /// (see <see cref="ThreadCaches.FlushSurplus"/>).</summary>
    [FieldOffset(72)] public long ListGrowthBytesLeft;
    // NumSpanClasses ClassCache entries follow the 128-byte header, then NumSpanClasses inbox heads. The inboxes are
    // the only part other threads write, so they sit apart from the entries' lines.

    /// <summary>Bytes from the start of a cache to its first inbox.</summary>
    public static int InboxesOffset => sizeof(ThreadCache) + NumSpanClasses * sizeof(ClassCache);

    /// <summary>The span class's inbox: objects freed by other threads into spans this cache owns, linked through
    /// their first word. One word holds the list's head in its low <see cref="HeapConstants.HeapAddressBits"/> bits and
    /// its length above them, so the owner takes the list and its length with one exchange and never walks it.
    /// Pushed with compare-exchange, emptied with an exchange (ABA-free: a taker takes the whole list).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong* Inbox(int spanClass) => (ulong*)((byte*)Unsafe.AsPointer(ref this) + InboxesOffset) + spanClass;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ClassCache* Entry(int spanClass) => EntryAt(EntryOffset(spanClass));

    /// <summary>The entry at a byte offset from <see cref="EntryOffset"/>: what the fast paths use, as the offset is
    /// a constant (typed allocation), one table load (allocation by size) or a span field (free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ClassCache* EntryAt(nuint entryOffset) => (ClassCache*)((byte*)Unsafe.AsPointer(ref this) + entryOffset);

    /// <summary>Byte offset of the span class's entry from the start of a thread cache.</summary>
    public static uint EntryOffset(int spanClass) => (uint)(sizeof(ThreadCache) + spanClass * sizeof(ClassCache));

    /// <summary>The span class whose entry lies at <paramref name="entryOffset"/>.</summary>
    public static int SpanClassAt(uint entryOffset) => (int)(entryOffset - (uint)sizeof(ThreadCache)) / sizeof(ClassCache);
}

internal static unsafe class ThreadCaches
{
    /// <summary>Bytes a batch aims at (tcmalloc's 64 KiB); a class's local list starts bounded at two batches. Small
    /// objects move up to 512 at a time, which keeps central-lock round trips rare on remote-free workloads.</summary>
    private const int BatchBytes = 64 * KiB;
    private const int MinBatchObjects = 2, MaxBatchObjects = 512;
    /// <summary>Bytes a thread's local lists may hold beyond two batches per class, in all (tcmalloc's thread cache
    /// budget): a thread that frees a large structure and rebuilds it (binary-trees) reuses its own, cache-warm
    /// objects instead of sending them through the central lists and back.</summary>
    internal const long ListGrowthBudgetBytes = 4 * MiB;
    /// <summary>A list's bound grows only once the list has overflowed this many times since it last ran dry: a
    /// thread freeing a structure in bulk (binary-trees) overflows again and again, while a thread whose frees and
    /// allocations merely interleave at random (larson) overflows now and then. Growing on every overflow cost larson
    /// about 16 % more cycles in interleaved runs.</summary>
    internal const uint OverflowsBeforeGrowth = 4;
    /// <summary>Bytes of fresh objects one <see cref="ExtendLocalList"/> links (mimalloc's extension of a page's free
    /// list by at most 4 KiB), and the largest objects it links.</summary>
    internal const nuint ExtendBytes = 4 * KiB, MaxExtendObjectBytes = 256;
    private static readonly nuint s_cacheBytes = (nuint)(ThreadCache.InboxesOffset + NumSpanClasses * sizeof(ulong));

    private const ulong InboxPointerMask = (1UL << HeapAddressBits) - 1;
    /// <summary>Objects an inbox can count (its length field's range).</summary>
    internal const uint MaxInboxObjects = (uint)(ulong.MaxValue >> HeapAddressBits);
    /// <summary>Bytes an inbox holds at most (fewer objects than <see cref="MaxInboxObjects"/> for classes above 64 B);
    /// past it, frees go to the central list, so a thread that stopped allocating a class holds little of what other
    /// threads free into its spans, even before the background worker's next drain.</summary>
    internal const long MaxInboxBytes = 4 * MiB;

    /// <summary>The objects an inbox of objects of <paramref name="elemSize"/> bytes holds at most.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint InboxCapacity(uint elemSize) => (uint)Math.Min(MaxInboxObjects, MaxInboxBytes / elemSize);

    [ThreadStatic] private static Owner? t_owner;

    private static HeapLock s_registryLock;
    private static ThreadCache* s_registry;
    /// <summary>Reaped caches waiting for a new thread, linked through <see cref="ThreadCache.Next"/>; guarded by the
    /// registry lock. Reusing them also hands the dead thread's spans to the new thread.</summary>
    private static ThreadCache* s_spareCaches;
    /// <summary>Counters of dead threads' caches, per span class; guarded by the registry lock.</summary>
    private static readonly ulong* s_deadMallocs = (ulong*)NativeMemory.AllocZeroed(NumSpanClasses, sizeof(ulong));
    private static readonly ulong* s_deadFrees = (ulong*)NativeMemory.AllocZeroed(NumSpanClasses, sizeof(ulong));

    /// <summary>The entry offset of the noscan class for each size up to 32 KiB in 8-byte steps: allocation by size
    /// finds its list with one load (Go's size_to_class8, folded with the span class and the entry layout).</summary>
    private static readonly ushort* s_noscanEntryOffsetBySize8 = FastPath.NoscanEntryOffsetsCopy = BuildNoscanEntryOffsets();

    private static ushort* BuildNoscanEntryOffsets()
    {
        const int Entries = MaxSmallSizeBytes / 8 + 1;
        var table = (ushort*)NativeMemory.Alloc(Entries, sizeof(ushort));
        for (int i = 0; i < Entries; i++)
            table[i] = (ushort)ThreadCache.EntryOffset(SizeClasses.ClassOfSmall((nuint)i * 8) << 1 | 1);
        table[0] = table[1]; // a zero-byte request gets the smallest class, so it is a real, freeable object
        return table;
    }

    /// <summary>The entry offset of the noscan span class for <paramref name="size"/> (at most 32 KiB) bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint NoscanEntryOffset(nuint size) => s_noscanEntryOffsetBySize8[NoscanEntryIndex(size)];

    /// <summary>The index of <paramref name="size"/> in the table of entry offsets: its 8-byte granule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nuint NoscanEntryIndex(nuint size) => (size + 7) >> 3;

    internal static ThreadCache* Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => CurrentThreadCache.Value;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static ThreadCache* CreateForCurrentThread()
    {
        FastPath.InitializeOwners(); // before this thread's first fast path can succeed (see FastPath)
        ReapDeadThreads(); // a thread starting is often one replacing a thread that just died
        s_registryLock.Enter();
        ThreadCache* tc = s_spareCaches;
        if (tc != null) s_spareCaches = tc->Next;
        s_registryLock.Exit();
        if (tc == null)
        {
            tc = (ThreadCache*)NativeMemory.AlignedAlloc(s_cacheBytes, 64);
            PageHeap.AddMetadataBytes((long)s_cacheBytes);
            NativeMemory.Clear(tc, s_cacheBytes);
            tc->Dead = 1; // until it is in the registry
        }
        else
        {
            // A reused cache keeps its inboxes: a free that read the dead owner as live just before the reap may still
            // push there, and this thread inherits those objects with the dead thread's spans. The header stays as it
            // is (dead, with a freed handle) until it is relinked under the registry lock, where ReapIfExited reads it.
            NativeMemory.Clear(tc->Entry(0), (nuint)(NumSpanClasses * sizeof(ClassCache)));
        }
        for (int spc = 0; spc < NumSpanClasses; spc++)
        {
            ClassCache* e = tc->Entry(spc);
            int sizeClass = spc >> 1;
            e->ElemSize = (uint)SizeClasses.ObjectSizeFast(sizeClass);
            e->BatchSize = sizeClass == 0 ? 0u : (uint)Math.Clamp(BatchBytes / (int)e->ElemSize, MinBatchObjects, MaxBatchObjects);
            e->MaxCount = 2 * e->BatchSize;
        }
        tc->ListGrowthBytesLeft = ListGrowthBudgetBytes;
        tc->LivenessCheckInterval = tc->ForeignFreesUntilLivenessCheck = MinLivenessCheckInterval;
        tc->LivenessOwner = null;
        nint thread = GCHandle.ToIntPtr(GCHandle.Alloc(System.Threading.Thread.CurrentThread));
        s_registryLock.Enter();
        tc->Thread = thread;
        tc->Incarnation++;
        tc->Prev = null;
        Volatile.Write(ref tc->Dead, 0);
        tc->Next = s_registry;
        if (s_registry != null) s_registry->Prev = tc;
        s_registry = tc;
        s_registryLock.Exit();
        CurrentThreadCache.Value = tc;
        t_owner = new Owner();
        return tc;
    }

    /// <summary>A local list passed its bound (slow path of Free): once it has done so <see cref="OverflowsBeforeGrowth"/>
    /// times since it last ran dry, the bound grows by a batch while the thread's growth budget lasts (tcmalloc's
    /// dynamic list length); otherwise a batch goes back to the central list.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void FlushSurplus(ClassCache* e, int spanClass)
    {
        var tc = (ThreadCache*)((byte*)e - ThreadCache.EntryOffset(spanClass));
        long batchBytes = (long)e->BatchSize * e->ElemSize;
        if (++e->OverflowsSinceRefill > OverflowsBeforeGrowth && tc->ListGrowthBytesLeft >= batchBytes)
        {
            tc->ListGrowthBytesLeft -= batchBytes;
            e->MaxCount += e->BatchSize;
            return;
        }
        // The batch is the most recently freed objects: they are in the CPU cache, so cutting it off is one warm walk.
        void* batch = e->Head;
        void* last = batch;
        for (uint i = 1; i < e->BatchSize; i++) last = *(void**)last;
        e->Head = *(void**)last;
        *(void**)last = null;
        e->Count -= e->BatchSize;
        Central.Of(spanClass)->FlushBatch(batch);
    }

    /// <summary>
    /// Moves the next objects of the entry's fresh region onto its empty local list, linked in address order (mimalloc's
    /// free-list extension), so that the allocations after this one pop them on the fast path instead of each coming
    /// to the slow path to carve one. At most <see cref="ExtendBytes"/> of them: the links are written into memory
    /// that was untouched, and so perhaps not yet resident. Classes whose objects are larger than
    /// <see cref="MaxExtendObjectBytes"/> keep carving one by one: a zeroed allocation from the fresh region needs no
    /// clearing, and one from the list clears the whole object.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into AllocSmallSlow, its only caller
    internal static void ExtendLocalList(ClassCache* e)
    {
        Debug.Assert(e->Head == null && e->Count == 0);
        nuint size = e->ElemSize;
        if (size > MaxExtendObjectBytes) return;
        nuint n = Math.Min((nuint)(e->FreshEnd - e->FreshNext) / size, Math.Min(ExtendBytes / size, e->BatchSize));
        if (n == 0) return;
        byte* first = e->FreshNext;
        byte* last = first + (n - 1) * size;
        for (byte* q = first; q < last; q += size) *(void**)q = q + size;
        *(void**)last = null;
        e->Head = first;
        e->FreshNext = last + size;
        e->Count = (uint)n;
    }

    /// <summary>Takes the whole inbox of <paramref name="spanClass"/> (any thread may: it is one exchange); null if empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void* TakeInbox(ThreadCache* tc, int spanClass, out uint count)
    {
        ulong* inbox = tc->Inbox(spanClass);
        ulong word = *inbox == 0 ? 0 : Interlocked.Exchange(ref *inbox, 0);
        count = (uint)(word >> HeapAddressBits);
        return (void*)(nuint)(word & InboxPointerMask);
    }

    /// <summary>Sends the entry's remote list to its owner's inbox with one compare-exchange; to the central list
    /// instead if the owner has died meanwhile (no thread would take that inbox) or its inbox is full
    /// (<see cref="InboxCapacity"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void SendRemote(ClassCache* e, int spanClass)
    {
        void* list = e->RemoteHead;
        void* tail = e->RemoteTail;
        uint count = e->RemoteCount;
        ThreadCache* owner = e->RemoteOwner;
        e->RemoteHead = e->RemoteTail = null;
        e->RemoteOwner = null;
        e->RemoteCount = 0;
        ref ulong inbox = ref *owner->Inbox(spanClass);
        ulong observed = Volatile.Read(ref inbox);
        uint capacity = InboxCapacity(e->ElemSize);
        while (Volatile.Read(ref owner->Dead) == 0 && (observed >> HeapAddressBits) + count <= capacity)
        {
            *(nuint*)tail = (nuint)(observed & InboxPointerMask);
            ulong desired = ((observed >> HeapAddressBits) + count) << HeapAddressBits | (ulong)(nuint)list;
            ulong seen = Interlocked.CompareExchange(ref inbox, desired, observed);
            if (seen == observed) return;
            observed = seen;
        }
        *(void**)tail = null;
        Central.Of(spanClass)->Flush(list);
    }

    /// <summary>Returns the objects in a cache's inboxes to their spans (thread death, ReleaseMemory, the background
    /// worker's scavenge pass: an owner that stopped allocating a class would otherwise keep them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DrainInboxes(ThreadCache* tc)
    {
        for (int spc = 2; spc < NumSpanClasses; spc++)
        {
            void* list = TakeInbox(tc, spc, out _);
            if (list != null) Central.Of(spc)->Flush(list);
        }
    }

    /// <summary>Drains the inboxes of every cache, live, dead or spare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DrainAllInboxes()
    {
        // The caches are listed under the registry lock and drained after it is dropped: flushing takes central locks,
        // which are never taken while holding the registry lock, and caches are never freed. The list is native memory
        // rather than a List<nint>, whose generic code the JIT would otherwise compile at tier 0 on the background
        // worker's first pass (see Heap.cs on compilation).
        s_registryLock.Enter();
        nuint count = 0;
        for (ThreadCache* tc = s_registry; tc != null; tc = tc->Next) count++;
        for (ThreadCache* tc = s_spareCaches; tc != null; tc = tc->Next) count++;
        var caches = (ThreadCache**)NativeMemory.Alloc(count, (nuint)sizeof(ThreadCache*));
        nuint n = 0;
        for (ThreadCache* tc = s_registry; tc != null; tc = tc->Next) caches[n++] = tc;
        for (ThreadCache* tc = s_spareCaches; tc != null; tc = tc->Next) caches[n++] = tc;
        s_registryLock.Exit();
        for (nuint i = 0; i < n; i++) DrainInboxes(caches[i]);
        NativeMemory.Free(caches);
    }

    /// <summary>A local list ran dry and goes to the central list: a bound that grew gives back one batch of it, so the
    /// budget moves to the classes that overflow now, and an idle class's bound decays as the thread refills it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ShrinkBound(ThreadCache* tc, ClassCache* e)
    {
        e->OverflowsSinceRefill = 0;
        if (e->MaxCount <= 2 * e->BatchSize) return;
        e->MaxCount -= e->BatchSize;
        tc->ListGrowthBytesLeft += (long)e->BatchSize * e->ElemSize;
    }

    /// <summary>Returns every cached object of the cache to the central lists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FlushAll(ThreadCache* tc)
    {
        for (int spc = 2; spc < NumSpanClasses; spc++)
        {
            ClassCache* e = tc->Entry(spc);
            void* list = e->Head;
            for (byte* p = e->FreshNext; p < e->FreshEnd; p += e->ElemSize)
            {
                // Checked mode verifies the poison of every object popped from a free list; never-used objects
                // joining one must carry it too, or their next allocation reads as a use after free.
                if (HeapConfiguration.Checked) NativeMemory.Fill(p, e->ElemSize, Heap.PoisonByte);
                *(void**)p = list;
                list = p;
            }
            e->Head = null;
            e->Count = 0;
            e->FreshNext = e->FreshEnd = null;
            if (list != null) Central.Of(spc)->Flush(list);
            if (e->RemoteHead != null) SendRemote(e, spc);
        }
        DrainInboxes(tc);
    }

    /// <summary>Flushes the calling thread's cache (ReleaseMemory: the idle spans can then go back to the OS).</summary>
    internal static void FlushCurrent()
    {
        if (CurrentThreadCache.Value != null) FlushAll(CurrentThreadCache.Value);
    }

    /// <summary>Retires the calling thread's cache as if the thread had exited (Heap.ReleaseThreadCache): unlinked under
    /// the registry lock, so no concurrent reap takes it too, then flushed and kept for the next new thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ReleaseCurrent()
    {
        ThreadCache* tc = CurrentThreadCache.Value;
        if (tc == null) return;
        CurrentThreadCache.Value = null;
        if (t_owner != null) GC.SuppressFinalize(t_owner); // nothing left for its finalizer to reap
        t_owner = null;
        s_registryLock.Enter();
        Unlink(tc);
        tc->Next = null; // a list of one for Recycle
        s_registryLock.Exit();
        Recycle(tc);
    }

    /// <summary>Adds every cache's counters (and dead threads') per span class. Exact when no thread is allocating.</summary>
    internal static void SumCounters(Span<ulong> mallocs, Span<ulong> frees)
    {
        s_registryLock.Enter();
        for (int spc = 0; spc < NumSpanClasses; spc++)
        {
            mallocs[spc] = s_deadMallocs[spc];
            frees[spc] = s_deadFrees[spc];
        }
        for (ThreadCache* tc = s_registry; tc != null; tc = tc->Next)
        {
            for (int spc = 0; spc < NumSpanClasses; spc++)
            {
                ClassCache* e = tc->Entry(spc);
                mallocs[spc] += e->Mallocs;
                frees[spc] += e->Frees;
            }
        }
        s_registryLock.Exit();
    }

    /// <summary>Returns the caches of threads that have exited to the central lists and keeps them for reuse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ReapDeadThreads()
    {
        ThreadCache* dead = null;
        s_registryLock.Enter();
        for (ThreadCache* tc = s_registry, next; tc != null; tc = next)
        {
            next = tc->Next;
            if (!HasExited(tc)) continue;
            Unlink(tc);
            tc->Next = dead;
            dead = tc;
        }
        s_registryLock.Exit();
        Recycle(dead);
    }

    /// <summary>Bounds of the number of frees into other threads' spans a thread makes between checks that the owner
    /// still lives. A check costs the registry lock and <c>Thread.IsAlive</c>: 4–7 % of xmalloc-test's time at every
    /// 64th free, where the one owner lives throughout; larson's successor threads need their predecessors' deaths
    /// found within a few dozen frees (every 64th free measured 7 % faster there than every 256th).</summary>
    internal const uint MinLivenessCheckInterval = 64, MaxLivenessCheckInterval = 4096;

    /// <summary>
    /// A liveness check that <see cref="Heap"/>'s foreign free came due for: reaps <paramref name="owner"/> if its
    /// thread has exited, unless it is already known gone (<paramref name="knownGone"/>: dead, or its cache serves
    /// another thread now). The interval to the next check doubles, up to <see cref="MaxLivenessCheckInterval"/>, when
    /// the same owner is found alive and has allocated objects of the span's class since the last check (its counter,
    /// read once per check): a producer whose objects a consumer frees. It stays when that owner is alive but idle (larson's predecessor threads, exiting
    /// while their successors free their objects, are found dead within the interval they had), and it starts again
    /// from <see cref="MinLivenessCheckInterval"/> for another owner or a gone one. True when the owner is gone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool CheckLiveness(ThreadCache* tc, ThreadCache* owner, int spanClass, bool knownGone)
    {
        bool gone = knownGone || ReapIfExited(owner);
        ulong ownerMallocs = Volatile.Read(ref owner->Entry(spanClass)->Mallocs);
        uint interval = MinLivenessCheckInterval;
        if (!gone && owner == tc->LivenessOwner)
        {
            interval = ownerMallocs != tc->LivenessOwnerMallocs
                ? Math.Min(2 * tc->LivenessCheckInterval, MaxLivenessCheckInterval)
                : tc->LivenessCheckInterval;
        }
        tc->LivenessCheckInterval = tc->ForeignFreesUntilLivenessCheck = interval;
        tc->LivenessOwner = gone ? null : owner;
        tc->LivenessOwnerMallocs = ownerMallocs;
        return gone;
    }

    /// <summary>A foreign free begins a remote list for <paramref name="owner"/>: if the last check found another owner
    /// alive, the next check comes within <see cref="MinLivenessCheckInterval"/> frees, so that a long interval earned
    /// on one owner does not put off finding that a new one has exited.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void NoteRemoteOwner(ThreadCache* tc, ThreadCache* owner)
    {
        if (owner != tc->LivenessOwner && tc->ForeignFreesUntilLivenessCheck > MinLivenessCheckInterval)
            tc->ForeignFreesUntilLivenessCheck = MinLivenessCheckInterval;
    }

    /// <summary>
    /// Reaps <paramref name="owner"/> if its thread has exited; true when it is dead (reaped now or before). Frees
    /// into a dead thread's spans then adopt them instead of filling an inbox nobody takes: larson's successor threads
    /// start freeing their predecessor's objects before any tick could reap it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool ReapIfExited(ThreadCache* owner)
    {
        s_registryLock.Enter();
        bool reapNow = owner->Dead == 0 && HasExited(owner);
        if (reapNow)
        {
            Unlink(owner);
            owner->Next = null; // a list of one for Recycle
        }
        bool dead = owner->Dead != 0;
        s_registryLock.Exit();
        if (reapNow) Recycle(owner);
        return dead;
    }

    /// <summary>Under the registry lock: whether a registered cache's thread has exited.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool HasExited(ThreadCache* tc) => !((Thread)GCHandle.FromIntPtr(tc->Thread).Target!).IsAlive;

    /// <summary>Under the registry lock: takes a dead thread's cache out of the registry, folding in its counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unlink(ThreadCache* tc)
    {
        for (int spc = 0; spc < NumSpanClasses; spc++)
        {
            s_deadMallocs[spc] += tc->Entry(spc)->Mallocs;
            s_deadFrees[spc] += tc->Entry(spc)->Frees;
        }
        if (tc->Prev != null) tc->Prev->Next = tc->Next;
        else s_registry = tc->Next;
        if (tc->Next != null) tc->Next->Prev = tc->Prev;
        Volatile.Write(ref tc->Dead, 1);
    }

    /// <summary>Returns unlinked caches (a list through <see cref="ThreadCache.Next"/>) to the central lists and keeps
    /// them for new threads. Outside the registry lock: flushing takes central locks, and no other thread can reach
    /// these caches' lists now (only their inboxes, which are drained with an exchange).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Recycle(ThreadCache* dead)
    {
        while (dead != null)
        {
            ThreadCache* tc = dead;
            dead = tc->Next;
            FlushAll(tc);
            GCHandle.FromIntPtr(tc->Thread).Free();
            s_registryLock.Enter();
            tc->Next = s_spareCaches;
            s_spareCaches = tc;
            s_registryLock.Exit();
        }
    }

    /// <summary>Reachable only from its thread's [ThreadStatic] slot: finalized after the thread has exited, which
    /// lets the first GC after a thread's death return its cache without waiting for the background tick.</summary>
    private sealed class Owner
    {
        ~Owner() => ReapDeadThreads();
    }
}

/// <summary>
/// The calling thread's cache, alone in a class without a static constructor or other statics: the JIT then gives
/// it the inlined thread-static access and can hoist it out of loops. Kept in <see cref="ThreadCaches"/> (which has
/// static readonly fields), each access went through the runtime's thread-static helper.
/// </summary>
internal static unsafe class CurrentThreadCache
{
    [ThreadStatic] public static ThreadCache* Value;
}
