using System.Collections.Generic;

namespace Gen.Layout
{
    /// <summary>How the CLR places a struct's fields.</summary>
    internal enum StructLayoutKind
    {
        /// <summary>Declaration order, each field at its natural alignment capped by <c>Pack</c>.</summary>
        Sequential,
        /// <summary><c>[FieldOffset]</c> on every field; fields may overlap (unions).</summary>
        Explicit,
        /// <summary>The runtime reorders fields as it likes: nothing can be known at compile time.</summary>
        Auto,
    }

    /// <summary>Why a layout cannot be computed exactly.</summary>
    internal enum LayoutErrorKind
    {
        /// <summary>A field is a managed reference (class, string, array, delegate) or a struct containing one.</summary>
        ManagedReference,
        /// <summary>The CLR decides the layout at run time: <c>LayoutKind.Auto</c>, a type parameter, a struct whose
        /// reference assembly hides its fields, a hardware-sized vector.</summary>
        UnknownLayout,
        /// <summary>A data pointer at an offset that is not a multiple of 8: the heap's bitmap could not trace it.</summary>
        MisalignedPointer,
    }

    /// <summary>
    /// The diagnostic IDs under which the analyzers report <see cref="LayoutErrorKind"/>s. The generator reports none
    /// (it silently skips a struct with errors) so that every problem is reported exactly once, by the analyzer.
    /// </summary>
    internal static class LayoutDiagnosticIds
    {
        public const string ManagedReference = "GEN002";
        public const string UnknownLayout = "GEN003";
        public const string MisalignedPointer = "GEN004";

        public static string For(LayoutErrorKind kind)
        {
            switch (kind)
            {
                case LayoutErrorKind.ManagedReference: return ManagedReference;
                case LayoutErrorKind.UnknownLayout: return UnknownLayout;
                default: return MisalignedPointer;
            }
        }
    }

    /// <summary>One reason a struct's layout is not exact.</summary>
    /// <param name="Kind">What went wrong.</param>
    /// <param name="FieldPath">Dotted path from the struct to the offending field ("Inner.Name"); empty when the
    /// struct itself is the problem (e.g. it is <c>LayoutKind.Auto</c>).</param>
    /// <param name="Message">A sentence for the user, naming the field and its type.</param>
    internal sealed record LayoutError(LayoutErrorKind Kind, string FieldPath, string Message)
    {
        public string DiagnosticId => LayoutDiagnosticIds.For(Kind);

        internal LayoutError Under(string outerField) =>
            this with { FieldPath = FieldPath.Length == 0 ? outerField : outerField + "." + FieldPath };
    }

    /// <summary>An instance field placed in a struct.</summary>
    /// <param name="Name">The field's name; for an auto-property or record-struct member, the property's name.</param>
    /// <param name="TypeDisplay">The field's type as C# writes it (minimal form), for messages.</param>
    /// <param name="Offset">Byte offset from the struct's start (for <see cref="StructLayoutEngine.ComputeSequential"/>
    /// input it is ignored; for explicit layout it is the <c>[FieldOffset]</c>).</param>
    /// <param name="Size">Bytes the field occupies.</param>
    /// <param name="Alignment">Its natural alignment before <c>Pack</c> applies.</param>
    /// <param name="IsDataPointer">The field itself is a <c>T*</c> or <c>void*</c>.</param>
    /// <param name="PointerOffsets">Offsets, relative to the field's start, of every data pointer inside it (0 for a
    /// data pointer field; nested struct, inline array and union members included), ascending.</param>
    internal sealed record FieldLayout(
        string Name,
        string TypeDisplay,
        int Offset,
        int Size,
        int Alignment,
        bool IsDataPointer,
        EquatableArray<int> PointerOffsets)
    {
        public bool ContainsPointers => PointerOffsets.Length > 0;

        /// <summary>Bytes from the field's start to the end of its last pointer word; 0 without pointers.</summary>
        public int PointerBytes => ContainsPointers ? PointerOffsets[PointerOffsets.Length - 1] + StructLayoutEngine.PointerSize : 0;
    }

    /// <summary>The exact 64-bit CLR layout of an unmanaged struct, or the errors that prevent knowing it.</summary>
    /// <param name="TypeName">The struct's name as C# writes it (minimal form), for messages.</param>
    /// <param name="Size">sizeof(T); at least 1.</param>
    /// <param name="Alignment">The alignment the struct imposes where it is embedded.</param>
    /// <param name="Pack">The <c>StructLayout.Pack</c> value; 0 when none was given.</param>
    /// <param name="Kind">Sequential, explicit or auto.</param>
    /// <param name="HasStructLayoutAttribute">The source says <c>[StructLayout(...)]</c> explicitly, i.e. the author has
    /// declared that the field order matters (the padding analyzer keeps out).</param>
    /// <param name="Fields">Instance fields in declaration order, including auto-property backing fields and record
    /// struct positional members.</param>
    /// <param name="PointerOffsets">Every data pointer's offset in the struct, ascending and distinct.</param>
    /// <param name="PointerBitmap">One bit per 8-byte word, bit (i % 8) of byte (i / 8) set when a data pointer starts
    /// at 8*i; (Size + 63) / 64 bytes.</param>
    /// <param name="Errors">Empty when the layout is exact.</param>
    internal sealed record StructLayout(
        string TypeName,
        int Size,
        int Alignment,
        int Pack,
        StructLayoutKind Kind,
        bool HasStructLayoutAttribute,
        EquatableArray<FieldLayout> Fields,
        EquatableArray<int> PointerOffsets,
        EquatableArray<byte> PointerBitmap,
        EquatableArray<LayoutError> Errors)
    {
        public bool IsExact => Errors.Length == 0;

        public bool HasPointers => PointerOffsets.Length > 0;

        /// <summary>Bytes from the start to the end of the last pointer word: what a tracer must scan.</summary>
        public int PointerBytes => HasPointers ? PointerOffsets[PointerOffsets.Length - 1] + StructLayoutEngine.PointerSize : 0;

        /// <summary>Bytes of the struct covered by no field (holes between fields and the tail).</summary>
        public int PaddingBytes
        {
            get
            {
                var covered = new bool[Size];
                foreach (FieldLayout placed in Fields)
                {
                    for (int i = placed.Offset; i < placed.Offset + placed.Size && i < Size; i++) covered[i] = true;
                }
                int padding = 0;
                foreach (bool c in covered) if (!c) padding++;
                return padding;
            }
        }

        internal static EquatableArray<byte> BitmapOf(IReadOnlyList<int> pointerOffsets, int size)
        {
            var bitmap = new byte[(size + 63) / 64];
            foreach (int offset in pointerOffsets)
            {
                int word = offset / StructLayoutEngine.PointerSize;
                bitmap[word / 8] |= (byte)(1 << (word % 8));
            }
            return new EquatableArray<byte>(bitmap);
        }
    }
}
