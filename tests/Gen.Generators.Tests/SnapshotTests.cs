using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Gen.Generators.Tests;

/// <summary>
/// The generated source of representative structs, compared byte for byte with the files in Snapshots/.
/// Set GEN_UPDATE_SNAPSHOTS=1 to rewrite the files after an intended change, then review the diff.
/// </summary>
public class SnapshotTests
{
    /// <summary>Each case: a hint name (file name of the snapshot) and a source declaring that struct.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "Demo.Node", "namespace Demo; [Gen.SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }" },
        { "Point3", "[Gen.SizeClassed] public readonly partial struct Point3 { public readonly double X, Y, Z; }" },
        { "Demo.Pair", "namespace Demo; [Gen.SizeClassed] public partial record struct Pair(long Key, int Value);" },
        { "Demo.Outer+Inner", "namespace Demo; public static partial class Outer { [Gen.SizeClassed] internal partial struct Inner { public int A { get; set; } public byte B { get; set; } } }" },
        { "Demo.Page", "namespace Demo; [Gen.SizeClassed] public unsafe partial struct Page { public fixed byte Data[40000]; public Page* Next; }" },
        { "Demo.Union", """
            namespace Demo;
            using System.Runtime.InteropServices;
            [Gen.SizeClassed, StructLayout(LayoutKind.Explicit)]
            public unsafe partial struct Union { [FieldOffset(0)] public long Bits; [FieldOffset(0)] public void* Pointer; [FieldOffset(8)] public int Tag; }
            """ },
        { "Demo.Empty", "namespace Demo; [Gen.SizeClassed] public partial struct Empty { }" },
        { "event.Demo.class", "namespace @event.Demo; [Gen.SizeClassed] public partial struct @class { public int @int; }" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GeneratedSourceMatchesSnapshot(string hintName, string source)
    {
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        string generated = GeneratorHarness.Generated(result, hintName)
            ?? throw new InvalidOperationException($"No source generated for {hintName}.");

        string snapshotPath = Path.Combine(SnapshotDirectory(), hintName + ".g.cs");
        if (Environment.GetEnvironmentVariable("GEN_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(snapshotPath, generated);
        }
        Assert.True(File.Exists(snapshotPath), $"Missing snapshot {snapshotPath}; run with GEN_UPDATE_SNAPSHOTS=1.");
        // Generated text always uses '\n'; a checkout may have turned the snapshot's line ends into "\r\n".
        Assert.Equal(File.ReadAllText(snapshotPath).Replace("\r\n", "\n"), generated);
    }

    [Fact]
    public void AllSnapshotCasesTogetherCompileWithoutWarnings()
    {
        var sources = new System.Collections.Generic.List<string>();
        foreach (object[] row in Cases) sources.Add((string)row[1]);
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(sources.ToArray()));

        Assert.Empty(result.Diagnostics);
        Assert.Equal(sources.Count, result.GeneratedTrees.Length);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void GeneratedDocumentationCommentsAreValid()
    {
        // With documentation checks on, as in a project that sets GenerateDocumentationFile.
        var documented = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var sources = new System.Collections.Generic.List<string>();
        foreach (object[] row in Cases) sources.Add((string)row[1]);
        CSharpCompilation compilation = GeneratorHarness.Compile(sources.ToArray());
        compilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(
            compilation.SyntaxTrees.Select(tree => tree.WithRootAndOptions(tree.GetRoot(), documented)));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SizeClassedGenerator().AsSourceGenerator() }, parseOptions: documented);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        var generatedTrees = output.SyntaxTrees.Except(compilation.SyntaxTrees).ToArray();
        Assert.Equal(sources.Count, generatedTrees.Length);
        Assert.Empty(output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree))
            .Select(d => d.ToString()));
    }

    private static string SnapshotDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");
}
