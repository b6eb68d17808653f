namespace Gen.Analyzers
{
    /// <summary>The rule IDs, shared with the code fixes (which name the IDs they fix).</summary>
    internal static class DiagnosticIds
    {
        public const string NotPartial = "GEN001";
        public const string ManagedReference = "GEN002";
        public const string UnknownLayout = "GEN003";
        public const string MisalignedPointer = "GEN004";
        public const string GenericType = "GEN005";
        public const string WastedClassSpace = "GEN006";
        public const string Padding = "GEN007";
        public const string PointerBytes = "GEN008";
        public const string LargeObject = "GEN009";
        public const string MismatchedFree = "GEN010";
    }
}
