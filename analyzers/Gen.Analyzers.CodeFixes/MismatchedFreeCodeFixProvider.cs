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
using Microsoft.CodeAnalysis.Simplification;

namespace Gen.Analyzers.CodeFixes
{
    /// <summary>GEN010: replaces <c>NativeMemory.Free(p)</c> (or FreeHGlobal, free) with <c>T.Free(p)</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MismatchedFreeCodeFixProvider)), Shared]
    public sealed class MismatchedFreeCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Free with Gen";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MismatchedFree);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
                return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                // The analyzer passes the pointer expression (conversions stripped) as the additional location.
                if (diagnostic.AdditionalLocations.Count != 1
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
                    || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax pointer)
                    continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        cancellationToken => ReplaceAsync(context.Document, root, invocation, pointer, cancellationToken),
                        equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static async Task<Document> ReplaceAsync(
            Document document, SyntaxNode root, InvocationExpressionSyntax invocation, ExpressionSyntax pointer,
            CancellationToken cancellationToken)
        {
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetTypeInfo(pointer, cancellationToken).Type is not IPointerTypeSymbol { PointedAtType: { } pointee })
                return document;

            TypeSyntax typeName = SyntaxFactory.ParseTypeName(pointee.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithAdditionalAnnotations(Simplifier.Annotation);
            InvocationExpressionSyntax genFree = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, typeName, SyntaxFactory.IdentifierName("Free")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(pointer.WithoutTrivia()))))
                .WithTriviaFrom(invocation);
            Document replaced = document.WithSyntaxRoot(root.ReplaceNode(invocation, genFree));
            return await Simplifier.ReduceAsync(replaced, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
