using System;

namespace Gen.Demo;

/// <summary>One side of an order book: a binary tree of price levels, each a linked list of orders, all on Gen's heap.</summary>
public sealed unsafe class OrderBook : IDisposable
{
    private PriceLevel* _root;
    public int Levels { get; private set; }
    public int Orders { get; private set; }

    public void Add(long price, long id, long quantity, int trader)
    {
        PriceLevel* level = FindOrInsert(price);
        Order* order = Order.Alloc(); // zeroed, span class baked in at compile time
        order->Id = id;
        order->Quantity = quantity;
        order->Trader = trader;
        if (level->Tail == null) level->Head = order;
        else level->Tail->Next = order;
        level->Tail = order;
        level->TotalQuantity += quantity;
        Orders++;
    }

    /// <summary>Fills up to <paramref name="quantity"/> against the best (lowest) price levels; returns the quantity filled.</summary>
    public long Match(long quantity)
    {
        long filled = 0;
        while (quantity > 0 && _root != null)
        {
            PriceLevel* best = _root, parent = null;
            while (best->Left != null)
            {
                parent = best;
                best = best->Left;
            }
            while (quantity > 0 && best->Head != null)
            {
                Order* order = best->Head;
                long take = Math.Min(order->Quantity, quantity);
                order->Quantity -= take;
                best->TotalQuantity -= take;
                quantity -= take;
                filled += take;
                if (order->Quantity == 0)
                {
                    best->Head = order->Next;
                    if (best->Head == null) best->Tail = null;
                    Order.Free(order);
                    Orders--;
                }
            }
            if (best->Head == null)
            {
                if (parent == null) _root = best->Right;
                else parent->Left = best->Right;
                PriceLevel.Free(best);
                Levels--;
            }
        }
        return filled;
    }

    private PriceLevel* FindOrInsert(long price)
    {
        PriceLevel* parent = null;
        for (PriceLevel* node = _root; node != null; node = price < node->Price ? node->Left : node->Right)
        {
            if (price == node->Price) return node;
            parent = node;
        }
        PriceLevel* level = PriceLevel.Alloc();
        level->Price = price;
        if (parent == null) _root = level;
        else if (price < parent->Price) parent->Left = level;
        else parent->Right = level;
        Levels++;
        return level;
    }

    public void Dispose()
    {
        FreeTree(_root);
        _root = null;
        Levels = Orders = 0;
    }

    private static void FreeTree(PriceLevel* level)
    {
        if (level == null) return;
        FreeTree(level->Left);
        FreeTree(level->Right);
        for (Order* order = level->Head; order != null;)
        {
            Order* next = order->Next;
            Order.Free(order);
            order = next;
        }
        PriceLevel.Free(level);
    }
}
