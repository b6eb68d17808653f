// PageHeap: Gen's mheap. It owns the address space and hands out runs of 8 KiB pages.
//
// Glossary:
//   arena      - 64 MiB of address space reserved from the OS at a 64 MiB boundary (Go's heapArena).
//   arena map  - flat table of 2^22 HeapArena pointers indexed by address >> 26: the first level of the radix tree
//                from any address to its span (Go's mheap_.arenas with arenaL1Bits = 0).
//   HeapArena  - per-arena metadata: the page -> span table (second level of the radix tree) and the bitmap of
//                released pages (Go's scavenged bits).
//   span       - a run of pages (Span.cs); free runs live in segregated bins keyed by page count.
//   released   - a free page whose physical memory went back to the OS (or was never touched): it reads as zero.
//
// Allocating N pages (large object or a new span for a central list), all under the heap lock:
//   1. Pick the bin for N: exact bins for 1..127 pages, then four bins per power of two (two-level segregated fit,
//      as in TLSF). A 256-bit mask of non-empty bins finds the first bin that can hold N with a few bit scans:
//      O(1), never a scan of the heap. Only the one bin that may hold runs both smaller and larger than N is
//      walked first-fit.
//   2. Split the run; the tail goes back to its bin.
//   3. Count and clear released bits: the span needs zeroing only if some page was dirty.
//   4. Point every page of the span at it in the page table (lock-free readers see it after publication).
//   5. If no bin fits, grow: reserve whole arenas from the OS (the only syscall on this path).
// Freeing a span: coalesce with the free runs that end just before or start just after it (found in O(1) through
// the page table's boundary tags), stamp the idle time, bin it. The background scavenger (and ReleaseMemory)
// releases free pages idle longer than ScavengeDelay with madvise.
// Lock order: a central list's lock may be held when the heap lock is taken, never the reverse.

using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using static Gen.Runtime.HeapConstants;

namespace Gen.Runtime;

internal unsafe struct HeapArena
{
    /// <summary>Span* per page of the arena; never null (a page no span has covered yet holds PageHeap's no-span).</summary>
    public fixed ulong Spans[PagesPerArena];
    /// <summary>One bit per page: set when the page is free and released (reads as zero).</summary>
    public fixed ulong Released[PagesPerArena / 64];

    /// <summary>The span recorded for the page holding <paramref name="p"/> (which must lie in this arena); never null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Span* SpanAt(void* p) => (Span*)Spans[PageHeap.PageIndex(p)];
}

internal static unsafe class PageHeap
{
    private const int ExactBins = 128;
    private const int SubBinsPerPowerLog2 = 2;
    private const int BinCount = 256;
    private const int SpanStructsPerChunk = 512;
    /// <summary>Freed large objects at least this big are released to the OS immediately, like the chunks glibc maps
    /// above its largest mmap threshold (32 MiB). Smaller ones stay committed for reuse until the scavenger's delay
    /// passes: releasing them at once made every reuse pay page faults (mstress, malloc-large).</summary>
    private const nuint EagerReleaseBytes = 32 * MiB;

    private static readonly HeapArena** s_arenaMap = FastPath.ArenaMapCopy = (HeapArena**)ReserveOrFail(
        (nuint)sizeof(HeapArena*) << ArenaIndexBits, "the arena map");

    /// <summary>What an arena's page table holds for a page no span has covered yet: a span that no pointer starts an
    /// object of (its <see cref="Span.NElems"/> is 0, its class 0), so Free's fast paths need no null check between
    /// the table and <see cref="Span.IsObjectStart"/>. <see cref="SpanOf"/> reports it as null.</summary>
    private static readonly Span* s_noSpan = (Span*)NativeMemory.AllocZeroed((nuint)sizeof(Span));

