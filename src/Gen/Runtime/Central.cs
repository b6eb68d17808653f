// Central: Gen's mcentral, one per span class (size class x {scan, noscan}).
//
// Glossary:
//   batch          - a linked list of exactly ClassCache.BatchSize objects moved between a thread cache and a central
//                    in one lock hold.
//   transfer cache - up to TransferSlots whole batches parked in the central as they came from a thread cache
//                    (tcmalloc's TransferCache): handing one on costs O(1) and touches no object and no span, so a
//                    thread whose local list overflows and one that runs dry trade objects cheaply. (Objects freed
//                    on another thread do not come here: they go to their owner's inbox, see ThreadCache.cs.)
//   partial list   - spans with objects on their FreeList.
//   full list      - spans whose every object is handed out (to users, thread caches or the transfer cache).
//
// Refill (a thread cache's local list and inbox ran dry), under this central's lock only:
//   1. Take a parked batch from the transfer cache: O(1).
//   2. Else take whole free lists of partial spans (O(1) each through their tails) until a batch is reached; the
//      drained spans move to the full list and to the cache's ownership. The cache may get somewhat more than a
//      batch; its bound trims it later.
//   3. Else take a new span from the page heap (heap lock, nested) and hand the whole span to the cache, which owns
//      it, as a fresh region it carves without any lock. Fresh pages read as zero, so they need no zeroing.
// Flush of a surplus batch (a thread cache's list grew past its bound), under this central's lock only:
//   1. Park it in the transfer cache if a slot is free: O(1).
//   2. Else return its objects to their spans (below).
// Returning objects to spans (a full transfer cache, a dead thread's cache, inboxes that are full, drained or a
// dead thread's, ReleaseMemory, idle transfer caches):
//   1. For each object: find its span through the radix tree (lock-free), push it on the span's free list.
//   2. A span that was full becomes partial; a span whose AllocCount reaches 0 goes back to the page heap.
// No lock is taken per object on the fast path: thread caches call in here once per batch.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gen.Runtime;

/// <summary>
/// Invariants: <c>TransferCount</c> batches of exactly the class's batch size sit in <c>Transfer[0..TransferCount)</c>;
/// every span on <c>Partial</c> has a non-empty free list, every span on <c>Full</c> an empty one; objects parked in
/// the transfer cache count as handed out (<see cref="Span.AllocCount"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)] // two cache lines: neighbouring classes' locks don't false-share
internal unsafe struct Central
{
    /// <summary>Batches a central parks: with 64 KiB batches, at most 512 KiB of idle objects per span class.</summary>
    public const int TransferSlots = 8;

    public HeapLock Lock;
    public int TransferCount;
    /// <summary>Set when the transfer cache is used; the background worker drains caches left untouched for a tick.</summary>
    public bool TransferTouched;
    public Span* Partial;
    public Span* Full;
    public fixed ulong Transfer[TransferSlots];

    private static readonly Central* s_centrals = (Central*)NativeMemory.AlignedAlloc(
        (nuint)(HeapConstants.NumSpanClasses * sizeof(Central)), 64);

