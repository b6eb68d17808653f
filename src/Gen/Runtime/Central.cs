// Central: Gen's mcentral, one per span class (size class x {scan, noscan}).
//
// Glossary:
//   partial list - spans with objects on their FreeList (returned by thread caches).
//   full list    - spans whose every object is handed out (to users or thread caches).
//   batch        - a linked list of objects moved between a thread cache and a central in one lock hold.
//
// Refill (a thread cache ran dry), under this central's lock only:
//   1. Pop up to a batch of objects from the free lists of partial spans; a drained span moves to the full list.
//   2. Nothing there: take a new span from the page heap (heap lock, nested) and hand the whole span to the cache
//      as a fresh region it carves without any lock. Fresh pages read as zero, so they need no zeroing.
// Flush (a thread cache holds too many, or its thread exited), under this central's lock only:
//   1. For each object: find its span through the radix tree (lock-free), push it on the span's free list.
//   2. A span that was full becomes partial; a span whose AllocCount reaches 0 goes back to the page heap.
// No lock is taken per object on the fast path: thread caches call in here once per batch.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Runtime;

[StructLayout(LayoutKind.Sequential, Size = 64)] // one cache line each: centrals of neighbouring classes don't false-share
internal unsafe struct Central
{
    public HeapLock Lock;
    public Span* Partial;
    public Span* Full;

    private static readonly Central* s_centrals = (Central*)NativeMemory.AlignedAlloc(
        (nuint)(HeapConstants.NumSpanClasses * sizeof(Central)), 64);

    static Central() => NativeMemory.Clear(s_centrals, (nuint)(HeapConstants.NumSpanClasses * sizeof(Central)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Central* Of(int spanClass) => s_centrals + spanClass;

    /// <summary>Fills an empty cache entry; false when the page heap cannot provide a span (hard limit or OS).</summary>
    public bool Refill(ref ClassCache entry, int spanClass)
    {
        Debug.Assert(entry.Head == null && entry.FreshNext >= entry.FreshEnd);
        Lock.Enter();
        void* head = null;
        uint n = 0;
        while (n < entry.BatchSize && Partial != null)
        {
            Span* s = Partial;
            while (n < entry.BatchSize && s->FreeList != null)
            {
                void* obj = s->FreeList;
                s->FreeList = *(void**)obj;
                *(void**)obj = head;
                head = obj;
                s->AllocCount++;
                n++;
            }
            if (s->FreeList == null) MoveToFull(s);
        }

        bool ok = true;
        if (n == 0)
        {
            Span* s = NewSpan(spanClass);
            if (s == null)
            {
                ok = false;
            }
            else
            {
                s->AllocCount = s->NElems; // the cache owns the whole span as a fresh region
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

    /// <summary>Returns a linked list of objects of this span class to their spans.</summary>
    public void Flush(void* list)
    {
        Lock.Enter();
        while (list != null)
        {
            void* obj = list;
            list = *(void**)obj;
            Span* s = PageHeap.SpanOf(obj);
            Debug.Assert(s != null && s->State == SpanState.Small && s->AllocCount > 0);
            bool wasFull = s->FreeList == null;
            *(void**)obj = s->FreeList;
            s->FreeList = obj;
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
        Lock.Exit();
    }

    private void MoveToFull(Span* s)
    {
        SpanList.Remove(ref Partial, s);
        SpanList.Push(ref Full, s);
    }

    private static Span* NewSpan(int spanClass)
    {
        int sizeClass = spanClass >> 1;
        Span* s = PageHeap.AllocSpan((nuint)SizeClasses.SpanPagesFast(sizeClass), SpanState.Small, (byte)spanClass);
        if (s == null) return null;
        s->ElemSize = (uint)SizeClasses.ObjectSizeFast(sizeClass);
        s->NElems = (uint)SizeClasses.ObjectsPerSpanFast(sizeClass);
        s->DivMagic = SizeClasses.DivMagicFast(sizeClass);
        bool scan = (spanClass & 1) == 0;
        if (scan)
        {
            s->Types = (TypeDescriptor**)NativeMemory.AllocZeroed(s->NElems, (nuint)sizeof(TypeDescriptor*));
        }
        if (HeapConfiguration.Checked)
        {
            s->AllocBits = (ulong*)NativeMemory.AllocZeroed((s->NElems + 63) / 64, sizeof(ulong));
        }
        return s;
    }
}
