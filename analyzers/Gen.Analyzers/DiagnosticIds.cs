using Gen.Layout;

namespace Gen.Analyzers
{
    /// <summary>
    /// The rule IDs, shared with the code fixes. The layout errors' IDs come from the layout engine, which names
    /// them for the generator's sake (it skips such structs and leaves the reporting to these analyzers).
    /// </summary>
    internal static class DiagnosticIds
    {
        public const string NotPartial = "GEN001";
        public const string ManagedReference = LayoutDiagnosticIds.ManagedReference;
        public const string UnknownLayout = LayoutDiagnosticIds.UnknownLayout;
        public const string MisalignedPointer = LayoutDiagnosticIds.MisalignedPointer;
        public const string GenericOrRefStruct = "GEN005";
        public const string WastedClassSpace = "GEN006";
        public const string Padding = "GEN007";
        public const string PointerBytes = "GEN008";
        public const string LargeObject = "GEN009";
        public const string MismatchedFree = "GEN010";
    }
}
