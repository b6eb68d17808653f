using System.Threading.Tasks;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>GEN007 (padding) and GEN008 (pointer bytes): Go's fieldalignment, on the same layout engine.</summary>
public class FieldOrderRuleTests
{
    [Fact]
    public Task Padding_IsReportedWithTheReorderedSize() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public unsafe partial struct {|GEN007:Node|} { public byte Tag; public Node* Next; public byte Flags; public long Value; }
        """,
        "'Node' is 32 bytes with 14 bytes of padding; reordered it is 24 bytes (class 32 → 24)");

    [Fact]
    public Task AutoPropertiesAndRecordMembers_AreFieldsToo() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public partial record struct {|GEN007:Point|}(byte Tag, long X)
        {
            public byte Flags { get; set; }
        }
        """,
        "'Point' is 24 bytes with 14 bytes of padding; reordered it is 16 bytes (class 24 → 16)");

    [Fact]
    public Task PointerBytes_AreReportedWhenTheSizeCannotShrink() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public unsafe partial struct {|GEN008:Node|} { public long Key; public long Value; public Node* Left; public Node* Right; }
        """,
        "'Node' has 32 pointer bytes; with pointer fields first it could have 16");

    [Theory]
    [InlineData("[StructLayout(LayoutKind.Sequential)]")]          // the author says the order matters
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 8)]")]
    public Task WrittenOutSequentialLayout_IsLeftAlone(string structLayout) => AnalyzerVerifier.VerifyAsync($$"""
        using System.Runtime.InteropServices;
        using Gen;
        [SizeClassed, {{structLayout.Trim('[', ']')}}]
        public unsafe partial struct Node { public byte Tag; public Node* Next; public byte Flags; public long Value; }
        """);

    [Fact]
    public Task ExplicitLayout_IsLeftAlone() => AnalyzerVerifier.VerifyAsync("""
        using System.Runtime.InteropServices;
        using Gen;
        [SizeClassed, StructLayout(LayoutKind.Explicit)]
        public unsafe partial struct Node
        {
            [FieldOffset(0)] public long Value;
            [FieldOffset(16)] public Node* Next;
            [FieldOffset(24)] public byte Tag;
        }
        """);

    [Fact]
    public Task WellOrderedStruct_IsClean() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node { public Node* Next; public Node* Prev; public long Value; public int Count; public short Kind; public byte Tag; public bool Live; }
        """);
}
