using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>
/// Applies a code fix in an <see cref="AdhocWorkspace"/>, compares the result with the expected source, and checks
/// that the result compiles (with the generator's members) and that the fixed rules no longer fire.
/// </summary>
internal static class CodeFixVerifier
{
    /// <summary>Fixes the first fixable diagnostic in <paramref name="source"/>.</summary>
    public static async Task VerifyAsync(CodeFixProvider provider, string source, string expected)
    {
        using var workspace = new AdhocWorkspace();
        Document document = AddProject(workspace.CurrentSolution, "Test", [source]).Documents.Single();
        Diagnostic diagnostic = (await FixableDiagnosticsAsync(provider, document.Project)).First();

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        Solution fixedSolution = await ApplyAsync(Assert.Single(actions), document.Project.Solution);

        Assert.Equal(expected, (await fixedSolution.GetDocument(document.Id)!.GetTextAsync()).ToString());
        await AssertCleanAsync(provider, fixedSolution);
    }

    /// <summary>Asserts that the provider offers nothing for the fixable diagnostics in <paramref name="source"/>.</summary>
    public static async Task VerifyNoFixAsync(CodeFixProvider provider, string source)
    {
        using var workspace = new AdhocWorkspace();
        Document document = AddProject(workspace.CurrentSolution, "Test", [source]).Documents.Single();
        ImmutableArray<Diagnostic> diagnostics = await FixableDiagnosticsAsync(provider, document.Project);
        Assert.NotEmpty(diagnostics);
        var actions = new List<CodeAction>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            await provider.RegisterCodeFixesAsync(
                new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        }
        Assert.Empty(actions);
    }

    /// <summary>
    /// Runs Fix All with <paramref name="scope"/> from the first document of the first project and compares every
    /// document with <paramref name="expected"/> (same shape as <paramref name="projects"/>).
    /// </summary>
    public static async Task VerifyFixAllAsync(
        CodeFixProvider provider, FixAllScope scope, string[][] projects, string[][] expected)
    {
        using var workspace = new AdhocWorkspace();
        Solution solution = workspace.CurrentSolution;
        var projectIds = new List<ProjectId>();
        for (int i = 0; i < projects.Length; i++)
        {
            Project project = AddProject(solution, "Project" + i, projects[i]);
            projectIds.Add(project.Id);
            solution = project.Solution;
        }

        Document document = solution.GetProject(projectIds[0])!.Documents.First();
        SyntaxTree? tree = await document.GetSyntaxTreeAsync();
        Diagnostic diagnostic = (await FixableDiagnosticsAsync(provider, document.Project)).First(d => d.Location.SourceTree == tree);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(
            new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));

        var fixAllContext = new FixAllContext(
            document, provider, scope, actions[0].EquivalenceKey, provider.FixableDiagnosticIds,
            new AnalyzerDiagnosticProvider(provider), CancellationToken.None);
        CodeAction? fixAll = await provider.GetFixAllProvider()!.GetFixAsync(fixAllContext);
        Assert.NotNull(fixAll);
        Solution fixedSolution = await ApplyAsync(fixAll, solution);

        for (int i = 0; i < projects.Length; i++)
        {
            Project project = fixedSolution.GetProject(projectIds[i])!;
            string[] actual = await Task.WhenAll(project.Documents.Select(async d => (await d.GetTextAsync()).ToString()));
            Assert.Equal(expected[i], actual);
        }
        if (scope == FixAllScope.Solution)
            await AssertCleanAsync(provider, fixedSolution);
    }

    private static Project AddProject(Solution solution, string name, string[] sources)
    {
        ProjectId id = ProjectId.CreateNewId(name);
        solution = solution.AddProject(ProjectInfo.Create(
            id, VersionStamp.Default, name, name, LanguageNames.CSharp,
            compilationOptions: TestCompilation.Options, parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.References));
        for (int i = 0; i < sources.Length; i++)
            solution = solution.AddDocument(DocumentId.CreateNewId(id), $"{name}.File{i}.cs", SourceText.From(sources[i]));
        return solution.GetProject(id)!;
    }

    private static async Task<ImmutableArray<Diagnostic>> FixableDiagnosticsAsync(CodeFixProvider provider, Project project)
    {
        Compilation compilation = (await project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await AnalyzerVerifier.AnalyzeAsync(compilation);
        return diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>Every project compiles without errors, generated members included, and no fixed rule remains.</summary>
    private static async Task AssertCleanAsync(CodeFixProvider provider, Solution solution)
    {
        foreach (Project project in solution.Projects)
        {
            Compilation compilation = TestCompilation.WithGeneratedMembers((await project.GetCompilationAsync())!);
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            Assert.Empty(await FixableDiagnosticsAsync(provider, project));
        }
    }

    /// <summary>Fix All asks for diagnostics per document or project: the analyzers' answer, filtered.</summary>
    private sealed class AnalyzerDiagnosticProvider(CodeFixProvider provider) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            SyntaxTree? tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await FixableDiagnosticsAsync(provider, document.Project)).Where(d => d.Location.SourceTree == tree);
        }

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await FixableDiagnosticsAsync(provider, project);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>()); // every Gen diagnostic has a source location
    }
}