    private static HeapLock s_lock;
    private static readonly Span** s_bins = (Span**)NativeMemory.AllocZeroed((nuint)(BinCount * sizeof(Span*)));
    private static readonly ulong* s_binMask = (ulong*)NativeMemory.AllocZeroed(BinCount / 8);
    private static Span* s_deadSpans;

    // Statistics, guarded by s_lock.
    private static ulong s_sysBytes, s_inUsePages, s_releasedPages;
    private static ulong s_metadataBytes; // updated with Interlocked: side tables are allocated outside the heap lock
    private static ulong s_largeMallocs, s_largeFrees, s_largeLiveBytes, s_largeTotalBytes;
    private static long s_hardLimitBytes = HeapConfiguration.InitialHardLimit;
    private static long s_scavengeDelayMs = HeapConfiguration.InitialScavengeDelayMs;

    internal static long HardLimit
    {
        get => Volatile.Read(ref s_hardLimitBytes);
        set => Volatile.Write(ref s_hardLimitBytes, value);
    }

    internal static long ScavengeDelayMs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref s_scavengeDelayMs);
        set => Volatile.Write(ref s_scavengeDelayMs, value);
    }

    private static void* ReserveOrFail(nuint bytes, string what)
    {
        void* p = SystemMemory.Reserve(bytes, (nuint)Environment.SystemPageSize);
        if (p == null) throw new OutOfMemoryException($"Gen: the OS refused to reserve {bytes} bytes for {what}.");
        return p;
    }

    // ---- span lookup (lock-free) ----

    /// <summary>The span recorded for the page holding <paramref name="p"/>, or null when no Gen arena covers it.
    /// The caller validates state and range: entries of free runs' inner pages may be stale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Span* SpanOf(void* p)
    {
        if ((nuint)p >> HeapAddressBits != 0) return null; // beyond the 48-bit address space
        HeapArena* arena = ArenaOf(p);
        if (arena == null) return null;
        Span* s = arena->SpanAt(p);
        return s == s_noSpan ? null : s;
    }

    /// <summary>
    /// The arena holding <paramref name="p"/>, or null. The arena index is masked rather than range-checked, so an
    /// address beyond the 48-bit space gives the arena of its low 48 bits: whoever looks up such an address must then
    /// find it inside what it found (Free's fast paths do, in <see cref="Span.IsObjectStart"/>; <see cref="SpanOf"/>
    /// rejects it first). That saves Free a compare and a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapArena* ArenaOf(void* p) => s_arenaMap[ArenaIndex(p)];

    /// <summary>The arena map's index for <paramref name="p"/>: masked, see <see cref="ArenaOf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nuint ArenaIndex(void* p) => ((nuint)p >> LogArenaBytes) & (((nuint)1 << ArenaIndexBits) - 1);

    /// <summary>The index of the page holding <paramref name="p"/> in its arena.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static nuint PageIndex(void* p) => ((nuint)p >> PageShift) & (PagesPerArena - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetPageEntry(byte* page, Span* s) => ArenaOf(page)->Spans[PageIndex(page)] = (ulong)s;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetAllPageEntries(Span* s)
    {
        for (byte* page = s->Start; page < s->End; page += PageSize) SetPageEntry(page, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetBoundaryTags(Span* s)
    {
        SetPageEntry(s->Start, s);
        SetPageEntry(s->End - PageSize, s);
    }

    // ---- allocation ----

    /// <summary>Allocates a span of <paramref name="npages"/> pages, or null when over the hard limit or the OS refuses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Span* AllocSpan(nuint npages, SpanState state, byte spanClass)
    {
        Debug.Assert(state is SpanState.Small or SpanState.Large);
        s_lock.Enter();
        Span* s = null;
        if ((s_inUsePages + npages) * PageSize <= (ulong)HardLimit)
        {
            Span* run = FindRun(npages);
            if (run == null && Grow(npages)) run = FindRun(npages);
            if (run != null) s = TakeRun(run, npages, state, spanClass);
        }
        if (s != null && state == SpanState.Large)
        {
            s_largeMallocs++;
            s_largeLiveBytes += s->Bytes;
            s_largeTotalBytes += s->Bytes;
        }
        s_lock.Exit();
        return s == s_noSpan ? null : s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span* FindRun(nuint npages)
    {
        int bin = BinOf(npages);
        if (bin >= ExactBins)
        {
            // A log bin mixes sizes: first fit within it, then any higher bin fits whole.
            for (Span* s = s_bins[bin]; s != null; s = s->Next)
                if (s->NPages >= npages) return s;
            bin++;
        }
        int found = FirstNonEmptyBin(bin);
        return found < 0 ? null : s_bins[found];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstNonEmptyBin(int from)
    {
        for (int word = from >> 6; word < BinCount / 64; word++)
        {
            ulong bits = s_binMask[word];
            if (word == from >> 6) bits &= ~0UL << (from & 63);
            if (bits != 0) return word * 64 + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span* TakeRun(Span* run, nuint npages, SpanState state, byte spanClass)
    {
        RemoveFromBin(run);
        if (run->NPages > npages)
        {
            Span* rest = NewSpanStruct();
            rest->Start = run->Start + (npages << PageShift);
            rest->NPages = run->NPages - npages;
            rest->IdleSinceMs = run->IdleSinceMs;
            rest->State = SpanState.Free;
            SetBoundaryTags(rest);
            AddToBin(rest);
            run->NPages = npages;
        }
        nuint released = ClaimReleasedPages(run->Start, npages);
        s_releasedPages -= released;
        s_inUsePages += npages;
        run->NeedZero = released != npages;
        run->NElems = 0; // a small span's central list sets it once the span is set up
        run->State = state;
        run->SpanClass = spanClass;
        SetAllPageEntries(run);
        return run;
    }

    /// <summary>Clears the released bits of the range and returns how many were set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nuint ClaimReleasedPages(byte* start, nuint npages)
    {
        nuint count = 0;
        for (byte* page = start; npages > 0;)
        {
            HeapArena* arena = ArenaOf(page);
            int first = (int)PageIndex(page);
            int n = (int)Math.Min(npages, (nuint)(PagesPerArena - first));
            count += (nuint)ClearBits(arena->Released, first, n);
            npages -= (nuint)n;
            page += (nuint)n << PageShift;
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ClearBits(ulong* bits, int first, int count)
    {
        int cleared = 0;
        while (count > 0)
        {
            int bit = first & 63;
            int n = Math.Min(64 - bit, count);
            ulong mask = (n == 64 ? ~0UL : ((1UL << n) - 1)) << bit;
            cleared += BitOperations.PopCount(bits[first >> 6] & mask);
            bits[first >> 6] &= ~mask;
            first += n;
            count -= n;
        }
        return cleared;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Grow(nuint npages)
    {
        nuint bytes = ((npages << PageShift) + ArenaBytes - 1) & ~(ArenaBytes - 1);
        byte* start = SystemMemory.Reserve(bytes, ArenaBytes);
        if (start == null) return false;
        for (byte* a = start; a < start + bytes; a += ArenaBytes)
        {
            var arena = (HeapArena*)NativeMemory.AllocZeroed((nuint)sizeof(HeapArena));
            new Span<ulong>(arena->Spans, PagesPerArena).Fill((ulong)s_noSpan);
            new Span<ulong>(arena->Released, PagesPerArena / 64).Fill(~0UL); // fresh pages read as zero
            AddMetadataBytes(sizeof(HeapArena));
            Volatile.Write(ref *(nint*)&s_arenaMap[(nuint)a >> LogArenaBytes], (nint)arena);
        }
        s_sysBytes += bytes;
        s_releasedPages += bytes >> PageShift;
        Span* s = NewSpanStruct();
        s->Start = start;
        s->NPages = bytes >> PageShift;
        InsertFreeRun(s);
        BackgroundWorker.StartOnce();
        return true;
    }

    // ---- freeing ----

    /// <summary>Returns a small span (all objects free) or a large object's span to the free runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FreeSpan(Span* s)
    {
        s_lock.Enter();
        s_inUsePages -= s->NPages;
        ReleaseSideTables(s);
        InsertFreeRun(s);
        s_lock.Exit();
    }

    /// <summary>Frees a large object after validating it under the heap lock; false when it is not a live large object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryFreeLarge(byte* p)
    {
        s_lock.Enter();
        Span* s = SpanOf(p);
        bool live = s != null && s->State == SpanState.Large && s->Start == p;
        if (live)
        {
            s_largeFrees++;
            s_largeLiveBytes -= s->Bytes;
            s_inUsePages -= s->NPages;
            ReleaseSideTables(s);
            // Huge objects go back to the OS at once: their pages are unlikely to be reused soon in whole, and a
            // later large allocation from released pages needs no zeroing.
            if (s->Bytes >= EagerReleaseBytes) s_releasedPages += ReleaseRun(s);
            InsertFreeRun(s);
        }
        s_lock.Exit();
        return live;
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InsertFreeRun(Span* s)
    {
        s->NElems = 0;
        s->State = SpanState.Free;
        Span* left = SpanOf(s->Start - PageSize);
        if (left != null && left->State == SpanState.Free && left->End == s->Start)
        {
            RemoveFromBin(left);
            left->NPages += s->NPages;
            RecycleSpanStruct(s);
            s = left;
        }
        Span* right = SpanOf(s->End);
        if (right != null && right->State == SpanState.Free && right->Start == s->End)
        {
            RemoveFromBin(right);
            s->NPages += right->NPages;
            RecycleSpanStruct(right);
        }
        s->IdleSinceMs = Environment.TickCount64;
        SetBoundaryTags(s);
        AddToBin(s);
    }

    // ---- bins ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BinOf(nuint npages)
    {
        if (npages < ExactBins) return (int)npages;
        int log = BitOperations.Log2(npages);
        int sub = (int)(npages >> (log - SubBinsPerPowerLog2)) & ((1 << SubBinsPerPowerLog2) - 1);
        return ExactBins + ((log - 7) << SubBinsPerPowerLog2) + sub;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToBin(Span* s)
    {
        int bin = BinOf(s->NPages);
        SpanList.Push(ref s_bins[bin], s);
        s_binMask[bin >> 6] |= 1UL << (bin & 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RemoveFromBin(Span* s)
    {
        int bin = BinOf(s->NPages);
        SpanList.Remove(ref s_bins[bin], s);
        if (s_bins[bin] == null) s_binMask[bin >> 6] &= ~(1UL << (bin & 63));
    }

    // ---- span structs (Go's fixalloc for mspans) ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span* NewSpanStruct()
    {
        if (s_deadSpans == null)
        {
            // Cache-line aligned, so each span's read-mostly half is a line of its own (see Span).
            var chunk = (Span*)NativeMemory.AlignedAlloc((nuint)(SpanStructsPerChunk * sizeof(Span)), 64);
            AddMetadataBytes(SpanStructsPerChunk * sizeof(Span));
            for (int i = 0; i < SpanStructsPerChunk; i++) SpanList.Push(ref s_deadSpans, &chunk[i]);
        }
        Span* s = s_deadSpans;
        SpanList.Remove(ref s_deadSpans, s);
        *s = default;
        return s == s_noSpan ? null : s;
    }

    private static void RecycleSpanStruct(Span* s)
    {
        s->State = SpanState.Dead;
        SpanList.Push(ref s_deadSpans, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReleaseSideTables(Span* s)
    {
        if (s->Types != null)
        {
            NativeMemory.Free(s->Types);
            AddMetadataBytes(-TypesBytes(s));
        }
        if (s->AllocBits != null)
        {
            NativeMemory.Free(s->AllocBits);
            AddMetadataBytes(-AllocBitsBytes(s));
        }
        s->Types = null;
        s->AllocBits = null;
        s->ObjectType = null;
        s->FreeList = s->FreeListTail = null;
    }

    // ---- scavenger ----

    /// <summary>Releases every free page idle since <paramref name="idleSinceMs"/> or earlier; returns bytes released.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ulong Scavenge(long idleSinceMs)
    {
        s_lock.Enter();
        ulong pages = 0;
        for (int bin = 0; bin < BinCount; bin++)
            for (Span* s = s_bins[bin]; s != null; s = s->Next)
                if (s->IdleSinceMs <= idleSinceMs) pages += ReleaseRun(s);
        s_releasedPages += pages;
        s_lock.Exit();
        return pages << PageShift;
    }

    /// <summary>Releases the pages of a run that are not released yet, in maximal contiguous pieces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong ReleaseRun(Span* s)
    {
        ulong released = 0;
        byte* pieceStart = null;
        for (byte* page = s->Start; page <= s->End; page += PageSize)
        {
            bool dirty = page < s->End && !IsReleased(page);
            if (dirty && pieceStart == null) pieceStart = page;
            if (!dirty && pieceStart != null)
            {
                SystemMemory.Release(pieceStart, (nuint)(page - pieceStart));
                for (byte* q = pieceStart; q < page; q += PageSize) MarkReleased(q);
                released += (ulong)(page - pieceStart) >> PageShift;
                pieceStart = null;
            }
        }
        return released;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsReleased(byte* page)
    {
        int i = (int)PageIndex(page);
        return (ArenaOf(page)->Released[i >> 6] & (1UL << (i & 63))) != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MarkReleased(byte* page)
    {
        int i = (int)PageIndex(page);
        ArenaOf(page)->Released[i >> 6] |= 1UL << (i & 63);
    }

    // ---- statistics ----

    internal static void ReadStats(out PageHeapStats stats)
    {
        s_lock.Enter();
        stats = new PageHeapStats
        {
            SysBytes = s_sysBytes,
            InUseBytes = s_inUsePages << PageShift,
            ReleasedBytes = s_releasedPages << PageShift,
            MetadataBytes = Volatile.Read(ref s_metadataBytes),
            LargeMallocs = s_largeMallocs,
            LargeFrees = s_largeFrees,
            LargeLiveBytes = s_largeLiveBytes,
            LargeTotalBytes = s_largeTotalBytes,
        };
        s_lock.Exit();
    }

    /// <summary>Bytes of a mixed scan span's per-object type table (<see cref="Span.Types"/>).</summary>
    internal static long TypesBytes(Span* s) => (long)s->NElems * sizeof(TypeDescriptor*);

    /// <summary>Bytes of a span's checked-mode allocated bits (<see cref="Span.AllocBits"/>).</summary>
    internal static long AllocBitsBytes(Span* s) => (long)(s->NElems + 63) / 64 * sizeof(ulong);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddMetadataBytes(long bytes) => Interlocked.Add(ref Unsafe.As<ulong, long>(ref s_metadataBytes), bytes);
}

internal struct PageHeapStats
{
    public ulong SysBytes, InUseBytes, ReleasedBytes, MetadataBytes;
    public ulong LargeMallocs, LargeFrees, LargeLiveBytes, LargeTotalBytes;
}

/// <summary>Intrusive doubly linked lists of spans through <see cref="Span.Next"/> and <see cref="Span.Prev"/>.</summary>
internal static unsafe class SpanList
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Push(ref Span* head, Span* s)
    {
        s->Prev = null;
        s->Next = head;
        if (head != null) head->Prev = s;
        head = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Remove(ref Span* head, Span* s)
    {
        if (s->Prev != null) s->Prev->Next = s->Next;
        else head = s->Next;
        if (s->Next != null) s->Next->Prev = s->Prev;
        s->Next = s->Prev = null;
    }
}
