using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Gen.Bench.Allocators;

namespace Gen.Bench.Workloads;

/// <summary>
/// binary-trees (the Benchmarks Game program, depth 21): a stretch tree of depth 22, a long-lived tree of depth 21,
/// then for depths 4, 6, .., 21, 2^(25-d) trees built bottom-up, checked (nodes counted) and freed; depths are
/// shared among the threads. Gen allocates <c>[SizeClassed]</c> nodes through the generated <c>TreeNode.Alloc()</c>
/// (its handle peer through <c>ThreadHeap.Alloc&lt;TreeNode&gt;()</c>), the other native peers malloc 16 bytes, and the .NET GC allocates class nodes. It reports wall time.
/// </summary>
internal sealed class BinaryTrees : Workload
{
    private const int MinDepth = 4;

    public override string Name => "binary-trees";
    public override string Description => "many short-lived 16 B tree nodes next to a long-lived tree; Gen uses its typed fast path";
    public override MetricKind Metric => MetricKind.Seconds;
    public override bool FloorCanRun => true;
    public override bool HasManagedForm => true;

    private static int MaxDepth(WorkloadSettings settings) => settings.Quick ? 14 : 21;

    public override unsafe WorkloadResult Run<TAlloc>(WorkloadSettings settings) =>
        Measure(settings, TAlloc.ThreadExit, depth =>
        {
            TAlloc alloc = TAlloc.ForCurrentThread();
            TreeNode* tree = BottomUp(alloc, depth);
            long check = Check(tree);
            Free(alloc, tree);
            return check;
        }, maxDepth =>
        {
            TreeNode* longLived = BottomUp(TAlloc.ForCurrentThread(), maxDepth);
            return () =>
            {
                long check = Check(longLived);
                Free(TAlloc.ForCurrentThread(), longLived);
                return check;
            };
        });

    public override WorkloadResult RunManaged(WorkloadSettings settings) =>
        Measure(settings, threadExit: () => { }, depth => Check(BottomUp(depth)), maxDepth =>
        {
            TreeNodeObject longLived = BottomUp(maxDepth);
            return () => Check(longLived);
        });

    /// <summary>
    /// The program's shape, shared by both forms: <paramref name="buildCheckFree"/> makes, checks and drops one tree;
    /// <paramref name="buildLongLived"/> makes the long-lived tree and returns how to check and drop it at the end;
    /// <paramref name="threadExit"/> is what each worker thread does last.
    /// </summary>
    private static WorkloadResult Measure(WorkloadSettings settings, Action threadExit, Func<int, long> buildCheckFree, Func<int, Func<long>> buildLongLived)
    {
        int maxDepth = MaxDepth(settings);
        Stopwatch stopwatch = Stopwatch.StartNew();
        long checksum = buildCheckFree(maxDepth + 1);
        Func<long> checkLongLived = buildLongLived(maxDepth);

        int depthCount = (maxDepth - MinDepth) / 2 + 1;
        var checks = new long[depthCount];
        int nextDepthIndex = -1;
        WorkloadThreads.RunAndJoin(settings.Threads, _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref nextDepthIndex)) < depthCount)
            {
                int depth = MinDepth + 2 * index;
                int iterations = 1 << (maxDepth - depth + MinDepth);
                long check = 0;
                for (int i = 0; i < iterations; i++)
                {
                    check += buildCheckFree(depth);
                }

                checks[index] = check;
            }
        }, threadExit);

        foreach (long check in checks)
        {
            checksum += check;
        }

        checksum += checkLongLived();

        // A check counts a tree's nodes, so the checksum is also the number of nodes allocated.
        return new WorkloadResult(stopwatch.Elapsed, checksum, (ulong)checksum);
    }

    private static unsafe TreeNode* BottomUp<TAlloc>(TAlloc alloc, int depth) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        // The JIT folds these tests per peer: Gen takes the generated typed path, or the handle's typed path, the
        // others malloc.
        TreeNode* node = typeof(TAlloc) == typeof(GenAllocator) ? TreeNode.Alloc()
            : typeof(TAlloc) == typeof(GenThreadHeapAllocator) ? HandleOf(ref alloc).Alloc<TreeNode>()
            : (TreeNode*)alloc.Alloc((nuint)sizeof(TreeNode));
        if (depth > 0)
        {
            node->Left = BottomUp(alloc, depth - 1);
            node->Right = BottomUp(alloc, depth - 1);
        }
        else
        {
            node->Left = null;
            node->Right = null;
        }

        return node;
    }

    private static unsafe long Check(TreeNode* node) =>
        node->Left == null ? 1 : 1 + Check(node->Left) + Check(node->Right);

    private static unsafe void Free<TAlloc>(TAlloc alloc, TreeNode* node) where TAlloc : INativeAllocator<TAlloc>, allows ref struct
    {
        if (node->Left != null)
        {
            Free(alloc, node->Left);
            Free(alloc, node->Right);
        }

        if (typeof(TAlloc) == typeof(GenAllocator))
        {
            TreeNode.Free(node);
        }
        else if (typeof(TAlloc) == typeof(GenThreadHeapAllocator))
        {
            HandleOf(ref alloc).Free(node);
        }
        else
        {
            alloc.Free(node);
        }
    }

    /// <summary>The thread's handle inside Gen's handle peer (<typeparamref name="TAlloc"/> is that peer).</summary>
    private static ThreadHeap HandleOf<TAlloc>(ref TAlloc alloc) where TAlloc : allows ref struct =>
        Unsafe.As<TAlloc, GenThreadHeapAllocator>(ref alloc).Heap;

    private static TreeNodeObject BottomUp(int depth) =>
        depth > 0 ? new TreeNodeObject(BottomUp(depth - 1), BottomUp(depth - 1)) : new TreeNodeObject(null, null);

    private static long Check(TreeNodeObject node) =>
        node.Left is null ? 1 : 1 + Check(node.Left) + Check(node.Right!);
}
