using System;
using System.Numerics;

namespace Gen.Tests;

/// <summary>
/// Go's published size-class table (golang/go, src/internal/runtime/gc/sizeclasses.go), transcribed as the tests'
/// oracle. The runtime computes its table; these literals are the independent expectation it is checked against,
/// and the heap tests use them to predict usable sizes and stats without reaching into the runtime.
/// </summary>
internal static class GoSizeClassTable
{
    public const int PageSizeBytes = 8 * 1024;
    public const int MaxSmallSizeBytes = 32 * 1024;
    public const int ClassCount = 68;

    /// <summary>Object size per class (Go's <c>SizeClassToSize</c>); class 0 stands for large objects.</summary>
    public static ReadOnlySpan<ushort> ObjectSizeBytes =>
    [
        0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384,
        416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072,
        3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336,
        16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
    ];

    /// <summary>Pages per span per class (Go's <c>SizeClassToNPages</c>).</summary>
    public static ReadOnlySpan<byte> SpanPages =>
    [
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2,
        1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4,
    ];

    /// <summary>The class Gen serves a small request of <paramref name="size"/> bytes from (0 maps to class 1).</summary>
    public static int ClassOf(nuint size)
    {
        if (size > MaxSmallSizeBytes) throw new ArgumentOutOfRangeException(nameof(size), "large object");
        for (int cls = 1; cls < ClassCount; cls++)
        {
            if (ObjectSizeBytes[cls] >= size) return cls;
        }
        throw new InvalidOperationException("unreachable: class 67 holds 32768 bytes");
    }

    /// <summary>Bytes Gen reserves for a request: the class size for small objects, whole pages for large ones.</summary>
    public static nuint ReservedBytes(nuint size) =>
        size <= MaxSmallSizeBytes
            ? ObjectSizeBytes[ClassOf(size)]
            : (size + PageSizeBytes - 1) / PageSizeBytes * PageSizeBytes;

    /// <summary>The alignment every object of a class has: its size's lowest set bit, capped at a page
    /// (objects start at page-aligned span base + index × size), as in Go's "min align" column.</summary>
    public static nuint GuaranteedAlignment(int cls) =>
        (nuint)1 << Math.Min(BitOperations.TrailingZeroCount((uint)ObjectSizeBytes[cls]), 13);
}
