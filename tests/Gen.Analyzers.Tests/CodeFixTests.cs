using System.Threading.Tasks;
using Gen.Analyzers.CodeFixes;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>Each fix's exact output; the verifier also compiles it (with generated members) and re-analyzes it.</summary>
public class CodeFixTests
{
    [Fact]
    public Task AddPartial_AfterOtherModifiers() => CodeFixVerifier.VerifyAsync(new AddPartialCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        public readonly struct Node { public readonly long Value; }
        """, """
        using Gen;
        [SizeClassed]
        public readonly partial struct Node { public readonly long Value; }
        """);

    [Fact]
    public Task AddPartial_WithoutModifiers_KeepsTheKeywordsTrivia() => CodeFixVerifier.VerifyAsync(new AddPartialCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        // a comment before the keyword
        record struct Point(long X, long Y);
        """, """
        using Gen;
        [SizeClassed]
        // a comment before the keyword
        partial record struct Point(long X, long Y);
        """);

    [Fact]
    public Task AddPartial_ToTheContainingType() => CodeFixVerifier.VerifyAsync(new AddPartialCodeFixProvider(), """
        using Gen;
        static class Outer
        {
            [SizeClassed] internal partial struct Node { public long Value; }
        }
        """, """
        using Gen;
        static partial class Outer
        {
            [SizeClassed] internal partial struct Node { public long Value; }
        }
        """);

    [Fact]
    public Task Reorder_KeepsAttributesCommentsAndOtherMembers() => CodeFixVerifier.VerifyAsync(new ReorderFieldsCodeFixProvider(), """
        using System;
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node
        {
            /// <summary>The kind of node.</summary>
            public byte Tag;

            public const int MaxDepth = 64;

            // The next node in the list.
            [Obsolete("use Link")] public Node* Next;
            public byte Flags { get; set; }

            public long Value; // payload

            public override string ToString() => Value.ToString();
        }
        """, """
        using System;
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node
        {
            // The next node in the list.
            [Obsolete("use Link")] public Node* Next;

            public const int MaxDepth = 64;

            public long Value; // payload
            /// <summary>The kind of node.</summary>
            public byte Tag;

            public byte Flags { get; set; }

            public override string ToString() => Value.ToString();
        }
        """);

    [Fact]
    public Task Reorder_PointersFirst() => CodeFixVerifier.VerifyAsync(new ReorderFieldsCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node
        {
            public long Key;
            public Node* Left;
            public long Value;
            public Node* Right;
        }
        """, """
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node
        {
            public Node* Left;
            public Node* Right;
            public long Key;
            public long Value;
        }
        """);

    [Fact]
    public Task Reorder_IsNotOfferedForSharedDeclarations() => CodeFixVerifier.VerifyNoFixAsync(new ReorderFieldsCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node { public byte Tag, Flags; public Node* Next; public byte Kind; }
        """);

    [Fact]
    public Task Reorder_IsNotOfferedForRecordParameters() => CodeFixVerifier.VerifyNoFixAsync(new ReorderFieldsCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        public partial record struct Point(byte Tag, long X, byte Flags);
        """);

    [Fact]
    public Task Reorder_IsNotOfferedAcrossPartialDeclarations() => CodeFixVerifier.VerifyNoFixAsync(new ReorderFieldsCodeFixProvider(), """
        using Gen;
        [SizeClassed]
        public unsafe partial struct Node { public byte Tag; public Node* Next; }
        public partial struct Node { public byte Flags; }
        """);

    private const string NodeDeclaration = """
        using System;
        using System.Runtime.InteropServices;
        using Gen;
        namespace App.Model { [SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; } }
        """;

    [Fact]
    public Task MismatchedFree_BecomesTheStructsFree() => CodeFixVerifier.VerifyAsync(new MismatchedFreeCodeFixProvider(), NodeDeclaration + """
        namespace App
        {
            using App.Model;
            static unsafe class C
            {
                static void M(Node* p)
                {
                    NativeMemory.Free(p); // done
                }
            }
        }
        """, NodeDeclaration + """
        namespace App
        {
            using App.Model;
            static unsafe class C
            {
                static void M(Node* p)
                {
                    Node.Free(p); // done
                }
            }
        }
        """);

    [Fact]
    public Task MismatchedFree_DropsTheCast() => CodeFixVerifier.VerifyAsync(new MismatchedFreeCodeFixProvider(), NodeDeclaration + """
        static unsafe class C
        {
            static void M(App.Model.Node* p) => Marshal.FreeHGlobal((IntPtr)p);
        }
        """, NodeDeclaration + """
        static unsafe class C
        {
            static void M(App.Model.Node* p) => App.Model.Node.Free(p);
        }
        """);
}
