namespace Gen.Runtime;

/// <summary>Sizes that shape the heap (Go's malloc.go constants for 64-bit Linux).</summary>
internal static class HeapConstants
{
    public const int KiB = 1024;
    public const int MiB = 1024 * KiB;
    public const int PageShift = SizeClassAlgorithm.PageShift;
    public const int PageSize = SizeClassAlgorithm.PageSize; // 8 KiB
    public const int MaxSmallSizeBytes = SizeClassAlgorithm.MaxSmallSizeBytes; // 32 KiB
    public const int NumSizeClasses = SizeClassAlgorithm.ExpectedClassCount; // 68
    public const int NumSpanClasses = NumSizeClasses << 1; // scan and noscan for each

    public const int LogArenaBytes = 26;
    public const nuint ArenaBytes = 64 * MiB;
    public const int PagesPerArena = (int)(ArenaBytes >> PageShift); // 8192
    public const int HeapAddressBits = 48;
    /// <summary>The arena index is the top 22 bits of a 48-bit address: one flat L2 table (Go's arenaL2Bits).</summary>
    public const int ArenaIndexBits = HeapAddressBits - LogArenaBytes;

    /// <summary>The largest request Gen accepts: beyond it no OS could map the memory anyway.</summary>
    public const ulong MaxAllocBytes = 1UL << 46;
}
