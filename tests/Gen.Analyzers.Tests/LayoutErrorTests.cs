using System.Threading.Tasks;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>GEN002..GEN004: layouts the engine cannot compute exactly, reported on the offending field.</summary>
public class LayoutErrorTests
{
    [Fact]
    public Task ManagedReferenceField_IsReportedOnTheField() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public partial struct Node { public long Id; public string {|GEN002:Name|}; }
        """,
        "'Node' cannot hold field 'Name'. Its type 'string' is a managed reference, which a native heap cannot hold.");

    [Fact]
    public Task ManagedReferenceInsideNestedStruct_NamesThePath() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        public struct Inner { public int Count; public object Owner; }
        [SizeClassed]
        public partial struct Node { public long Id; public Inner {|GEN002:Payload|}; }
        """,
        "'Node' cannot hold field 'Payload.Owner'. Its type 'object' is a managed reference, which a native heap cannot hold.");

    [Fact]
    public Task ArrayAutoProperty_IsReportedOnTheProperty() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public partial struct Node { public long Id; public int[] {|GEN002:Items|} { get; set; } }
        """,
        "'Node' cannot hold field 'Items'. Its type 'int[]' is a managed reference, which a native heap cannot hold.");

    [Fact]
    public Task AutoLayout_IsReportedOnTheStruct() => AnalyzerVerifier.VerifyAsync("""
        using System.Runtime.InteropServices;
        using Gen;
        [SizeClassed, StructLayout(LayoutKind.Auto)]
        public partial struct {|GEN003:Node|} { public long Id; }
        """,
        "The layout of 'Node' cannot be known at compile time. 'Node' has LayoutKind.Auto: the runtime orders its fields.");

    [Fact]
    public Task UnresolvedFieldType_IsReportedWithoutAnalyzerFailure() => AnalyzerVerifier.VerifyAsync("""
        using Gen;
        [SizeClassed]
        public partial struct Node { public long Id; public Missing {|GEN003:Other|}; }
        """,
        "The layout of 'Node' cannot be known at compile time because of field 'Other'. Its type 'Missing' could not be resolved.");

    [Fact]
    public Task PackedPointer_IsReportedOnTheField() => AnalyzerVerifier.VerifyAsync("""
        using System.Runtime.InteropServices;
        using Gen;
        [SizeClassed, StructLayout(LayoutKind.Sequential, Pack = 4)]
        public unsafe partial struct Node { public int Tag; public Node* {|GEN004:Next|}; }
        """,
        "Data pointer 'Next' of 'Node' is at offset 4, which is not a multiple of 8: Gen's heap bitmap could not trace it");

    [Fact]
    public Task UnmanagedFields_AreClean() => AnalyzerVerifier.VerifyAsync("""
        using System;
        using Gen;
        public enum Color : byte { Red }
        [SizeClassed]
        public unsafe partial struct Node { public Node* Next; public Guid Id; public decimal Price; public delegate*<void> Callback; public fixed byte Name[16]; }
        """);
}
