using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>
/// Every rule has a page, docs/diagnostics/&lt;ID&gt;.md, whose help link the descriptor carries; the page's "Before"
/// example triggers the rule and its "After" example does not.
/// </summary>
public class DocumentationTests
{
    private const string Usings = "using System;\nusing System.Runtime.InteropServices;\nusing Gen;\n";

    /// <summary>Code the GEN010 page's statements need around them.</summary>
    private const string StatementContext =
        "[SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }\n"
        + "static unsafe class Example { static void Run() {\n";

    public static TheoryData<string> RuleIds()
        => new(AnalyzerVerifier.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order());

    [Theory]
    [MemberData(nameof(RuleIds))]
    public async Task Page_ExistsWithExamplesThatHoldTrue(string id)
    {
        DiagnosticDescriptor descriptor = AnalyzerVerifier.Analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id);
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);

        string page = File.ReadAllText(Path.Combine(DocsDirectory(), "diagnostics", id + ".md"));
        Assert.StartsWith("# " + id + ": ", page, StringComparison.Ordinal);
        Assert.Contains(await IdsReportedAsync(CodeBlockAfter(page, "## Before")), reported => reported == id);
        Assert.DoesNotContain(await IdsReportedAsync(CodeBlockAfter(page, "## After")), reported => reported == id);
    }

    private static async Task<IEnumerable<string>> IdsReportedAsync(string example)
    {
        bool isStatements = !example.Contains(" struct ", StringComparison.Ordinal);
        string source = Usings + (isStatements ? StatementContext + example + "\n} }" : example);
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerVerifier.AnalyzeAsync(TestCompilation.Create([source]));
        return diagnostics.Select(d => d.Id);
    }

    private static string CodeBlockAfter(string page, string heading)
    {
        int start = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, "missing " + heading);
        Match block = Regex.Match(page.Substring(start), "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "no csharp block after " + heading);
        return block.Groups[1].Value;
    }

    private static string DocsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string docs = Path.Combine(directory.FullName, "docs");
            if (Directory.Exists(Path.Combine(docs, "diagnostics")))
                return docs;
        }
        throw new DirectoryNotFoundException("docs/diagnostics not found above " + AppContext.BaseDirectory);
    }
}
