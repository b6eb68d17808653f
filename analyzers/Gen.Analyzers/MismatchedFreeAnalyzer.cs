using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Gen.Analyzers
{
    /// <summary>
    /// Finds a pointer to a [SizeClassed] struct, which Gen allocated, handed to another allocator's free:
    /// <c>NativeMemory.Free</c>, <c>Marshal.FreeHGlobal</c>, or a P/Invoke whose entry point is <c>free</c>.
    /// The pointer's own expression travels as the diagnostic's additional location for the code fix.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MismatchedFreeAnalyzer : DiagnosticAnalyzer
    {
        private const string CFreeEntryPoint = "free";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.MismatchedFree);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                GenSymbols? symbols = GenSymbols.TryCreate(start.Compilation);
                if (symbols is null)
                    return;
                start.RegisterOperationAction(
                    operationContext => AnalyzeInvocation(operationContext, symbols), OperationKind.Invocation);
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, GenSymbols symbols)
        {
            var invocation = (IInvocationOperation)context.Operation;
            IMethodSymbol method = invocation.TargetMethod;
            if (invocation.Arguments.Length != 1 || !IsForeignFree(method, symbols))
                return;

            IOperation pointer = invocation.Arguments[0].Value;
            while (pointer is IConversionOperation conversion)
                pointer = conversion.Operand;
            if (pointer.Type is not IPointerTypeSymbol { PointedAtType: INamedTypeSymbol pointee }
                || symbols.FindSizeClassed(pointee) is null)
                return;

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.MismatchedFree,
                invocation.Syntax.GetLocation(),
                additionalLocations: new[] { pointer.Syntax.GetLocation() },
                method.ContainingType.Name + "." + method.Name,
                pointee.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }

        private static bool IsForeignFree(IMethodSymbol method, GenSymbols symbols)
        {
            switch (method.Name)
            {
                case "Free" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.NativeMemory):
                case "FreeHGlobal" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Marshal):
                    return true;
                default:
                    return PInvokeEntryPoint(method, symbols) == CFreeEntryPoint;
            }
        }

        /// <summary>The native entry point of a [DllImport] or [LibraryImport] method; null for other methods.</summary>
        private static string? PInvokeEntryPoint(IMethodSymbol method, GenSymbols symbols)
        {
            DllImportData? dllImport = method.GetDllImportData();
            if (dllImport is not null)
                return dllImport.EntryPointName ?? method.Name;

            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.LibraryImportAttribute))
                    continue;
                foreach (var namedArgument in attribute.NamedArguments)
                {
                    if (namedArgument.Key == "EntryPoint" && namedArgument.Value.Value is string entryPoint)
                        return entryPoint;
                }
                return method.Name;
            }
            return null;
        }
    }
}
