using System;
using System.Globalization;

namespace Gen.Runtime;

/// <summary>
/// Start-up knobs, read once: an environment variable wins over the runtimeconfig knob (AppContext), like the GC's
/// <c>DOTNET_GCHeapHardLimit</c> / <c>System.GC.HeapHardLimit</c>. A malformed value fails loudly: a silently
/// ignored memory limit is worse than none.
/// </summary>
internal static class HeapConfiguration
{
    public const string CheckedEnv = "GEN_CHECKED", CheckedSwitch = "Gen.Checked";
    public const string HardLimitEnv = "GEN_HEAP_HARD_LIMIT", HardLimitKnob = "Gen.HeapHardLimit";
    public const string ScavengeDelayEnv = "GEN_SCAVENGE_DELAY_MS", ScavengeDelayKnob = "Gen.ScavengeDelayMilliseconds";
    public const long DefaultScavengeDelayMs = 1000;

    /// <summary>Checked mode: double-free detection for small objects, poisoning of freed memory, free-list checks.</summary>
    public static readonly bool Checked = FastPath.CheckedCopy = ReadChecked();
    public static long InitialHardLimit => ReadSize(HardLimitEnv, HardLimitKnob) ?? long.MaxValue;
    public static long InitialScavengeDelayMs => ReadSize(ScavengeDelayEnv, ScavengeDelayKnob) ?? DefaultScavengeDelayMs;

    private static bool ReadChecked()
    {
        string? env = Environment.GetEnvironmentVariable(CheckedEnv);
        if (!string.IsNullOrEmpty(env)) return env is "1" || env.Equals("true", StringComparison.OrdinalIgnoreCase);
        return AppContext.TryGetSwitch(CheckedSwitch, out bool on) && on;
    }

    private static long? ReadSize(string env, string knob)
    {
        string? text = Environment.GetEnvironmentVariable(env);
        string source = env;
        if (string.IsNullOrEmpty(text))
        {
            text = AppContext.GetData(knob) is { } data ? Convert.ToString(data, CultureInfo.InvariantCulture) : null;
            source = knob;
        }
        if (string.IsNullOrEmpty(text)) return null;
        return ParseBytes(text) ?? throw new InvalidOperationException(
            $"Gen: {source}='{text}' is not a size: use a whole number of bytes, optionally with B, KiB, MiB, GiB or TiB.");
    }

    /// <summary>Parses "1234", "64MiB", "2 GiB" (GOMEMLIMIT's suffixes); null when malformed or negative.</summary>
    internal static long? ParseBytes(string text)
    {
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        long unit = 1;
        (string Suffix, long Unit)[] suffixes = [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("B", 1)];
        foreach (var (suffix, value) in suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length].TrimEnd();
                unit = value;
                break;
            }
        }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long number)) return null;
        if (number > long.MaxValue / unit) return null;
        return number * unit;
    }
}
