using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Gen.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Gen.Generators.Tests;

public class IncrementalityTests
{
    private const string Structs = """
        namespace Demo;
        [Gen.SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }
        [Gen.SizeClassed] public partial record struct Pair(long Key, int Value);
        """;

    private const string Unrelated = "namespace Demo; public static class Helpers { public static int Twice(int x) => x * 2; }";

    [Fact]
    public void UnrelatedEditLeavesEveryTrackedStepCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Structs, Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree oldTree = compilation.SyntaxTrees.Single(tree => tree.ToString().Contains("Helpers"));
        SyntaxTree newTree = CSharpSyntaxTree.ParseText(Unrelated.Replace("x * 2", "x + x"), GeneratorHarness.ParseOptions, path: oldTree.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree));

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in new[] { SizeClassedGenerator.TrackingNames.Models, SizeClassedGenerator.TrackingNames.ValidModels })
        {
            IncrementalGeneratorRunStep[] runs = result.TrackedSteps[step].ToArray();
            Assert.NotEmpty(runs);
            foreach (var output in runs.SelectMany(run => run.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {step} output {output.Value} ran as {output.Reason}.");
            }
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void EditingAStructRegeneratesOnlyThatStruct()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Structs, Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree oldTree = compilation.SyntaxTrees.First();
        SyntaxTree newTree = CSharpSyntaxTree.ParseText(Structs.Replace("long Value;", "long Value; public long Extra;"), GeneratorHarness.ParseOptions, path: oldTree.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree));

        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[SizeClassedGenerator.TrackingNames.ValidModels]
            .SelectMany(run => run.Outputs)
            .Select(output => (((SizeClassedModel)output.Value).Name, output.Reason))
            .ToArray();
        Assert.Contains(("Node", IncrementalStepRunReason.Modified), reasons);
        Assert.Contains(reasons, r => r.Name == "Pair" && r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ModelHoldsNoRoslynObjects()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree) };
        var visited = new HashSet<Type>();
        var pending = new Stack<Type>(new[] { typeof(SizeClassedModel), typeof(StructLayout) });
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!visited.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string)) continue;
            Assert.DoesNotContain(forbidden, roslynType => roslynType.IsAssignableFrom(type));
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType.IsArray ? field.FieldType.GetElementType()! : field.FieldType);
                foreach (Type argument in field.FieldType.GetGenericArguments()) pending.Push(argument);
            }
        }
        // The walk reached the nested models, so it checked them too.
        Assert.Contains(typeof(ContainingTypeModel), visited);
        Assert.Contains(typeof(LayoutError), visited);
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        string[] RunOnce() => GeneratorHarness.Run(GeneratorHarness.Compile(Structs, Unrelated)).Result
            .GeneratedTrees.Select(tree => tree.FilePath + "\n" + tree).ToArray();

        Assert.Equal(RunOnce(), RunOnce());
        Assert.DoesNotContain('\r', string.Concat(RunOnce()));
    }
}
