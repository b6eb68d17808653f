namespace Gen.Layout
{
    /// <summary>
    /// What an object of a given size costs in Gen's heap: its size class, or whole pages when large. Shared by the
    /// analyzers (waste, large objects) and the generator (SizeClass, ClassSize), so both round alike.
    /// </summary>
    internal readonly struct HeapFootprint
    {
        private static readonly SizeClassAlgorithm.Table SizeClasses = SizeClassAlgorithm.Compute();

        private HeapFootprint(int sizeBytes, int sizeClass, int reservedBytes)
        {
            SizeBytes = sizeBytes;
            SizeClass = sizeClass;
            ReservedBytes = reservedBytes;
        }

        public int SizeBytes { get; }

        /// <summary>Gen's size class; 0 for a large object.</summary>
        public int SizeClass { get; }

        /// <summary>The class's object size, or the size rounded up to whole pages for a large object.</summary>
        public int ReservedBytes { get; }

        public bool IsLarge => SizeClass == 0;

        public int WastedBytes => ReservedBytes - SizeBytes;

        public int Pages => ReservedBytes / SizeClassAlgorithm.PageSize;

        /// <summary>The object size of the next smaller class; 0 when there is none (class 1, or a large object).</summary>
        public int SmallerClassBytes => SizeClass > 1 ? SizeClasses.ObjectSize[SizeClass - 1] : 0;

        public static HeapFootprint Of(int sizeBytes)
        {
            if (sizeBytes > SizeClassAlgorithm.MaxSmallSizeBytes)
            {
                int pages = (sizeBytes + SizeClassAlgorithm.PageSize - 1) / SizeClassAlgorithm.PageSize;
                return new HeapFootprint(sizeBytes, 0, pages * SizeClassAlgorithm.PageSize);
            }
            int sizeClass = SizeClasses.ClassOf(sizeBytes);
            return new HeapFootprint(sizeBytes, sizeClass, SizeClasses.ObjectSize[sizeClass]);
        }
    }
}
