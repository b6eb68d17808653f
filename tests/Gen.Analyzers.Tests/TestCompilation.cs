using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Gen.Generators;
using Microsoft.CodeAnalysis.CSharp;

namespace Gen.Analyzers.Tests;

/// <summary>Compilations of test sources against the .NET 10 runtime and Gen.dll, as a user's project sees them.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>The runtime's assemblies plus Gen.dll.</summary>
    public static readonly ImmutableArray<MetadataReference> References = CreateReferences(withGen: true);

    /// <summary>The runtime's assemblies only: a project that does not use Gen.</summary>
    public static readonly ImmutableArray<MetadataReference> ReferencesWithoutGen = CreateReferences(withGen: false);

    public static CSharpCompilation Create(IEnumerable<string> sources, bool withGen = true)
        => CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Test{i}.cs")),
            withGen ? References : ReferencesWithoutGen,
            Options);

    /// <summary><paramref name="compilation"/> plus what Gen's source generator adds to it.</summary>
    public static Compilation WithGeneratedMembers(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new SizeClassedGenerator()).WithUpdatedParseOptions(ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);
        return generated;
    }

    private static ImmutableArray<MetadataReference> CreateReferences(bool withGen)
    {
        string trustedAssemblies = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        IEnumerable<string> paths = trustedAssemblies.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll");
        if (withGen)
            paths = paths.Append(typeof(global::Gen.Heap).Assembly.Location);
        return paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}
