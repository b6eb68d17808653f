using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gen.Bench.Allocators;

namespace Gen.Bench.Micro;

/// <summary>
/// Short BenchmarkDotNet jobs (ShortRun: 1 launch, 3 warm-ups, 3 iterations) run in process, so the whole micro
/// suite takes a few minutes and no benchmark project has to be generated and built.
/// </summary>
public sealed class MicroConfig : ManualConfig
{
    public MicroConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median);
        HideColumns(Column.Error);
    }
}

/// <summary>The <c>micro</c> command: BenchmarkDotNet's switcher over this assembly's benchmarks.</summary>
internal static class MicroBenchmarks
{
    public const string MimallocCategory = "mimalloc";

    public static int Run(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (!NativeLibraryAllocator<Mimalloc>.IsAvailable)
        {
            Console.WriteLine($"Skipping the mimalloc benchmarks: {NativeLibraryAllocator<Mimalloc>.UnavailableReason}");
            config = config.AddFilter(new SimpleFilter(benchmark => !benchmark.Descriptor.Categories.Contains(MimallocCategory)));
        }

        // Without a filter BenchmarkDotNet asks interactively which benchmarks to run; run them all instead.
        string[] arguments = args.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h") ? args : [.. args, "--filter", "*"];
        BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(arguments, config);
        return 0;
    }
}
