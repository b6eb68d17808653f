using System.Runtime.CompilerServices;
using System.Threading;

namespace Gen.Runtime;

/// <summary>
/// A test-and-test-and-set spin lock that lives in native memory (central lists, the page heap). Critical sections
/// are short (list splices, a bitmap update), so spinning briefly beats parking; <see cref="SpinWait"/> yields and
/// then sleeps under contention, so an oversubscribed machine still makes progress.
/// Invariant: <c>_state</c> is 1 exactly while some thread is inside the critical section.
/// </summary>
internal struct HeapLock
{
    private int _state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            EnterContended(); // slow path
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void EnterContended()
    {
        var spinner = new SpinWait();
        while (true)
        {
            if (Volatile.Read(ref _state) == 0 && Interlocked.CompareExchange(ref _state, 1, 0) == 0) return;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit() => Volatile.Write(ref _state, 0);
}
