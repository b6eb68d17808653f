using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gen.Runtime;

internal enum SpanState : byte
{
    /// <summary>On the span free list of the page heap; describes nothing.</summary>
    Dead,
    /// <summary>A free page run in the page heap's bins.</summary>
    Free,
    /// <summary>Split into objects of one span class; owned by a central list.</summary>
    Small,
    /// <summary>One large object.</summary>
    Large,
}

/// <summary>
/// A run of pages (Go's mspan). One struct describes a free run, a small-object span or a large object.
/// Invariants:
/// <list type="bullet">
/// <item>Small: <c>AllocCount</c> = objects handed out (to users or thread caches, fresh regions included);
///   <c>NElems - AllocCount</c> = objects on <c>FreeList</c> (a new span is handed to one thread cache whole, so
///   every object is either handed out or on the free list). The span returns to the page heap when
///   <c>AllocCount</c> reaches 0.</item>
/// <item><c>NElems</c> is 0 unless <c>State</c> is Small.</item>
/// <item>Every page of an in-use span maps to it in the arena's page table; a free run maps only its first and
///   last page (boundary tags for coalescing), other entries may be stale and are never trusted without checking
///   <c>State</c> and the range.</item>
/// <item>Span structs are never unmapped, so a stale pointer is safe to read.</item>
/// </list>
/// Layout: the first cache line holds what every <c>Free</c> reads and nothing written per batch (start, state, class,
/// division constants, object count, cache entry offset, owner and its incarnation); the central list's bookkeeping lives
/// on the second line, so a central lock holder on one core does not evict the line that frees on another core are
/// reading.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal unsafe struct Span
{
    // First cache line: read-mostly, everything Free reads.
    public byte* Start;
    public nuint NPages;
    public SpanState State;
    /// <summary>size class &lt;&lt; 1 | noscan (Go's spanClass); class 0 is a large object.</summary>
    public byte SpanClass;
    /// <summary>True when some page held data before (not fresh or released): objects must be zeroed.</summary>
    public bool NeedZero;
    /// <summary>Trailing zero bits of <see cref="ElemSize"/> (see <see cref="ObjectIndex"/>).</summary>
    public byte DivShift;
    /// <summary><see cref="ThreadCache.Incarnation"/> of <see cref="Owner"/> when it took the span: a cache reused by a
    /// new thread has moved on, and its predecessor's spans count as a dead thread's (adopted by whoever frees into them).</summary>
    public uint OwnerIncarnation;
    /// <summary>Inverse modulo 2^64 of <see cref="ElemSize"/>'s odd part (see <see cref="ObjectIndex"/>).</summary>
    public ulong DivInverse;
    /// <summary>Objects in a small span; 0 in every other state, so that Free's range check alone rejects a
    /// pointer into a large object or a free run without reading <see cref="State"/>. Pointer-sized, so that Free
    /// compares the object index with it in memory, without loading and zero-extending it first.</summary>
    public nuint NElems;
    /// <summary>Byte offset of this span class's <see cref="ClassCache"/> in a thread cache (see
    /// <see cref="ThreadCache.EntryOffset"/>): Free finds its list with one add. Pointer-sized, so that the add needs no
    /// zero extension.</summary>
    public nuint CacheEntryOffset;
    /// <summary>The thread cache that last took this span's objects wholesale (or adopted the span from a dead
    /// thread); frees by that thread are reused there. Never null once the span is small: Free's fast path compares it
    /// with a thread's cache, which is null for a thread that has none. A locality hint, written without a lock: cache
    /// structs are never freed, so reading <see cref="ThreadCache.Dead"/> through it is always safe.</summary>
    public ThreadCache* Owner;
    /// <summary>The type of the span's objects: a large object's type; for a small scan span the one type allocated
    /// in it so far (null before the first), or <see cref="TypeDescriptor.Mixed"/> once a second type was allocated
    /// in it, after which <see cref="Types"/> holds each object's. Most spans only ever hold one type, so a typed
    /// allocation compares this and writes nothing per object.</summary>
    public TypeDescriptor* ObjectType;
    /// <summary>Mixed scan spans: one TypeDescriptor* per object (Go's malloc header, kept out of line); written once,
    /// when the span turns mixed.</summary>
    public TypeDescriptor** Types;

    // Second cache line: written by the central list and the page heap under their locks.
    public uint AllocCount;
    /// <summary>Bytes per object (small spans). Read by the slow paths only (Free validates with the division
    /// constants), so it leaves the first line to the wider <see cref="NElems"/>; written once, when the span is set up.</summary>
    public uint ElemSize;
    /// <summary>Objects returned to the central list, linked through their first word.</summary>
    public void* FreeList;
    /// <summary>The last object of <see cref="FreeList"/>, so a central can hand the whole list on in O(1).</summary>
    public void* FreeListTail;
    public Span* Next;
    public Span* Prev;
    /// <summary>Free runs: when the run became idle (Environment.TickCount64), for the scavenger's delay.</summary>
    public long IdleSinceMs;
    /// <summary>Checked mode: one bit per object, set while the object is allocated to the user.</summary>
    public ulong* AllocBits;

    public readonly nuint Bytes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => NPages << HeapConstants.PageShift;
    }

    public readonly byte* End
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Start + Bytes;
    }

    /// <summary><see cref="ObjectType"/> of <paramref name="s"/> read with acquire semantics: once it reads
    /// <see cref="TypeDescriptor.Mixed"/>, the <see cref="Types"/> table published before it is visible. Static, taking
    /// the span's address: an instance method needs <c>fixed</c> to take a field's address, and the JIT kept that
    /// pinned address in a stack slot, a store and a reload on every typed allocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TypeDescriptor* ReadObjectType(Span* s) => (TypeDescriptor*)Volatile.Read(ref *(nint*)&s->ObjectType);

    /// <summary>Makes <paramref name="cache"/>, in its current incarnation, the span's owner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetOwner(ThreadCache* cache)
    {
        Owner = cache;
        OwnerIncarnation = cache->Incarnation;
    }

    /// <summary>
    /// The index of the object starting <paramref name="offset"/> bytes into the span, or a number of at least
    /// <see cref="NElems"/> when no object starts there (inside an object, past the span, or before it: the
    /// subtraction that made the offset wrapped). One multiply and one rotate, no division (Granlund and Montgomery's
    /// exact division, where Go's divMagic only divides): with ElemSize = odd * 2^DivShift, a multiple q * ElemSize
    /// times the odd part's inverse is q * 2^DivShift, which the rotate turns into q; any other offset leaves set bits
    /// that the rotate moves to the top, or (a multiple of 2^DivShift only) maps to a value above 2^64 / ElemSize.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong ObjectIndex(nuint offset) => BitOperations.RotateRight((ulong)offset * DivInverse, DivShift);

    /// <summary>True when an object of this small span starts at <paramref name="p"/>: false for a pointer inside an
    /// object or outside the span, and for every pointer when the span is not small (its <see cref="NElems"/> is
    /// 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool IsObjectStart(void* p) => ObjectIndex((nuint)p - (nuint)Start) < NElems;
}

/// <summary>Per-type facts recorded for objects in scan spans: the type's size and pointer bitmap.</summary>
internal unsafe struct TypeDescriptor
{
    /// <summary><see cref="Span.ObjectType"/> of a span holding objects of several types: never dereferenced.</summary>
    public static TypeDescriptor* Mixed => (TypeDescriptor*)1;

    public int Size;
    public int BitmapLength;
    // BitmapLength bytes follow.
    public readonly byte* Bitmap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in this)) + sizeof(TypeDescriptor);
    }
}
