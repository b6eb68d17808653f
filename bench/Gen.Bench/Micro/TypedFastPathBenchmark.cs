using BenchmarkDotNet.Attributes;

namespace Gen.Bench.Micro;

/// <summary>
/// Issue 3's benchmark: the generated <c>ListNode.Alloc()/Free()</c> against the generic <c>Heap.Alloc&lt;T&gt;()</c>,
/// the same through a <see cref="ThreadHeap"/>, Gen's untyped <c>Heap.Alloc(size)/Free</c> and <c>new</c> of an
/// equivalent class. The workload keeps a live set: a
/// FIFO linked list of 2^20 nodes where each operation links a new node at the tail and unlinks (frees, or drops
/// for the GC) the oldest. Nodes live long enough to be promoted, so the GC's figure includes its collection cost
/// (the Gen0/Gen1/Gen2 columns show how many ran).
/// </summary>
[Config(typeof(MicroConfig))]
public unsafe class TypedFastPathBenchmark
{
    private const int LiveNodes = 1 << 20;
    private const int OperationsPerInvocation = 1024;

    private ListNode* _head;
    private ListNode* _tail;
    private ListNodeObject? _headObject;
    private ListNodeObject? _tailObject;

    [GlobalSetup(Targets = [nameof(GeneratedAllocFree), nameof(HeapAllocGenericFree), nameof(ThreadHeapAllocGenericFree),
        nameof(HeapAllocSizeFree)])]
    public void SetupNative()
    {
        _head = _tail = ListNode.Alloc();
        for (int i = 1; i < LiveNodes; i++)
        {
            ListNode* node = ListNode.Alloc();
            node->Value = i;
            _tail->Next = node;
            _tail = node;
        }
    }

    [GlobalCleanup(Targets = [nameof(GeneratedAllocFree), nameof(HeapAllocGenericFree), nameof(ThreadHeapAllocGenericFree),
        nameof(HeapAllocSizeFree)])]
    public void CleanupNative()
    {
        while (_head != null)
        {
            ListNode* next = _head->Next;
            ListNode.Free(_head);
            _head = next;
        }

        _tail = null;
    }

    [GlobalSetup(Target = nameof(NewObject))]
    public void SetupManaged()
    {
        _headObject = _tailObject = new ListNodeObject();
        for (int i = 1; i < LiveNodes; i++)
        {
            var node = new ListNodeObject { Value = i };
            _tailObject.Next = node;
            _tailObject = node;
        }
    }

    [GlobalCleanup(Target = nameof(NewObject))]
    public void CleanupManaged() => _headObject = _tailObject = null;

    [Benchmark(Baseline = true, OperationsPerInvoke = OperationsPerInvocation)]
    public void GeneratedAllocFree() => ReplaceOldest(new GeneratedNodes());

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void HeapAllocGenericFree() => ReplaceOldest(new GenericHeapNodes());

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void ThreadHeapAllocGenericFree() => ReplaceOldest(new ThreadHeapNodes(Heap.ForCurrentThread()));

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void HeapAllocSizeFree() => ReplaceOldest(new UntypedHeapNodes());

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void NewObject()
    {
        for (int i = 0; i < OperationsPerInvocation; i++)
        {
            var node = new ListNodeObject { Value = i };
            _tailObject!.Next = node;
            _tailObject = node;
            _headObject = _headObject!.Next;
        }
    }

    /// <summary>Links a new node at the tail and frees the oldest, 1024 times, through one of Gen's APIs.</summary>
    private void ReplaceOldest<TNodes>(TNodes nodes) where TNodes : IListNodeAllocator, allows ref struct
    {
        for (int i = 0; i < OperationsPerInvocation; i++)
        {
            ListNode* node = nodes.Alloc();
            node->Value = i;
            _tail->Next = node;
            _tail = node;
            ListNode* oldest = _head;
            _head = oldest->Next;
            nodes.Free(oldest);
        }
    }

    /// <summary>One of Gen's ways to allocate a zeroed <see cref="ListNode"/>; a struct so that each is inlined.</summary>
    private interface IListNodeAllocator
    {
        ListNode* Alloc();
        void Free(ListNode* node);
    }

    /// <summary>The members the [SizeClassed] generator emits.</summary>
    private readonly struct GeneratedNodes : IListNodeAllocator
    {
        public ListNode* Alloc() => ListNode.Alloc();
        public void Free(ListNode* node) => ListNode.Free(node);
    }

    /// <summary>The generic API over <see cref="ISizeClassed{TSelf}"/>.</summary>
    private readonly struct GenericHeapNodes : IListNodeAllocator
    {
        public ListNode* Alloc() => Heap.Alloc<ListNode>();
        public void Free(ListNode* node) => Heap.Free<ListNode>(node);
    }

    /// <summary>The generic API through the thread's handle: no TLS read per call.</summary>
    private readonly ref struct ThreadHeapNodes(ThreadHeap heap) : IListNodeAllocator
    {
        private readonly ThreadHeap _heap = heap;
        public ListNode* Alloc() => _heap.Alloc<ListNode>();
        public void Free(ListNode* node) => _heap.Free(node);
    }

    /// <summary>The untyped API: the size class is looked up at run time.</summary>
    private readonly struct UntypedHeapNodes : IListNodeAllocator
    {
        public ListNode* Alloc() => (ListNode*)Heap.Alloc((nuint)sizeof(ListNode));
        public void Free(ListNode* node) => Heap.Free(node);
    }
}
