#:property PublishAot=false
// Writes ../Corpus.g.cs: several hundred [SizeClassed] structs covering every layout feature the generator's
// engine handles, alone and in nested combinations, plus the code that measures each one with the runtime.
//
//   dotnet run tests/Gen.LayoutCorpus.Tests/tools/GenerateCorpus.cs
//
// The corpus is deterministic (fixed seed); commit the regenerated file. The tool knows no layout rules: it only
// builds declarations and, for each data pointer, an assignment path; the test finds where the runtime stores it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

const int Seed = 20261121;
const int RandomSequentialCount = 140;
const int RandomExplicitCount = 40;
const int RandomSizedCount = 20;
const string ReferencedAlias = "Referenced";
const string Enums = """
    public enum ByteEnum : byte { A }
    public enum ShortEnum : short { A }
    public enum IntEnum { A }
    public enum LongEnum : long { A }

    """;

var random = new Random(Seed);
var output = new StringBuilder();
var cases = new List<string>();
int caseNumber = 0;

// A field type the corpus can use: its C# text, and the member paths (with pointer types) of its data pointers.
// PointerFree types may appear under Pack < 8 (a pointer there could not be traced, so the generator would skip it);
// Plain types may also appear in readonly structs and record-struct parameters (no pointers of any kind).
var leaves = new List<Member>();
void Leaf(string type, params Pointer[] pointers) => leaves.Add(new Member(type, pointers, IsHelper: false));

foreach (string primitive in new[] { "byte", "sbyte", "bool", "char", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "nint", "nuint", "decimal" })
    Leaf(primitive);
foreach (string enumType in new[] { "ByteEnum", "ShortEnum", "IntEnum", "LongEnum", "System.DayOfWeek", "System.TypeCode" }) Leaf(enumType);
// Every framework struct of the engine's KnownLayouts table, plus KeyValuePair (laid out from its type arguments).
foreach (string known in new[]
{
    "System.Guid", "System.DateTime", "System.TimeSpan", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly",
    "System.Half", "System.Int128", "System.UInt128", "System.Index", "System.Range", "System.Text.Rune",
    "System.Runtime.InteropServices.NFloat",
    "System.Runtime.Intrinsics.Vector64<int>", "System.Runtime.Intrinsics.Vector128<byte>",
    "System.Runtime.Intrinsics.Vector256<double>", "System.Runtime.Intrinsics.Vector512<float>",
    "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4", "System.Numerics.Quaternion",
    "System.Numerics.Plane", "System.Numerics.Matrix3x2", "System.Numerics.Matrix4x4", "System.Numerics.Complex",
    "System.Drawing.Point", "System.Drawing.PointF", "System.Drawing.Size", "System.Drawing.SizeF",
    "System.Drawing.Rectangle", "System.Drawing.RectangleF",
    "System.Collections.Generic.KeyValuePair<int, long>", "System.Collections.Generic.KeyValuePair<byte, System.Guid>",
})
{
    Leaf(known);
}
var knownLeafCount = leaves.Count;
Leaf("void*", new Pointer("", "void*"));
Leaf("int*", new Pointer("", "int*"));
Leaf("byte**", new Pointer("", "byte**"));
Leaf("HPtr*", new Pointer("", "HPtr*"));
Leaf("delegate*<int, void>");
Leaf("delegate* unmanaged<nint, int>");

// Helper structs: declared once, used as fields (from the same assembly, so the engine reads their symbols).
var helperDeclarations = new StringBuilder();
var helpers = new List<Member>();
void Helper(string name, string declaration, params Pointer[] pointers)
{
    helperDeclarations.Append(declaration).Append('\n');
    helpers.Add(new Member(name, pointers, IsHelper: true));
}

