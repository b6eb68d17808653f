using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace Gen.Generators.Tests;

/// <summary>
/// A project outside this repository uses Gen the documented way (a ProjectReference to src/Gen plus the generator as
/// an Analyzer ProjectReference, by absolute paths), builds with `dotnet build` and runs.
/// </summary>
public class ExternalProjectTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void ProjectOutsideTheRepositoryBuildsAndRunsWithTheGenerator()
    {
        string repository = RepositoryRoot();
        string directory = Path.Combine(Path.GetTempPath(), "gen-external-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "External.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(repository, "src", "Gen", "Gen.csproj")}" />
                    <ProjectReference Include="{Path.Combine(repository, "generators", "Gen.Generators", "Gen.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(directory, "Program.cs"), """
                using Gen;

                unsafe
                {
                    Node* node = Node.Alloc();
                    node->Value = 42;
                    node->Next = Heap.Alloc<Node>();
                    System.Console.WriteLine($"Size={Node.Size} SizeClass={Node.SizeClass} Bitmap={Node.PointerBitmap[0]} Value={node->Value}");
                    Node.Free(node->Next);
                    Node.Free(node);
                }

                [SizeClassed]
                public unsafe partial struct Node { public Node* Next; public long Value; }
                """);

            Run(directory, "build", "-c", "Release", "-nologo", "-v", "q", "-o", Path.Combine(directory, "out"));
            string output = Run(directory, "exec", Path.Combine(directory, "out", "External.dll"));

            Assert.Contains("Size=16 SizeClass=2 Bitmap=1 Value=42", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // The test host's MSBuild variables would otherwise leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(BuildTimeout), $"dotnet {string.Join(' ', arguments)} timed out");
        string output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
        return output;
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
