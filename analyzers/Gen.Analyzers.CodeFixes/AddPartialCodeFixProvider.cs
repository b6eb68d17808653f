using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Gen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gen.Analyzers.CodeFixes
{
    /// <summary>GEN001: adds <c>partial</c> to the struct or containing type the diagnostic names.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
    public sealed class AddPartialCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Make the type partial";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NotPartial);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindToken(context.Span.Start).Parent is not TypeDeclarationSyntax declaration)
                return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        cancellationToken => AddPartialAsync(context.Document, root, declaration, cancellationToken),
                        equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static Task<Document> AddPartialAsync(
            Document document, SyntaxNode root, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(declaration, WithPartial(declaration))));
        }

        /// <summary>
        /// C# wants <c>partial</c> last, right before <c>struct</c>/<c>record</c>/<c>class</c>. With no other
        /// modifiers, the keyword's leading trivia (indentation, comments) moves to <c>partial</c>.
        /// </summary>
        internal static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
        {
            SyntaxToken partialKeyword = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count > 0)
                return declaration.WithModifiers(declaration.Modifiers.Add(partialKeyword));

            SyntaxToken keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partialKeyword.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}
