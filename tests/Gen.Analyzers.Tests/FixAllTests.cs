using System.Threading.Tasks;
using Gen.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>Fix All for the reorder and add-partial fixes, in document, project and solution scope.</summary>
public class FixAllTests
{
    private static string Padded(string name) => $$"""
        using Gen;
        [SizeClassed]
        public unsafe partial struct {{name}}
        {
            public byte Tag;
            public {{name}}* Next;
        }
        """;

    private static string Reordered(string name) => $$"""
        using Gen;
        [SizeClassed]
        public unsafe partial struct {{name}}
        {
            public {{name}}* Next;
            public byte Tag;
        }
        """;

    private static readonly string[][] Solution =
        [[Padded("A") + "\n" + Padded("B").Replace("using Gen;\n", ""), Padded("C")], [Padded("D")]];

    [Fact]
    public Task Document_FixesEveryStructInTheFirstDocument() => CodeFixVerifier.VerifyFixAllAsync(
        new ReorderFieldsCodeFixProvider(), FixAllScope.Document, Solution,
        [[Reordered("A") + "\n" + Reordered("B").Replace("using Gen;\n", ""), Padded("C")], [Padded("D")]]);

    [Fact]
    public Task Project_FixesEveryDocumentOfTheFirstProject() => CodeFixVerifier.VerifyFixAllAsync(
        new ReorderFieldsCodeFixProvider(), FixAllScope.Project, Solution,
        [[Reordered("A") + "\n" + Reordered("B").Replace("using Gen;\n", ""), Reordered("C")], [Padded("D")]]);

    [Fact]
    public Task Solution_FixesEveryProject() => CodeFixVerifier.VerifyFixAllAsync(
        new ReorderFieldsCodeFixProvider(), FixAllScope.Solution, Solution,
        [[Reordered("A") + "\n" + Reordered("B").Replace("using Gen;\n", ""), Reordered("C")], [Reordered("D")]]);

    [Fact]
    public Task AddPartial_Solution() => CodeFixVerifier.VerifyFixAllAsync(
        new AddPartialCodeFixProvider(), FixAllScope.Solution,
        [["using Gen;\n[SizeClassed] struct A { public long X; }\n[SizeClassed] public struct B { public long X; }"]],
        [["using Gen;\n[SizeClassed] partial struct A { public long X; }\n[SizeClassed] public partial struct B { public long X; }"]]);

    [Fact]
    public Task MismatchedFree_Document() => CodeFixVerifier.VerifyFixAllAsync(
        new MismatchedFreeCodeFixProvider(), FixAllScope.Document,
        [["""
            using System;
            using System.Runtime.InteropServices;
            using Gen;
            [SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }
            static unsafe class C
            {
                static void M(Node* a, Node* b)
                {
                    NativeMemory.Free(a);
                    Marshal.FreeHGlobal((IntPtr)b);
                }
            }
            """]],
        [["""
            using System;
            using System.Runtime.InteropServices;
            using Gen;
            [SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }
            static unsafe class C
            {
                static void M(Node* a, Node* b)
                {
                    Node.Free(a);
                    Node.Free(b);
                }
            }
            """]]);
}
