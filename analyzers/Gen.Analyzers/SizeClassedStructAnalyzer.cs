using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Gen.Analyzers
{
    /// <summary>
    /// Checks each [SizeClassed] struct: first what stops the generator from emitting its members (not partial,
    /// generic, a layout it cannot compute), then what its layout costs in Gen's heap.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SizeClassedStructAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.NotPartial,
            DiagnosticDescriptors.GenericType);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                GenSymbols? symbols = GenSymbols.TryCreate(start.Compilation);
                if (symbols is null)
                    return;
                start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, GenSymbols symbols)
        {
            if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Struct } type)
                return;
            AttributeData? attribute = symbols.FindSizeClassed(type);
            if (attribute is null)
                return;

            Location location = DeclarationIdentifier(attribute, type, context.CancellationToken);
            ReportMissingPartial(context, type);
            if (ReportGeneric(context, type, location))
                return; // a generic struct has no single layout to examine
        }

        /// <summary>The name in the declaration that carries [SizeClassed] (a partial struct has several).</summary>
        private static Location DeclarationIdentifier(AttributeData attribute, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            SyntaxNode? attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            if (attributeSyntax?.Parent?.Parent is BaseTypeDeclarationSyntax declaration)
                return declaration.Identifier.GetLocation();
            return type.Locations.IsEmpty ? Location.None : type.Locations[0];
        }

        /// <summary>The struct and every type containing it must be partial for the generated part to merge.</summary>
        private static void ReportMissingPartial(SymbolAnalysisContext context, INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                TypeDeclarationSyntax? notPartial = FirstDeclarationWithoutPartial(current, context.CancellationToken);
                if (notPartial is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.NotPartial, notPartial.Identifier.GetLocation(), current.Name, type.Name));
                }
            }
        }

        private static TypeDeclarationSyntax? FirstDeclarationWithoutPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    return declaration;
            }
            return null;
        }

        /// <returns>True when the struct is generic or nested in a generic type (and the error was reported).</returns>
        private static bool ReportGeneric(SymbolAnalysisContext context, INamedTypeSymbol type, Location location)
        {
            string? reason = null;
            if (type.Arity > 0)
            {
                reason = "is generic";
            }
            else
            {
                for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
                {
                    if (container.Arity > 0)
                    {
                        reason = "is nested in the generic type '" + container.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'";
                        break;
                    }
                }
            }
            if (reason is null)
                return false;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericType, location, type.Name, reason));
            return true;
        }
    }
}
