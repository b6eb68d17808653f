// netstandard2.0 lacks this marker type, which C# needs for records and init accessors. Internal, so each assembly
// that links the layout engine gets its own copy without clashing with the BCL's.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