Helper("HEmpty", "public struct HEmpty { }");
Helper("HPtr", "public unsafe struct HPtr { public void* P; }", new Pointer(".P", "void*"));
Helper("HBytePtr", "public unsafe struct HBytePtr { public byte B; public int* P; }", new Pointer(".P", "int*"));
Helper("HPack1", "[StructLayout(LayoutKind.Sequential, Pack = 1)] public struct HPack1 { public byte B; public long L; }");
Helper("HPack2", "[StructLayout(LayoutKind.Sequential, Pack = 2)] public struct HPack2 { public byte B; public int I; public short S; }");
Helper("HPack4", "[StructLayout(LayoutKind.Sequential, Pack = 4)] public struct HPack4 { public byte B; public long L; }");
Helper("HPack16", "[StructLayout(LayoutKind.Sequential, Pack = 16)] public struct HPack16 { public byte B; public long L; }");
Helper("HSize5", "[StructLayout(LayoutKind.Sequential, Size = 5)] public struct HSize5 { public int I; }");
Helper("HSize3Empty", "[StructLayout(LayoutKind.Sequential, Size = 3)] public struct HSize3Empty { }");
Helper("HSizeSmall", "[StructLayout(LayoutKind.Sequential, Size = 2)] public struct HSizeSmall { public int I; public byte B; }");
Helper("HSize20", "[StructLayout(LayoutKind.Sequential, Size = 20)] public struct HSize20 { public long L; public byte B; }");
Helper("HUnion", "[StructLayout(LayoutKind.Explicit)] public unsafe struct HUnion { [FieldOffset(0)] public long Bits; [FieldOffset(0)] public void* P; [FieldOffset(8)] public int Tag; }", new Pointer(".P", "void*"));
Helper("HUnionOdd", "[StructLayout(LayoutKind.Explicit)] public struct HUnionOdd { [FieldOffset(1)] public long L; [FieldOffset(0)] public byte B; }");
Helper("HUnionPack2", "[StructLayout(LayoutKind.Explicit, Pack = 2)] public struct HUnionPack2 { [FieldOffset(0)] public byte B; [FieldOffset(2)] public int I; }");
Helper("HUnionSized", "[StructLayout(LayoutKind.Explicit, Size = 5)] public struct HUnionSized { [FieldOffset(0)] public int I; }");
Helper("HUnionI128", "[StructLayout(LayoutKind.Explicit)] public struct HUnionI128 { [FieldOffset(0)] public byte B; [FieldOffset(8)] public System.Int128 V; }");
Helper("HFixed", "public unsafe struct HFixed { public byte B; public fixed short F[3]; public byte C; }");
Helper("HFixedLong", "public unsafe struct HFixedLong { public fixed long F[3]; }");
Helper("HFixedThenPtr", "public unsafe struct HFixedThenPtr { public fixed byte F[5]; public void* P; }", new Pointer(".P", "void*"));
Helper("HInlineBytes", "[InlineArray(3)] public struct HInlineBytes { public byte B; }");
Helper("HInlinePtrs", "[InlineArray(4)] public struct HInlinePtrs { public HPtr E; }",
    Enumerable.Range(0, 4).Select(i => new Pointer($"[{i}].P", "void*")).ToArray());
Helper("HInlineSize5", "[InlineArray(3)] public struct HInlineSize5 { public HSize5 E; }");
Helper("HInlineInt128", "[InlineArray(2)] public struct HInlineInt128 { public System.Int128 E; }");
Helper("HRecord", "public record struct HRecord(byte Tag, double Value) { public short Extra; }");
Helper("HReadOnly", "public readonly struct HReadOnly { public readonly int A; public readonly long B; public readonly byte C; }");
Helper("HAutoProps", "public unsafe struct HAutoProps { public byte A { get; set; } public long B { get; set; } public int* P { get; set; } }", new Pointer(".P", "int*"));
Helper("HEnums", "public struct HEnums { public ByteEnum E; public LongEnum L; public ShortEnum S; }");
Helper("HFunctionPointer", "public unsafe struct HFunctionPointer { public delegate*<void> F; public byte B; }");
Helper("HWithInt128", "public struct HWithInt128 { public byte B; public System.Int128 V; }");
Helper("HWithVector256", "public struct HWithVector256 { public byte B; public System.Runtime.Intrinsics.Vector256<byte> V; }");
Helper("HPack8Int128", "[StructLayout(LayoutKind.Sequential, Pack = 8)] public struct HPack8Int128 { public byte B; public System.Int128 V; }");
Helper("HNested2", "public struct HNested2 { public HBytePtr X; public byte Y; public HUnion U; }", new Pointer(".X.P", "int*"), new Pointer(".U.P", "void*"));
Helper("HNested3", "public struct HNested3 { public HNested2 N; public HInlinePtrs I; public HSize5 S; }",
    new[] { new Pointer(".N.X.P", "int*"), new Pointer(".N.U.P", "void*") }
        .Concat(Enumerable.Range(0, 4).Select(i => new Pointer($".I[{i}].P", "void*"))).ToArray());

