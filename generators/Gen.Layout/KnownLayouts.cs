using System.Collections.Generic;

namespace Gen.Layout
{
    /// <summary>
    /// Framework structs whose reference assemblies hide their real fields (GenAPI replaces private fields with a
    /// placeholder such as <c>private int _dummyPrimitive</c>), so their layout cannot be derived from symbols.
    /// Every entry is x64 CoreCLR's actual <c>sizeof</c> and alignment, checked against the runtime by the layout
    /// corpus test (tests/Gen.LayoutCorpus.Tests), which embeds each of them in a <c>[SizeClassed]</c> struct.
    /// None of them holds a data pointer.
    /// </summary>
    internal static class KnownLayouts
    {
        internal readonly struct Entry
        {
            public readonly int SizeBytes;
            public readonly int AlignmentBytes;

            public Entry(int sizeBytes, int alignmentBytes)
            {
                SizeBytes = sizeBytes;
                AlignmentBytes = alignmentBytes;
            }
        }

        /// <summary>Keyed by the metadata name of the type's original definition (generic arity suffix included).</summary>
        private static readonly Dictionary<string, Entry> Table = new Dictionary<string, Entry>
        {
            ["System.Decimal"] = new Entry(16, 8),
            ["System.Guid"] = new Entry(16, 4),
            ["System.DateTime"] = new Entry(8, 8),
            ["System.TimeSpan"] = new Entry(8, 8),
            ["System.DateTimeOffset"] = new Entry(16, 8),
            ["System.DateOnly"] = new Entry(4, 4),
            ["System.TimeOnly"] = new Entry(8, 8),
            ["System.Half"] = new Entry(2, 2),
            // Int128 aligns to 16 (since .NET 8, matching the native ABI); it raises the alignment of any struct
            // that embeds it unless Pack caps it.
            ["System.Int128"] = new Entry(16, 16),
            ["System.UInt128"] = new Entry(16, 16),
            ["System.Index"] = new Entry(4, 4),
            ["System.Range"] = new Entry(8, 4),
            ["System.Text.Rune"] = new Entry(4, 4),
            ["System.Runtime.InteropServices.NFloat"] = new Entry(8, 8),
            // The hardware-intrinsic vectors align to their size on x64, whatever T is.
            ["System.Runtime.Intrinsics.Vector64`1"] = new Entry(8, 8),
            ["System.Runtime.Intrinsics.Vector128`1"] = new Entry(16, 16),
            ["System.Runtime.Intrinsics.Vector256`1"] = new Entry(32, 32),
            ["System.Runtime.Intrinsics.Vector512`1"] = new Entry(64, 64),
            ["System.Numerics.Vector2"] = new Entry(8, 4),
            ["System.Numerics.Vector3"] = new Entry(12, 4),
            ["System.Numerics.Vector4"] = new Entry(16, 4),
            ["System.Numerics.Quaternion"] = new Entry(16, 4),
            ["System.Numerics.Plane"] = new Entry(16, 4),
            ["System.Numerics.Matrix3x2"] = new Entry(24, 4),
            ["System.Numerics.Matrix4x4"] = new Entry(64, 4),
            ["System.Numerics.Complex"] = new Entry(16, 8),
            ["System.Drawing.Point"] = new Entry(8, 4),
            ["System.Drawing.PointF"] = new Entry(8, 4),
            ["System.Drawing.Size"] = new Entry(8, 4),
            ["System.Drawing.SizeF"] = new Entry(8, 4),
            ["System.Drawing.Rectangle"] = new Entry(16, 4),
            ["System.Drawing.RectangleF"] = new Entry(16, 4),
        };

        /// <summary>Framework structs that are unmanaged in C#'s eyes but whose layout is not fixed at compile time.</summary>
        private static readonly Dictionary<string, string> Unknowable = new Dictionary<string, string>
        {
            ["System.Numerics.Vector`1"] = "its size depends on the CPU's vector width",
            ["System.ValueTuple`1"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`2"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`3"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`4"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`5"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`6"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`7"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
            ["System.ValueTuple`8"] = "ValueTuple has LayoutKind.Auto: the runtime orders its fields",
        };

        public static bool TryGet(string metadataName, out Entry entry) => Table.TryGetValue(metadataName, out entry);

        public static bool TryGetUnknowableReason(string metadataName, out string reason) =>
            Unknowable.TryGetValue(metadataName, out reason!);

        /// <summary>The table's keys, for tests that check every entry against the runtime.</summary>
        public static IEnumerable<string> MetadataNames => Table.Keys;
    }
}
