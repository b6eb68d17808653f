using Xunit;

namespace Gen.Generators.Tests;

/// <summary>Structs that cannot get generated members get none, and the generator reports nothing for them: the
/// analyzers say why, so each problem is reported once. The rest of the compilation is still generated.</summary>
public class SkippedStructTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "managed field", "[Gen.SizeClassed] public partial struct Bad { public string Name; }" },
        { "managed field nested", "public struct Inner { public object O; } [Gen.SizeClassed] public partial struct Bad { public Inner In; }" },
        { "auto layout", "[Gen.SizeClassed, System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] public partial struct Bad { public int A; }" },
        { "auto-layout framework struct", "[Gen.SizeClassed] public partial struct Bad { public (int, long) Tuple; }" },
        { "hardware-sized vector", "[Gen.SizeClassed] public partial struct Bad { public System.Numerics.Vector<float> V; }" },
        { "field-like event", "[Gen.SizeClassed] public partial struct Bad { public int A; public event System.Action? Changed; }" },
        { "nullable", "[Gen.SizeClassed] public partial struct Bad { public int? Maybe; }" },
        { "misaligned pointer", "[Gen.SizeClassed, System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)] public unsafe partial struct Bad { public int A; public void* P; }" },
        { "not partial", "[Gen.SizeClassed] public struct Bad { public int A; }" },
        { "generic", "[Gen.SizeClassed] public partial struct Bad<T> where T : unmanaged { public T Value; }" },
        { "nested in generic", "public partial class Outer<T> { [Gen.SizeClassed] public partial struct Bad { public int A; } }" },
        { "nested in non-partial", "public class Outer { [Gen.SizeClassed] public partial struct Bad { public int A; } }" },
        { "ref struct", "[Gen.SizeClassed] public ref partial struct Bad { public int A; }" },
        { "file-local", "[Gen.SizeClassed] file partial struct Bad { public int A; }" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SkipsSilently(string reason, string source)
    {
        const string good = "[Gen.SizeClassed] public partial struct Good { public int A; }";
        var (result, _) = GeneratorHarness.Run(GeneratorHarness.Compile(source, good));

        Assert.Empty(result.Diagnostics);
        GeneratedSourceResultAssert.Single(result, "Good.g.cs", reason);
    }

    private static class GeneratedSourceResultAssert
    {
        public static void Single(Microsoft.CodeAnalysis.GeneratorDriverRunResult result, string hintName, string reason)
        {
            var sources = result.Results[0].GeneratedSources;
            Assert.True(sources.Length == 1 && sources[0].HintName == hintName,
                $"{reason}: expected only {hintName}, got [{string.Join(", ", System.Linq.Enumerable.Select(sources, s => s.HintName))}]");
        }
    }
}