// A generic helper: the engine lays out each instantiation from its substituted field types.
helperDeclarations.Append("public struct HPair<T1, T2> where T1 : unmanaged where T2 : unmanaged { public T1 A; public T2 B; }\n");
helpers.Add(new Member("HPair<byte, long>", Array.Empty<Pointer>(), IsHelper: true));
helpers.Add(new Member("HPair<HPtr, int>", new[] { new Pointer(".A.P", "void*") }, IsHelper: true));
helpers.Add(new Member("HPair<HPack1, HInlinePtrs>", Enumerable.Range(0, 4).Select(i => new Pointer($".B[{i}].P", "void*")).ToArray(), IsHelper: true));

// The same helpers compiled into a referenced assembly (ReferencedStructs/), where the engine reads them from
// metadata (a Roslyn-built reference assembly) instead of source.
List<Member> referencedHelpers = helpers.Select(h => h with { Type = ReferencedAlias + "." + h.Type }).ToList();
List<Member> all = leaves.Concat(helpers).Concat(referencedHelpers).ToList();
List<Member> pointerFree = all.Where(m => m.Pointers.Length == 0).ToList();
List<Member> plain = pointerFree.Where(m => !m.Type.Contains('*')).ToList();

output.Append("""
    // <auto-generated/>
    // Generated by tools/GenerateCorpus.cs; do not edit. Regenerate: dotnet run tests/Gen.LayoutCorpus.Tests/tools/GenerateCorpus.cs
    using System.Runtime.CompilerServices;
    using System.Runtime.InteropServices;
    using Gen;
    using Referenced = Gen.LayoutCorpus.ReferencedStructs;

    namespace Gen.LayoutCorpus.Tests;


    """);
output.Append(Enums).Append(helperDeclarations).Append('\n');

// 1. Every leaf and helper alone, and between two bytes (which exposes its alignment).
foreach (Member member in all)
{
    Emit(Fields(member));
    Emit(Fields(Leaf1("byte"), member, Leaf1("byte")));
}

// 2. Random sequential structs, sometimes packed (pointer-free then, unless Pack >= 8).
for (int i = 0; i < RandomSequentialCount; i++)
{
    int[] packs = { 0, 0, 0, 1, 2, 4, 8, 16 };
    int pack = packs[random.Next(packs.Length)];
    List<Member> pool = pack is > 0 and < 8 ? pointerFree : all;
    Member[] members = Enumerable.Range(0, random.Next(1, 9)).Select(_ => pool[random.Next(pool.Count)]).ToArray();
    string attribute = pack == 0 ? "" : $"[StructLayout(LayoutKind.Sequential, Pack = {pack})] ";
    switch (i % 4)
    {
        case 0: Emit(Fields(members), attribute); break;
        case 1: Emit(Fields(members), attribute, asProperties: true); break;
        case 2: Emit(Fields(members), attribute, nested: true); break;
        default: Emit(Fields(members), attribute, withStatics: true); break;
    }
}

