namespace Gen.Bench;

/// <summary>
/// The binary-trees node: two child pointers, 16 bytes. Gen allocates it through the generated typed fast path
/// (<c>TreeNode.Alloc()</c>: span class baked in as a constant); the other native peers malloc 16 bytes.
/// </summary>
[SizeClassed]
internal unsafe partial struct TreeNode
{
    public TreeNode* Left;
    public TreeNode* Right;
}

/// <summary>The node of the typed-fast-path micro-benchmark's linked list (issue 3's example struct).</summary>
[SizeClassed]
internal unsafe partial struct ListNode
{
    public ListNode* Next;
    public long Value;
}

/// <summary>The .NET GC's equivalent of <see cref="TreeNode"/>.</summary>
internal sealed class TreeNodeObject(TreeNodeObject? left, TreeNodeObject? right)
{
    public readonly TreeNodeObject? Left = left;
    public readonly TreeNodeObject? Right = right;
}

/// <summary>The .NET GC's equivalent of <see cref="ListNode"/>.</summary>
internal sealed class ListNodeObject
{
    public ListNodeObject? Next;
    public long Value;
}
