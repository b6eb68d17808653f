using Gen;

namespace Gen.Demo;

/// <summary>A resting order: a node of a price level's FIFO queue (a linked list).</summary>
[SizeClassed]
public unsafe partial struct Order
{
    public Order* Next;
    public long Id;
    public long Quantity;
    public int Trader;
    public int Flags;
}

/// <summary>A price level: a node of the book's binary search tree, holding its queue of orders.</summary>
[SizeClassed]
public unsafe partial struct PriceLevel
{
    public PriceLevel* Left;
    public PriceLevel* Right;
    public Order* Head;
    public Order* Tail;
    public long Price;
    public long TotalQuantity;
}

/// <summary>A market-data tick without pointers: allocated from noscan spans.</summary>
[SizeClassed]
public partial struct Tick
{
    public long Price;
    public long Quantity;
    public long TimestampTicks;
}
