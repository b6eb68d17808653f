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
        private static readonly SizeClassAlgorithm.Table SizeClasses = SizeClassAlgorithm.Compute();

        public static SizeClassedModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Struct) return null;
            if (type.IsGenericType || type.IsRefLikeType || !IsPartial(type, cancellationToken)) return null;

            var containingTypes = new List<ContainingTypeModel>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType || !IsPartial(outer, cancellationToken)) return null;
                containingTypes.Insert(0, new ContainingTypeModel(Keyword(outer), outer.Name));
            }

            StructLayout layout = StructLayoutEngine.Compute(type, cancellationToken);
            if (!layout.IsExact) return null;

            bool isSmall = layout.Size <= SizeClassAlgorithm.MaxSmallSizeBytes;
            int sizeClass = isSmall ? SizeClasses.ClassOf(layout.Size) : 0;
            int classSize = isSmall ? SizeClasses.ObjectSize[sizeClass] : RoundUpToPages(layout.Size);

            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace ? containingNamespace.ToDisplayString() : "";
            return new SizeClassedModel(
                HintName(ns, containingTypes, type.Name),
                ns,
                new EquatableArray<ContainingTypeModel>(containingTypes.ToArray()),
                Keyword(type),
                type.Name,
                layout.Size,
                sizeClass,
                classSize,
                layout.PointerBitmap);
        }

        private static int RoundUpToPages(int size) =>
            (size + SizeClassAlgorithm.PageSize - 1) / SizeClassAlgorithm.PageSize * SizeClassAlgorithm.PageSize;

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
        private static string HintName(string ns, List<ContainingTypeModel> containingTypes, string name)
        {
            var parts = new List<string>();
            foreach (ContainingTypeModel outer in containingTypes) parts.Add(outer.Name);
            parts.Add(name);
            string typePath = string.Join("+", parts);
            return (ns.Length == 0 ? typePath : ns + "." + typePath) + ".g.cs";
        }
    }
}
