using System.Collections.Generic;
using System.Threading;
using Gen.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gen.Generators
{
    /// <summary>Turns a <c>[SizeClassed]</c> struct symbol into a <see cref="SizeClassedModel"/>, or null when the
    /// struct cannot get generated members. The generator reports nothing for those: the analyzers say why, so each
    /// problem is reported once.</summary>
    internal static class SizeClassedParser
    {
        /// <summary>"A.B.C", with '@' before keyword segments, without "global::".</summary>
        private static readonly SymbolDisplayFormat NamespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        public static SizeClassedModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Struct) return null;
            // A file-local struct cannot be extended from the generated file.
            if (type.IsGenericType || type.IsRefLikeType || type.IsFileLocal || !IsPartial(type, cancellationToken)) return null;

            var containingTypes = new List<ContainingTypeModel>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType || !IsPartial(outer, cancellationToken)) return null;
                containingTypes.Insert(0, new ContainingTypeModel(Keyword(outer), Identifier(outer.Name)));
            }

            StructLayout layout = StructLayoutEngine.Compute(type, cancellationToken);
            if (!layout.IsExact) return null;

            HeapFootprint footprint = HeapFootprint.Of(layout.Size);

            bool inNamespace = type.ContainingNamespace is { IsGlobalNamespace: false };
            return new SizeClassedModel(
                HintName(type),
                inNamespace ? type.ContainingNamespace!.ToDisplayString(NamespaceFormat) : "",
                new EquatableArray<ContainingTypeModel>(containingTypes.ToArray()),
                Keyword(type),
                Identifier(type.Name),
                layout.Size,
                footprint.SizeClass,
                footprint.ReservedBytes,
                layout.PointerBitmap);
        }

        /// <summary>Every declaration says <c>partial</c>; otherwise the generated part would not compile.</summary>
        private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.DeclaringSyntaxReferences.Length == 0) return false;
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                    || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }
            return true;
        }

        private static string Keyword(INamedTypeSymbol type)
        {
            switch (type.TypeKind)
            {
                case TypeKind.Struct: return type.IsRecord ? "record struct" : "struct";
                case TypeKind.Interface: return "interface";
                default: return type.IsRecord ? "record" : "class";
            }
        }

        /// <summary>"Ns.Outer+Node.g.cs": '+' separates nested types so that no two structs share a name.</summary>
        private static string HintName(INamedTypeSymbol type)
        {
            string name = type.Name;
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.Name + "+" + name;
            }
            // Plain names ('@' is not allowed in hint names).
            for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
            {
                name = ns.Name + "." + name;
            }
            return name + ".g.cs";
        }

        /// <summary>A name as C# source must spell it: '@' before a keyword (a struct named <c>@class</c>).</summary>
        private static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
    }
}
