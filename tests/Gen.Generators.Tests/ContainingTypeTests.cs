using System.Linq;
using Xunit;

namespace Gen.Generators.Tests;

/// <summary>Structs nested in every kind of partial, non-generic container get members that compile.</summary>
public class ContainingTypeTests
{
    [Theory]
    [InlineData("public partial class Outer", "Outer+S")]
    [InlineData("public static partial class Outer", "Outer+S")]
    [InlineData("public partial struct Outer", "Outer+S")]
    [InlineData("public readonly partial struct Outer", "Outer+S")]
    [InlineData("public partial record Outer", "Outer+S")]
    [InlineData("public partial record struct Outer", "Outer+S")]
    [InlineData("public partial interface Outer", "Outer+S")]
    [InlineData("public partial class Outer { protected partial class Middle", "Outer+Middle+S")]
    public void NestedStructGetsCompilingMembers(string containerHeader, string hintName)
    {
        int depth = containerHeader.Count(c => c == '{') + 1;
        string source = $"namespace Demo; {containerHeader} {{ [Gen.SizeClassed] public unsafe partial struct S {{ public S* Next; }} {new string('}', depth)}";
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));

        Assert.NotNull(GeneratorHarness.Generated(result, "Demo." + hintName));
        Assert.Empty(GeneratorHarness.Problems(output));
    }
}
