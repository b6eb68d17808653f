using System;
using System.Linq;
using Gen.Layout;
using Xunit;

namespace Gen.LayoutCorpus.Tests;

/// <summary>
/// Every corpus struct (Corpus.g.cs, written by tools/GenerateCorpus.cs) is compiled with the Gen generator; its
/// generated Size and PointerBitmap must match what the runtime actually does: sizeof(T), Unsafe.SizeOf&lt;T&gt;(), and
/// the offsets at which the runtime stores each of its data pointers. Each struct is also allocated through the
/// generated fast path, and Gen's heap must report its class size and pointer bitmap.
/// </summary>
public class CorpusTests
{
    private const int MinimumCorpusSize = 300;

    public static TheoryData<string> CaseNames => new(Corpus.Cases.Select(c => c.Name));

    private static CorpusCase Case(string name) => Corpus.Cases.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GeneratedSizeIsTheRuntimeSize(string name)
    {
        CorpusCase corpusCase = Case(name);
        Assert.Equal(corpusCase.RuntimeSize, corpusCase.GeneratedSize);
        Assert.Equal(corpusCase.RuntimeUnsafeSize, corpusCase.GeneratedSize);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GeneratedPointerBitmapMarksExactlyTheRuntimePointerWords(string name)
    {
        CorpusCase corpusCase = Case(name);
        Assert.All(corpusCase.RuntimePointerOffsets, offset => Assert.Equal(0, offset % sizeof(long)));
        Assert.Equal(corpusCase.RuntimePointerBitmap(), corpusCase.GeneratedPointerBitmap);
        Assert.Equal(corpusCase.RuntimePointerOffsets.Length > 0, corpusCase.GeneratedHasPointers);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void HeapRecordsTheClassSizeAndPointerBitmapOfEachAllocation(string name)
    {
        CorpusCase corpusCase = Case(name);
        HeapObservation observed = corpusCase.AllocateThroughHeap();

        Assert.Equal(corpusCase.GeneratedClassSize, observed.UsableSize);
        Assert.Equal(corpusCase.GeneratedHasPointers ? corpusCase.GeneratedPointerBitmap : Array.Empty<byte>(), observed.PointerBitmap);
    }

    [Fact]
    public void CorpusIsLargeAndCoversPointersAndLargeObjects()
    {
        Assert.True(Corpus.Cases.Length >= MinimumCorpusSize, $"Only {Corpus.Cases.Length} corpus structs.");
        Assert.Contains(Corpus.Cases, c => c.RuntimePointerOffsets.Length >= 4);
        Assert.Contains(Corpus.Cases, c => c.RuntimeSize > 32 * 1024 && c.RuntimePointerOffsets.Length > 0);
    }

    [Fact]
    public void CorpusEmbedsEveryFrameworkStructOfTheEnginesTable()
    {
        string[] embedded = Corpus.FrameworkTypes
            .Select(t => (t.IsGenericType ? t.GetGenericTypeDefinition() : t).FullName!)
            .ToArray();
        Assert.All(KnownLayouts.MetadataNames, name => Assert.Contains(name, embedded));
    }
}
