using System;
using System.Globalization;
using System.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen;

/// <summary>
/// Gen's size classes: Go's table (67 classes up to 32 KiB plus class 0 for large objects), computed at start-up by
/// Go's mksizeclasses algorithm, the same code the source generator runs at compile time.
/// </summary>
public static unsafe class SizeClasses
{
    /// <summary>Bytes per page.</summary>
    public const int PageSize = SizeClassAlgorithm.PageSize;

    /// <summary>The largest small object; bigger requests are large objects made of whole pages.</summary>
    public const int MaxSmallSize = SizeClassAlgorithm.MaxSmallSizeBytes;

    private static readonly SizeClassAlgorithm.Table s_table = SizeClassAlgorithm.Compute();

    // Hot-path copies in native memory: fixed addresses the JIT embeds, no bounds checks.
    private static readonly byte* s_sizeToClass8 = PinSizeToClass8();
    private static readonly byte* s_sizeToClass128 = Pin(s_table.SizeToClass128);
    private static readonly uint* s_objectSize = Pin(Array.ConvertAll(s_table.ObjectSize, v => (uint)v));
    private static readonly uint* s_spanPages = Pin(Array.ConvertAll(s_table.SpanPages, v => (uint)v));
    private static readonly uint* s_objectsPerSpan = Pin(Array.ConvertAll(s_table.ObjectsPerSpan, v => (uint)v));
    private static readonly ulong* s_divInverse = Pin(s_table.DivInverse);
    private static readonly byte* s_divShift = Pin(Array.ConvertAll(s_table.DivShift, v => (byte)v));

    /// <summary>For alignment 2^k (k from <see cref="MinAlignedLog2"/> to the page's) and each class, the smallest class
    /// at least as large whose object size is a multiple of 2^k, row by row.</summary>
    private static readonly byte[] s_alignedClass = ComputeAlignedClasses();

    /// <summary>log2 of the smallest alignment that not every class gives: 16 (every object size is a multiple of 8).</summary>
    private const int MinAlignedLog2 = 4;

    private static byte[] ComputeAlignedClasses()
    {
        int rows = SizeClassAlgorithm.PageShift - MinAlignedLog2 + 1;
        var table = new byte[rows * s_table.Count];
        for (int row = 0; row < rows; row++)
        {
            int alignment = 1 << (row + MinAlignedLog2);
            for (int c = 1; c < s_table.Count; c++)
            {
                // The largest class, 32 KiB, is a multiple of every alignment up to the page size, so the search ends.
                int aligned = c;
                while (s_table.ObjectSize[aligned] % alignment != 0) aligned++;
                table[row * s_table.Count + c] = (byte)aligned;
            }
        }
        return table;
    }

    private static byte* PinSizeToClass8()
    {
        byte* table = Pin(s_table.SizeToClass8);
        table[0] = 1; // a zero-byte request gets the smallest class, so it is a real, freeable object
        return table;
    }

    private static T* Pin<T>(T[] values) where T : unmanaged
    {
        var p = (T*)NativeMemory.Alloc((nuint)values.Length, (nuint)sizeof(T));
        values.AsSpan().CopyTo(new Span<T>(p, values.Length));
        return p;
    }

    /// <summary>Number of classes, class 0 (large objects) included: 68.</summary>
    public static int Count => s_table.Count;

    /// <summary>The class for a request of <paramref name="size"/> bytes in O(1) (Go's two lookup arrays);
    /// 0 when the request is a large object (more than <see cref="MaxSmallSize"/>). Size 0 maps to class 1.</summary>
    public static int ClassOf(nuint size) => size > MaxSmallSize ? 0 : ClassOfSmall(size);

    /// <summary>Bytes per object of class <paramref name="sizeClass"/> (0 for class 0).</summary>
    public static int ObjectSize(int sizeClass) => s_table.ObjectSize[Check(sizeClass)];

    /// <summary>Pages per span of class <paramref name="sizeClass"/>.</summary>
    public static int SpanPages(int sizeClass) => s_table.SpanPages[Check(sizeClass)];

    /// <summary>Objects per span of class <paramref name="sizeClass"/>.</summary>
    public static int ObjectsPerSpan(int sizeClass) => s_table.ObjectsPerSpan[Check(sizeClass)];

    /// <summary>Bytes left over at the end of each span of the class.</summary>
    public static int TailWaste(int sizeClass) => SpanPages(sizeClass) * PageSize - ObjectsPerSpan(sizeClass) * ObjectSize(sizeClass);

    /// <summary>Go's max-waste column: the worst-case fraction of a span lost, in percent, when every object is one
    /// byte larger than the previous class (the smallest request this class serves).</summary>
    public static double MaxWastePercent(int sizeClass)
    {
        int previous = Check(sizeClass) <= 1 ? 0 : ObjectSize(sizeClass - 1);
        int spanBytes = SpanPages(sizeClass) * PageSize;
        int objects = ObjectsPerSpan(sizeClass);
        return 100.0 * (spanBytes - (double)objects * (previous + 1)) / spanBytes;
    }

    /// <summary>The table in Go's sizeclasses.go layout, one row per class (class 0 omitted), with a header line.</summary>
    public static string FormatTable()
    {
        var text = new StringBuilder();
        text.Append("class  bytes/obj  bytes/span  objects  tail-waste  max-waste%\n");
        for (int c = 1; c < Count; c++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{c,5}  {ObjectSize(c),9}  {SpanPages(c) * PageSize,10}  {ObjectsPerSpan(c),7}  {TailWaste(c),10}  {MaxWastePercent(c),9:F2}%\n");
        }
        return text.ToString();
    }

    private static int Check(int sizeClass) => (uint)sizeClass < (uint)s_table.Count
        ? sizeClass
        : throw new ArgumentOutOfRangeException(nameof(sizeClass), sizeClass, $"Size classes are 0..{s_table.Count - 1}.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ClassOfSmall(nuint size) => size <= SizeClassAlgorithm.SmallSizeMaxBytes
        ? s_sizeToClass8[(size + 7) >> 3]
        : s_sizeToClass128[(size - SizeClassAlgorithm.SmallSizeMaxBytes + 127) >> 7];

    /// <summary>The smallest class at least as large as <paramref name="sizeClass"/> (1..67) whose objects all lie at
    /// multiples of 2^<paramref name="alignmentLog2"/> (4..13): spans start on pages, so that is the class whose object
    /// size is such a multiple.</summary>
    internal static int AlignedClassOf(int sizeClass, int alignmentLog2) =>
        s_alignedClass[(alignmentLog2 - MinAlignedLog2) * s_table.Count + sizeClass];

    internal static int ObjectSizeFast(int sizeClass) => (int)s_objectSize[sizeClass];
    internal static int SpanPagesFast(int sizeClass) => (int)s_spanPages[sizeClass];
    internal static int ObjectsPerSpanFast(int sizeClass) => (int)s_objectsPerSpan[sizeClass];
    internal static ulong DivInverseFast(int sizeClass) => s_divInverse[sizeClass];
    internal static byte DivShiftFast(int sizeClass) => s_divShift[sizeClass];
}
