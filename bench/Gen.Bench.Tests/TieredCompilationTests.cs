using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Gen.Bench.Tests;

/// <summary>
/// Gen's runtime adds no tier-0 compilation to a program once its heap is set up: every runtime method that runs after
/// start-up is inlined into its caller or compiled fully optimized at its first call (<c>AggressiveOptimization</c>).
/// Each method the runtime compiles at tier 0 restarts its call-counting delay (100 ms), which holds back the tier-up
/// of the program's own methods: in mstress, a 0.2 s program, slow paths compiled one by one as they were first reached
/// kept its allocation loops in tier-0 code. Each case runs a workload at the quick scale in a child process with the
/// JIT's summary of what it compiled; between them they reach every slow path: thread starts and exits, large
/// objects, frees on other threads, lists that overflow and refill, typed objects.
/// </summary>
public sealed class TieredCompilationTests
{
    /// <summary>Start-up code: static constructors, what they and the first allocation run once to set the heap up
    /// (configuration, the address-space reservation, the size tables, the background thread), and what the first
    /// typed allocation of each struct runs once for its type (the static constructors of its facts and its
    /// descriptor).</summary>
    private static readonly Regex StartUpMethod = new(
        @"^Gen\.(Runtime\.(\w+:\.cctor|HeapConfiguration:\w+|SystemMemory:(Reserve|Map|mmap|Unmap|munmap)|" +
        @"PageHeap:ReserveOrFail|BackgroundWorker:StartOnce|ThreadCaches:BuildNoscanEntryOffsets|" +
        @"ThreadCache:get_InboxesOffset|ThreadCache:EntryOffset)|Heap\+(TypeInfo|TypeDescriptorOf)`1\[[^\]]+\]:\.cctor)\(");

    [Theory]
    [InlineData("mstress", true)]
    [InlineData("xmalloc-test", true)]
    [InlineData("larson", true)]
    [InlineData("binary-trees", true)]
    [InlineData("mstress", false)] // 0.2 s: long enough for the background worker's first pass, which runs at once
    public async Task GensRuntimeCompilesNothingAtTier0AfterStartUp(string workload, bool quick)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gen.Bench.dll"));
        string[] arguments = ["run-one", "--workload", workload, "--peer", "gen", "--threads", "2"];
        if (quick) arguments = [.. arguments, "--quick"];
        foreach (string argument in arguments) startInfo.ArgumentList.Add(argument);
        // With no scavenge delay the background worker's first tick (100 ms) drains every inbox and releases the
        // free page runs: that pass must compile nothing at tier 0 either.
        startInfo.Environment["GEN_SCAVENGE_DELAY_MS"] = "0";
        // The JIT writes its summary to the child's standard output. Sent to a file (DOTNET_JitStdOutFile), it crashed
        // the child about once in 80 runs on a loaded machine: the runtime's shutdown closes that file while another
        // thread may still be writing a "JIT compiled" line to it (SIGSEGV in the JIT's fprintf); stdout stays open.
        startInfo.Environment["DOTNET_JitDisasmSummary"] = "1";
        using Process child = Process.Start(startInfo)!;
        Task<string> errors = child.StandardError.ReadToEndAsync();
        string output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode}: {await errors}");

        // Lines read "  12: JIT compiled Gen.Heap:FreeSlow(ptr) [Tier0, IL size=332, code size=1060]".
        List<string> compiled = output.Split('\n')
            .Select(line => Regex.Match(line, @"JIT compiled (Gen\.(?:Heap|Runtime)\S*\(.*?\)) \[(.*?),"))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value + " [" + match.Groups[2].Value + "]")
            .ToList();
        // The summary covers the runtime's slow paths: a refill ran.
        Assert.Contains(compiled, m => m.StartsWith("Gen.Runtime.Central:Refill(", StringComparison.Ordinal));
        List<string> tier0 = compiled
            .Where(method => method.Contains("Tier0]", StringComparison.Ordinal) && !StartUpMethod.IsMatch(method))
            .ToList();
        Assert.True(tier0.Count == 0, "Compiled at tier 0 after start-up:\n" + string.Join("\n", tier0));
    }
}
