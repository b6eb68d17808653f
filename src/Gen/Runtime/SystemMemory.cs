// SystemMemory: the only file that talks to the OS about memory (Go's mem_linux.go / mem_windows.go).
//
// Glossary: reserve = obtain address space that reads as zero and commits on first touch;
// release = hand the physical pages back while keeping the address range (Go's sysUnused).
//
// Linux and macOS: mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE) reserves; released pages
// are dropped with madvise(MADV_DONTNEED), after which they read as zero again (which is why the page heap can
// skip zeroing them). Windows: VirtualAlloc(MEM_RESERVE|MEM_COMMIT) and VirtualAlloc(MEM_RESET) / decommit.
// Every call here is a syscall: the page heap calls them only when it grows or scavenges, never per object.

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gen.Runtime;

internal static unsafe partial class SystemMemory
{
    private const int ProtRead = 0x1, ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private static readonly int MapAnonymous = OperatingSystem.IsLinux() ? 0x20 : 0x1000;
    private static readonly int MapNoReserve = OperatingSystem.IsLinux() ? 0x4000 : 0x40;
    private const int MadvDontNeed = 4;
    private static readonly nint MapFailed = -1;

    private const uint MemCommit = 0x1000, MemReserve = 0x2000, MemDecommit = 0x4000, MemRelease = 0x8000;
    private const uint PageReadWrite = 0x04;

    /// <summary>Reserves <paramref name="bytes"/> aligned to <paramref name="alignment"/> (a power of two), or null.</summary>
    internal static byte* Reserve(nuint bytes, nuint alignment)
    {
        // Over-reserve by the alignment, then trim both ends, so the result is aligned whatever the OS chose.
        nuint padded = bytes + alignment;
        if (padded < bytes) return null;
        byte* raw = Map(padded);
        if (raw == null) return null;
        byte* aligned = (byte*)(((nuint)raw + alignment - 1) & ~(alignment - 1));
        if (OperatingSystem.IsWindows())
        {
            // VirtualFree cannot split a reservation: release it and map exactly at the aligned address.
            Unmap(raw, padded);
            byte* exact = (byte*)VirtualAlloc(aligned, bytes, MemReserve | MemCommit, PageReadWrite);
            return exact == aligned ? exact : Retry(exact, bytes, alignment);
        }
        if (aligned > raw) Unmap(raw, (nuint)(aligned - raw));
        byte* end = aligned + bytes;
        byte* rawEnd = raw + padded;
        if (rawEnd > end) Unmap(end, (nuint)(rawEnd - end));
        return aligned;
    }

    private static byte* Retry(byte* got, nuint bytes, nuint alignment)
    {
        if (got != null) Unmap(got, bytes);
        return Reserve(bytes, alignment); // another thread took the range between release and re-map
    }

    private static byte* Map(nuint bytes)
    {
        if (OperatingSystem.IsWindows())
            return (byte*)VirtualAlloc(null, bytes, MemReserve | MemCommit, PageReadWrite);
        nint p = mmap(0, bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        return p == MapFailed ? null : (byte*)p;
    }

    /// <summary>Returns the range to the OS entirely.</summary>
    internal static void Unmap(byte* p, nuint bytes)
    {
        if (OperatingSystem.IsWindows()) VirtualFree(p, 0, MemRelease);
        else munmap((nint)p, bytes);
    }

    /// <summary>Drops the physical pages behind the range; the range stays mapped and reads as zero afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Release(byte* p, nuint bytes)
    {
        if (OperatingSystem.IsWindows())
        {
            // Decommit then recommit: the pages leave the working set and come back zeroed on touch.
            VirtualFree(p, bytes, MemDecommit);
            VirtualAlloc(p, bytes, MemCommit, PageReadWrite);
        }
        else
        {
            madvise((nint)p, bytes, MadvDontNeed);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint addr, nuint length, int advice);

    [LibraryImport("kernel32", SetLastError = true)]
    private static partial void* VirtualAlloc(void* address, nuint size, uint allocationType, uint protect);

    [LibraryImport("kernel32", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool VirtualFree(void* address, nuint size, uint freeType);
}
