# Sourced by measure.sh and emission-cost.sh: the struct corpus both scripts build, so their figures are comparable.
# One struct per kind of field mix, cycling: pointers, padding, fixed buffers, nested structs, unions.
write_structs() { # $1: file, $2: count, $3: attribute text ("" or "[SizeClassed]")
  local file="$1" count="$2" attribute="$3" i
  {
    echo "using System.Runtime.InteropServices;"
    echo "using Gen;"
    echo "namespace Perf;"
    echo "public struct Pair { public long A; public int B; }"
    for ((i = 0; i < count; i++)); do
      case $((i % 5)) in
        0) echo "$attribute public unsafe partial struct S$i { public S$i* Next; public long Value; public int Count; }" ;;
        1) echo "$attribute public unsafe partial struct S$i { public byte Tag; public S$i* Left; public byte Flags; public S$i* Right; public short Kind; }" ;;
        2) echo "$attribute public unsafe partial struct S$i { public fixed byte Name[$((i % 200 + 1))]; public void* Data; }" ;;
        3) echo "$attribute public partial struct S$i { public Pair First; public Pair Second; public double Weight; public bool Live; }" ;;
        4) echo "$attribute [StructLayout(LayoutKind.Explicit)] public unsafe partial struct S$i { [FieldOffset(0)] public long Bits; [FieldOffset(0)] public double Real; [FieldOffset(8)] public void* Tail; }" ;;
      esac
    done
  } > "$file"
}