// 3. Random explicit layouts (unions): pointer-bearing fields at multiples of 8, others anywhere; sometimes Pack/Size.
for (int i = 0; i < RandomExplicitCount; i++)
{
    var fields = new List<FieldSpec>();
    int count = random.Next(1, 6);
    for (int f = 0; f < count; f++)
    {
        Member member = all[random.Next(all.Count)];
        int offset = member.Pointers.Length > 0 ? 8 * random.Next(0, 6) : random.Next(0, 41);
        fields.Add(new FieldSpec(member, offset));
    }
    string extra = (i % 3) switch { 1 => ", Size = " + random.Next(1, 80), 2 => ", Pack = " + new[] { 1, 2, 4 }[random.Next(3)], _ => "" };
    if (extra.Contains("Pack") && fields.Any(f => f.Member.Pointers.Length > 0)) extra = "";
    Emit(fields, $"[StructLayout(LayoutKind.Explicit{extra})] ");
}

// 4. Random declared sizes, below and above the fields' natural size.
for (int i = 0; i < RandomSizedCount; i++)
{
    Member[] members = Enumerable.Range(0, random.Next(1, 5)).Select(_ => all[random.Next(all.Count)]).ToArray();
    Emit(Fields(members), $"[StructLayout(LayoutKind.Sequential, Size = {random.Next(1, 120)})] ");
}

// 5. readonly structs and record structs (pointer-free: their members are not settable / need equality).
for (int i = 0; i < 20; i++)
{
    Member[] members = Enumerable.Range(0, random.Next(1, 6)).Select(_ => plain[random.Next(plain.Count)]).ToArray();
    if (i % 2 == 0) EmitReadOnly(members);
    else EmitRecord(members);
}

// 6. Large objects (more than 32 KiB: size class 0) with pointers before and after a big buffer.
foreach (int bufferBytes in new[] { 32761, 32768, 40000, 65536, 100003 })
{
    Emit(Fields(Leaf1("HPtr"), new Member("byte", Array.Empty<Pointer>(), IsHelper: false, FixedLength: bufferBytes), Leaf1("HNested2")));
}

// 7. Hand-written shapes: primary constructor parameters used only in initializers (no hidden field), and a
//    readonly record struct with an extra field.
EmitCustom("public unsafe partial struct {0}(long seed) {{ public long F0 = seed; public void* F1; public int F2 {{ get; }} = (int)seed; }}", new Pointer("F1", "void*"));
EmitCustom("public readonly partial record struct {0}(double X, double Y) {{ public readonly double Length = System.Math.Sqrt(X * X + Y * Y); }}");

output.Append("""

    internal static unsafe class Corpus
    {
        /// <summary>Every corpus struct, measured.</summary>
        public static readonly CorpusCase[] Cases =
        {

    """);
foreach (string line in cases) output.Append("        ").Append(line).Append('\n');
output.Append("    };\n\n    /// <summary>The framework types the corpus embeds (each KnownLayouts entry must be among them).</summary>\n");
output.Append("    public static readonly System.Type[] FrameworkTypes =\n    {\n");
foreach (Member known in leaves.Take(knownLeafCount).Where(m => m.Type.StartsWith("System.", StringComparison.Ordinal)))
    output.Append("        typeof(").Append(known.Type).Append("),\n");
output.Append("        typeof(decimal),\n    };\n}\n");

string target = Path.Combine(ToolDirectory(), "..", "Corpus.g.cs");
File.WriteAllText(target, output.ToString().Replace("\r\n", "\n"));
Console.WriteLine($"Wrote {cases.Count} corpus structs to {Path.GetFullPath(target)}");

string referencedTarget = Path.Combine(ToolDirectory(), "..", "ReferencedStructs", "ReferencedStructs.g.cs");
File.WriteAllText(referencedTarget, $"""
    // <auto-generated/>
    // Generated by ../tools/GenerateCorpus.cs; do not edit.
    using System.Runtime.CompilerServices;
    using System.Runtime.InteropServices;

    namespace Gen.LayoutCorpus.ReferencedStructs;


    """ + Enums + helperDeclarations.ToString().Replace("\r\n", "\n"));
