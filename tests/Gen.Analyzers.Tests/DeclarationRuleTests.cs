using System.Threading.Tasks;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>GEN001 (not partial) and GEN005 (generic): what stops the generator from adding members.</summary>
public class DeclarationRuleTests
{
    [Fact]
    public Task NotPartialStruct_IsReportedOnItsName() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public struct {|GEN001:Node|} { public long Value; }
        """,
        "'Node' must be declared partial: the Gen generator adds the members of 'Node' to it");

    [Fact]
    public Task NotPartialContainingType_IsReportedOnTheContainer() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        public class {|GEN001:Outer|}
        {
            [SizeClassed]
            public partial struct Node { public long Value; }
        }
        """,
        "'Outer' must be declared partial: the Gen generator adds the members of 'Node' to it");

    [Fact]
    public Task PartialStructs_PlainRecordAndNested_AreClean() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed] public partial struct Node { public long Value; }
        [SizeClassed] public readonly partial record struct Point(long X, long Y);
        public static partial class Outer { [SizeClassed] internal partial struct Inner { public long Value; } }
        """);

    [Fact]
    public Task StructWithoutSizeClassed_IsIgnored() => AnalyzerVerifier.VerifyAsync("""
        public struct Plain<T> { public object Reference; }
        """);

    [Fact]
    public Task GenericStruct_IsReported() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public partial struct {|GEN005:Box|}<T> where T : unmanaged { public T Value; }
        """,
        "'Box' is generic: its layout depends on type arguments, so it has no single size class");

    [Fact]
    public Task StructNestedInGenericType_IsReported() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        public partial class Outer<T>
        {
            [SizeClassed]
            public partial struct {|GEN005:Node|} { public long Value; }
        }
        """,
        "'Node' is nested in the generic type 'Outer<T>': its layout depends on type arguments, so it has no single size class");

    [Fact]
    public Task PartialStructInSeveralFiles_IsReportedWhereTheAttributeIs() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        public partial struct Node { public long Value; }
        [SizeClassed]
        public partial struct {|GEN005:Node|}<T> { }
        public partial struct Node<T> { }
        """,
        "'Node' is generic: its layout depends on type arguments, so it has no single size class");

    [Fact]
    public Task RefStruct_IsReported() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public ref partial struct {|GEN005:Cursor|} { public long Position; }
        """,
        "'Cursor' is a ref struct: it cannot be pointed to, so it cannot live in Gen's heap");
}
