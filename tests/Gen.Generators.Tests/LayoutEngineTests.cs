using System.Linq;
using System.Threading;
using Gen.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Gen.Generators.Tests;

/// <summary>The layout engine's model and errors. (Sizes and pointer offsets of hundreds of structs are checked
/// against the runtime itself by tests/Gen.LayoutCorpus.Tests.)</summary>
public class LayoutEngineTests
{
    private static StructLayout Layout(string source, string metadataName, params MetadataReference[] references)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { source }, references);
        INamedTypeSymbol type = compilation.GetTypeByMetadataName(metadataName)!;
        Assert.NotNull(type);
        return StructLayoutEngine.Compute(type, CancellationToken.None);
    }

    [Fact]
    public void FieldsInDeclarationOrderWithBackingFieldsAndPadding()
    {
        StructLayout layout = Layout("public unsafe struct S { public byte A; public long B { get; set; } public int* P; public byte C; }", "S");

        Assert.True(layout.IsExact);
        Assert.Equal(new[] { "A", "B", "P", "C" }, layout.Fields.Select(f => f.Name));
        Assert.Equal(new[] { 0, 8, 16, 24 }, layout.Fields.Select(f => f.Offset));
        Assert.Equal(new[] { "byte", "long", "int*", "byte" }, layout.Fields.Select(f => f.TypeDisplay));
        Assert.Equal(32, layout.Size);
        Assert.Equal(8, layout.Alignment);
        Assert.Equal(14, layout.PaddingBytes);
        Assert.Equal(24, layout.PointerBytes);
        Assert.True(layout.Fields[2].IsDataPointer);
        Assert.Equal(new byte[] { 0b100 }, layout.PointerBitmap.ToArray());
        Assert.Equal(StructLayoutKind.Sequential, layout.Kind);
        Assert.False(layout.HasStructLayoutAttribute);
    }

    [Fact]
    public void RecordStructPositionalMembersAreFieldsNamedAfterTheirProperties()
    {
        StructLayout layout = Layout("public record struct R(byte Tag, double Value) { public int Extra; }", "R");

        Assert.Equal(new[] { ("Tag", 0), ("Value", 8), ("Extra", 16) }, layout.Fields.Select(f => (f.Name, f.Offset)));
        Assert.Equal(24, layout.Size);
    }

    [Fact]
    public void ReorderedFieldsUseTheSameRules()
    {
        StructLayout layout = Layout("public unsafe struct S { public byte A; public long B; public int* P; public byte C; }", "S");
        FieldLayout[] pointersFirst = layout.Fields.OrderByDescending(f => f.ContainsPointers).ThenByDescending(f => f.Alignment).ToArray();

        StructLayout reordered = StructLayoutEngine.ComputeSequential("S", pointersFirst, layout.Pack);

        Assert.Equal(new[] { "P", "B", "A", "C" }, reordered.Fields.Select(f => f.Name));
        Assert.Equal(24, reordered.Size);
        Assert.Equal(6, reordered.PaddingBytes);
        Assert.Equal(8, reordered.PointerBytes);
        Assert.Equal(new byte[] { 0b1 }, reordered.PointerBitmap.ToArray());
    }

    [Fact]
    public void ReorderingThatMisalignsAPointerNamesTheField()
    {
        StructLayout layout = Layout("public unsafe struct S { public void* P; public int A; }", "S");
        FieldLayout[] pointerLast = { layout.Fields[1], layout.Fields[0] };

        LayoutError error = Assert.Single(StructLayoutEngine.ComputeSequential("S", pointerLast, pack: 4).Errors);
        Assert.Equal((LayoutErrorKind.MisalignedPointer, "P"), (error.Kind, error.FieldPath));
    }

    [Fact]
    public void ManagedReferenceIsReportedWithItsFieldPath()
    {
        StructLayout layout = Layout("public struct Inner { public int Id; public string Name; } public struct Outer { public long A; public Inner Inner; }", "Outer");

        LayoutError error = Assert.Single(layout.Errors);
        Assert.Equal(LayoutErrorKind.ManagedReference, error.Kind);
        Assert.Equal("Inner.Name", error.FieldPath);
        Assert.Equal(LayoutDiagnosticIds.ManagedReference, error.DiagnosticId);
        Assert.Contains("'string'", error.Message);
    }

    [Fact]
    public void TypeParameterIsUnknownLayout()
    {
        StructLayout layout = Layout("public struct Box<T> where T : unmanaged { public int Count; public T Value; }", "Box`1");

        LayoutError error = Assert.Single(layout.Errors);
        Assert.Equal((LayoutErrorKind.UnknownLayout, "Value"), (error.Kind, error.FieldPath));
    }

    [Fact]
    public void AutoLayoutIsUnknownLayoutOfTheStructItself()
    {
        StructLayout layout = Layout("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public struct S { public int A; }", "S");

        LayoutError error = Assert.Single(layout.Errors);
        Assert.Equal((LayoutErrorKind.UnknownLayout, ""), (error.Kind, error.FieldPath));
        Assert.Equal(StructLayoutKind.Auto, layout.Kind);
        Assert.True(layout.HasStructLayoutAttribute);
    }

    [Fact]
    public void FrameworkStructWhoseReferenceAssemblyHidesItsFieldsIsUnknownLayout()
    {
        // System.HashCode's reference assembly shows a placeholder field instead of its real state.
        StructLayout layout = Layout("public struct S { public System.HashCode Hash; }", "S");

        LayoutError error = Assert.Single(layout.Errors);
        Assert.Equal((LayoutErrorKind.UnknownLayout, "Hash"), (error.Kind, error.FieldPath));
    }

    [Fact]
    public void PointerMisalignedByPackIsReportedAtItsFinalOffset()
    {
        const string source = """
            using System.Runtime.InteropServices;
            [StructLayout(LayoutKind.Sequential, Pack = 1)] public unsafe struct Packed { public byte B; public void* P; }
            public struct Aligned { public Packed X; }
            [StructLayout(LayoutKind.Sequential, Pack = 1)] public struct Realigned { public byte A, B, C, D, E, F, G; public Packed X; }
            """;
        LayoutError error = Assert.Single(Layout(source, "Aligned").Errors);
        Assert.Equal((LayoutErrorKind.MisalignedPointer, "X.P"), (error.Kind, error.FieldPath));
        Assert.Contains("offset 1", error.Message);

        // At offset 7 the packed struct's pointer lands on offset 8: traceable.
        StructLayout realigned = Layout(source, "Realigned");
        Assert.True(realigned.IsExact);
        Assert.Equal(new[] { 8 }, realigned.PointerOffsets.ToArray());
    }

    [Fact]
    public void StructsFromAReferencedAssemblyReadTheirLayoutFromMetadata()
    {
        const string library = """
            using System.Runtime.InteropServices;
            [StructLayout(LayoutKind.Explicit, Size = 24)] public unsafe struct Union { [FieldOffset(0)] public long Bits; [FieldOffset(8)] public void* P; [FieldOffset(9)] private byte _hidden; }
            [StructLayout(LayoutKind.Sequential, Pack = 2)] public struct Packed { public byte B; private long _l; }
            public unsafe struct Buffer { public fixed short Data[5]; private int* _p; }
            """;
        const string consumer = "public struct S { public byte Tag; public Union U; public Packed P; public Buffer B; }";
        MetadataReference reference = GeneratorHarness.EmitReference(GeneratorHarness.Compile(library));

        StructLayout fromMetadata = Layout(consumer, "S", reference);
        StructLayout fromSource = Layout(library + consumer, "S");

        Assert.True(fromMetadata.IsExact);
        Assert.Equal(fromSource.Size, fromMetadata.Size);
        Assert.Equal(fromSource.Fields.Select(f => f.Offset), fromMetadata.Fields.Select(f => f.Offset));
        Assert.Equal(fromSource.PointerOffsets, fromMetadata.PointerOffsets);
        Assert.Equal(new[] { 16, 64 }, fromMetadata.PointerOffsets.ToArray());
        Assert.Equal(72, fromMetadata.Size);
    }

    [Fact]
    public void SelfContainingStructIsUnknownLayoutRatherThanAHang()
    {
        StructLayout layout = Layout("public struct Loop { public int A; public Loop Next; }", "Loop");

        Assert.Contains(layout.Errors, e => e.Kind == LayoutErrorKind.UnknownLayout && e.FieldPath == "Next");
    }

    [Fact]
    public void CapturedPrimaryConstructorParameterIsUnknownLayout()
    {
        // The compiler stores a captured parameter in a hidden field that symbols do not show.
        StructLayout captured = Layout("public struct S(long seed) { public int A; public long Next() => seed + A; }", "S");
        StructLayout onlyInitializers = Layout("public struct S(long seed) { public long A = seed; public int B { get; } = (int)seed; }", "S");

        LayoutError error = Assert.Single(captured.Errors);
        Assert.Equal((LayoutErrorKind.UnknownLayout, "seed"), (error.Kind, error.FieldPath));
        Assert.True(onlyInitializers.IsExact);
        Assert.Equal(16, onlyInitializers.Size);
    }

    [Fact]
    public void FieldLikeEventIsAManagedReference()
    {
        StructLayout layout = Layout("public struct S { public int A; public event System.Action? Changed; public event System.Action Explicit { add { } remove { } } }", "S");

        LayoutError error = Assert.Single(layout.Errors);
        Assert.Equal((LayoutErrorKind.ManagedReference, "Changed"), (error.Kind, error.FieldPath));
    }
}
