using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
    /// <summary>
    /// GEN007/GEN008: moves the struct's field declarations into the order the analyzer computed (its
    /// <see cref="SizeClassedStructAnalyzer.FieldOrderProperty"/>). Each declaration moves whole, with its
    /// attributes, comments and trivia; other members stay where they are, and the fields fill the slots the fields
    /// held. Offered only when every field has a declaration of its own in the declaration the diagnostic is on.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReorderFieldsCodeFixProvider)), Shared]
    public sealed class ReorderFieldsCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Reorder fields to remove padding";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } =
            ImmutableArray.Create(DiagnosticIds.Padding, DiagnosticIds.PointerBytes);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindToken(context.Span.Start).Parent is not TypeDeclarationSyntax declaration)
                return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(SizeClassedStructAnalyzer.FieldOrderProperty, out string? order) || order is null)
                    continue;
                TypeDeclarationSyntax? reordered = Reorder(declaration, order.Split(','));
                if (reordered is null)
                    continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        cancellationToken => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(declaration, reordered))),
                        equivalenceKey: Title),
                    diagnostic);
            }
        }

        /// <returns>The declaration with its field members in <paramref name="order"/>; null when a field has no
        /// member of its own here (declared in another part, or sharing a declaration like <c>int a, b;</c>).</returns>
        private static TypeDeclarationSyntax? Reorder(TypeDeclarationSyntax declaration, string[] order)
        {
            var memberByField = new Dictionary<string, MemberDeclarationSyntax>();
            foreach (MemberDeclarationSyntax member in declaration.Members)
            {
                string? name = SingleFieldName(member);
                if (name is not null && order.Contains(name))
                    memberByField[name] = member;
            }
            if (memberByField.Count != order.Length)
                return null;

            // The slots the fields occupy, in declaration order, receive the fields in the new order.
            List<int> slots = declaration.Members
                .Select((member, index) => (member, index))
                .Where(entry => memberByField.ContainsValue(entry.member))
                .Select(entry => entry.index)
                .ToList();
            List<MemberDeclarationSyntax> members = declaration.Members.ToList();
            for (int i = 0; i < slots.Count; i++)
            {
                MemberDeclarationSyntax slotHolder = declaration.Members[slots[i]];
                MemberDeclarationSyntax moved = memberByField[order[i]];
                // Blank lines belong to the slot (the file's spacing); comments and attributes to the field.
                SyntaxTriviaList leading = moved.GetLeadingTrivia();
                members[slots[i]] = moved.WithLeadingTrivia(
                    BlankLines(slotHolder.GetLeadingTrivia()).AddRange(leading.Skip(BlankLines(leading).Count)));
            }
            return declaration.WithMembers(SyntaxFactory.List(members));
        }

        /// <summary>The leading blank lines of <paramref name="trivia"/>: everything up to its last end of line
        /// before the first comment, directive or other non-whitespace trivia.</summary>
        private static SyntaxTriviaList BlankLines(SyntaxTriviaList trivia)
        {
            int count = 0;
            for (int i = 0; i < trivia.Count; i++)
            {
                if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
                    count = i + 1;
                else if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
                    break;
            }
            return SyntaxFactory.TriviaList(trivia.Take(count));
        }

        /// <summary>The instance field a member declares on its own: a one-variable field or an auto-property.</summary>
        private static string? SingleFieldName(MemberDeclarationSyntax member)
        {
            if (member.Modifiers.Any(SyntaxKind.StaticKeyword) || member.Modifiers.Any(SyntaxKind.ConstKeyword))
                return null;
            return member switch
            {
                FieldDeclarationSyntax { Declaration.Variables.Count: 1 } field => field.Declaration.Variables[0].Identifier.ValueText,
                PropertyDeclarationSyntax property => property.Identifier.ValueText,
                _ => null,
            };
        }
    }
}
