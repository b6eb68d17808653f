// FastPath: the static facts the public fast paths read, and their NativeAOT copies.
//
// Under the JIT a static readonly field of an initialized class is compiled as a constant: the arena map's address,
// the size table's, checked mode off. Under NativeAOT the same field costs a class-initialization check at every use
// (a compare, a branch and a helper call that the register allocator must plan around): the pair benchmark's loop
// held four such checks and three loads of the checked-mode flag. This class has no static constructor, so its copies
// are plain loads there; under the JIT each accessor is the original field, so the JIT's code does not change.
//
// Invariant: the copies are written by the static constructors of their owners (PageHeap, ThreadCaches,
// HeapConfiguration), and those have run before any fast path can succeed: a fast path succeeds only with a thread
// cache, made by ThreadCaches.CreateForCurrentThread, which runs them first, or with a small span, which only such a
// cache takes. Until then the copies read as null or false: ArenaOf then finds no arena, and the other reads come
// after a cache was found.

using System.Runtime.CompilerServices;

namespace Gen.Runtime;

internal static unsafe class FastPath
{
    /// <summary>NativeAOT copy of <c>PageHeap.s_arenaMap</c>; null until the page heap is initialized.</summary>
    internal static HeapArena** ArenaMapCopy;

    /// <summary>NativeAOT copy of <c>ThreadCaches.s_noscanEntryOffsetBySize8</c>.</summary>
    internal static ushort* NoscanEntryOffsetsCopy;

    /// <summary>NativeAOT copy of <see cref="HeapConfiguration.Checked"/>.</summary>
    internal static bool CheckedCopy;

    /// <summary>Checked mode, for a fast path that has found a thread cache or a small span.</summary>
    internal static bool Checked
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => RuntimeFeature.IsDynamicCodeCompiled ? HeapConfiguration.Checked : CheckedCopy;
    }

    /// <summary><see cref="PageHeap.ArenaOf"/> for Free's fast paths: null also before the page heap exists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static HeapArena* ArenaOf(void* p)
    {
        if (RuntimeFeature.IsDynamicCodeCompiled) return PageHeap.ArenaOf(p);
        HeapArena** map = ArenaMapCopy;
        return map != null ? map[PageHeap.ArenaIndex(p)] : null;
    }

    /// <summary><see cref="ThreadCaches.NoscanEntryOffset"/>, for an allocation that has found its thread cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint NoscanEntryOffset(nuint size) => RuntimeFeature.IsDynamicCodeCompiled
        ? ThreadCaches.NoscanEntryOffset(size)
        : NoscanEntryOffsetsCopy[ThreadCaches.NoscanEntryIndex(size)];

    /// <summary>Runs the static constructors that write the copies; called before a thread's cache is made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into CreateForCurrentThread: never compiled at tier 0
    internal static void InitializeOwners()
    {
        RuntimeHelpers.RunClassConstructor(typeof(HeapConfiguration).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(PageHeap).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(ThreadCaches).TypeHandle);
    }
}
