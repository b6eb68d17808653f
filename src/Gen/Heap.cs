// Heap: Gen's public entry points (Go's malloc.go), a native heap organised like Go's.
//
// Glossary: size class (Go's table, SizeClasses.cs); span class = size class << 1 | noscan; ThreadCache (mcache,
// per thread, no lock, found through a [ThreadStatic] slot on each call, or once for many calls through a ThreadHeap);
// Central (mcentral, one lock per span class); PageHeap (mheap, one lock); span lookup is a two-level radix tree from
// address to Span (PageHeap.SpanOf, lock-free).
//
// Allocating a small object (<= 32 KiB):
//   1. size -> size class through Go's two lookup arrays (the generated T.Alloc() has it as a constant).
//   2. Pop the thread cache's list for the span class: no lock, no interlocked instruction.
//   3. slow path: take the cache's inbox (objects other threads freed into its spans) with one exchange, else carve
//      its fresh region (linking the next 4 KiB of small objects onto the local list, so the next allocations stay on
//      step 2), else refill a batch from the central list (its lock), which may take a span from the page heap (heap
//      lock), which may map a new arena (mmap).
// Freeing a small object:
//   1. Find its span through the radix tree (two loads, lock-free), check it is the start of a live object.
//   2. If the calling thread's cache owns the span, push it on the local list: no lock, no interlocked instruction.
//   3. slow path: else push it on a remote list, which goes to the owner's inbox one batch at a time (one
//      compare-exchange per batch), or adopt the span if its owner has exited. A local list over its bound grows the
//      bound within the thread's budget, else gives a batch to the central list (its lock); a span whose objects all
//      came back returns to the page heap (heap lock).
// Large objects (> 32 KiB) are page runs straight from the page heap (heap lock), and go back to it on free.
// Checked mode (GEN_CHECKED=1) sends everything through the slow paths, which track each object's allocated bit
// (double free), poison freed memory with 0xDD and verify the poison on reuse (use after free).
// Compilation: the public fast paths inline into their callers (HotPath below). Every other runtime method that runs
// after start-up is inlined or compiled fully optimized at its first call (AggressiveOptimization), so the runtime
// never compiles code at tier 0 in the middle of a program: each tier-0 compilation restarts the JIT's call-counting
// delay (100 ms) and so holds back the tier-up of the program's own code (bench/Gen.Bench.Tests checks this).

using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Gen.Runtime;
using static Gen.Runtime.HeapConstants;

namespace Gen;

/// <summary>
/// Gen's native heap: Go's size classes, per-thread caches, central lists and a page heap. Memory is not managed by
/// the GC: every allocation must be freed exactly once, from any thread.
/// </summary>
public static unsafe class Heap
{
    /// <summary>Byte written over freed objects in checked mode.</summary>
    internal const byte PoisonByte = 0xDD;

    private const int InlineZeroMaxBytes = 128;

    /// <summary>
    /// The public fast paths inline into optimized callers; where a caller is still unoptimized (tier 0, or a
    /// short-lived program), they are compiled fully optimized on first call instead of going through tier 0 too:
    /// an allocator that is slow until the JIT warms up loses short workloads to native ones (mimalloc-bench's).
    /// </summary>
    internal const MethodImplOptions HotPath = MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization;

    /// <summary>Allocates <paramref name="size"/> zeroed bytes (like <c>new</c>); 0 gives a valid, freeable object.</summary>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS refuses.</exception>
    [MethodImpl(HotPath)]
    public static void* Alloc(nuint size) => AllocBySize(ThreadCaches.Current, size, zero: true, throwOnFailure: true);

    /// <summary>Allocates <paramref name="size"/> bytes whose contents are unspecified (like <c>malloc</c>).</summary>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS refuses.</exception>
    [MethodImpl(HotPath)]
    public static void* AllocUninitialized(nuint size) => AllocBySize(ThreadCaches.Current, size, zero: false, throwOnFailure: true);

    /// <summary>The largest alignment <see cref="AllocAligned"/> gives: the page size, 8 KiB, on which spans and large
    /// objects start.</summary>
    public const int MaxAlignment = PageSize;

