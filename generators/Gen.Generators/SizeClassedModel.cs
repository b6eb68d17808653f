using Gen.Layout;

namespace Gen.Generators
{
    /// <summary>A type that encloses the <c>[SizeClassed]</c> struct, as its generated partial declaration repeats it.</summary>
    /// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
    /// <param name="Name">Its name (non-generic: the generator skips structs nested in generic types).</param>
    internal sealed record ContainingTypeModel(string Keyword, string Name);

    /// <summary>Everything the emitter needs for one <c>[SizeClassed]</c> struct: plain equatable data, no Roslyn
    /// objects, so the incremental pipeline caches it across edits that do not change it.</summary>
    /// <param name="HintName">Unique, deterministic file name for the generated source.</param>
    /// <param name="Namespace">Its namespace, or empty for the global namespace.</param>
    /// <param name="ContainingTypes">Enclosing types, outermost first.</param>
    /// <param name="Keyword">"struct" or "record struct".</param>
    /// <param name="Name">The struct's name.</param>
    /// <param name="Size">sizeof(T).</param>
    /// <param name="SizeClass">Gen's size class; 0 for a large object.</param>
    /// <param name="ClassSize">Bytes reserved per object.</param>
    /// <param name="PointerBitmap">One bit per 8-byte word of T.</param>
    internal sealed record SizeClassedModel(
        string HintName,
        string Namespace,
        EquatableArray<ContainingTypeModel> ContainingTypes,
        string Keyword,
        string Name,
        int Size,
        int SizeClass,
        int ClassSize,
        EquatableArray<byte> PointerBitmap)
    {
        public bool HasPointers
        {
            get
            {
                foreach (byte b in PointerBitmap) if (b != 0) return true;
                return false;
            }
        }
    }
}