Console.WriteLine($"Wrote the helper structs ({helpers.Count} used as field types) to {Path.GetFullPath(referencedTarget)}");
return;

Member Leaf1(string type) => all.First(m => m.Type == type);

List<FieldSpec> Fields(params Member[] members) => members.Select(m => new FieldSpec(m, -1)).ToList();

// asProperties: auto-properties (backing fields) where the pointer paths allow it (a struct-typed property's members
// cannot be assigned through it). withStatics: static fields, constants and a computed property between the instance
// fields, which take no space.
void Emit(List<FieldSpec> fields, string attributes = "", bool asProperties = false, bool nested = false, bool withStatics = false)
{
    string name = $"C{++caseNumber:D3}";
    var members = new List<string>();
    var setters = new List<string>();
    for (int i = 0; i < fields.Count; i++)
    {
        FieldSpec field = fields[i];
        string fieldName = "F" + i;
        string offset = field.Offset >= 0 ? $"[FieldOffset({field.Offset})] " : "";
        if (field.Member.FixedLength > 0)
            members.Add($"public fixed {field.Member.Type} {fieldName}[{field.Member.FixedLength}];");
        else if (asProperties && field.Member.Pointers.All(p => p.Path.Length == 0))
            members.Add($"public {field.Member.Type} {fieldName} {{ get; set; }}");
        else
            members.Add($"{offset}public {field.Member.Type} {fieldName};");
        if (withStatics)
            members.Add($"public static long S{i}; public const int K{i} = {i}; public int Twice{i} => {i} * 2;");
        foreach (Pointer pointer in field.Member.Pointers)
            setters.Add($"static (ref {Qualified(name, nested)} s) => s.{fieldName}{pointer.Path} = ({pointer.Type})CorpusCase.Sentinel");
    }
    string declaration = $"{attributes}[SizeClassed] public unsafe partial struct {name} {{ {string.Join(" ", members)} }}";
    output.Append(nested ? $"public static partial class CorpusOuter{caseNumber:D3} {{ {declaration} }}\n" : declaration + "\n");
    cases.Add($"CorpusCase.Of<{Qualified(name, nested)}>({string.Join(", ", setters)}),");
}

void EmitReadOnly(Member[] members)
{
    string name = $"C{++caseNumber:D3}";
    string fields = string.Concat(members.Select((m, i) => $" public readonly {m.Type} F{i};"));
    output.Append($"[SizeClassed] public readonly partial struct {name} {{{fields} }}\n");
    cases.Add($"CorpusCase.Of<{name}>(),");
}

void EmitRecord(Member[] members)
{
    string name = $"C{++caseNumber:D3}";
    string parameters = string.Join(", ", members.Select((m, i) => $"{m.Type} P{i}"));
    output.Append($"[SizeClassed] public partial record struct {name}({parameters}) {{ public byte Tail; }}\n");
    cases.Add($"CorpusCase.Of<{name}>(),");
}

// declarationFormat: the declaration without [SizeClassed], with {0} for the struct's name; pointers: member paths.
void EmitCustom(string declarationFormat, params Pointer[] pointers)
{
    string name = $"C{++caseNumber:D3}";
    output.Append("[SizeClassed] ").Append(string.Format(declarationFormat, name)).Append('\n');
    IEnumerable<string> setters = pointers.Select(p => $"static (ref {name} s) => s.{p.Path} = ({p.Type})CorpusCase.Sentinel");
    cases.Add($"CorpusCase.Of<{name}>({string.Join(", ", setters)}),");
}

string Qualified(string name, bool nested) => nested ? $"CorpusOuter{name.Substring(1)}.{name}" : name;

static string ToolDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

/// <summary>A data pointer inside a field type: the member path from the field (".X.P", "[2].P", "") and its type.</summary>
record Pointer(string Path, string Type);

record Member(string Type, Pointer[] Pointers, bool IsHelper, int FixedLength = 0);

/// <summary>A field of a corpus struct; Offset is its [FieldOffset], or -1 for sequential layout.</summary>
record FieldSpec(Member Member, int Offset);
