using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>
/// Each problem is reported once: for every struct the generator skips, the analyzers report exactly one error
/// on it, and for a struct the generator accepts they report none.
/// </summary>
public class GeneratorAgreementTests
{
    [Theory]
    [InlineData("public struct Node { public long Value; }")]
    [InlineData("public partial struct Node<T> where T : unmanaged { public T Value; }")]
    [InlineData("public ref partial struct Node { public long Value; }")]
    [InlineData("public partial struct Node { public string Name; }")]
    [InlineData("[StructLayout(LayoutKind.Auto)] public partial struct Node { public long Value; }")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 2)] public unsafe partial struct Node { public short Tag; public void* Data; }")]
    [InlineData("public partial struct Node { public System.Numerics.Vector<float> Lanes; }")]
    public async Task SkippedStruct_GetsExactlyOneError(string declaration)
    {
        (bool generated, ImmutableArray<Diagnostic> errors) = await RunAsync(declaration);
        Assert.False(generated);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("public partial struct Node { public long Value; }")]
    [InlineData("public unsafe partial struct Node { public Node* Next; public fixed byte Name[40]; }")]
    [InlineData("[StructLayout(LayoutKind.Explicit)] public unsafe partial struct Node { [FieldOffset(0)] public long A; [FieldOffset(0)] public double B; }")]
    public async Task GeneratedStruct_GetsNoError(string declaration)
    {
        (bool generated, ImmutableArray<Diagnostic> errors) = await RunAsync(declaration);
        Assert.True(generated);
        Assert.Empty(errors);
    }

    private static async Task<(bool Generated, ImmutableArray<Diagnostic> Errors)> RunAsync(string declaration)
    {
        Compilation compilation = TestCompilation.Create([
            "using System.Runtime.InteropServices;\nusing Gen;\n[SizeClassed]\n" + declaration]);
        bool generated = TestCompilation.WithGeneratedMembers(compilation).SyntaxTrees.Count() > compilation.SyntaxTrees.Count();
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerVerifier.AnalyzeAsync(compilation);
        return (generated, diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }
}