    /// <summary>
    /// Allocates <paramref name="size"/> zeroed bytes at an address that is a multiple of <paramref name="alignment"/>,
    /// a power of two of at most <see cref="MaxAlignment"/>: for vectors, or structures that must start a cache line.
    /// Every object lies at a multiple of 8; for more, the request is served from the smallest size class at least as
    /// large whose objects are all aligned so (spans start on pages, so its object size is a multiple of the
    /// alignment), and a large object starts on a page. It is an ordinary object: freed with <see cref="Free(void*)"/>
    /// from any thread, <see cref="UsableSize"/> is its class's size, and <see cref="Realloc"/> keeps the alignment only
    /// when it returns the same pointer.
    /// </summary>
    /// <exception cref="ArgumentException">The alignment is not a power of two, or is larger than
    /// <see cref="MaxAlignment"/>.</exception>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS refuses.</exception>
    public static void* AllocAligned(nuint size, nuint alignment) => Alloc(AlignedSize(size, alignment));

    /// <summary>Like <see cref="AllocAligned"/>, but the contents are unspecified (like <c>aligned_alloc</c>).</summary>
    /// <exception cref="ArgumentException">The alignment is not a power of two, or is larger than
    /// <see cref="MaxAlignment"/>.</exception>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS refuses.</exception>
    public static void* AllocAlignedUninitialized(nuint size, nuint alignment) => AllocUninitialized(AlignedSize(size, alignment));

    /// <summary>The request that <see cref="AllocAligned"/> makes of the size classes.</summary>
    internal static nuint AlignedSize(nuint size, nuint alignment)
    {
        if (!BitOperations.IsPow2(alignment) || alignment > MaxAlignment)
        {
            throw new ArgumentException(
                $"Gen aligns objects to a power of two of at most {MaxAlignment} bytes (its page size); {alignment} is not one.", nameof(alignment));
        }
        if (alignment <= SizeClassAlgorithm.MinAlignBytes || size > MaxSmallSizeBytes) return size;
        return (nuint)SizeClasses.ObjectSizeFast(SizeClasses.AlignedClassOf(SizeClasses.ClassOfSmall(size), BitOperations.Log2(alignment)));
    }

    /// <summary>Like <see cref="Alloc(nuint)"/>, but returns null instead of throwing when memory cannot be had.</summary>
    public static void* TryAlloc(nuint size) => AllocBySize(ThreadCaches.Current, size, zero: true, throwOnFailure: false);

    /// <summary>Frees an object Gen allocated, from any thread. Null does nothing.</summary>
    /// <exception cref="ArgumentException">The pointer was not allocated by Gen, or points inside an object.</exception>
    /// <exception cref="InvalidOperationException">Double free (always for large objects; small ones in checked mode).</exception>
    [MethodImpl(HotPath)]
    public static void Free(void* p) =>
        // The thread cache first: its TLS read is a call, and the span lookup after it needs no register saved across.
        Free(ThreadCaches.Current, p);

    /// <summary>Free's fast path for the calling thread, whose cache is <paramref name="tc"/>: null when none is at hand
    /// (the thread has none yet, or a default <see cref="ThreadHeap"/>), which no span names as its owner, so PushFree
    /// sends the free to the slow path, which finds or makes the cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Free(ThreadCache* tc, void* p)
    {
        // The span lookup is written out (not PageHeap.SpanOf) so that each miss goes straight to the slow path, and
        // masks the arena index: IsObjectStart rejects any address outside the span, and also large objects, free
        // runs and pages no span has covered (their NElems is 0; the page table holds no null).
        HeapArena* arena = FastPath.ArenaOf(p);
        if (arena != null && !FastPath.Checked)
        {
            Span* s = arena->SpanAt(p);
            if (s->IsObjectStart(p))
            {
                PushFree(tc, s, p, s->CacheEntryOffset);
                return;
            }
        }
        FreeSlow(p); // slow path
    }

    /// <summary>The calling thread's handle on the heap: its thread cache, found once (and made if the thread has none),
    /// for loops that allocate and free many objects. Use it on this thread only.</summary>
    [MethodImpl(HotPath)]
    public static ThreadHeap ForCurrentThread()
    {
        ThreadCache* tc = ThreadCaches.Current;
        return new ThreadHeap(tc != null ? tc : ThreadCaches.CreateForCurrentThread());
    }

