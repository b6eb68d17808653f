using Microsoft.CodeAnalysis;

namespace Gen.Analyzers
{
    /// <summary>
    /// Every rule Gen reports. The generator reports nothing: where it skips a struct, one of the errors here says
    /// why, so each problem is reported once. Each rule's page is docs/diagnostics/&lt;ID&gt;.md.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        /// <summary>Where the rule pages live; the ID and ".md" are appended.</summary>
        private const string HelpLinkBase = "https://github.com/gen-allocator/gen/blob/main/docs/diagnostics/";

        private const string UsageCategory = "Gen.Usage";
        private const string LayoutCategory = "Gen.Layout";
        private const string PerformanceCategory = "Gen.Performance";
        private const string ReliabilityCategory = "Gen.Reliability";

        public static readonly DiagnosticDescriptor NotPartial = new DiagnosticDescriptor(
            DiagnosticIds.NotPartial,
            title: "[SizeClassed] type must be partial",
            messageFormat: "'{0}' must be declared partial: the Gen generator adds the members of '{1}' to it",
            category: UsageCategory,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The generator adds Size, SizeClass, Alloc() and the other ISizeClassed members to the struct, which "
                + "needs the struct and every type containing it to be partial.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.NotPartial + ".md");

        public static readonly DiagnosticDescriptor GenericOrRefStruct = new DiagnosticDescriptor(
            DiagnosticIds.GenericOrRefStruct,
            title: "[SizeClassed] struct cannot be generic or a ref struct",
            messageFormat: "'{0}' {1}",
            category: UsageCategory,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A [SizeClassed] struct's layout is computed once at compile time; a generic struct, or one nested in "
                + "a generic type, has a different layout for each type argument. A ref struct cannot be pointed to, so "
                + "it cannot live in Gen's heap.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.GenericOrRefStruct + ".md");

        public static readonly DiagnosticDescriptor ManagedReference = new DiagnosticDescriptor(
            DiagnosticIds.ManagedReference,
            title: "[SizeClassed] struct cannot hold a managed reference",
            messageFormat: "'{0}' cannot hold field '{1}'. {2}.",
            category: LayoutCategory,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Objects in Gen's heap are invisible to the .NET garbage collector, so a class, string, array or "
                + "a struct containing one would dangle. Use a pointer to another [SizeClassed] struct, or an index.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.ManagedReference + ".md");

        public static readonly DiagnosticDescriptor UnknownLayout = new DiagnosticDescriptor(
            DiagnosticIds.UnknownLayout,
            title: "[SizeClassed] struct's layout cannot be known at compile time",
            messageFormat: "The layout of '{0}' cannot be known at compile time{1}. {2}.",
            category: LayoutCategory,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "Gen computes size, size class and pointer bitmap at compile time and never guesses; LayoutKind.Auto, "
                + "a type parameter or an external type whose fields are hidden leave the layout to the runtime.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.UnknownLayout + ".md");

        public static readonly DiagnosticDescriptor MisalignedPointer = new DiagnosticDescriptor(
            DiagnosticIds.MisalignedPointer,
            title: "Data pointer at an offset that is not a multiple of 8",
            messageFormat: "{2}",
            category: LayoutCategory,
            defaultSeverity: DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "The pointer bitmap has one bit per 8-byte word, so a data pointer must start on an 8-byte boundary "
                + "(a Pack below 8 or an explicit FieldOffset can move it off one).",
            helpLinkUri: HelpLinkBase + DiagnosticIds.MisalignedPointer + ".md");

        public static readonly DiagnosticDescriptor WastedClassSpace = new DiagnosticDescriptor(
            DiagnosticIds.WastedClassSpace,
            title: "Size class wastes space",
            messageFormat: "'{0}' is {1} bytes; its size class reserves {2}, wasting {3} bytes ({4}%) per object: {5} less fits the {6}-byte class, or {3} more bytes are free",
            category: PerformanceCategory,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Gen rounds every object up to its size class. When the rounding wastes more than the threshold "
                + "(.editorconfig: gen_wasted_class_space_threshold_percent, default 12.5, Go's bound), shrinking the "
                + "struct a little moves it to the next smaller class, or the slack can hold more fields for free.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.WastedClassSpace + ".md");

        public static readonly DiagnosticDescriptor Padding = new DiagnosticDescriptor(
            DiagnosticIds.Padding,
            title: "Reordering fields makes the struct smaller",
            messageFormat: "'{0}' is {1} bytes with {2} bytes of padding; reordered it is {3} bytes (class {4} → {5})",
            category: PerformanceCategory,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "Fields are laid out in declaration order with natural alignment, so a small field between large ones "
                + "leaves padding. Ordering fields by alignment (largest first) removes it, as Go's fieldalignment "
                + "suggests. Not reported for explicit layouts or a written-out [StructLayout(LayoutKind.Sequential)].",
            helpLinkUri: HelpLinkBase + DiagnosticIds.Padding + ".md");

        public static readonly DiagnosticDescriptor PointerBytes = new DiagnosticDescriptor(
            DiagnosticIds.PointerBytes,
            title: "Pointer fields first shorten the scanned prefix",
            messageFormat: "'{0}' has {1} pointer bytes; with pointer fields first it could have {2}",
            category: PerformanceCategory,
            defaultSeverity: DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            description: "A tracer scans each object up to its last pointer word. Placing pointer fields first shortens that "
                + "prefix without changing the size, as Go's fieldalignment reports.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.PointerBytes + ".md");

        public static readonly DiagnosticDescriptor LargeObject = new DiagnosticDescriptor(
            DiagnosticIds.LargeObject,
            title: "Large object allocated in whole pages",
            messageFormat: "'{0}' is {1} bytes, more than 32768: each object takes {2} whole 8 KiB pages ({3} bytes), wasting {4} bytes in the last page",
            category: PerformanceCategory,
            defaultSeverity: DiagnosticSeverity.Info,
            isEnabledByDefault: true,
            description: "Objects larger than 32 KiB bypass the size classes and get whole pages from the page heap; the tail "
                + "of the last page is unused.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.LargeObject + ".md");

        public static readonly DiagnosticDescriptor MismatchedFree = new DiagnosticDescriptor(
            DiagnosticIds.MismatchedFree,
            title: "Memory allocated by Gen freed by another allocator",
            messageFormat: "'{0}' is given a pointer to '{1}', which Gen allocates; call '{1}.Free' instead",
            category: ReliabilityCategory,
            defaultSeverity: DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "A pointer to a [SizeClassed] struct comes from Gen's heap; handing it to NativeMemory.Free, "
                + "Marshal.FreeHGlobal or the C library's free corrupts both heaps.",
            helpLinkUri: HelpLinkBase + DiagnosticIds.MismatchedFree + ".md");
    }
}