    static Central() => NativeMemory.Clear(s_centrals, (nuint)(HeapConstants.NumSpanClasses * sizeof(Central)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Central* Of(int spanClass) => s_centrals + spanClass;

    /// <summary>Fills an empty cache entry; false when the page heap cannot provide a span (hard limit or OS).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Refill(ThreadCache* cache, int spanClass)
    {
        ref ClassCache entry = ref *cache->Entry(spanClass);
        Debug.Assert(entry.Head == null && entry.FreshNext >= entry.FreshEnd);
        Lock.Enter();
        if (TransferCount > 0)
        {
            entry.Head = (void*)Transfer[--TransferCount];
            entry.Count = entry.BatchSize;
            TransferTouched = true;
            Lock.Exit();
            return true;
        }

        // Take whole span free lists (O(1) each, through their tails) until the batch is full: the objects are not
        // touched here, and a span taken whole moves straight to the full list.
        void* head = null;
        uint n = 0;
        while (n < entry.BatchSize && Partial != null)
        {
            Span* s = Partial;
            *(void**)s->FreeListTail = head;
            head = s->FreeList;
            n += (uint)s->NElems - s->AllocCount;
            s->AllocCount = (uint)s->NElems;
            s->SetOwner(cache); // its objects this thread frees again are reused here
            s->FreeList = s->FreeListTail = null;
            MoveToFull(s);
        }

        bool ok = true;
        if (n == 0)
        {
            Span* s = NewSpan(spanClass, cache);
            if (s == null)
            {
                ok = false;
            }
            else
            {
                s->AllocCount = (uint)s->NElems; // the cache owns the whole span as a fresh region
                SpanList.Push(ref Full, s);
                entry.FreshNext = s->Start;
                entry.FreshEnd = s->Start + (nuint)s->NElems * s->ElemSize;
                entry.FreshIsZero = !s->NeedZero;
            }
        }
        Lock.Exit();
        entry.Head = head;
        entry.Count = n;
        return ok;
    }

    /// <summary>Takes a batch of exactly the class's batch size: parked whole if there is room, else returned to spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FlushBatch(void* batch)
    {
        Lock.Enter();
        if (TransferCount < TransferSlots)
        {
            Transfer[TransferCount++] = (ulong)batch;
            TransferTouched = true;
        }
        else
        {
            ReturnToSpans(batch);
        }
        Lock.Exit();
    }

    /// <summary>Returns a linked list of objects of this span class to their spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush(void* list)
    {
        Lock.Enter();
        ReturnToSpans(list);
        Lock.Exit();
    }

    /// <summary>Returns the parked batches to their spans, all of them or only if untouched since the last call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DrainTransferCache(bool onlyIfIdle)
    {
        Lock.Enter();
        if (!(onlyIfIdle && TransferTouched))
        {
            while (TransferCount > 0) ReturnToSpans((void*)Transfer[--TransferCount]);
        }
        TransferTouched = false;
        Lock.Exit();
    }

    /// <summary>Drains every central's transfer cache (see <see cref="DrainTransferCache"/>).</summary>
    public static void DrainAll(bool onlyIfIdle)
    {
        for (int spanClass = 2; spanClass < HeapConstants.NumSpanClasses; spanClass++)
            Of(spanClass)->DrainTransferCache(onlyIfIdle);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReturnToSpans(void* list)
    {
        while (list != null)
        {
            void* obj = list;
            list = *(void**)obj;
            Span* s = PageHeap.SpanOf(obj);
            Debug.Assert(s != null && s->State == SpanState.Small && s->AllocCount > 0);
            bool wasFull = s->FreeList == null;
            *(void**)obj = s->FreeList;
            s->FreeList = obj;
            if (wasFull) s->FreeListTail = obj;
            if (--s->AllocCount == 0)
            {
                SpanList.Remove(ref wasFull ? ref Full : ref Partial, s);
                PageHeap.FreeSpan(s);
            }
            else if (wasFull)
            {
                SpanList.Remove(ref Full, s);
                SpanList.Push(ref Partial, s);
            }
        }
    }

    /// <summary>
    /// Gives a scan span a type per object, from the moment a second type is allocated in it. Under this central's
    /// lock, so two threads mixing the same span make one table. The table is filled with the span's one type before
    /// it is published, then <see cref="TypeDescriptor.Mixed"/>: an allocation that still reads the old type writes
    /// nothing, and its slot already holds that type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MakeMixed(Span* s)
    {
        Lock.Enter();
        TypeDescriptor* single = s->ObjectType;
        if (single != TypeDescriptor.Mixed)
        {
            var types = (TypeDescriptor**)NativeMemory.Alloc(s->NElems, (nuint)sizeof(TypeDescriptor*));
            new System.Span<nint>(types, (int)s->NElems).Fill((nint)single);
            PageHeap.AddMetadataBytes(PageHeap.TypesBytes(s));
            Volatile.Write(ref *(nint*)&s->Types, (nint)types);
            Volatile.Write(ref *(nint*)&s->ObjectType, (nint)TypeDescriptor.Mixed);
        }
        Lock.Exit();
    }

    private void MoveToFull(Span* s)
    {
        SpanList.Remove(ref Partial, s);
        SpanList.Push(ref Full, s);
    }

    /// <summary>A new small span of the class, owned by <paramref name="cache"/>. Its owner and division constants are
    /// set before its object count: from then on Free's fast path accepts pointers into it, and it relies on every
    /// small span having an owner (a thread without a cache owns none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span* NewSpan(int spanClass, ThreadCache* cache)
    {
        int sizeClass = spanClass >> 1;
        Span* s = PageHeap.AllocSpan((nuint)SizeClasses.SpanPagesFast(sizeClass), SpanState.Small, (byte)spanClass);
        if (s == null) return null;
        s->SetOwner(cache);
        s->ElemSize = (uint)SizeClasses.ObjectSizeFast(sizeClass);
        s->DivInverse = SizeClasses.DivInverseFast(sizeClass);
        s->DivShift = SizeClasses.DivShiftFast(sizeClass);
        s->CacheEntryOffset = ThreadCache.EntryOffset(spanClass);
        Volatile.Write(ref s->NElems, (nuint)SizeClasses.ObjectsPerSpanFast(sizeClass));
        if (HeapConfiguration.Checked)
        {
            s->AllocBits = (ulong*)NativeMemory.AllocZeroed((s->NElems + 63) / 64, sizeof(ulong));
            PageHeap.AddMetadataBytes(PageHeap.AllocBitsBytes(s));
        }
        return s;
    }
}
