using Microsoft.CodeAnalysis;

namespace Gen.Analyzers
{
    /// <summary>
    /// The well-known types the analyzers look for, resolved once per compilation. <see cref="TryCreate"/> returns
    /// null when the compilation does not reference Gen, so nothing is registered for projects that do not use it.
    /// </summary>
    internal sealed class GenSymbols
    {
        public const string SizeClassedAttributeMetadataName = "Gen.SizeClassedAttribute";

        private GenSymbols(
            INamedTypeSymbol sizeClassedAttribute,
            INamedTypeSymbol? nativeMemory,
            INamedTypeSymbol? marshal,
            INamedTypeSymbol? libraryImportAttribute)
        {
            SizeClassedAttribute = sizeClassedAttribute;
            NativeMemory = nativeMemory;
            Marshal = marshal;
            LibraryImportAttribute = libraryImportAttribute;
        }

        public INamedTypeSymbol SizeClassedAttribute { get; }
        public INamedTypeSymbol? NativeMemory { get; }
        public INamedTypeSymbol? Marshal { get; }
        public INamedTypeSymbol? LibraryImportAttribute { get; }

        public static GenSymbols? TryCreate(Compilation compilation)
        {
            INamedTypeSymbol? sizeClassed = compilation.GetTypeByMetadataName(SizeClassedAttributeMetadataName);
            if (sizeClassed is null)
                return null;
            return new GenSymbols(
                sizeClassed,
                compilation.GetTypeByMetadataName("System.Runtime.InteropServices.NativeMemory"),
                compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshal"),
                compilation.GetTypeByMetadataName("System.Runtime.InteropServices.LibraryImportAttribute"));
        }

        /// <summary>The [SizeClassed] application on <paramref name="type"/>, or null.</summary>
        public AttributeData? FindSizeClassed(ITypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, SizeClassedAttribute))
                    return attribute;
            }
            return null;
        }
    }
}