    /// <summary>Resizes the object at <paramref name="p"/> (null: allocates), keeping min(old, new) bytes. Returns
    /// <paramref name="p"/> when it still fits without wasting more than half; bytes past the old size are unspecified. An
    /// object that moves is aligned as <see cref="Alloc(nuint)"/>'s are, whatever <see cref="AllocAligned"/> gave it.</summary>
    /// <exception cref="OutOfMemoryException">The new size cannot be had; <paramref name="p"/> is left untouched.</exception>
    public static void* Realloc(void* p, nuint size)
    {
        if (p == null) return Alloc(size);
        nuint usable = UsableSize(p);
        if (size <= usable && size >= usable / 2) return p;
        void* moved = AllocUninitialized(size);
        Buffer.MemoryCopy(p, moved, size, Math.Min(usable, size));
        Free(p);
        return moved;
    }

    /// <summary>The bytes usable at <paramref name="p"/>: the class size, or whole pages for a large object.</summary>
    /// <exception cref="ArgumentException">The pointer is not the start of a live Gen object.</exception>
    public static nuint UsableSize(void* p)
    {
        Span* s = LiveSpanOf(p, nameof(UsableSize));
        return s->State == SpanState.Large ? s->Bytes : s->ElemSize;
    }

    /// <summary>
    /// Returns to their spans the calling thread's cached objects, those of threads that have exited, every thread's
    /// inboxes (objects freed into its spans by other threads) and the batches parked in the central lists, then every
    /// free page to the OS, like Go's <c>debug.FreeOSMemory</c>. Other live threads keep their local lists.
    /// </summary>
    public static void ReleaseMemory()
    {
        ThreadCaches.ReapDeadThreads();
        ThreadCaches.FlushCurrent();
        ThreadCaches.DrainAllInboxes();
        Central.DrainAll(onlyIfIdle: false);
        PageHeap.Scavenge(long.MaxValue);
    }

    /// <summary>
    /// Returns the calling thread's cache now, as a thread's exit does (mimalloc's <c>mi_thread_done</c>, tcmalloc's
    /// <c>MarkThreadIdle</c>): its cached objects go back to their spans and its spans are given up, so the next thread
    /// that frees into one of them adopts it at once. .NET tells no library that a thread has exited, so otherwise Gen
    /// learns it by polling, and objects other threads free meanwhile wait in this thread's inboxes. Call it where a
    /// thread is done allocating: at the end of a short-lived thread's work, or before a pool thread goes idle. The
    /// thread may allocate again afterwards (it then gets a cache anew); a <see cref="ThreadHeap"/> it made before must
    /// not be used after (checked mode refuses it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReleaseThreadCache() => ThreadCaches.ReleaseCurrent();

    /// <summary>A statistics snapshot modelled on Go's <c>runtime.MemStats</c>.</summary>
    public static HeapStats GetStats()
    {
        Span<ulong> mallocs = stackalloc ulong[NumSpanClasses];
        Span<ulong> frees = stackalloc ulong[NumSpanClasses];
        ThreadCaches.SumCounters(mallocs, frees);
        PageHeap.ReadStats(out PageHeapStats pages);

        var bySize = new SizeClassStats[NumSizeClasses];
        bySize[0] = new SizeClassStats(0, 0, pages.LargeMallocs, pages.LargeFrees);
        ulong allocBytes = pages.LargeLiveBytes, totalBytes = pages.LargeTotalBytes;
        ulong objects = pages.LargeMallocs - pages.LargeFrees, mallocCount = pages.LargeMallocs, freeCount = pages.LargeFrees;
        for (int sizeClass = 1; sizeClass < NumSizeClasses; sizeClass++)
        {
            ulong m = mallocs[sizeClass << 1] + mallocs[sizeClass << 1 | 1];
            ulong f = frees[sizeClass << 1] + frees[sizeClass << 1 | 1];
            ulong size = (ulong)SizeClasses.ObjectSizeFast(sizeClass);
            bySize[sizeClass] = new SizeClassStats(sizeClass, (int)size, m, f);
            ulong live = m > f ? m - f : 0; // a racing reader may see a free before its malloc
            objects += live;
            allocBytes += live * size;
            totalBytes += m * size;
            mallocCount += m;
            freeCount += f;
        }
        return new HeapStats
        {
            HeapAlloc = allocBytes,
            HeapSys = pages.SysBytes,
            HeapIdle = pages.SysBytes - pages.InUseBytes,
            HeapInuse = pages.InUseBytes,
            HeapReleased = pages.ReleasedBytes,
            HeapObjects = objects,
            Mallocs = mallocCount,
            Frees = freeCount,
            TotalAlloc = totalBytes,
            MetadataSys = pages.MetadataBytes,
            BySize = bySize,
        };
    }

