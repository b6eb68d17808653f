using System.Collections.Immutable;
using System.Threading.Tasks;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>Half-typed code never makes an analyzer throw (AD0001), and projects without Gen get nothing.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("[SizeClassed] public partial struct")]
    [InlineData("[SizeClassed] public partial struct Node { public")]
    [InlineData("[SizeClassed] public partial struct Node { public Node* ; }")]
    [InlineData("[SizeClassed] public partial struct Node { public fixed byte Data[; }")]
    [InlineData("[SizeClassed] public partial struct Node { public fixed Missing Data[4]; public int X = ; }")]
    [InlineData("[SizeClassed(42)] public partial struct Node { public long A; public byte B; public long C; }")]
    [InlineData("[SizeClassed] public partial struct Node { public Node Self; }")]
    [InlineData("[SizeClassed] public partial struct Node(int x, ) { }")]
    [InlineData("[SizeClassed] [StructLayout(LayoutKind.Explicit)] public partial struct Node { public long NoOffset; }")]
    [InlineData("[SizeClassed] [StructLayout((LayoutKind)42, Pack = -3, Size = -1)] public partial struct Node { public long A; }")]
    [InlineData("[SizeClassed] public partial struct Node { [FieldOffset(\"x\")] public long A; }")]
    [InlineData("unsafe class C { void M(Node* p) { NativeMemory.Free(); NativeMemory.Free(p, p); Marshal.FreeHGlobal(p); free(p); } }")]
    [InlineData("[SizeClassed] partial struct N { } unsafe class C { void M(N* p) { NativeMemory.Free((void*)); } }")]
    public async Task BrokenCode_DoesNotThrow(string source)
    {
        // AnalyzeAsync asserts that no AD0001 is among the diagnostics.
        await AnalyzerVerifier.AnalyzeAsync(TestCompilation.Create([
            "using System.Runtime.InteropServices;\nusing Gen;\n" + source]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithoutGen_NoActionIsRegistered(bool withGen)
    {
        Compilation compilation = TestCompilation.Create(["""
            using System.Runtime.InteropServices;
            public unsafe struct Node { public byte A; public Node* Next; }
            static unsafe class C { static void M(Node* p) => NativeMemory.Free(p); }
            """], withGen);
        var analyzers = compilation.WithAnalyzers(AnalyzerVerifier.Analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
        Assert.Empty(await analyzers.GetAnalyzerDiagnosticsAsync());

        foreach (DiagnosticAnalyzer analyzer in AnalyzerVerifier.Analyzers)
        {
            AnalyzerTelemetryInfo telemetry = await analyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            Assert.Equal(1, telemetry.CompilationStartActionsCount);
            Assert.Equal(withGen, telemetry.SymbolActionsCount + telemetry.OperationActionsCount > 0);
        }
    }
}
