using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Gen.Bench.Micro;
using Gen.Bench.Runner;

namespace Gen.Bench;

/// <summary>
/// <c>workloads</c>: the mimalloc-bench workloads against glibc, mimalloc, jemalloc, tcmalloc and the .NET GC;
/// <c>micro</c>: the BenchmarkDotNet micro-benchmarks. <c>run-one</c> is the runner's child process.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Gen benchmarks: allocator workloads and BenchmarkDotNet micro-benchmarks.")
        {
            WorkloadsCommand(args),
            RunOneCommand(),
            RenderCommand(),
            MicroCommand(),
            PairsCommand(),
        };
        return root.Parse(args).Invoke();
    }

    private static Command WorkloadsCommand(string[] args)
    {
        var workloads = ListOption("--workloads", "Workloads to run (default: all)", Catalog.Workloads.Select(w => w.Name).ToArray());
        var peers = ListOption("--peers", "Peers to compare (default: all installed)", Catalog.Peers.Select(p => p.Name).ToArray());
        var threads = new Option<int[]>("--threads")
        {
            Description = "Thread counts (default: each workload's own, e.g. alloc-test runs 1 and all cores).",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToArray(),
        };
        var quick = new Option<bool>("--quick") { Description = "Every workload at a small scale (under a minute in all): a correctness check." };
        var output = new Option<string>("--out") { Description = "Results folder.", DefaultValueFactory = _ => Path.Combine("bench", "results") };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Runs of each (workload, threads, peer), interleaved round by round; the median run is reported.",
            DefaultValueFactory = _ => 1,
        };
        repeat.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--repeat must be at least 1.");
        });

        var command = new Command("workloads", "Runs the workloads for every peer, each in its own process; writes results.md, results.json and chart.png.")
        {
            workloads, peers, threads, quick, output, repeat,
        };
        command.SetAction(parse => WorkloadRunner.Execute(new RunnerOptions(
            parse.GetValue(workloads) ?? [],
            parse.GetValue(peers) ?? [],
            parse.GetValue(threads) ?? [],
            parse.GetValue(quick),
            parse.GetValue(repeat),
            parse.GetValue(output)!,
            "dotnet run -c Release --project bench/Gen.Bench -- " + string.Join(' ', args))));
        return command;
    }

    private static Command RunOneCommand()
    {
        var workload = new Option<string>("--workload") { Required = true };
        var peer = new Option<string>("--peer") { Required = true };
        var threads = new Option<int>("--threads") { Required = true };
        var quick = new Option<bool>("--quick");
        var command = new Command("run-one", "Runs one workload with one peer in this process (the runner's child).")
        {
            workload, peer, threads, quick,
        };
        command.Hidden = true;
        command.SetAction(parse => ChildRun.Execute(parse.GetValue(workload)!, parse.GetValue(peer)!, parse.GetValue(threads), parse.GetValue(quick)));
        return command;
    }

    private static Command RenderCommand()
    {
        var results = new Argument<string>("results.json");
        var output = new Option<string>("--out") { Required = true };
        var command = new Command("render", "Rewrites results.md and chart.png from a results.json (after a change of format).")
        {
            results, output,
        };
        command.Hidden = true;
        command.SetAction(parse => ResultWriter.Render(parse.GetValue(results)!, parse.GetValue(output)!));
        return command;
    }

    private static Command MicroCommand()
    {
        var command = new Command("micro", "BenchmarkDotNet micro-benchmarks; further arguments go to BenchmarkDotNet (e.g. --filter '*AllocFree*').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse => MicroBenchmarks.Run(parse.UnmatchedTokens.ToArray()));
        return command;
    }

    private static Command PairsCommand()
    {
        var peer = new Option<string>("--peer") { Required = true, Description = "floor, size-class-floor, gen, gen-thread-heap, glibc or mimalloc." };
        var invocations = new Option<int>("--invocations") { Required = true };
        var command = new Command("pairs", "Runs the alloc+free pairs benchmark's loop without BenchmarkDotNet (for perf stat).")
        {
            peer, invocations,
        };
        command.Hidden = true;
        command.SetAction(parse => AllocFreePairsBenchmark.RunInvocations(parse.GetValue(peer)!, parse.GetValue(invocations)));
        return command;
    }

    /// <summary>A comma-separated or repeated list of names, each one of <paramref name="known"/>.</summary>
    private static Option<string[]> ListOption(string name, string description, string[] known)
    {
        var option = new Option<string[]>(name)
        {
            Description = $"{description}: {string.Join(", ", known)}.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray(),
        };
        option.Validators.Add(result =>
        {
            foreach (string unknown in (result.GetValueOrDefault<string[]>() ?? []).Except(known))
            {
                result.AddError($"Unknown {name.TrimStart('-')} entry '{unknown}'; known: {string.Join(", ", known)}.");
            }
        });
        return option;
    }
}
