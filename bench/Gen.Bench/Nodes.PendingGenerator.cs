namespace Gen.Bench;

// INTERIM, until branch `generator` is merged: these are the members the [SizeClassed] source generator adds,
// written by hand over Gen's untyped API so that the benchmarks build today. They have none of the generated fast
// path's advantages (the size class is looked up at run time), so figures measured with them say nothing about it.
// When the generator lands: put [SizeClassed] on TreeNode and ListNode in Nodes.cs and delete this file.

internal unsafe partial struct TreeNode
{
    public static TreeNode* Alloc() => (TreeNode*)Heap.Alloc((nuint)sizeof(TreeNode));
    public static void Free(TreeNode* node) => Heap.Free(node);
}

internal unsafe partial struct ListNode
{
    public static ListNode* Alloc() => (ListNode*)Heap.Alloc((nuint)sizeof(ListNode));
    public static void Free(ListNode* node) => Heap.Free(node);
}
