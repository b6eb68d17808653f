using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Bench.Allocators;

/// <summary>
/// The workloads' floor: the least work an allocator that keeps sizes apart can do, so that a workload's time with it
/// is what the workload itself costs (its random numbers, its slot arrays, the bytes it writes and reads back). Each
/// thread has one reservation split into a region per size class (Gen's table, <see cref="SizeClasses"/>): allocation
/// pops the class's LIFO list or carves the next object of its region; free finds the class by a subtraction and a
/// shift and pushes. Nothing is validated, counted, locked, shared between threads or given back before the thread
/// ends, so it serves only workloads whose small objects are all freed by the thread that allocated them
/// (<see cref="Workloads.Workload.FreesOnAllocatingThreadOnly"/>). Like the micro-benchmark's
/// <c>ThreadStaticFreeList</c>, it is a yardstick, not an allocator anyone should use.
/// </summary>
internal readonly unsafe struct FloorAllocator : INativeAllocator<FloorAllocator>
{
    /// <summary>Address space per size class: more than any workload it serves keeps live in one class.</summary>
    private const int RegionShift = 26;
    private const nuint RegionBytes = (nuint)1 << RegionShift; // 64 MiB

    /// <summary>A thread's lists and regions. Invariant: every object on <c>Heads[c]</c> lies in region c, below
    /// <c>Next[c]</c>.</summary>
    private struct ThreadState
    {
        public byte* Base;
        public void** Heads;
        public byte** Next;
    }

    [ThreadStatic]
    private static ThreadState* t_state;

    private readonly ThreadState* _state;

    private FloorAllocator(ThreadState* state) => _state = state;

    public static FloorAllocator ForCurrentThread()
    {
        ThreadState* state = t_state;
        if (state == null)
        {
            t_state = state = CreateThreadState();
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
        nuint sizeClass = ((nuint)p - (nuint)_state->Base) >> RegionShift;
        *(void**)p = _state->Heads[sizeClass];
        _state->Heads[sizeClass] = p;
    }

    /// <summary>Gives the thread's reservation back; every object must have been freed.</summary>
    public static void ThreadExit()
    {
        ThreadState* state = t_state;
        if (state == null) return;
        t_state = null;
        NativeMemory.AlignedFree(state->Base);
        NativeMemory.Free(state->Heads);
        NativeMemory.Free(state->Next);
        NativeMemory.Free(state);
    }

    /// <summary>The next unused object of the class's region: the first use of each object, or a size the floor does
    /// not serve.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* Carve(int sizeClass, nuint size)
    {
        if (sizeClass == 0)
        {
            throw new NotSupportedException($"The floor allocator serves small objects only ({SizeClasses.MaxSmallSize} bytes at most), not {size}.");
        }

        byte* p = _state->Next[sizeClass];
        byte* end = _state->Base + (nuint)(sizeClass + 1) * RegionBytes;
        nuint objectSize = (nuint)SizeClasses.ObjectSize(sizeClass);
        if (p + objectSize > end)
        {
            throw new OutOfMemoryException($"The floor allocator's {RegionBytes >> 20} MiB region for size class {sizeClass} is full.");
        }

        _state->Next[sizeClass] = p + objectSize;
        return p;
    }

    private static ThreadState* CreateThreadState()
    {
        int classes = SizeClasses.Count;
        var state = (ThreadState*)NativeMemory.Alloc((nuint)sizeof(ThreadState));
        // Pages of the reservation are only committed when first written, so its size costs address space, not memory.
        state->Base = (byte*)NativeMemory.AlignedAlloc((nuint)classes * RegionBytes, RegionBytes);
        state->Heads = (void**)NativeMemory.AllocZeroed((nuint)classes, (nuint)sizeof(void*));
        state->Next = (byte**)NativeMemory.Alloc((nuint)classes, (nuint)sizeof(byte*));
        for (int c = 0; c < classes; c++)
        {
            state->Next[c] = state->Base + (nuint)c * RegionBytes;
        }

        return state;
    }
}
