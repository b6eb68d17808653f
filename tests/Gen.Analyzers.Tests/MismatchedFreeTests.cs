using System.Threading.Tasks;
using Xunit;

namespace Gen.Analyzers.Tests;

/// <summary>GEN010: a pointer Gen allocated handed to another allocator's free.</summary>
public class MismatchedFreeTests
{
    private const string Node = """
        using System;
        using System.Runtime.InteropServices;
        using Gen;
        [SizeClassed] public unsafe partial struct Node { public Node* Next; public long Value; }
        """;

    [Fact]
    public Task NativeMemoryFree_IsReported() => AnalyzerVerifier.VerifyAsync(Node + """
        static unsafe class C
        {
            static void M(Node* p) => {|GEN010:NativeMemory.Free(p)|};
        }
        """,
        "'NativeMemory.Free' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead");

    [Fact]
    public Task MarshalFreeHGlobal_ThroughCasts_IsReported() => AnalyzerVerifier.VerifyAsync(Node + """
        static unsafe class C
        {
            static void M(Node* p)
            {
                {|GEN010:Marshal.FreeHGlobal((IntPtr)p)|};
                {|GEN010:Marshal.FreeHGlobal((nint)(void*)p)|};
            }
        }
        """,
        "'Marshal.FreeHGlobal' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead",
        "'Marshal.FreeHGlobal' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead");

    [Fact]
    public Task PInvokeFree_ByNameOrEntryPoint_IsReported() => AnalyzerVerifier.VerifyAsync(Node + """
        static unsafe partial class Libc
        {
            [DllImport("libc")] public static extern void free(void* p);
            [DllImport("libc", EntryPoint = "free")] public static extern void CFree(IntPtr p);
            [LibraryImport("libc", EntryPoint = "free")] public static partial void Release(void* p);
            static void M(Node* p)
            {
                {|GEN010:free(p)|};
                {|GEN010:CFree((IntPtr)p)|};
                {|GEN010:Release(p)|};
            }
        }
        """,
        "'Libc.free' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead",
        "'Libc.CFree' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead",
        "'Libc.Release' is given a pointer to 'Node', which Gen allocates; call 'Node.Free' instead");

    [Fact]
    public Task OtherPointersAndOtherFrees_AreClean() => AnalyzerVerifier.VerifyAsync(Node + """
        static unsafe class C
        {
            [DllImport("libc")] static extern void release(void* p);
            static void Free(Node* p) { }
            static void M(Node* node, long* number, IntPtr handle)
            {
                NativeMemory.Free(number);
                Marshal.FreeHGlobal(handle);
                release(node);
                Free(node);
            }
        }
        """);
}