    /// <summary>Bytes of in-use spans past which allocation fails (<see cref="OutOfMemoryException"/> or null);
    /// <see cref="long.MaxValue"/> means none. Starts from GEN_HEAP_HARD_LIMIT or the runtimeconfig knob
    /// Gen.HeapHardLimit (bytes, or with a B/KiB/MiB/GiB/TiB suffix).</summary>
    public static long HardLimit
    {
        get => PageHeap.HardLimit;
        set => PageHeap.HardLimit = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The hard limit must be positive (long.MaxValue: none).");
    }

    /// <summary>How long a free page run stays idle before the background scavenger returns it to the OS. Starts
    /// from GEN_SCAVENGE_DELAY_MS or Gen.ScavengeDelayMilliseconds (default 1 s).</summary>
    public static TimeSpan ScavengeDelay
    {
        get => TimeSpan.FromMilliseconds(PageHeap.ScavengeDelayMs);
        set => PageHeap.ScavengeDelayMs = value >= TimeSpan.Zero
            ? (long)value.TotalMilliseconds
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The scavenge delay cannot be negative.");
    }

    /// <summary>True when checked mode is on (GEN_CHECKED=1 or the AppContext switch Gen.Checked).</summary>
    public static bool IsChecked => HeapConfiguration.Checked;

    // ---- typed allocation: the generator's fast paths bind here with every class fact a JIT-time constant ----

    /// <summary>Allocates a zeroed <typeparamref name="T"/> from its compile-time span class.</summary>
    [MethodImpl(HotPath)]
    public static T* Alloc<T>() where T : unmanaged, ISizeClassed<T> => AllocTyped<T>(ThreadCaches.Current, zero: true);

    /// <summary>Allocates a <typeparamref name="T"/> whose contents are unspecified.</summary>
    [MethodImpl(HotPath)]
    public static T* AllocUninitialized<T>() where T : unmanaged, ISizeClassed<T> => AllocTyped<T>(ThreadCaches.Current, zero: false);

    /// <summary>Typed allocation's fast path for the calling thread, whose cache is <paramref name="tc"/> (null: none at
    /// hand, so the slow path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T* AllocTyped<T>(ThreadCache* tc, bool zero) where T : unmanaged, ISizeClassed<T>
    {
        if (!TypeInfo<T>.LayoutVerified) TypeInfo<T>.ThrowLayoutMismatch();
        if (T.SizeClass != 0)
        {
            // Small structs are zeroed with a few inlined stores (sizeof(T) is a constant), cheaper than a memset call.
            bool inlineZero = zero && sizeof(T) <= InlineZeroMaxBytes;
            if (tc != null && !FastPath.Checked)
            {
                ClassCache* e = tc->EntryAt(TypeInfo<T>.CacheEntryOffset);
                void* p = e->Head;
                if (p != null)
                {
                    PopHead(e, p, zero && !inlineZero);
                    if (inlineZero) Unsafe.InitBlockUnaligned(p, 0, (uint)sizeof(T));
                    if (T.HasPointers) RecordType(p, TypeDescriptorOf<T>.OnFastPath);
                    return (T*)p;
                }
            }
        }
        return AllocTypedSlow<T>(zero); // slow path
    }

    /// <summary>Large <typeparamref name="T"/>s, and small ones the thread cache's list cannot serve; throws when
    /// memory cannot be had.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static T* AllocTypedSlow<T>(bool zero) where T : unmanaged, ISizeClassed<T>
    {
        void* p = T.SizeClass == 0
            ? AllocLarge((nuint)T.Size, zero, TypeInfo<T>.SpanClass, TypeDescriptorOf<T>.Descriptor)
            : AllocSmallSlow(TypeInfo<T>.CacheEntryOffset, zero);
        if (p == null) ThrowOutOfMemory((nuint)T.Size);
        if (T.SizeClass != 0 && T.HasPointers) RecordType(p, TypeDescriptorOf<T>.Descriptor);
        return (T*)p;
    }

    /// <summary>Frees a <typeparamref name="T"/>; validates the pointer like <see cref="Free(void*)"/>.</summary>
    [MethodImpl(HotPath)]
    public static void Free<T>(T* p) where T : unmanaged, ISizeClassed<T> =>
        Free(ThreadCaches.Current, p); // the TLS read first, as in Free(void*)

