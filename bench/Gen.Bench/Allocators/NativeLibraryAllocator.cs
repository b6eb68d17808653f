using System;
using System.Runtime.InteropServices;

namespace Gen.Bench.Allocators;

/// <summary>Where a third-party allocator lives and what its malloc, calloc and free are called.</summary>
internal interface INativeAllocatorLibrary
{
    /// <summary>The shared object loaded with <see cref="NativeLibrary"/>.</summary>
    static abstract string FileName { get; }

    /// <summary>The Debian package that installs <see cref="FileName"/>, named when it is missing.</summary>
    static abstract string DebianPackage { get; }

    static abstract string MallocExport { get; }
    static abstract string CallocExport { get; }
    static abstract string FreeExport { get; }
}

/// <summary>mimalloc's own entry points (the library does not override malloc unless preloaded).</summary>
internal readonly struct Mimalloc : INativeAllocatorLibrary
{
    public static string FileName => "libmimalloc.so.2";
    public static string DebianPackage => "libmimalloc2.0";
    public static string MallocExport => "mi_malloc";
    public static string CallocExport => "mi_calloc";
    public static string FreeExport => "mi_free";
}

/// <summary>Debian's jemalloc exports its allocator under the plain names (no je_ prefix): `nm -D` shows malloc, calloc, free.</summary>
internal readonly struct Jemalloc : INativeAllocatorLibrary
{
    public static string FileName => "libjemalloc.so.2";
    public static string DebianPackage => "libjemalloc2";
    public static string MallocExport => "malloc";
    public static string CallocExport => "calloc";
    public static string FreeExport => "free";
}

/// <summary>gperftools' tcmalloc (the minimal build, without the heap profiler).</summary>
internal readonly struct Tcmalloc : INativeAllocatorLibrary
{
    public static string FileName => "libtcmalloc_minimal.so.4";
    public static string DebianPackage => "libtcmalloc-minimal4";
    public static string MallocExport => "tc_malloc";
    public static string CallocExport => "tc_calloc";
    public static string FreeExport => "tc_free";
}

/// <summary>
/// A native allocator called through <c>delegate* unmanaged[SuppressGCTransition]</c> pointers: the cheapest call
/// .NET can make into C (no GC mode switch), which is fair because malloc and free neither block nor call back.
/// </summary>
internal readonly unsafe struct NativeLibraryAllocator<TLibrary> : INativeAllocator<NativeLibraryAllocator<TLibrary>>
    where TLibrary : struct, INativeAllocatorLibrary
{
    private static readonly delegate* unmanaged[SuppressGCTransition]<nuint, void*> MallocFunction;
    private static readonly delegate* unmanaged[SuppressGCTransition]<nuint, nuint, void*> CallocFunction;
    private static readonly delegate* unmanaged[SuppressGCTransition]<void*, void> FreeFunction;

    /// <summary>Why the library cannot be used (naming its Debian package), or null when it can.</summary>
    public static readonly string? UnavailableReason;

    static NativeLibraryAllocator()
    {
        try
        {
            nint library = NativeLibrary.Load(TLibrary.FileName);
            MallocFunction = (delegate* unmanaged[SuppressGCTransition]<nuint, void*>)NativeLibrary.GetExport(library, TLibrary.MallocExport);
            CallocFunction = (delegate* unmanaged[SuppressGCTransition]<nuint, nuint, void*>)NativeLibrary.GetExport(library, TLibrary.CallocExport);
            FreeFunction = (delegate* unmanaged[SuppressGCTransition]<void*, void>)NativeLibrary.GetExport(library, TLibrary.FreeExport);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            UnavailableReason = $"{TLibrary.FileName} could not be used (install the Debian package {TLibrary.DebianPackage}): {e.Message}";
        }
    }

    /// <summary>True when the library and all three exports were found.</summary>
    public static bool IsAvailable => UnavailableReason is null;

    public static NativeLibraryAllocator<TLibrary> ForCurrentThread() => default;
    public void* Alloc(nuint size) => MallocFunction(size);
    public void* AllocZeroed(nuint size) => CallocFunction(1, size);
    public void Free(void* p) => FreeFunction(p);

    /// <summary>Throws a message naming the Debian package when the library is missing.</summary>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(UnavailableReason);
        }
    }
}
