// The one layout engine: computes the exact 64-bit CoreCLR layout of an unmanaged struct from Roslyn symbols.
// It is compiled as linked source into the source generator and the analyzers, so both apply the same rules.
//
// Design:
//  - Pure: symbols in, plain equatable data out (StructLayout, FieldLayout, LayoutError). Models never hold
//    ISymbol, SyntaxNode or Location, so incremental pipelines can cache them and analyzers can compare them.
//  - Exact or an error, never a guess. Anything the runtime decides at run time (LayoutKind.Auto, a type parameter,
//    a framework struct whose reference assembly hides its fields and is not in KnownLayouts, a CPU-sized vector),
//    anything symbols do not show (a captured primary constructor parameter) and anything that is not unmanaged
//    becomes a LayoutError naming the field path ("Inner.Name").
//  - The CLR rules (verified against the runtime by tests/Gen.LayoutCorpus.Tests):
//      sequential: each field at the next offset aligned to min(its alignment, Pack); the struct aligns to the
//        largest of those; its size is the end of the last field rounded up to that alignment, or, when
//        StructLayout.Size is given, the larger of Size and the end of the fields, not rounded;
//      explicit: fields at their [FieldOffset]; size is the furthest field end, rounded or replaced the same way;
//      fixed buffers: element size * length, aligned as the element;
//      [InlineArray(n)]: n copies of the element, each at a stride of its size rounded up to its alignment;
//      empty struct: size 1; Pack = 0 means no cap (Int128 and Vector128 keep their 16-byte alignment).
//  - Sources of layout facts: source structs read [StructLayout]/[FieldOffset] attributes; structs from referenced
//    assemblies read the TypeDef's layout flags, ClassLayout and FieldLayout tables through the module's metadata.
//  - ComputeSequential lays out a hypothetical field order with the same rules (the analyzers use it to find the
//    size of a reordered struct).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gen.Layout
{
    internal static class StructLayoutEngine
    {
        public const int PointerSize = 8;

        private const string StructLayoutAttributeName = "System.Runtime.InteropServices.StructLayoutAttribute";
        private const string FieldOffsetAttributeName = "System.Runtime.InteropServices.FieldOffsetAttribute";
        private const string InlineArrayAttributeName = "System.Runtime.CompilerServices.InlineArrayAttribute";
        private const string KeyValuePairMetadataName = "System.Collections.Generic.KeyValuePair`2";
        private const string NullableMetadataName = "System.Nullable`1";

        // System.Runtime.InteropServices.LayoutKind values, as stored in attribute arguments.
        private const int LayoutKindSequential = 0;
        private const int LayoutKindExplicit = 2;
        private const int LayoutKindAuto = 3;

        /// <summary>The layout of <paramref name="type"/> (a struct), with errors where it cannot be known exactly.</summary>
        public static StructLayout Compute(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            new Computation(cancellationToken).LayoutOf(type);

        /// <summary>
        /// Lays out <paramref name="fieldsInOrder"/> sequentially in the given order with the CLR's rules, ignoring
        /// their <see cref="FieldLayout.Offset"/>s: the size a struct would have with its fields reordered.
        /// </summary>
        /// <param name="typeName">Name for messages.</param>
        /// <param name="fieldsInOrder">The fields, in the hypothetical order.</param>
        /// <param name="pack"><c>StructLayout.Pack</c>; 0 for none.</param>
        /// <param name="declaredSize"><c>StructLayout.Size</c>; 0 for none.</param>
        public static StructLayout ComputeSequential(string typeName, IReadOnlyList<FieldLayout> fieldsInOrder, int pack, int declaredSize = 0)
        {
            var placement = new Placement(StructLayoutKind.Sequential, pack, declaredSize, hasStructLayoutAttribute: false);
            foreach (FieldLayout field in fieldsInOrder)
            {
                var pointers = new List<PointerSlot>();
                foreach (int offset in field.PointerOffsets) pointers.Add(new PointerSlot(offset, "")); // AddAt prefixes the field name
                placement.AddSequential(field.Name, field.TypeDisplay, new Shape(field.Size, field.Alignment, field.IsDataPointer, pointers, new List<LayoutError>()));
            }
            return placement.ToStructLayout(typeName);
        }

        /// <summary>A data pointer inside a type: its offset and the field path that reaches it.</summary>
        private readonly struct PointerSlot
        {
            public readonly int Offset;
            public readonly string Path;

            public PointerSlot(int offset, string path)
            {
                Offset = offset;
                Path = path;
            }
        }

        /// <summary>What a type contributes when embedded as a field.</summary>
        private sealed class Shape
        {
            public readonly int Size;
            public readonly int Alignment;
            public readonly bool IsDataPointer;
            public readonly List<PointerSlot> Pointers;
            public readonly List<LayoutError> Errors;

            public Shape(int size, int alignment, bool isDataPointer, List<PointerSlot> pointers, List<LayoutError> errors)
            {
                Size = size;
                Alignment = alignment;
                IsDataPointer = isDataPointer;
                Pointers = pointers;
                Errors = errors;
            }

            public static Shape Scalar(int size) => new Shape(size, size, false, new List<PointerSlot>(), new List<LayoutError>());

            public static Shape DataPointer() =>
                new Shape(PointerSize, PointerSize, true, new List<PointerSlot> { new PointerSlot(0, "") }, new List<LayoutError>());

            /// <summary>A placeholder for a type that cannot be laid out: one byte, so placement can go on and
            /// report every other error too.</summary>
            public static Shape Failed(LayoutErrorKind kind, string message) =>
                new Shape(1, 1, false, new List<PointerSlot>(), new List<LayoutError> { new LayoutError(kind, "", message) });
        }

        /// <summary>Places fields one by one and accumulates the result.</summary>
        private sealed class Placement
        {
            private readonly StructLayoutKind _kind;
            private readonly int _pack;
            private readonly int _declaredSize;
            private readonly bool _hasStructLayoutAttribute;
            private readonly List<FieldLayout> _fields = new List<FieldLayout>();
            private readonly List<PointerSlot> _pointers = new List<PointerSlot>();
            private readonly List<LayoutError> _errors = new List<LayoutError>();
            private int _end;
            private int _alignment = 1;

            public Placement(StructLayoutKind kind, int pack, int declaredSize, bool hasStructLayoutAttribute)
            {
                _kind = kind;
                _pack = pack;
                _declaredSize = declaredSize;
                _hasStructLayoutAttribute = hasStructLayoutAttribute;
            }

            public void AddError(LayoutError error) => _errors.Add(error);

            public void AddSequential(string name, string typeDisplay, Shape shape)
            {
                int alignment = CappedAlignment(shape.Alignment);
                AddAt(AlignUp(_end, alignment), name, typeDisplay, shape, alignment);
            }

            public void AddExplicit(int offset, string name, string typeDisplay, Shape shape) =>
                AddAt(offset, name, typeDisplay, shape, CappedAlignment(shape.Alignment));

            /// <summary>An [InlineArray(length)] struct: its one field repeated at a stride of the element's size
            /// rounded up to its alignment.</summary>
            public void AddInlineArray(int length, string name, string typeDisplay, Shape element)
            {
                int alignment = CappedAlignment(element.Alignment);
                int stride = AlignUp(element.Size, alignment);
                var pointers = new List<PointerSlot>();
                for (int i = 0; i < length; i++)
                {
                    foreach (PointerSlot slot in element.Pointers) pointers.Add(new PointerSlot(i * stride + slot.Offset, slot.Path));
                }
                var repeated = new Shape(stride * length, element.Alignment, false, pointers, element.Errors);
                AddAt(0, name, typeDisplay, repeated, alignment);
            }

            private int CappedAlignment(int alignment) => _pack > 0 && _pack < alignment ? _pack : alignment;

            private void AddAt(int offset, string name, string typeDisplay, Shape shape, int alignment)
            {
                var relativePointers = new List<int>();
                foreach (PointerSlot slot in shape.Pointers)
                {
                    relativePointers.Add(slot.Offset);
                    _pointers.Add(new PointerSlot(offset + slot.Offset, slot.Path.Length == 0 ? name : name + "." + slot.Path));
                }
                foreach (LayoutError error in shape.Errors) _errors.Add(error.Under(name));
                _fields.Add(new FieldLayout(name, typeDisplay, offset, shape.Size, shape.Alignment, shape.IsDataPointer, new EquatableArray<int>(relativePointers.ToArray())));
                _end = Math.Max(_end, offset + shape.Size);
                _alignment = Math.Max(_alignment, alignment);
            }

            private int Size
            {
                get
                {
                    // A declared StructLayout.Size is a minimum and switches off the rounding to the alignment.
                    int size = _declaredSize > 0 ? Math.Max(_declaredSize, _end) : AlignUp(_end, _alignment);
                    return Math.Max(size, 1);
                }
            }

            private List<PointerSlot> SortedPointers()
            {
                var sorted = new List<PointerSlot>(_pointers);
                sorted.Sort((a, b) => a.Offset.CompareTo(b.Offset));
                return sorted;
            }

            /// <summary>The shape of this struct embedded in another; misaligned pointers are judged there, at their
            /// final offsets.</summary>
            public Shape ToShape() => new Shape(Size, _alignment, false, SortedPointers(), _errors);

            public StructLayout ToStructLayout(string typeName)
            {
                var errors = new List<LayoutError>(_errors);
                var offsets = new List<int>();
                foreach (PointerSlot slot in SortedPointers())
                {
                    if (slot.Offset % PointerSize != 0)
                    {
                        errors.Add(new LayoutError(LayoutErrorKind.MisalignedPointer, slot.Path,
                            $"Data pointer '{slot.Path}' of '{typeName}' is at offset {slot.Offset}, which is not a multiple of {PointerSize}: Gen's heap bitmap could not trace it"));
                    }
                    if (offsets.Count == 0 || offsets[offsets.Count - 1] != slot.Offset) offsets.Add(slot.Offset);
                }
                int size = Size;
                return new StructLayout(
                    typeName, size, _alignment, _pack, _kind, _hasStructLayoutAttribute,
                    new EquatableArray<FieldLayout>(_fields.ToArray()),
                    new EquatableArray<int>(offsets.ToArray()),
                    StructLayout.BitmapOf(offsets, size),
                    new EquatableArray<LayoutError>(errors.ToArray()));
            }
        }

        /// <summary>One Compute call: memoizes nested struct shapes and detects cycles.</summary>
        private sealed class Computation
        {
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<ITypeSymbol, Shape> _shapes = new Dictionary<ITypeSymbol, Shape>(SymbolEqualityComparer.Default);
            private readonly HashSet<ITypeSymbol> _inProgress = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);

            public Computation(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

            public StructLayout LayoutOf(INamedTypeSymbol type)
            {
                _inProgress.Add(type);
                Placement placement = Place(type);
                _inProgress.Remove(type);
                StructLayout layout = placement.ToStructLayout(Display(type));
                if (layout.IsExact && !type.IsUnmanagedType)
                {
                    // A safety net: C# knows of a managed member the engine did not see; never lay it out.
                    return layout with
                    {
                        Errors = new EquatableArray<LayoutError>(new[]
                        {
                            new LayoutError(LayoutErrorKind.ManagedReference, "", $"'{Display(type)}' is not an unmanaged type"),
                        }),
                    };
                }
                return layout;
            }

            private Shape ShapeOf(ITypeSymbol type)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (_shapes.TryGetValue(type, out Shape? cached)) return cached;
                Shape shape = ComputeShape(type);
                _shapes[type] = shape;
                return shape;
            }

            private Shape ComputeShape(ITypeSymbol type)
            {
                switch (type.TypeKind)
                {
                    case TypeKind.Pointer:
                        return Shape.DataPointer();
                    case TypeKind.FunctionPointer:
                        return Shape.Scalar(PointerSize);
                    case TypeKind.TypeParameter:
                        return Shape.Failed(LayoutErrorKind.UnknownLayout, $"Its type '{Display(type)}' is a type parameter, whose layout is only known at run time");
                    case TypeKind.Error:
                        return Shape.Failed(LayoutErrorKind.UnknownLayout, $"Its type '{Display(type)}' could not be resolved");
                    case TypeKind.Enum:
                        return ShapeOf(((INamedTypeSymbol)type).EnumUnderlyingType!);
                    case TypeKind.Struct:
                        return StructShape((INamedTypeSymbol)type);
                    default:
                        return Shape.Failed(LayoutErrorKind.ManagedReference, $"Its type '{Display(type)}' is a managed reference, which a native heap cannot hold");
                }
            }

            private Shape StructShape(INamedTypeSymbol type)
            {
                switch (type.SpecialType)
                {
                    case SpecialType.System_Boolean:
                    case SpecialType.System_Byte:
                    case SpecialType.System_SByte:
                        return Shape.Scalar(1);
                    case SpecialType.System_Char:
                    case SpecialType.System_Int16:
                    case SpecialType.System_UInt16:
                        return Shape.Scalar(2);
                    case SpecialType.System_Int32:
                    case SpecialType.System_UInt32:
                    case SpecialType.System_Single:
                        return Shape.Scalar(4);
                    case SpecialType.System_Int64:
                    case SpecialType.System_UInt64:
                    case SpecialType.System_Double:
                    case SpecialType.System_IntPtr:
                    case SpecialType.System_UIntPtr:
                        return Shape.Scalar(8);
                }

                string metadataName = MetadataName(type.OriginalDefinition);
                if (KnownLayouts.TryGet(metadataName, out KnownLayouts.Entry known))
                {
                    return new Shape(known.SizeBytes, known.AlignmentBytes, false, new List<PointerSlot>(), new List<LayoutError>());
                }
                if (KnownLayouts.TryGetUnknowableReason(metadataName, out string reason))
                {
                    return Shape.Failed(LayoutErrorKind.UnknownLayout, $"Its type '{Display(type)}' has no compile-time layout: {reason}");
                }
                if (metadataName == NullableMetadataName)
                {
                    return Shape.Failed(LayoutErrorKind.ManagedReference, $"Its type '{Display(type)}' is Nullable<T>, which C# does not treat as unmanaged");
                }
                if (metadataName == KeyValuePairMetadataName)
                {
                    // KeyValuePair is a plain sequential struct of (key, value); its reference assembly hides them.
                    var pair = new Placement(StructLayoutKind.Sequential, 0, 0, hasStructLayoutAttribute: false);
                    pair.AddSequential("Key", Display(type.TypeArguments[0]), ShapeOf(type.TypeArguments[0]));
                    pair.AddSequential("Value", Display(type.TypeArguments[1]), ShapeOf(type.TypeArguments[1]));
                    return pair.ToShape();
                }
                if (HidesFields(type))
                {
                    return Shape.Failed(LayoutErrorKind.UnknownLayout, $"Its type '{Display(type)}' comes from a reference assembly that hides its fields, and Gen's table of framework structs does not list it");
                }
                if (!_inProgress.Add(type))
                {
                    return Shape.Failed(LayoutErrorKind.UnknownLayout, $"Its type '{Display(type)}' contains itself");
                }
                Shape shape = Place(type).ToShape();
                _inProgress.Remove(type);
                return shape;
            }

            private Placement Place(INamedTypeSymbol type)
            {
                LayoutDeclaration declaration = LayoutDeclaration.Of(type);
                var placement = new Placement(declaration.Kind, declaration.Pack, declaration.Size, declaration.IsWrittenInSource);
                if (declaration.Kind == StructLayoutKind.Auto)
                {
                    placement.AddError(new LayoutError(LayoutErrorKind.UnknownLayout, "",
                        $"'{Display(type)}' has LayoutKind.Auto: the runtime orders its fields"));
                }

                foreach (string parameter in CapturedPrimaryConstructorParameters(type, _cancellationToken))
                {
                    placement.AddError(new LayoutError(LayoutErrorKind.UnknownLayout, parameter,
                        $"Primary constructor parameter '{parameter}' of '{Display(type)}' is captured in a hidden field whose place the compiler does not expose; declare a field instead"));
                }

                foreach (IEventSymbol fieldLikeEvent in FieldLikeEvents(type, _cancellationToken))
                {
                    placement.AddError(new LayoutError(LayoutErrorKind.ManagedReference, fieldLikeEvent.Name,
                        $"Event '{fieldLikeEvent.Name}' of '{Display(type)}' is stored in a hidden delegate field, a managed reference"));
                }

                int inlineArrayLength = InlineArrayLength(type);
                foreach (IFieldSymbol field in InstanceFields(type))
                {
                    string name = field.AssociatedSymbol?.Name ?? field.Name;
                    string typeDisplay = field.IsFixedSizeBuffer
                        ? Display(((IPointerTypeSymbol)field.Type).PointedAtType) + "[" + field.FixedSize + "]"
                        : Display(field.Type);
                    Shape shape = FieldShape(field);
                    if (inlineArrayLength > 0)
                    {
                        placement.AddInlineArray(inlineArrayLength, name, typeDisplay, shape);
                        break; // an inline array has exactly one field (the compiler enforces it)
                    }
                    if (declaration.Kind == StructLayoutKind.Explicit)
                    {
                        placement.AddExplicit(declaration.FieldOffset(field), name, typeDisplay, shape);
                    }
                    else
                    {
                        placement.AddSequential(name, typeDisplay, shape);
                    }
                }
                return placement;
            }

            private Shape FieldShape(IFieldSymbol field)
            {
                if (!field.IsFixedSizeBuffer) return ShapeOf(field.Type);
                // A fixed buffer's field type is a pointer to its element; the elements are primitives.
                Shape element = ShapeOf(((IPointerTypeSymbol)field.Type).PointedAtType);
                return new Shape(element.Size * field.FixedSize, element.Alignment, false, new List<PointerSlot>(), element.Errors);
            }
        }

        /// <summary>The instance fields in declaration (= metadata) order, including compiler-generated backing fields.</summary>
        private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IFieldSymbol field && !field.IsStatic && !field.IsConst) yield return field;
            }
        }

        /// <summary>
        /// Parameters of a (non-record) struct's primary constructor that its members use: the compiler captures
        /// them in hidden instance fields that symbols do not show. Use in a field or property initializer is not a
        /// capture. Judged by name, so a local that shadows a parameter also counts: an error rather than a guess.
        /// </summary>
        private static IEnumerable<string> CapturedPrimaryConstructorParameters(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.IsRecord) yield break;
            foreach (SyntaxReference reference in type.OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax { ParameterList: { Parameters.Count: > 0 } parameterList } declaration)
                {
                    continue;
                }
                var uncaptured = new HashSet<string>();
                foreach (ParameterSyntax parameter in parameterList.Parameters) uncaptured.Add(parameter.Identifier.ValueText);
                foreach (IdentifierNameSyntax identifier in declaration.Members.SelectMany(member => member.DescendantNodes().OfType<IdentifierNameSyntax>()))
                {
                    string name = identifier.Identifier.ValueText;
                    if (uncaptured.Contains(name) && !IsInInitializer(identifier))
                    {
                        uncaptured.Remove(name);
                        yield return name;
                    }
                }
            }
        }

        /// <summary>Field-like events declared in source: their delegate field is not among the type's members.</summary>
        private static IEnumerable<IEventSymbol> FieldLikeEvents(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IEventSymbol { IsStatic: false } candidate
                    && candidate.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax))
                {
                    yield return candidate;
                }
            }
        }

        private static bool IsInInitializer(SyntaxNode node) =>
            node.FirstAncestorOrSelf<EqualsValueClauseSyntax>() is { Parent: VariableDeclaratorSyntax or PropertyDeclarationSyntax };

        private static int InlineArrayLength(INamedTypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == InlineArrayAttributeName
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is int length)
                {
                    return length;
                }
            }
            return 0;
        }

        /// <summary>
        /// GenAPI-built framework reference assemblies replace a struct's private fields with a placeholder named
        /// <c>_dummy</c> or <c>_dummyPrimitive</c>; the real layout is then unknowable from symbols. (Roslyn-built
        /// reference assemblies, such as a project reference's, keep every struct field and are fine.)
        /// </summary>
        private static bool HidesFields(INamedTypeSymbol type)
        {
            if (type.OriginalDefinition.DeclaringSyntaxReferences.Length > 0) return false;
            foreach (IFieldSymbol field in InstanceFields(type))
            {
                if (field.DeclaredAccessibility == Accessibility.Private && (field.Name == "_dummy" || field.Name == "_dummyPrimitive"))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Kind, Pack, Size and field offsets as declared, from source attributes or from metadata tables.</summary>
        private sealed class LayoutDeclaration
        {
            public StructLayoutKind Kind = StructLayoutKind.Sequential;
            public int Pack;
            public int Size;
            public bool IsWrittenInSource;
            private MetadataReader? _metadata;

            public static LayoutDeclaration Of(INamedTypeSymbol type)
            {
                var declaration = new LayoutDeclaration();
                INamedTypeSymbol definition = type.OriginalDefinition;
                if (definition.DeclaringSyntaxReferences.Length > 0)
                {
                    declaration.ReadSourceAttributes(definition);
                }
                else
                {
                    declaration.ReadMetadata(definition);
                }
                return declaration;
            }

            private void ReadSourceAttributes(INamedTypeSymbol type)
            {
                foreach (AttributeData attribute in type.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != StructLayoutAttributeName) continue;
                    IsWrittenInSource = true;
                    if (attribute.ConstructorArguments.Length == 1)
                    {
                        Kind = ToKind(Convert.ToInt32(attribute.ConstructorArguments[0].Value ?? LayoutKindSequential));
                    }
                    foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                    {
                        if (named.Key == "Pack" && named.Value.Value is int pack) Pack = pack;
                        else if (named.Key == "Size" && named.Value.Value is int size) Size = size;
                    }
                }
            }

            private void ReadMetadata(INamedTypeSymbol type)
            {
                ModuleMetadata? module = type.ContainingModule?.GetMetadata();
                if (module is null || type.MetadataToken == 0) return;
                _metadata = module.GetMetadataReader();
                TypeDefinition definition = _metadata.GetTypeDefinition((TypeDefinitionHandle)MetadataTokens.EntityHandle(type.MetadataToken));
                switch (definition.Attributes & TypeAttributes.LayoutMask)
                {
                    case TypeAttributes.ExplicitLayout: Kind = StructLayoutKind.Explicit; break;
                    case TypeAttributes.SequentialLayout: Kind = StructLayoutKind.Sequential; break;
                    default: Kind = StructLayoutKind.Auto; break;
                }
                TypeLayout layout = definition.GetLayout();
                Pack = layout.PackingSize;
                Size = layout.Size;
            }

            public int FieldOffset(IFieldSymbol field)
            {
                IFieldSymbol definition = field.OriginalDefinition;
                if (_metadata is not null)
                {
                    int offset = _metadata.GetFieldDefinition((FieldDefinitionHandle)MetadataTokens.EntityHandle(definition.MetadataToken)).GetOffset();
                    return Math.Max(offset, 0);
                }
                foreach (AttributeData attribute in definition.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == FieldOffsetAttributeName
                        && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is int offset)
                    {
                        return offset;
                    }
                }
                return 0; // the compiler reports a missing [FieldOffset] (CS0625)
            }

            private static StructLayoutKind ToKind(int layoutKind)
            {
                switch (layoutKind)
                {
                    case LayoutKindExplicit: return StructLayoutKind.Explicit;
                    case LayoutKindAuto: return StructLayoutKind.Auto;
                    default: return StructLayoutKind.Sequential;
                }
            }
        }

        private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

        private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        /// <summary>"System.Runtime.Intrinsics.Vector128`1": namespace, containing types and arity, as in metadata.</summary>
        private static string MetadataName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }
            INamespaceSymbol? ns = type.ContainingNamespace;
            return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
        }
    }
}