    /// <summary>Typed Free's fast path for the calling thread, whose cache is <paramref name="tc"/> (null: none at hand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Free<T>(ThreadCache* tc, T* p) where T : unmanaged, ISizeClassed<T>
    {
        if (T.SizeClass != 0)
        {
            HeapArena* arena = FastPath.ArenaOf(p);
            if (arena != null && !FastPath.Checked)
            {
                Span* s = arena->SpanAt(p);
                if (s->SpanClass == TypeInfo<T>.SpanClass && s->IsObjectStart(p))
                {
                    PushFree(tc, s, p, TypeInfo<T>.CacheEntryOffset); // a constant: the span class is T's
                    return;
                }
            }
        }
        FreeSlow(p); // slow path
    }

    /// <summary>The pointer bitmap of the type allocated at <paramref name="p"/> through <see cref="Alloc{T}"/>: bit
    /// (i % 8) of byte (i / 8) is set when word i holds a data pointer. Empty for objects without pointers.</summary>
    /// <exception cref="ArgumentException">The pointer is not the start of a live Gen object.</exception>
    public static ReadOnlySpan<byte> GetPointerBitmap(void* p)
    {
        Span* s = LiveSpanOf(p, nameof(GetPointerBitmap));
        if ((s->SpanClass & 1) != 0) return default; // noscan
        TypeDescriptor* type = s->ObjectType;
        if (type == TypeDescriptor.Mixed) type = s->Types[s->ObjectIndex((nuint)p - (nuint)s->Start)];
        return type == null ? default : new ReadOnlySpan<byte>(type->Bitmap, type->BitmapLength);
    }

    /// <summary>
    /// Allocation by size: a small object from the thread cache's local list, else the slow path. The fast path returns
    /// from inside its checks (as <see cref="AllocTyped"/> does) rather than through a helper that returns a pointer or
    /// null: after inlining, the JIT tested the merged result again, a test and two jumps more per allocation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void* AllocBySize(ThreadCache* tc, nuint size, bool zero, bool throwOnFailure)
    {
        if (size <= MaxSmallSizeBytes && tc != null && !FastPath.Checked)
        {
            ClassCache* e = tc->EntryAt(FastPath.NoscanEntryOffset(size));
            void* p = e->Head;
            if (p != null)
            {
                PopHead(e, p, zero);
                return p;
            }
        }
        return throwOnFailure ? AllocSlowOrThrow(size, zero) : AllocSlow(size, zero); // slow path
    }

    /// <summary>What <see cref="Alloc(nuint)"/> does when its fast path cannot serve it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void* AllocSlowOrThrow(nuint size, bool zero)
    {
        void* p = AllocSlow(size, zero);
        return p != null ? p : ThrowOutOfMemory(size);
    }

    /// <summary>Small sizes through the thread cache's slow path, large ones from the page heap; null when memory
    /// cannot be had.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void* AllocSlow(nuint size, bool zero) => size <= MaxSmallSizeBytes
        ? AllocSmallSlow(ThreadCaches.NoscanEntryOffset(size), zero)
        : AllocLarge(size, zero, spanClass: 1, type: null);

    // ---- small objects ----

