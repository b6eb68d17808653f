using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Bench.Allocators;

/// <summary>
/// The workloads' floor: the least work an allocator that keeps sizes apart can do, so that a workload's time with it
/// is roughly what the workload itself costs (its random numbers, its slot arrays, the bytes it writes and reads back).
/// Objects of each size class (Gen's table, <see cref="SizeClasses"/>) are carved from 4 MiB chunks of one
/// reservation; a table gives each chunk's class. Allocation pops the thread's LIFO list for the class or carves the
/// next object of the thread's chunk for it; free looks the class up by chunk and pushes onto the freeing thread's
/// list, whichever thread allocated the object. Nothing is validated, counted, locked on the fast paths or given back
/// to the OS, and a thread's lists pass, with its chunks, to the next thread that starts after it exits. So it serves
/// workloads whose objects are all small and whose frees do not flow one way from thread to thread (a producer would
/// carve new memory forever): see <see cref="Workloads.Workload.FloorCanRun"/>. Like the micro-benchmark's
/// <c>ThreadStaticFreeList</c>, it is a yardstick, not an allocator anyone should use.
/// </summary>
internal readonly unsafe struct FloorAllocator : INativeAllocator<FloorAllocator>
{
    private const int ChunkShift = 22;
    private const nuint ChunkBytes = (nuint)1 << ChunkShift; // 4 MiB
    /// <summary>The reservation, in chunks: 16 GiB, more than any workload it serves keeps live, even with a chunk per
    /// class for each of 16 threads (4.2 GiB). Its pages are committed when first written, so its size costs address
    /// space, not memory.</summary>
    private const int ReservedChunks = 4096;

    /// <summary>One thread's lists, and the chunk it carves for each class. Invariant: every object on
    /// <c>Heads[c]</c> is in a chunk of class c; <c>[Next[c], End[c])</c> is the uncarved rest of one such chunk.</summary>
    private struct ThreadState
    {
        public void** Heads;
        public byte** Next;
        public byte** End;
        public ThreadState* NextSpare;
    }

    private static readonly object s_lock = new();
    /// <summary>The reservation; null where the OS refused it (strict overcommit accounting, a small address-space
    /// limit), and then the peer is skipped, naming why.</summary>
    private static readonly byte* s_base = ReserveOrNull();
    private static readonly byte* s_chunkClasses = (byte*)NativeMemory.AllocZeroed(ReservedChunks);
    private static nuint s_chunksUsed; // guarded by s_lock
    private static ThreadState* s_spareStates; // guarded by s_lock

    [ThreadStatic]
    private static ThreadState* t_state;

    private readonly ThreadState* _state;

    private FloorAllocator(ThreadState* state) => _state = state;

    /// <summary>Why the floor cannot run here, or null when it can.</summary>
    public static string? UnavailableReason => s_base == null
        ? $"the OS refused the floor's reservation of {(ulong)ReservedChunks * ChunkBytes >> 30} GiB of address space"
        : null;

    public static FloorAllocator ForCurrentThread()
    {
        ThreadState* state = t_state;
        if (state == null)
        {
            t_state = state = TakeThreadState();
        }

        return new FloorAllocator(state);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Alloc(nuint size)
    {
        int sizeClass = SizeClasses.ClassOf(size);
        void* p = _state->Heads[sizeClass];
        if (p != null)
        {
            _state->Heads[sizeClass] = *(void**)p;
            return p;
        }

        return Carve(sizeClass, size); // slow path
    }

    public void* AllocZeroed(nuint size)
    {
        void* p = Alloc(size);
        NativeMemory.Clear(p, size);
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* p)
    {
        if (p == null) return;
        int sizeClass = s_chunkClasses[((nuint)p - (nuint)s_base) >> ChunkShift];
        *(void**)p = _state->Heads[sizeClass];
        _state->Heads[sizeClass] = p;
    }

    /// <summary>Leaves the thread's lists and chunks to the next thread that starts.</summary>
    public static void ThreadExit()
    {
        ThreadState* state = t_state;
        if (state == null) return;
        t_state = null;
        lock (s_lock)
        {
            state->NextSpare = s_spareStates;
            s_spareStates = state;
        }
    }

    /// <summary>The next uncarved object of the thread's chunk for the class, starting a new chunk when it is used up;
    /// or a size the floor does not serve.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* Carve(int sizeClass, nuint size)
    {
        if (sizeClass == 0)
        {
            throw new NotSupportedException($"The floor allocator serves small objects only ({SizeClasses.MaxSmallSize} bytes at most), not {size}.");
        }

        nuint objectSize = (nuint)SizeClasses.ObjectSize(sizeClass);
        byte* p = _state->Next[sizeClass];
        if (p + objectSize > _state->End[sizeClass])
        {
            p = NewChunk(sizeClass);
            _state->End[sizeClass] = p + ChunkBytes;
        }

        _state->Next[sizeClass] = p + objectSize;
        return p;
    }

    private static byte* NewChunk(int sizeClass)
    {
        lock (s_lock)
        {
            if (s_chunksUsed == ReservedChunks)
            {
                throw new OutOfMemoryException($"The floor allocator's reservation of {ReservedChunks} chunks of {ChunkBytes >> 20} MiB is used up.");
            }

            nuint chunk = s_chunksUsed++;
            s_chunkClasses[chunk] = (byte)sizeClass;
            return s_base + chunk * ChunkBytes;
        }
    }

    private static byte* ReserveOrNull()
    {
        try
        {
            return (byte*)NativeMemory.AlignedAlloc(unchecked((nuint)ReservedChunks * ChunkBytes), ChunkBytes);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
    }

    private static ThreadState* TakeThreadState()
    {
        lock (s_lock)
        {
            ThreadState* spare = s_spareStates;
            if (spare != null)
            {
                s_spareStates = spare->NextSpare;
                return spare;
            }
        }

        // Every class starts with an empty chunk, so its first allocation takes a new one.
        nuint classes = (nuint)SizeClasses.Count;
        var state = (ThreadState*)NativeMemory.AllocZeroed((nuint)sizeof(ThreadState));
        state->Heads = (void**)NativeMemory.AllocZeroed(classes, (nuint)sizeof(void*));
        state->Next = (byte**)NativeMemory.AllocZeroed(classes, (nuint)sizeof(byte*));
        state->End = (byte**)NativeMemory.AllocZeroed(classes, (nuint)sizeof(byte*));
        return state;
    }
}
