using BenchmarkDotNet.Attributes;

namespace Gen.Bench.Micro;

/// <summary>
/// Issue 3's benchmark: the generated <c>ListNode.Alloc()/Free()</c> against the generic <c>Heap.Alloc&lt;T&gt;()</c>,
/// Gen's untyped <c>Heap.Alloc(size)/Free</c> and <c>new</c> of an equivalent class. The workload keeps a live set: a
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

    [GlobalSetup(Targets = [nameof(GeneratedAllocFree), nameof(HeapAllocGenericFree), nameof(HeapAllocSizeFree)])]
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

    [GlobalCleanup(Targets = [nameof(GeneratedAllocFree), nameof(HeapAllocGenericFree), nameof(HeapAllocSizeFree)])]
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
    public void GeneratedAllocFree()
    {
        for (int i = 0; i < OperationsPerInvocation; i++)
        {
            ListNode* node = ListNode.Alloc();
            node->Value = i;
            _tail->Next = node;
            _tail = node;
            ListNode* oldest = _head;
            _head = oldest->Next;
            ListNode.Free(oldest);
        }
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void HeapAllocGenericFree()
    {
        for (int i = 0; i < OperationsPerInvocation; i++)
        {
            ListNode* node = Heap.Alloc<ListNode>();
            node->Value = i;
            _tail->Next = node;
            _tail = node;
            ListNode* oldest = _head;
            _head = oldest->Next;
            Heap.Free<ListNode>(oldest);
        }
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation)]
    public void HeapAllocSizeFree()
    {
        for (int i = 0; i < OperationsPerInvocation; i++)
        {
            var node = (ListNode*)Heap.Alloc((nuint)sizeof(ListNode));
            node->Value = i;
            _tail->Next = node;
            _tail = node;
            ListNode* oldest = _head;
            _head = oldest->Next;
            Heap.Free(oldest);
        }
    }

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
}
