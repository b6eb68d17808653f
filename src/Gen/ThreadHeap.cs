// ThreadHeap: the calling thread's handle on Gen's heap, for loops that allocate and free many objects.
//
// Every Heap call starts by finding the calling thread's cache (mcache) in a [ThreadStatic] slot. On Linux x64 that
// read is a call to __tls_get_addr: about 16 of the 84 instructions of an alloc+free pair. The JIT hoists it out of
// some loops only: in .NET 10's listings a loop of frees kept it inside as soon as Free's fast path held a second
// call (it holds three), and no loop over a window of slots that both frees and allocates had it hoisted, so such
// loops pay it on every iteration (docs/design.md, "Finding the thread cache").
// A ThreadHeap reads the slot once, when it is made, and passes the cache to the same fast paths Heap's static methods
// use: the same objects, the same validation, the same statistics, one TLS read less per call.
//
// Invariant: the cache belongs to the thread that made the handle, and that thread is alive while the handle exists
// (a ref struct lives on its thread's stack), so the cache is never reaped or handed to another thread under it,
// unless the thread itself gives it up (Heap.ReleaseThreadCache), after which its handles must not be used.
// Checked mode verifies on every call that the handle is used on its own thread and that its cache is still the thread's.

using System;
using System.Runtime.CompilerServices;
using Gen.Runtime;

namespace Gen;

/// <summary>
/// The calling thread's handle on Gen's heap (<see cref="Heap.ForCurrentThread"/>): the same heap and objects as
/// <see cref="Heap"/>'s static methods, with the thread cache found once instead of on every call. Use it in loops
/// that allocate and free many objects. Objects may still be freed by any thread, through any API.
/// </summary>
/// <remarks>
/// A handle must be used only on the thread that made it; it is a <c>ref struct</c>, so it cannot be stored in a field
/// of a class, captured by a lambda or carried across an <c>await</c>; nor after its thread has called
/// <see cref="Heap.ReleaseThreadCache"/>. In checked mode (GEN_CHECKED=1) each call verifies both.
/// <c>default(ThreadHeap)</c> is valid and behaves like the static methods.
/// </remarks>
public readonly unsafe ref struct ThreadHeap
{
    /// <summary>Null for <c>default(ThreadHeap)</c>: every fast path then takes its slow path, which reads the
    /// slot.</summary>
    private readonly ThreadCache* _cache;

    internal ThreadHeap(ThreadCache* cache) => _cache = cache;

    /// <summary>Allocates <paramref name="size"/> zeroed bytes, like <see cref="Heap.Alloc(nuint)"/>.</summary>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS
    /// refuses.</exception>
    [MethodImpl(Heap.HotPath)]
    public void* Alloc(nuint size) => Heap.AllocBySize(Cache, size, zero: true, throwOnFailure: true);

    /// <summary>Allocates <paramref name="size"/> zeroed bytes at a multiple of <paramref name="alignment"/>, like
    /// <see cref="Heap.AllocAligned"/>.</summary>
    /// <exception cref="ArgumentException">The alignment is not a power of two, or is larger than
    /// <see cref="Heap.MaxAlignment"/>.</exception>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS
    /// refuses.</exception>
    public void* AllocAligned(nuint size, nuint alignment) =>
        Heap.AllocBySize(Cache, Heap.AlignedSize(size, alignment), zero: true, throwOnFailure: true);

    /// <summary>Allocates <paramref name="size"/> bytes whose contents are unspecified at a multiple of
    /// <paramref name="alignment"/>, like <see cref="Heap.AllocAlignedUninitialized"/>.</summary>
    /// <exception cref="ArgumentException">The alignment is not a power of two, or is larger than
    /// <see cref="Heap.MaxAlignment"/>.</exception>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS
    /// refuses.</exception>
    public void* AllocAlignedUninitialized(nuint size, nuint alignment) =>
        Heap.AllocBySize(Cache, Heap.AlignedSize(size, alignment), zero: false, throwOnFailure: true);

    /// <summary>Allocates <paramref name="size"/> bytes whose contents are unspecified, like
    /// <see cref="Heap.AllocUninitialized(nuint)"/>.</summary>
    /// <exception cref="OutOfMemoryException">The size is impossible, the hard limit is reached, or the OS
    /// refuses.</exception>
    [MethodImpl(Heap.HotPath)]
    public void* AllocUninitialized(nuint size) => Heap.AllocBySize(Cache, size, zero: false, throwOnFailure: true);

    /// <summary>Frees an object Gen allocated on any thread, like <see cref="Heap.Free(void*)"/>. Null does
    /// nothing.</summary>
    /// <exception cref="ArgumentException">The pointer was not allocated by Gen, or points inside an
    /// object.</exception>
    /// <exception cref="InvalidOperationException">Double free (always for large objects; small ones in checked
    /// mode).</exception>
    [MethodImpl(Heap.HotPath)]
    public void Free(void* p) => Heap.Free(Cache, p);

    /// <summary>Allocates a zeroed <typeparamref name="T"/>, like <see cref="Heap.Alloc{T}"/>.</summary>
    [MethodImpl(Heap.HotPath)]
    public T* Alloc<T>() where T : unmanaged, ISizeClassed<T> => Heap.AllocTyped<T>(Cache, zero: true);

    /// <summary>Allocates a <typeparamref name="T"/> whose contents are unspecified, like
    /// <see cref="Heap.AllocUninitialized{T}"/>.</summary>
    [MethodImpl(Heap.HotPath)]
    public T* AllocUninitialized<T>() where T : unmanaged, ISizeClassed<T> => Heap.AllocTyped<T>(Cache, zero: false);

    /// <summary>Frees a <typeparamref name="T"/>, like <see cref="Heap.Free{T}(T*)"/>.</summary>
    [MethodImpl(Heap.HotPath)]
    public void Free<T>(T* p) where T : unmanaged, ISizeClassed<T> => Heap.Free(Cache, p);

    /// <summary>The handle's cache; in checked mode, only after verifying that this is the thread that made
    /// it.</summary>
    private ThreadCache* Cache
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            // Out of line: under NativeAOT checked mode is no constant, and the check must not cost the loop registers.
            if (FastPath.Checked) VerifyThread(_cache); // slow path
            return _cache;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void VerifyThread(ThreadCache* cache)
    {
        if (cache != null && cache != ThreadCaches.Current) throw new InvalidOperationException(
            "Gen: a ThreadHeap was used on a thread other than the one that made it (Heap.ForCurrentThread), or after " +
            "that thread released its cache (Heap.ReleaseThreadCache). Make one on each thread, after any release. " +
            "Nothing was allocated or freed.");
    }
}
