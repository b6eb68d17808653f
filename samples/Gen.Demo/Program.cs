// Gen's demo: an order book (a binary tree of price levels, each a linked list of orders) and a market-data feed
// whose messages are allocated on one thread and freed on another, all on Gen's heap; then the heap's statistics.
// `dotnet run -c Release --project samples/Gen.Demo -- sizeclasses` prints Go's size class table instead.

using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Gen;
using Gen.Demo;

if (args is ["sizeclasses"])
{
    Console.Write(SizeClasses.FormatTable());
    return 0;
}
if (args.Length > 0)
{
    Console.Error.WriteLine("usage: Gen.Demo [sizeclasses]");
    return 2;
}

Console.WriteLine("Gen demo: an order book and a market-data feed on a Go-style native heap");
Console.WriteLine();
Console.WriteLine("Compile-time facts from [SizeClassed] (no reflection, constants in the generated code):");
Describe<Order>("Order");
Describe<PriceLevel>("PriceLevel");
Describe<Tick>("Tick");
Console.WriteLine($"  an 18-byte request is class {SizeClasses.ClassOf(18)} ({SizeClasses.ObjectSize(SizeClasses.ClassOf(18))} B); " +
                  $"{SizeClasses.Count - 1} classes up to {SizeClasses.MaxSmallSize} B, larger objects take whole {SizeClasses.PageSize / 1024} KiB pages");
Console.WriteLine();

var clock = Stopwatch.StartNew();
long filled = RunOrderBook(orders: 1_000_000, seed: 42);
Console.WriteLine($"Order book: 1,000,000 orders added and {filled:N0} lots matched in {clock.ElapsedMilliseconds} ms");

clock.Restart();
(long messages, long bytes) = RunFeed(messages: 400_000, seed: 7);
Console.WriteLine($"Feed: {messages:N0} messages ({bytes / (1024 * 1024):N0} MiB) allocated on a producer thread, " +
                  $"checked and freed on a consumer thread in {clock.ElapsedMilliseconds} ms");
Console.WriteLine();

HeapStats stats = Heap.GetStats();
PrintStats("Heap statistics after the workload (Go's MemStats fields)", stats);
Heap.ReleaseMemory();
HeapStats released = Heap.GetStats();
Console.WriteLine($"After Heap.ReleaseMemory(): HeapReleased {Mib(released.HeapReleased)} of HeapIdle {Mib(released.HeapIdle)}");
Console.WriteLine();
PrintBusiestClasses(released);

bool clean = released.HeapObjects == 0 && released.Mallocs == released.Frees;
Console.WriteLine(clean ? "Every object was freed: HeapObjects = 0, Mallocs = Frees." : "LEAK: objects remain on the heap.");
return clean ? 0 : 1;

static unsafe void Describe<T>(string name) where T : unmanaged, ISizeClassed<T>
{
    T* sample = Heap.Alloc<T>();
    string bitmap = Convert.ToHexString(Heap.GetPointerBitmap(sample));
    Heap.Free(sample);
    int waste = T.ClassSize - T.Size;
    Console.WriteLine($"  {name,-10} {T.Size,3} B -> class {T.SizeClass,2} ({T.ClassSize,3} B, {waste,2} B spare), " +
                      (T.HasPointers ? $"scan span, pointer bitmap 0x{bitmap}" : "noscan span (no pointers)"));
}

static long RunOrderBook(int orders, int seed)
{
    var random = new Random(seed);
    using var book = new OrderBook();
    long filled = 0;
    for (int i = 0; i < orders; i++)
    {
        book.Add(price: 10_000 + random.Next(2_000), id: i, quantity: 1 + random.Next(100), trader: random.Next(500));
        if (i % 4 == 3) filled += book.Match(random.Next(1, 300));
    }
    return filled;
}

