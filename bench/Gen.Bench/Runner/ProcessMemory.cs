using System;
using System.IO;

namespace Gen.Bench.Runner;

/// <summary>This process's resident set size from /proc/self/status (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS: resident now, in KiB.</summary>
    public static long ResidentKiB() => ReadStatusKiB("VmRSS:");

    /// <summary>VmHWM: the peak resident set ("high water mark") since the process started, in KiB.</summary>
    public static long PeakResidentKiB() => ReadStatusKiB("VmHWM:");

    private static long ReadStatusKiB(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmHWM:	   12345 kB"
                string value = line[field.Length..].Trim();
                return long.Parse(value.AsSpan(0, value.IndexOf(' ')), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new PlatformNotSupportedException($"/proc/self/status has no {field} line: peak RSS is measured on Linux only.");
    }
}
