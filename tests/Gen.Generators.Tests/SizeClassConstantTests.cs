using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gen.Generators.Tests;

/// <summary>The generated SizeClass and ClassSize constants at the edges of Go's table (values from Go's
/// runtime/sizeclasses.go) and for large objects.</summary>
public class SizeClassConstantTests
{
    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(8, 1, 8)]
    [InlineData(9, 2, 16)]
    [InlineData(33, 5, 48)]
    [InlineData(1024, 32, 1024)]
    [InlineData(1025, 33, 1152)]
    [InlineData(32768, 67, 32768)]
    [InlineData(32769, 0, 40960)]
    [InlineData(65536, 0, 65536)]
    public void SizeClassAndClassSizeFollowGosTable(int size, int expectedClass, int expectedClassSize)
    {
        string source = $"[Gen.SizeClassed] public unsafe partial struct S {{ public fixed byte Data[{size}]; }}";
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile(source));
        INamedTypeSymbol type = output.GetTypeByMetadataName("S")!;

        int Constant(string name) => (int)type.GetMembers(name).OfType<IFieldSymbol>().Single().ConstantValue!;
        Assert.Equal(size, Constant("Size"));
        Assert.Equal(expectedClass, Constant("SizeClass"));
        Assert.Equal(expectedClassSize, Constant("ClassSize"));
    }
}
