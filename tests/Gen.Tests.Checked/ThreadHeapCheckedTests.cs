using System;
using System.Runtime.CompilerServices;
using Gen.Tests;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests.Checked;

/// <summary>Checked mode verifies that a <see cref="ThreadHeap"/> is used on the thread that made it.</summary>
public unsafe class ThreadHeapCheckedTests
{
    [Fact]
    public void AHandleUsedOnAnotherThreadIsRefusedAndNothingHappens()
    {
        void* mine = Heap.Alloc(64);
        FillPattern(mine, 64, 11);
        ThreadHeap heap = Heap.ForCurrentThread();
        // A ref struct reaches another thread only by reinterpreting its bits, as here.
        nint smuggledBits = Unsafe.As<ThreadHeap, nint>(ref heap);
        HeapStats before = SettledStats();
        (string allocError, string freeError) = RunOnNewThread(() =>
        {
            ThreadHeap smuggled = Unsafe.As<nint, ThreadHeap>(ref smuggledBits);
            string alloc = "", free = "";
            try { smuggled.Alloc(64); }
            catch (InvalidOperationException e) { alloc = e.Message; }
            try { smuggled.Free(mine); }
            catch (InvalidOperationException e) { free = e.Message; }
            return (alloc, free);
        });
        Assert.Contains("used on a thread other than the one that made it", allocError);
        Assert.Contains("used on a thread other than the one that made it", freeError);
        AssertUnchanged(before, SettledStats());
        // Still allocated (checked mode would report a double free) and intact.
        AssertPattern(mine, 64, 11);
        heap.Free(mine);
    }

    [Fact]
    public void AHandleUsedAfterItsThreadReleasedItsCacheIsRefusedAndNothingHappens() => RunOnNewThread(() =>
    {
        void* mine = Heap.Alloc(64);
        FillPattern(mine, 64, 12);
        ThreadHeap stale = Heap.ForCurrentThread();
        Heap.ReleaseThreadCache();
        HeapStats before = SettledStats();
        string allocError = "", freeError = "";
        try { stale.Alloc(64); }
        catch (InvalidOperationException e) { allocError = e.Message; }
        try { stale.Free(mine); }
        catch (InvalidOperationException e) { freeError = e.Message; }
        Assert.Contains("after that thread released its cache (Heap.ReleaseThreadCache)", allocError);
        Assert.Contains("after that thread released its cache (Heap.ReleaseThreadCache)", freeError);
        AssertUnchanged(before, SettledStats());
        AssertPattern(mine, 64, 12);
        Heap.ForCurrentThread().Free(mine);
    });
}
