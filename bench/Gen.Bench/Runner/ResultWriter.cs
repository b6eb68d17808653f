using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Gen.Bench.Runner;

/// <summary>Writes results.json, results.md and chart.png (through gnuplot and chart.gp) and prints the table.</summary>
internal static class ResultWriter
{
    private const string GnuplotPackage = "gnuplot-nox";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(ResultsDocument document, string directory)
    {
        List<string> peerNames = document.Results.Select(r => r.Run.Peer).Distinct().ToList();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(document, RunnerJsonContext.Default.ResultsDocument));
        File.WriteAllText(Path.Combine(directory, "results.md"), Markdown(document));

        string speedData = Path.Combine(directory, "speed.dat");
        string rssData = Path.Combine(directory, "rss.dat");
        File.WriteAllText(speedData, ChartData(document.Results, peerNames, row => 1 / row.GenSpeedOverPeer));
        File.WriteAllText(rssData, ChartData(document.Results, peerNames, row => 1 / row.GenPeakRssOverPeer));
        Plot(speedData, rssData, Path.Combine(directory, "chart.png"));
    }

    /// <summary>The hidden <c>render</c> command: rewrites results.md and the chart from a results.json.</summary>
    public static int Render(string resultsJson, string directory)
    {
        ResultsDocument document = JsonSerializer.Deserialize(File.ReadAllText(resultsJson), RunnerJsonContext.Default.ResultsDocument)
            ?? throw new InvalidDataException($"{resultsJson} holds no results.");
        Write(document, directory);
        return 0;
    }

    public static void PrintTable(IReadOnlyList<ResultRow> rows)
    {
        var table = new Table().AddColumns("Workload", "Threads", "Peer", "Result", "Gen speed ÷ peer", "Peak RSS", "Gen RSS ÷ peer");
        foreach (ResultRow row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Run.Workload), row.Run.Threads.ToString(Invariant), Markup.Escape(row.Run.Peer), Markup.Escape(FormatValue(row)),
                FormatRatio(row.GenSpeedOverPeer), FormatMiB(row.Run.PeakRssKiB), FormatRatio(row.GenPeakRssOverPeer));
        }

        AnsiConsole.Write(table);
    }

    private static string Markdown(ResultsDocument document)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{document.Command}`  ");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {document.Machine}  ");
        if (document.Repeats > 1)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Each figure is the median-speed run of {document.Repeats}, run round by round.  ");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Started: {document.StartedUtc}");
        text.AppendLine();
        text.AppendLine("Gen speed ÷ peer > 1: Gen did the same work faster. Gen RSS ÷ peer < 1: Gen's peak RSS was smaller. " +
            "Peak RSS is the child process's VmHWM, .NET runtime included; the next column subtracts the RSS measured just before the workload started. " +
            "The last column is the workload's elapsed time in each repeat, in the order the repeats ran.");
        text.AppendLine();
        text.AppendLine("| Workload | Threads | Peer | Result | Gen speed ÷ peer | Peak RSS | Gen RSS ÷ peer | Peak RSS above the runtime's baseline | Each repeat, s |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (ResultRow row in document.Results)
        {
            // Results written before the repeats were recorded have none.
            string repeats = row.RepeatSeconds is null ? "" : string.Join(" / ", row.RepeatSeconds.Select(s => s.ToString("0.000", Invariant)));
            text.AppendLine(Invariant,
                $"| {row.Run.Workload} | {row.Run.Threads} | {row.Run.Peer} | {FormatValue(row)} | {FormatRatio(row.GenSpeedOverPeer)} | {FormatMiB(row.Run.PeakRssKiB)} | {FormatRatio(row.GenPeakRssOverPeer)} | {FormatMiB(row.Run.PeakRssKiB - row.Run.BaselineRssKiB)} | {repeats} |");
        }

        foreach (ResultRow row in document.Results.Where(r => r.Run.RssSamplesKiB.Count > 0))
        {
            text.AppendLine();
            text.Append(Invariant, $"RSS of {row.Run.Workload} × {row.Run.Peer} at each tenth of the run: ");
            text.AppendLine(string.Join(" → ", row.Run.RssSamplesKiB.Select(FormatMiB)));
        }

        if (document.Failures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Failures:");
            foreach (string failure in document.Failures)
            {
                text.AppendLine(Invariant, $"- {failure}");
            }
        }

        return text.ToString();
    }

    /// <summary>One row per (workload, threads), one column per peer: the peer's figure relative to Gen's (Gen = 1).</summary>
    private static string ChartData(IReadOnlyList<ResultRow> rows, IReadOnlyList<string> peerNames, Func<ResultRow, double?> relativeToGen)
    {
        var text = new StringBuilder();
        text.AppendLine("workload " + string.Join(' ', peerNames));
        foreach (var group in rows.GroupBy(r => (r.Run.Workload, r.Run.Threads)))
        {
            text.Append(Invariant, $"\"{group.Key.Workload}/{group.Key.Threads}t\"");
            foreach (string peer in peerNames)
            {
                double? value = group.Where(r => r.Run.Peer == peer).Select(relativeToGen).FirstOrDefault();
                text.Append(' ').Append(value is double v ? v.ToString("G4", Invariant) : "NaN");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static void Plot(string speedData, string rssData, string chart)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "chart.gp");
        var startInfo = new ProcessStartInfo("gnuplot") { UseShellExecute = false, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-e");
        startInfo.ArgumentList.Add($"speedfile='{speedData}'; rssfile='{rssData}'; outfile='{chart}'");
        startInfo.ArgumentList.Add(script);
        try
        {
            using Process gnuplot = Process.Start(startInfo)!;
            string errors = gnuplot.StandardError.ReadToEnd();
            gnuplot.WaitForExit();
            if (gnuplot.ExitCode != 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]gnuplot failed ({gnuplot.ExitCode}): {errors}[/]");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]No chart: gnuplot is not installed (Debian package {GnuplotPackage}).[/]");
        }
    }

    private static string FormatValue(ResultRow row) => row.Metric == "s"
        ? row.Value.ToString("0.000", Invariant) + " s"
        : (row.Value / 1e6).ToString("0.00", Invariant) + " M " + row.Metric;

    private static string FormatRatio(double? ratio) => ratio is double r ? r.ToString("0.00", Invariant) + "×" : "–";

    private static string FormatMiB(long kib) => (kib / 1024.0).ToString("0.0", Invariant) + " MiB";
}
