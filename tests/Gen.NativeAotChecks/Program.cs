// Checks of what only NativeAOT compiles differently: there the fast paths read copies of the runtime's statics
// (src/Gen/Runtime/FastPath.cs) that are written by static constructors, and checked mode is no constant, so the
// order in which a process first touches the heap matters. The xunit suites run under the JIT and never reach those
// copies. Each check runs in the order written (the first must be the process's first call into Gen); the program
// prints one line per check and then "N passed, N failed", and exits with 1 if any failed.

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Gen;

int passed = 0, failed = 0;
void Check(string name, Func<string?> check)
{
    string? failure;
    try { failure = check(); }
    catch (Exception e) { failure = $"threw {e.GetType().Name}: {e.Message}"; }
    if (failure is null) passed++;
    else failed++;
    Console.WriteLine(failure is null ? $"  pass  {name}" : $"  FAIL  {name}: {failure}");
}

bool isChecked = Heap.IsChecked;
Console.WriteLine($"NativeAOT checks ({(RuntimeFeature.IsDynamicCodeCompiled ? "JIT" : "NativeAOT")}, checked mode {(isChecked ? "on" : "off")}):");

Check("the process's first call is a free of a foreign pointer: refused", () => NativeAotChecks.FirstCallFreesAForeignPointer());
Check("a small object is reused by its thread's next allocation", () => NativeAotChecks.LocalReuse());
Check(isChecked ? "a double free of a small object is caught" : "checked mode is off",
    () => isChecked ? NativeAotChecks.DoubleFreeIsCaught() : null);
Check("a thread's first call is a free of another thread's objects", () => NativeAotChecks.FirstCallOfAThreadIsAFree());
Check("interior pointers and a large double free are refused", () => NativeAotChecks.BadPointersAreRefused());
Check("typed allocation records the pointer bitmap", () => NativeAotChecks.TypedAllocation());
Check("a type's first allocation reuses another type's object of its span class", () => NativeAotChecks.SecondTypeOfASpanClass());
Check("a ThreadHeap reuses what the thread freed", () => NativeAotChecks.ThreadHeapReuse());
Check("aligned allocations lie at multiples of their alignment", () => NativeAotChecks.AlignedAllocation());
Check(isChecked ? "a ThreadHeap used on another thread is refused" : "a default ThreadHeap works",
    () => isChecked ? NativeAotChecks.ThreadHeapOnAnotherThreadIsRefused() : NativeAotChecks.DefaultThreadHeap());
Check("every object was freed: Mallocs - Frees == HeapObjects == 0", () => NativeAotChecks.EverythingFreed());

Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

internal static unsafe class NativeAotChecks
{
    public static string? FirstCallFreesAForeignPointer()
    {
        long local = 0;
        Heap.Free(null);
        try
        {
            Heap.Free(&local);
            return "Free of a stack address was taken";
        }
        catch (ArgumentException e) when (e.Message.Contains("not allocated by Gen"))
        {
            return null;
        }
    }

    public static string? LocalReuse()
    {
        ReturnBatchesToTheirSpans();
        void* p = Heap.AllocUninitialized(40);
        Heap.Free(p);
        void* q = Heap.AllocUninitialized(40);
        Heap.Free(q);
        return p == q ? null : "the freed object was not the next one handed out";
    }

    public static string? DoubleFreeIsCaught()
    {
        void* keep = Heap.Alloc(48); // keeps the span in use
        void* p = Heap.Alloc(48);
        Heap.Free(p);
        try
        {
            Heap.Free(p);
            return "the second free was taken";
        }
        catch (InvalidOperationException e) when (e.Message.Contains("double free"))
        {
            return null;
        }
        finally
        {
            Heap.Free(keep);
        }
    }

    public static string? FirstCallOfAThreadIsAFree()
    {
        ulong before = Heap.GetStats().HeapObjects;
        var objects = new List<nint>();
        for (int i = 0; i < 2000; i++) objects.Add((nint)Heap.AllocUninitialized((nuint)(16 + i % 700)));
        string? failure = null;
        var thread = new Thread(() =>
        {
            try { foreach (nint p in objects) Heap.Free((void*)p); }
            catch (Exception e) { failure = e.Message; }
        });
        thread.Start();
        thread.Join();
        ulong after = Heap.GetStats().HeapObjects;
        return failure ?? (after == before ? null : $"{after - before} objects still counted live");
    }

    public static string? BadPointersAreRefused()
    {
        byte* small = (byte*)Heap.Alloc(64);
        void* large = Heap.Alloc(200_000);
        string? failure = Refused<ArgumentException>(() => Heap.Free(small + 8), "interior pointer");
        Heap.Free(small);
        Heap.Free(large);
        return failure ?? Refused<InvalidOperationException>(() => Heap.Free(large), "double free");
    }

