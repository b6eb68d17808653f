// Go's mksizeclasses algorithm (runtime/mksizeclasses.go), computed rather than pasted.
//
// This file is compiled into the runtime (Gen.SizeClasses) and, linked as source, into the source
// generator and analyzers, so compile time and run time agree on every class by construction.
// It therefore uses only C# that netstandard2.0 understands.
//
// Steps (Go's, in order):
//  1. Walk candidate sizes 8, 16, 24, ... with an alignment that grows at powers of two
//     (8 below 32, 16 from 32, size/8 from 128, 256 from 2048).
//  2. For each, take the fewest whole 8 KiB pages whose tail (left after packing objects) is at most 1/8.
//  3. Merge a candidate into the previous class when both have the same pages and object count.
//  4. Enlarge every class to the biggest size with the same object count, in 128-byte steps.
//  5. Derive the two O(1) lookup tables (8-byte steps up to 1 KiB, 128-byte steps up to 32 KiB)
//     and the 32-bit division magic that turns an offset into an object index with one multiply.

namespace Gen
{
    internal static class SizeClassAlgorithm
    {
        internal const int KiB = 1024;
        internal const int PageShift = 13;
        internal const int PageSize = 1 << PageShift; // 8 KiB
        internal const int MinAlignBytes = 8;
        internal const int MaxSmallSizeBytes = 32 * KiB;
        internal const int SmallSizeDivBytes = 8;
        internal const int SmallSizeMaxBytes = 1024;
        internal const int LargeSizeDivBytes = 128;
        /// <summary>Go's table: 67 classes plus class 0, which stands for large objects.</summary>
        internal const int ExpectedClassCount = 68;

        /// <summary>The computed table. Index 0 is the large-object class (all fields 0).</summary>
        internal sealed class Table
        {
            public readonly int[] ObjectSize;
            public readonly int[] SpanPages;
            public readonly int[] ObjectsPerSpan;
            /// <summary>Per class, the inverse modulo 2^64 of the object size's odd part: an offset times it, rotated right
            /// by <see cref="DivShift"/>, is the object index when the offset is a multiple of the size, and at least
            /// 2^64 / size otherwise (Granlund and Montgomery's exact division), so one multiply both divides and
            /// rejects a pointer inside an object.</summary>
            public readonly ulong[] DivInverse;
            /// <summary>Per class, the number of trailing zero bits of the object size.</summary>
            public readonly int[] DivShift;
            /// <summary>size → class for sizes 0..1024, indexed by (size + 7) / 8.</summary>
            public readonly byte[] SizeToClass8;
            /// <summary>size → class for sizes 1025..32768, indexed by (size - 1024 + 127) / 128.</summary>
            public readonly byte[] SizeToClass128;

            internal Table(int[] objectSize, int[] spanPages)
            {
                int n = objectSize.Length;
                ObjectSize = objectSize;
                SpanPages = spanPages;
                ObjectsPerSpan = new int[n];
                DivInverse = new ulong[n];
                DivShift = new int[n];
                for (int c = 1; c < n; c++)
                {
                    ObjectsPerSpan[c] = spanPages[c] * PageSize / objectSize[c];
                    int shift = 0;
                    while ((objectSize[c] >> shift & 1) == 0) shift++;
                    DivShift[c] = shift;
                    DivInverse[c] = InverseOfOdd((ulong)objectSize[c] >> shift);
                }

                SizeToClass8 = new byte[SmallSizeMaxBytes / SmallSizeDivBytes + 1];
                SizeToClass128 = new byte[(MaxSmallSizeBytes - SmallSizeMaxBytes) / LargeSizeDivBytes + 1];
                int cls = 0;
                for (int i = 0; i < SizeToClass8.Length; i++)
                {
                    int size = i * SmallSizeDivBytes;
                    while (objectSize[cls] < size) cls++;
                    SizeToClass8[i] = (byte)cls;
                }
                for (int i = 0; i < SizeToClass128.Length; i++)
                {
                    int size = SmallSizeMaxBytes + i * LargeSizeDivBytes;
                    while (objectSize[cls] < size) cls++;
                    SizeToClass128[i] = (byte)cls;
                }
            }

            public int Count => ObjectSize.Length;

            /// <summary>x with odd * x = 1 (mod 2^64), by Newton's iteration: odd * odd = 1 (mod 8), and each step
            /// doubles the number of correct low bits (3, 6, 12, 24, 48, 96).</summary>
            private static ulong InverseOfOdd(ulong odd)
            {
                ulong x = odd;
                for (int i = 0; i < 5; i++) x *= 2 - odd * x;
                return x;
            }

            /// <summary>The class for a small size (0..32768); class 0 has size 0, so size 0 maps to class 1.</summary>
            public int ClassOf(int size)
            {
                if (size == 0) return 1;
                return size <= SmallSizeMaxBytes
                    ? SizeToClass8[(size + SmallSizeDivBytes - 1) / SmallSizeDivBytes]
                    : SizeToClass128[(size - SmallSizeMaxBytes + LargeSizeDivBytes - 1) / LargeSizeDivBytes];
            }
        }

        internal static Table Compute()
        {
            var sizes = new System.Collections.Generic.List<int> { 0 };
            var pages = new System.Collections.Generic.List<int> { 0 };
            int align = MinAlignBytes;
            for (int size = align; size <= MaxSmallSizeBytes; size += align)
            {
                if ((size & (size - 1)) == 0)
                {
                    if (size >= 2048) align = 256;
                    else if (size >= 128) align = size / 8;
                    else if (size >= 32) align = 16; // heap bitmaps assume 16-byte alignment from 32 bytes
                }

                int allocBytes = PageSize;
                while (allocBytes % size > allocBytes / 8) allocBytes += PageSize;
                int npages = allocBytes / PageSize;

                int last = sizes.Count - 1;
                if (last >= 1 && pages[last] == npages && allocBytes / size == allocBytes / sizes[last])
                {
                    sizes[last] = size;
                    continue;
                }
                sizes.Add(size);
                pages.Add(npages);
            }

            for (int c = 1; c < sizes.Count; c++)
            {
                int spanBytes = pages[c] * PageSize;
                int enlarged = spanBytes / (spanBytes / sizes[c]) & ~(LargeSizeDivBytes - 1);
                if (enlarged > sizes[c]) sizes[c] = enlarged;
            }

            if (sizes.Count != ExpectedClassCount)
                throw new System.InvalidOperationException(
                    "Size class algorithm produced " + sizes.Count + " classes; Go's table has " + ExpectedClassCount + ".");
            return new Table(sizes.ToArray(), pages.ToArray());
        }
    }
}
