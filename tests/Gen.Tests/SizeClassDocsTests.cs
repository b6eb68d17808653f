using System;
using System.IO;
using Xunit;

namespace Gen.Tests;

public class SizeClassDocsTests
{
    [Fact]
    public void DocsTableIsTheComputedTable()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "size-classes.md")).ReplaceLineEndings("\n");
        const string fence = "```text\n";
        int start = docs.IndexOf(fence, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/size-classes.md has no ```text block");
        start += fence.Length;
        int end = docs.IndexOf("```", start, StringComparison.Ordinal);
        Assert.Equal(SizeClasses.FormatTable(), docs[start..end]);
    }

    [Fact]
    public void TableHasOneRowPerClassWithGoColumns()
    {
        string[] lines = SizeClasses.FormatTable().TrimEnd('\n').Split('\n');
        Assert.Equal("class  bytes/obj  bytes/span  objects  tail-waste  max-waste%", lines[0]);
        Assert.Equal(SizeClasses.Count, lines.Length); // header + classes 1..67
        Assert.Equal("    3         24        8192      341           8      29.24%", lines[3]);
        Assert.Equal("   67      32768       32768        1           0      12.50%", lines[^1]);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln"))) return dir.FullName;
        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
