using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>Runs Gen's analyzers over test sources with <see cref="CompilationWithAnalyzers"/>.</summary>
internal static class AnalyzerVerifier
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        ImmutableArray.Create<DiagnosticAnalyzer>(new SizeClassedStructAnalyzer(), new MismatchedFreeAnalyzer());

    /// <summary>Every analyzer diagnostic, after asserting that no analyzer threw (AD0001).</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        Compilation compilation, ImmutableDictionary<string, string>? editorConfig = null)
    {
        var options = new AnalyzerOptions(
            ImmutableArray<AdditionalText>.Empty,
            new TestAnalyzerConfigOptionsProvider(editorConfig ?? ImmutableDictionary<string, string>.Empty));
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics;
    }

    /// <summary>
    /// Asserts that the analyzers report exactly the marked spans of <paramref name="markup"/> (see
    /// <see cref="TestMarkup"/>), with <paramref name="expectedMessages"/> in the order of the marks.
    /// </summary>
    public static Task VerifyAsync(string markup, params string[] expectedMessages)
        => VerifyAsync(markup, editorConfig: null, expectedMessages);

    public static async Task VerifyAsync(
        string markup, ImmutableDictionary<string, string>? editorConfig, params string[] expectedMessages)
    {
        (string source, List<MarkedSpan> marks) = TestMarkup.Parse(markup);
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(TestCompilation.Create([source]), editorConfig);

        var expected = marks.Select((mark, i) => (mark.Id, mark.Span, Message: expectedMessages[i])).ToList();
        var actual = diagnostics
            .OrderBy(diagnostic => diagnostic.Location.SourceSpan.Start)
            .ThenBy(diagnostic => diagnostic.Id, System.StringComparer.Ordinal)
            .Select(diagnostic => (diagnostic.Id, diagnostic.Location.SourceSpan, Message: diagnostic.GetMessage()))
            .ToList();
        Assert.Equal(marks.Count, expectedMessages.Length);
        Assert.Equal(expected, actual);
    }
}
