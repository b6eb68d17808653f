namespace Gen.Analyzers
{
    /// <summary>The rule IDs, shared with the code fixes (which name the IDs they fix).</summary>
    internal static class DiagnosticIds
    {
        public const string NotPartial = "GEN0001";
        public const string GenericType = "GEN0002";
        public const string ManagedReference = "GEN0003";
        public const string UnknownLayout = "GEN0004";
        public const string MisalignedPointer = "GEN0005";
        public const string WastedClassSpace = "GEN0006";
        public const string Padding = "GEN0007";
        public const string PointerBytes = "GEN0008";
        public const string LargeObject = "GEN0009";
        public const string MismatchedFree = "GEN0010";
    }
}