static unsafe (long Messages, long Bytes) RunFeed(int messages, int seed)
{
    // Bounded hand-off: the consumer frees what the producer allocated (cross-thread frees).
    using var queue = new BlockingCollection<nint>(boundedCapacity: 4096);
    long totalBytes = 0;
    var producer = new Thread(() =>
    {
        var random = new Random(seed);
        ThreadHeap heap = Heap.ForCurrentThread(); // this thread's cache, found once for the whole loop
        for (int i = 0; i < messages; i++)
        {
            // Mostly small messages, some up to 32 KiB, a few large (page-heap) ones.
            int size = random.Next(100) switch
            {
                < 80 => random.Next(16, 512),
                < 99 => random.Next(512, 32 * 1024),
                _ => random.Next(64 * 1024, 1024 * 1024),
            };
            byte* message = (byte*)heap.AllocUninitialized((nuint)size);
            *(int*)message = size;
            new Span<byte>(message + sizeof(int), size - sizeof(int)).Fill((byte)size);
            totalBytes += size;
            if (i % 16 == 0)
            {
                Tick* tick = heap.Alloc<Tick>();
                tick->Price = i;
                heap.Free(tick);
            }
            queue.Add((nint)message);
        }
        queue.CompleteAdding();
        // Done allocating: the cache goes back to the central lists now rather than when Gen notices the thread has
        // exited, and the consumer's frees into its spans from here on go straight to them. (heap is not used again.)
        Heap.ReleaseThreadCache();
    });
    var consumer = new Thread(() =>
    {
        ThreadHeap heap = Heap.ForCurrentThread();
        foreach (nint handle in queue.GetConsumingEnumerable())
        {
            byte* message = (byte*)handle;
            int size = *(int*)message;
            if (new ReadOnlySpan<byte>(message + sizeof(int), size - sizeof(int)).IndexOfAnyExcept((byte)size) >= 0)
                throw new InvalidOperationException("a message was overwritten");
            heap.Free(message); // the producer's objects go back to the producer's spans
        }
        Heap.ReleaseThreadCache();
    });
    producer.Start();
    consumer.Start();
    producer.Join();
    consumer.Join();
    return (messages, totalBytes);
}

static void PrintStats(string title, HeapStats s)
{
    Console.WriteLine(title + ":");
    Console.WriteLine($"  HeapAlloc    {Mib(s.HeapAlloc),12}   bytes of live objects");
    Console.WriteLine($"  HeapInuse    {Mib(s.HeapInuse),12}   bytes in spans holding objects (incl. thread caches)");
    Console.WriteLine($"  HeapIdle     {Mib(s.HeapIdle),12}   bytes in free page runs");
    Console.WriteLine($"  HeapReleased {Mib(s.HeapReleased),12}   idle bytes returned to the OS");
    Console.WriteLine($"  HeapSys      {Mib(s.HeapSys),12}   bytes of arenas obtained from the OS");
    Console.WriteLine($"  HeapObjects  {s.HeapObjects,12:N0}");
    Console.WriteLine($"  Mallocs      {s.Mallocs,12:N0}");
    Console.WriteLine($"  Frees        {s.Frees,12:N0}");
    Console.WriteLine($"  TotalAlloc   {Mib(s.TotalAlloc),12}");
    Console.WriteLine($"  MetadataSys  {Mib(s.MetadataSys),12}   arena tables, spans, caches");
}

static void PrintBusiestClasses(HeapStats s)
{
    Console.WriteLine("Busiest size classes (BySize):");
    Console.WriteLine("  class     size       mallocs         frees");
    var classes = new System.Collections.Generic.List<SizeClassStats>(s.BySize);
    classes.Sort((a, b) => b.Mallocs.CompareTo(a.Mallocs));
    foreach (SizeClassStats c in classes.GetRange(0, 6))
        Console.WriteLine($"  {c.SizeClass,5} {(c.SizeClass == 0 ? "large" : c.Size.ToString()),8} {c.Mallocs,13:N0} {c.Frees,13:N0}");
    Console.WriteLine();
}

static string Mib(ulong bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
