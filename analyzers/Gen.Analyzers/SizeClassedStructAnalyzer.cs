using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Gen.Layout;
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
        /// <summary>.editorconfig key: GEN006 fires when the class wastes more than this percentage of itself.</summary>
        public const string WastedClassSpaceThresholdOption = "gen_wasted_class_space_threshold_percent";

        /// <summary>Go's bound on size-class waste (mksizeclasses.go): 1/8 of the class.</summary>
        public const double DefaultWastedClassSpaceThresholdPercent = 12.5;

        /// <summary>
        /// Diagnostic property of GEN007/GEN008: the source names of the fields (properties for auto-properties) in
        /// the better order, comma-separated; the reorder code fix applies it.
        /// </summary>
        public const string FieldOrderProperty = "FieldOrder";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.NotPartial,
            DiagnosticDescriptors.ManagedReference,
            DiagnosticDescriptors.UnknownLayout,
            DiagnosticDescriptors.MisalignedPointer,
            DiagnosticDescriptors.GenericOrRefStruct,
            DiagnosticDescriptors.WastedClassSpace,
            DiagnosticDescriptors.Padding,
            DiagnosticDescriptors.PointerBytes,
            DiagnosticDescriptors.LargeObject);

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
            if (ReportGenericOrRefStruct(context, type, location))
                return; // no single layout to examine

            StructLayout layout = StructLayoutEngine.Compute(type, context.CancellationToken);
            if (!layout.IsExact)
            {
                ReportLayoutErrors(context, type, location, layout);
                return;
            }
            ReportFootprint(context, location, layout);
            ReportFieldOrder(context, location, layout);
        }

        private static void ReportLayoutErrors(SymbolAnalysisContext context, INamedTypeSymbol type, Location location, StructLayout layout)
        {
            foreach (LayoutError error in layout.Errors)
            {
                DiagnosticDescriptor descriptor = error.Kind switch
                {
                    LayoutErrorKind.ManagedReference => DiagnosticDescriptors.ManagedReference,
                    LayoutErrorKind.UnknownLayout => DiagnosticDescriptors.UnknownLayout,
                    _ => DiagnosticDescriptors.MisalignedPointer,
                };
                string fieldClause = error.Kind == LayoutErrorKind.UnknownLayout
                    ? (error.FieldPath.Length == 0 ? "" : " because of field '" + error.FieldPath + "'")
                    : error.FieldPath;
                context.ReportDiagnostic(Diagnostic.Create(
                    descriptor, FieldLocation(type, error.FieldPath) ?? location, layout.TypeName, fieldClause, error.Message));
            }
        }

        /// <summary>The declaration of the top-level field on <paramref name="fieldPath"/> ("Inner.Name" → Inner).</summary>
        private static Location? FieldLocation(INamedTypeSymbol type, string fieldPath)
        {
            if (fieldPath.Length == 0)
                return null;
            int dot = fieldPath.IndexOf('.');
            string fieldName = dot < 0 ? fieldPath : fieldPath.Substring(0, dot);
            foreach (ISymbol member in type.GetMembers(fieldName))
            {
                if (member.Kind is SymbolKind.Field or SymbolKind.Property && member.Locations.Length > 0 && member.Locations[0].IsInSource)
                    return member.Locations[0];
            }
            return null;
        }

        /// <summary>GEN009 for a large object; otherwise GEN006 when its class wastes more than the threshold.</summary>
        private static void ReportFootprint(SymbolAnalysisContext context, Location location, StructLayout layout)
        {
            HeapFootprint footprint = HeapFootprint.Of(layout.Size);
            if (footprint.IsLarge)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.LargeObject, location,
                    layout.TypeName, layout.Size, footprint.Pages, footprint.ReservedBytes, footprint.WastedBytes));
                return;
            }

            // Class 1 (8 bytes) is the smallest: no smaller class to move to, nothing to report.
            int smallerClassBytes = footprint.SmallerClassBytes;
            double thresholdPercent = WastedClassSpaceThreshold(context.Options, location);
            if (smallerClassBytes == 0 || footprint.WastedBytes * 100.0 <= thresholdPercent * footprint.ReservedBytes)
                return;
            int bytesOver = layout.Size - smallerClassBytes;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.WastedClassSpace, location,
                layout.TypeName, layout.Size, footprint.ReservedBytes, footprint.WastedBytes,
                (int)Math.Round(footprint.WastedBytes * 100.0 / footprint.ReservedBytes, MidpointRounding.AwayFromZero),
                bytesOver == 1 ? "1 byte" : bytesOver + " bytes",
                smallerClassBytes));
        }

        private static double WastedClassSpaceThreshold(AnalyzerOptions options, Location location)
        {
            if (location.SourceTree is { } tree
                && options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(WastedClassSpaceThresholdOption, out string? text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double percent)
                && percent >= 0)
                return percent;
            return DefaultWastedClassSpaceThresholdPercent;
        }

        /// <summary>
        /// GEN007 when Go's fieldalignment order makes the struct smaller, else GEN008 when it shortens the pointer
        /// prefix. Only where the compiler owns the order: no [StructLayout] written out, no explicit offsets.
        /// </summary>
        private static void ReportFieldOrder(SymbolAnalysisContext context, Location location, StructLayout layout)
        {
            if (layout.Kind != StructLayoutKind.Sequential || layout.HasStructLayoutAttribute || layout.Fields.Length < 2)
                return;

            List<FieldLayout> better = FieldAlignmentOrder(layout.Fields);
            StructLayout reordered = StructLayoutEngine.ComputeSequential(layout.TypeName, better, layout.Pack);
            var properties = ImmutableDictionary<string, string?>.Empty.Add(
                FieldOrderProperty, string.Join(",", better.Select(field => field.Name)));
            if (reordered.Size < layout.Size)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.Padding, location, properties,
                    layout.TypeName, layout.Size, layout.PaddingBytes, reordered.Size,
                    HeapFootprint.Of(layout.Size).ReservedBytes, HeapFootprint.Of(reordered.Size).ReservedBytes));
            }
            else if (reordered.PointerBytes < layout.PointerBytes)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.PointerBytes, location, properties,
                    layout.TypeName, layout.PointerBytes, reordered.PointerBytes));
            }
        }

        /// <summary>
        /// Go's fieldalignment order (a stable sort): larger alignment first, which removes padding; among equal
        /// alignments, fields holding pointers first, those with fewer trailing non-pointer bytes earlier; then
        /// larger fields first.
        /// </summary>
        private static List<FieldLayout> FieldAlignmentOrder(IEnumerable<FieldLayout> fields)
            => fields
                .OrderByDescending(field => field.Alignment)
                .ThenBy(field => field.ContainsPointers ? 0 : 1)
                .ThenBy(field => field.ContainsPointers ? field.Size - field.PointerBytes : 0)
                .ThenByDescending(field => field.Size)
                .ToList();

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

        /// <returns>True when the struct is generic, nested in a generic type or a ref struct (and the error was
        /// reported).</returns>
        private static bool ReportGenericOrRefStruct(SymbolAnalysisContext context, INamedTypeSymbol type, Location location)
        {
            const string NoSingleLayout = ": its layout depends on type arguments, so it has no single size class";
            string? reason = null;
            if (type.IsRefLikeType)
            {
                reason = "is a ref struct: it cannot be pointed to, so it cannot live in Gen's heap";
            }
            else if (type.Arity > 0)
            {
                reason = "is generic" + NoSingleLayout;
            }
            else
            {
                for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
                {
                    if (container.Arity > 0)
                    {
                        reason = "is nested in the generic type '"
                            + container.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'" + NoSingleLayout;
                        break;
                    }
                }
            }
            if (reason is null)
                return false;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericOrRefStruct, location, type.Name, reason));
            return true;
        }
    }
}
