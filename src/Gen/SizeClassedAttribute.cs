using System;

namespace Gen;

/// <summary>
/// Marks a <c>partial struct</c> whose layout, size class and pointer bitmap the Gen source generator computes at
/// compile time. The generator adds <c>Size</c>, <c>SizeClass</c>, <c>ClassSize</c>, <c>HasPointers</c>,
/// <c>PointerBitmap</c>, <c>Alloc()</c>, <c>AllocUninitialized()</c> and <c>Free(T*)</c>, and implements
/// <see cref="ISizeClassed{TSelf}"/> so that <see cref="Heap.Alloc{T}"/> works with the constants folded.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class SizeClassedAttribute : Attribute
{
}
