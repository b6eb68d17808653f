using System.Runtime.InteropServices;

namespace Gen.Bench.Allocators;

/// <summary>The C runtime's allocator (glibc malloc on Linux) as .NET exposes it.</summary>
internal readonly unsafe struct GlibcAllocator : INativeAllocator<GlibcAllocator>
{
    public static GlibcAllocator ForCurrentThread() => default;
    public void* Alloc(nuint size) => NativeMemory.Alloc(size);
    public void* AllocZeroed(nuint size) => NativeMemory.AllocZeroed(size);
    public void Free(void* p) => NativeMemory.Free(p);
}