    public static string? TypedAllocation()
    {
        Pair* pair = Heap.Alloc<Pair>();
        bool zeroed = pair->Left == null && pair->Weight == 0 && pair->Right == null;
        pair->Left = pair->Right = pair; // written before the free, as a program would
        pair->Weight = 1;
        byte[] bitmap = Heap.GetPointerBitmap(pair).ToArray();
        Heap.Free(pair);
        if (!zeroed) return "not zeroed";
        return bitmap.Length == 1 && bitmap[0] == 0b101 ? null : $"bitmap {Convert.ToHexString(bitmap)}, expected 05";
    }

    public static string? SecondTypeOfASpanClass()
    {
        // TypedAllocation left a freed Pair on this thread's list of span class 3 (scan): Twin's first allocation pops
        // it on the fast path, before anything has made Twin's type descriptor.
        Twin* twin = Heap.Alloc<Twin>();
        twin->Key = twin->Value = 1; // written before the free, as a program would
        twin->Link = twin;
        byte[] bitmap = Heap.GetPointerBitmap(twin).ToArray();
        Heap.Free(twin);
        return bitmap.Length == 1 && bitmap[0] == 0b010 ? null : $"bitmap {Convert.ToHexString(bitmap)}, expected 02";
    }

    public static string? ThreadHeapReuse()
    {
        ReturnBatchesToTheirSpans();
        ThreadHeap heap = Heap.ForCurrentThread();
        void* p = heap.AllocUninitialized(100);
        heap.Free(p);
        void* q = heap.AllocUninitialized(100);
        Pair* pair = heap.Alloc<Pair>();
        heap.Free(pair);
        heap.Free(q);
        return p == q ? null : "the freed object was not the next one handed out";
    }

    public static string? AlignedAllocation()
    {
        for (nuint alignment = 16; alignment <= (nuint)Heap.MaxAlignment; alignment <<= 1)
        {
            foreach (nuint size in new nuint[] { 24, 1000, 40_000 })
            {
                void* p = Heap.AllocAligned(size, alignment);
                bool aligned = (nuint)p % alignment == 0;
                Heap.Free(p);
                if (!aligned) return $"AllocAligned({size}, {alignment}) gave 0x{(nuint)p:x}";
            }
        }
        return null;
    }

    public static string? DefaultThreadHeap()
    {
        string? failure = null;
        var thread = new Thread(() =>
        {
            ReturnBatchesToTheirSpans();
            ThreadHeap none = default;
            void* p = none.Alloc(72);
            none.Free(p);
            if (Heap.AllocUninitialized(72) != p) failure = "the default handle's free did not reach the thread's cache";
            Heap.Free(p);
        });
        thread.Start();
        thread.Join();
        return failure;
    }

    public static string? ThreadHeapOnAnotherThreadIsRefused()
    {
        ThreadHeap heap = Heap.ForCurrentThread();
        nint bits = Unsafe.As<ThreadHeap, nint>(ref heap);
        string? failure = "the smuggled handle was used";
        var thread = new Thread(() =>
        {
            ThreadHeap smuggled = Unsafe.As<nint, ThreadHeap>(ref bits);
            try { smuggled.Alloc(32); }
            catch (InvalidOperationException e) when (e.Message.Contains("other than the one that made it")) { failure = null; }
        });
        thread.Start();
        thread.Join();
        return failure;
    }

    public static string? EverythingFreed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        HeapStats s = Heap.GetStats();
        return s.HeapObjects == 0 && s.Mallocs - s.Frees == 0 ? null : $"HeapObjects {s.HeapObjects}, Mallocs {s.Mallocs}, Frees {s.Frees}";
    }

    /// <summary>The reuse checks need the freed object in a span the thread owns: a batch from the central transfer
    /// cache holds other threads' objects, whose frees go home. With every batch back in its span, the next refill
    /// takes whole spans, which the thread then owns.</summary>
    private static void ReturnBatchesToTheirSpans() => Heap.ReleaseMemory();

    private static string? Refused<TException>(Action call, string message) where TException : Exception
    {
        try
        {
            call();
            return $"not refused (expected {typeof(TException).Name}: {message})";
        }
        catch (TException e) when (e.Message.Contains(message))
        {
            return null;
        }
    }
}

/// <summary>24 bytes, class 3 like <see cref="Pair"/>, its one data pointer at word 1.</summary>
internal unsafe struct Twin : ISizeClassed<Twin>
{
    public long Key;
    public Twin* Link;
    public long Value;

    public static int Size => 24;
    public static int SizeClass => 3;
    public static int ClassSize => 24;
    public static bool HasPointers => true;
    public static ReadOnlySpan<byte> PointerBitmap => [0b010];
}

/// <summary>24 bytes, class 3, data pointers at words 0 and 2: ISizeClassed written as the generator would.</summary>
internal unsafe struct Pair : ISizeClassed<Pair>
{
    public Pair* Left;
    public long Weight;
    public Pair* Right;

    public static int Size => 24;
    public static int SizeClass => 3;
    public static int ClassSize => 24;
    public static bool HasPointers => true;
    public static ReadOnlySpan<byte> PointerBitmap => [0b101];
}