    /// <summary>Hands out <paramref name="p"/>, the head of the entry's local list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PopHead(ClassCache* e, void* p, bool zero)
    {
        e->Head = *(void**)p;
        if (FastPath.Checked) CheckedOnAlloc(p, fromFreeList: true); // before zeroing wipes the poison
        // Also shortens Count by one. Written out rather than ++: the JIT then updates the field in place instead of
        // first computing its address into a register (the same in PushLocal).
        e->Mallocs = e->Mallocs + 1;
        if (zero) NativeMemory.Clear(p, e->ElemSize);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void* AllocSmallSlow(uint entryOffset, bool zero)
    {
        ThreadCache* tc = ThreadCaches.Current;
        if (tc == null) tc = ThreadCaches.CreateForCurrentThread();
        ClassCache* e = tc->EntryAt(entryOffset);
        int spanClass = ThreadCache.SpanClassAt(entryOffset);
        while (true)
        {
            void* p = e->Head;
            if (p != null)
            {
                PopHead(e, p, zero);
                return p;
            }
            // Objects other threads freed into this cache's spans come first: they are this thread's own memory.
            void* inbox = ThreadCaches.TakeInbox(tc, spanClass, out uint inboxCount);
            if (inbox != null)
            {
                e->Head = inbox;
                e->Count = inboxCount;
                continue;
            }
            if (e->FreshNext < e->FreshEnd)
            {
                p = e->FreshNext;
                e->FreshNext += e->ElemSize;
                // Checked mode keeps never-used objects off the local list: every object on a list carries poison.
                if (HeapConfiguration.Checked) CheckedOnAlloc(p, fromFreeList: false);
                else ThreadCaches.ExtendLocalList(e);
                e->CountMallocOffList();
                if (zero && !e->FreshIsZero) NativeMemory.Clear(p, e->ElemSize);
                return p;
            }
            ThreadCaches.ShrinkBound(tc, e);
            if (!Central.Of(spanClass)->Refill(tc, spanClass)) return null;
        }
    }

    /// <summary>Frees <paramref name="p"/>, the start of an object of small span <paramref name="s"/>, from the thread
    /// whose cache is <paramref name="tc"/> (null when none is at hand: every small span has an owner, so it goes to
    /// <see cref="PushForeign"/>, which finds or makes the cache).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PushFree(ThreadCache* tc, Span* s, void* p, nuint entryOffset)
    {
        if (s->Owner == tc) PushLocal(tc->EntryAt(entryOffset), s, p);
        else PushForeign(tc, s, p, entryOffset); // slow path
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PushLocal(ClassCache* e, Span* s, void* p)
    {
        ulong frees = e->Frees + 1;
        e->Frees = frees; // also lengthens Count by one
        *(void**)p = e->Head;
        e->Head = p;
        if ((long)(frees - e->Mallocs) > e->FreeLimit) ThreadCaches.FlushSurplus(e, s->SpanClass); // slow path
    }

    /// <summary>Frees an object of a span this thread's cache does not own: onto the remote list, which goes to the
    /// owner's inbox in batches (one compare-exchange each), or, when the owner's thread has died, onto this thread's
    /// local list after adopting the span (larson's thread generations free what their predecessors allocated).
    /// Compiled fully optimized at once: in a producer/consumer program every free comes here.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void PushForeign(ThreadCache* tc, Span* s, void* p, nuint entryOffset)
    {
        if (tc == null)
        {
            // No cache was at hand: the thread's first operation, or a default ThreadHeap, whose thread may own the span.
            // A cache made here owns no span yet in its new incarnation: a span it owned as a dead thread's cache is
            // adopted below, which renews the span's incarnation.
            tc = ThreadCaches.Current;
            if (tc == null) tc = ThreadCaches.CreateForCurrentThread();
            else if (s->Owner == tc)
            {
                PushLocal(tc->EntryAt(entryOffset), s, p);
                return;
            }
        }
        ClassCache* e = tc->EntryAt(entryOffset);
        ThreadCache* owner = s->Owner;
        Debug.Assert(owner != null, "every small span has an owner from the moment Free accepts pointers into it");
        bool checkLiveness = --tc->ForeignFreesUntilLivenessCheck == 0;
        // The common case first: another object for the remote list being built, whose owner was alive when it began.
        if (e->RemoteHead == null || owner != e->RemoteOwner || checkLiveness)
        {
            bool ownerGone = Volatile.Read(ref owner->Dead) != 0 || owner->Incarnation != s->OwnerIncarnation;
            if (checkLiveness) ownerGone = ThreadCaches.CheckLiveness(tc, owner, s->SpanClass, ownerGone);
            if (ownerGone)
            {
                s->SetOwner(tc);
                PushLocal(e, s, p);
                return;
            }
            if (e->RemoteHead != null && e->RemoteOwner != owner) ThreadCaches.SendRemote(e, s->SpanClass);
            if (e->RemoteHead == null)
            {
                e->RemoteTail = p;
                e->RemoteOwner = owner;
                ThreadCaches.NoteRemoteOwner(tc, owner);
            }
        }
        e->CountFreeOffList();
        *(void**)p = e->RemoteHead;
        e->RemoteHead = p;
        if (++e->RemoteCount == e->BatchSize) ThreadCaches.SendRemote(e, s->SpanClass);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FreeSlow(void* p)
    {
        if (p == null) return;
        Span* s = PageHeap.SpanOf(p);
        if (s == null) throw NotAllocated(p);
        if (s->State == SpanState.Small && p >= s->Start && p < s->End)
        {
            if (!s->IsObjectStart(p)) throw InteriorPointer(p, s);
            if (HeapConfiguration.Checked) CheckedOnFree(p, s, s->ObjectIndex((nuint)p - (nuint)s->Start));
            ThreadCache* tc = ThreadCaches.Current;
            if (tc == null) tc = ThreadCaches.CreateForCurrentThread();
            PushFree(tc, s, p, s->CacheEntryOffset);
            return;
        }
        if (PageHeap.TryFreeLarge((byte*)p)) return;
        s = PageHeap.SpanOf(p);
        if (s->State == SpanState.Large && p > s->Start && p < s->End)
            throw new ArgumentException($"Gen: Free(0x{(nuint)p:X}) is an interior pointer: the large object starts at 0x{(nuint)s->Start:X}.", nameof(p));
        throw new InvalidOperationException(
            $"Gen: double free of 0x{(nuint)p:X}: its pages are not in use (already freed, or never allocated). The heap is unchanged.");
    }

    /// <summary>Records the type of a new object in a scan span (Go's heap bits): nothing to write while the span
    /// holds one type only, which is the common case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RecordType(void* p, TypeDescriptor* type)
    {
        Span* s = FastPath.ArenaOf(p)->SpanAt(p); // p was just allocated: its arena exists
        if (Span.ReadObjectType(s) != type) RecordTypeSlow(s, p, type); // slow path
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void RecordTypeSlow(Span* s, void* p, TypeDescriptor* type)
    {
        // The span's first typed object claims it for its type; a second type makes the span mixed, once.
        nint claimed = Interlocked.CompareExchange(ref *(nint*)&s->ObjectType, (nint)type, 0);
        if (claimed == 0 || claimed == (nint)type) return;
        if ((TypeDescriptor*)claimed != TypeDescriptor.Mixed) Central.Of(s->SpanClass)->MakeMixed(s); // rechecks under its lock
        s->Types[s->ObjectIndex((nuint)p - (nuint)s->Start)] = type;
    }

    /// <summary>Validates that <paramref name="p"/> is the start of a live object and returns its span.</summary>
    private static Span* LiveSpanOf(void* p, string operation)
    {
        Span* s = PageHeap.SpanOf(p);
        if (p == null || s == null) throw NotAllocated(p, operation);
        if (s->State == SpanState.Large && s->Start == p) return s;
        if (s->State == SpanState.Small && p >= s->Start && p < s->End)
        {
            return s->IsObjectStart(p) ? s : throw InteriorPointer(p, s);
        }
        throw new ArgumentException($"Gen: {operation}(0x{(nuint)p:X}): no live object starts there.", nameof(p));
    }

    private static ArgumentException NotAllocated(void* p, string operation = nameof(Free)) =>
        new($"Gen: {operation}(0x{(nuint)p:X}): the pointer was not allocated by Gen (no Gen arena contains it).", nameof(p));

    /// <summary>For a pointer inside a small span's range at which no object starts.</summary>
    private static ArgumentException InteriorPointer(void* p, Span* s)
    {
        nuint index = Math.Min(((nuint)p - (nuint)s->Start) / s->ElemSize, s->NElems - 1); // past the last: the tail
        return new($"Gen: Free(0x{(nuint)p:X}) is an interior pointer: it lies inside the {s->ElemSize}-byte object at " +
            $"0x{(nuint)(s->Start + index * s->ElemSize):X}.", "p");
    }

    // ---- checked mode (slow paths only) ----

    private static void CheckedOnAlloc(void* p, bool fromFreeList)
    {
        Span* s = PageHeap.SpanOf(p);
        ulong index = s->ObjectIndex((nuint)p - (nuint)s->Start);
        ref ulong word = ref s->AllocBits[index >> 6];
        ulong bit = 1UL << (int)(index & 63);
        if ((Volatile.Read(ref word) & bit) != 0)
            throw new InvalidOperationException($"Gen checked mode: the free list handed out 0x{(nuint)p:X}, which is allocated: heap corrupted.");
        if (fromFreeList)
        {
            var body = new ReadOnlySpan<byte>((byte*)p + sizeof(void*), (int)s->ElemSize - sizeof(void*));
            int written = body.IndexOfAnyExcept(PoisonByte);
            if (written >= 0)
                throw new InvalidOperationException(
                    $"Gen checked mode: use after free: byte {written + sizeof(void*)} of the freed object at 0x{(nuint)p:X} was written after Free.");
        }
        // Atomic: neighbours sharing this word are allocated and freed on other threads at the same time, and a plain
        // read-modify-write would lose their bits (false double frees, false "handed out while allocated").
        Interlocked.Or(ref word, bit);
    }

    private static void CheckedOnFree(void* p, Span* s, ulong index)
    {
        ref ulong word = ref s->AllocBits[index >> 6];
        ulong bit = 1UL << (int)(index & 63);
        if ((word & bit) == 0)
            throw new InvalidOperationException($"Gen checked mode: double free of 0x{(nuint)p:X}. The heap is unchanged.");
        Interlocked.And(ref word, ~bit); // atomic for the same reason as in CheckedOnAlloc
        NativeMemory.Fill(p, s->ElemSize, PoisonByte);
    }

    // ---- large objects ----

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void* AllocLarge(nuint size, bool zero, int spanClass, TypeDescriptor* type)
    {
        if (size > MaxAllocBytes) return null;
        nuint npages = (size + PageSize - 1) >> PageShift;
        Span* s = PageHeap.AllocSpan(npages, SpanState.Large, (byte)spanClass);
        if (s == null) return null;
        s->ObjectType = type;
        if (zero && s->NeedZero) NativeMemory.Clear(s->Start, s->Bytes);
        return s->Start;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void* ThrowOutOfMemory(nuint size)
    {
        if (size > MaxAllocBytes)
            throw new OutOfMemoryException($"Gen: cannot allocate {size} bytes: larger than the {MaxAllocBytes}-byte maximum.");
        PageHeap.ReadStats(out PageHeapStats pages);
        if (pages.InUseBytes + size > (ulong)HardLimit)
            throw new OutOfMemoryException(
                $"Gen: cannot allocate {size} bytes: the heap hard limit of {HardLimit} bytes would be exceeded ({pages.InUseBytes} in use).");
        throw new OutOfMemoryException($"Gen: cannot allocate {size} bytes: the operating system refused more memory.");
    }

    /// <summary>NativeAOT copy of <see cref="TypeDescriptorOf{T}.Descriptor"/>, in a class without a static constructor
    /// (see <see cref="FastPath"/>).</summary>
    private static class TypeDescriptorCopy<T> where T : unmanaged, ISizeClassed<T>
    {
        public static TypeDescriptor* Value;
    }

    /// <summary>Facts about T fixed at its first use: span class, cache entry, and the compile-time layout check.</summary>
    private static class TypeInfo<T> where T : unmanaged, ISizeClassed<T>
    {
        public static readonly int SpanClass = T.SizeClass << 1 | (T.HasPointers ? 0 : 1);
        public static readonly uint CacheEntryOffset = ThreadCache.EntryOffset(SpanClass);
        public static readonly bool LayoutVerified = T.Size == sizeof(T);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void ThrowLayoutMismatch() => throw new InvalidOperationException(
            $"Gen: [SizeClassed] struct {typeof(T).FullName} was compiled as {T.Size} bytes but the runtime lays it out in " +
            $"{sizeof(T)}: rebuild with the matching generator. Nothing was allocated.");
    }

    /// <summary>T's pointer bitmap in native memory, made at T's first use. Apart from <see cref="TypeInfo{T}"/>, whose
    /// facts are all computed from T's constants, so that NativeAOT can compute that class at compile time and its
    /// reads need no class-initialization check; this one it cannot.</summary>
    private static class TypeDescriptorOf<T> where T : unmanaged, ISizeClassed<T>
    {
        public static readonly TypeDescriptor* Descriptor = TypeDescriptorCopy<T>.Value =
            T.HasPointers ? CreateDescriptor() : null;

        /// <summary><see cref="Descriptor"/> for the allocation fast path. Under NativeAOT it is the copy, a plain load;
        /// that is null until this class is initialized, which the fast path can precede (it may pop an object that
        /// another type of the same span class freed), so then it reads the field.</summary>
        public static TypeDescriptor* OnFastPath
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                if (RuntimeFeature.IsDynamicCodeCompiled) return Descriptor;
                TypeDescriptor* copy = TypeDescriptorCopy<T>.Value;
                return copy != null ? copy : DescriptorSlow();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static TypeDescriptor* DescriptorSlow() => Descriptor;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static TypeDescriptor* CreateDescriptor()
        {
            ReadOnlySpan<byte> bitmap = T.PointerBitmap;
            var d = (TypeDescriptor*)NativeMemory.Alloc((nuint)(sizeof(TypeDescriptor) + bitmap.Length));
            d->Size = T.Size;
            d->BitmapLength = bitmap.Length;
            bitmap.CopyTo(new Span<byte>(d->Bitmap, bitmap.Length));
            PageHeap.AddMetadataBytes(sizeof(TypeDescriptor) + bitmap.Length);
            return d;
        }
    }
}
