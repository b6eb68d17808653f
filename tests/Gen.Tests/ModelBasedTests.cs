using System;
using System.Collections.Generic;
using Xunit;
using static Gen.Tests.HeapTestSupport;

namespace Gen.Tests;

/// <summary>Random operation sequences checked step by step against a reference model of the live objects.</summary>
public unsafe class ModelBasedTests
{
    private const int OperationsPerSeed = 20_000;
    private const int CheckStatsEveryOperations = 500;

    private enum Operation { Alloc, AllocUninitialized, TryAlloc, Free, Realloc, UsableSize, Verify }

    /// <summary>What the model knows about a live object: its requested size, the bytes the heap reserves for it
    /// (its UsableSize and its share of HeapAlloc), and the pattern written into it.</summary>
    private readonly record struct ModelObject(nuint Size, nuint Reserved, ulong Seed);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomOperationsMatchTheModel(int seed)
    {
        var random = new Random(seed);
        var model = new Dictionary<nint, ModelObject>();
        var liveAddresses = new List<nint>(); // the model's keys, indexable for random picks
        ulong nextSeed = (ulong)seed << 32;

        HeapStats baseline = QuiescentStats();
        ulong mallocs = 0, frees = 0;
        try
        {
            for (int step = 0; step < OperationsPerSeed; step++)
            {
                Operation operation = liveAddresses.Count == 0 ? Operation.Alloc : (Operation)random.Next(7);
                switch (operation)
                {
                    case Operation.Alloc:
                    case Operation.AllocUninitialized:
                    case Operation.TryAlloc:
                    {
                        nuint size = NextSize(random);
                        void* p = operation switch
                        {
                            Operation.Alloc => Heap.Alloc(size),
                            Operation.AllocUninitialized => Heap.AllocUninitialized(size),
                            _ => Heap.TryAlloc(size),
                        };
                        Assert.True(p != null, $"step {step}: {operation}({size}) returned null");
                        Assert.False(model.ContainsKey((nint)p), $"step {step}: {operation}({size}) returned live 0x{(nint)p:x}");
                        liveAddresses.Add((nint)p);
                        if (operation != Operation.AllocUninitialized) AssertZeroed(p, size);
                        var created = new ModelObject(size, GoSizeClassTable.ReservedBytes(size), nextSeed++);
                        Assert.Equal(created.Reserved, Heap.UsableSize(p));
                        FillPattern(p, size, created.Seed);
                        model.Add((nint)p, created);
                        mallocs++;
                        break;
                    }
                    case Operation.Free:
                    {
                        int index = random.Next(liveAddresses.Count);
                        nint p = liveAddresses[index];
                        AssertPattern((void*)p, model[p].Size, model[p].Seed);
                        Heap.Free((void*)p);
                        model.Remove(p);
                        RemoveAt(liveAddresses, index);
                        frees++;
                        break;
                    }
                    case Operation.Realloc:
                    {
                        int index = random.Next(liveAddresses.Count);
                        nint p = liveAddresses[index];
                        ModelObject old = model[p];
                        nuint newSize = NextSize(random);
                        void* q = Heap.Realloc((void*)p, newSize);
                        Assert.True(q != null);
                        model.Remove(p);
                        Assert.False(model.ContainsKey((nint)q), $"step {step}: Realloc returned live 0x{(nint)q:x}");
                        liveAddresses[index] = (nint)q; // p is gone: the clean-up must free q, not p
                        AssertPattern(q, Math.Min(old.Size, newSize), old.Seed);
                        // A moved object gets a fresh slot of the new size's class; one resized in place keeps a
                        // slot that must at least hold the new size.
                        nuint reserved = q != (void*)p ? GoSizeClassTable.ReservedBytes(newSize) : Heap.UsableSize(q);
                        Assert.True(reserved >= newSize, $"step {step}: Realloc in place to {newSize} left {reserved} usable");
                        Assert.Equal(reserved, Heap.UsableSize(q));
                        var moved = new ModelObject(newSize, reserved, nextSeed++);
                        FillPattern(q, newSize, moved.Seed);
                        model.Add((nint)q, moved);
                        if (q != (void*)p)
                        {
                            mallocs++;
                            frees++;
                        }
                        break;
                    }
                    case Operation.UsableSize:
                    {
                        nint p = liveAddresses[random.Next(liveAddresses.Count)];
                        Assert.Equal(model[p].Reserved, Heap.UsableSize((void*)p));
                        break;
                    }
                    case Operation.Verify:
                    {
                        nint p = liveAddresses[random.Next(liveAddresses.Count)];
                        AssertPattern((void*)p, model[p].Size, model[p].Seed);
                        break;
                    }
                }

                if (step % CheckStatsEveryOperations == 0) AssertStatsMatchModel(baseline, model, mallocs, frees, step);
            }
            foreach ((nint p, ModelObject o) in model) AssertPattern((void*)p, o.Size, o.Seed);
            AssertStatsMatchModel(baseline, model, mallocs, frees, OperationsPerSeed);
        }
        finally
        {
            foreach (nint p in liveAddresses) Heap.Free((void*)p);
        }
        HeapStats after = Heap.GetStats();
        Assert.Equal(baseline.HeapObjects, after.HeapObjects);
        Assert.Equal(baseline.HeapAlloc, after.HeapAlloc);
    }

    /// <summary>Mostly small, sometimes medium, rarely large (up to 256 KiB), with 0 and class edges included.</summary>
    private static nuint NextSize(Random random)
    {
        int bucket = random.Next(100);
        if (bucket < 5) return (nuint)(GoSizeClassTable.ObjectSizeBytes[random.Next(1, GoSizeClassTable.ClassCount)] + random.Next(-1, 2));
        if (bucket < 7) return 0;
        if (bucket < 80) return (nuint)random.Next(1, 513);
        if (bucket < 97) return (nuint)random.Next(513, 32 * 1024 + 1);
        return (nuint)random.Next(32 * 1024 + 1, 256 * 1024);
    }

    private static void AssertStatsMatchModel(HeapStats baseline, Dictionary<nint, ModelObject> model, ulong mallocs, ulong frees, int step)
    {
        ulong liveBytes = 0;
        foreach (ModelObject o in model.Values) liveBytes += o.Reserved;
        HeapStats now = Heap.GetStats();
        Assert.True(baseline.HeapObjects + (ulong)model.Count == now.HeapObjects,
            $"step {step}: HeapObjects {now.HeapObjects}, model says {baseline.HeapObjects} + {model.Count}");
        Assert.True(baseline.HeapAlloc + liveBytes == now.HeapAlloc,
            $"step {step}: HeapAlloc {now.HeapAlloc}, model says {baseline.HeapAlloc} + {liveBytes}");
        Assert.Equal(baseline.Mallocs + mallocs, now.Mallocs);
        Assert.Equal(baseline.Frees + frees, now.Frees);
    }

    private static void RemoveAt(List<nint> list, int index)
    {
        list[index] = list[^1];
        list.RemoveAt(list.Count - 1);
    }
}
