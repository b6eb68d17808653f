using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gen.Bench.Workloads;

/// <summary>
/// Gloger's shuffled linear congruential generator <c>lran2</c>, as larson and xmalloc-test use it: the same
/// seed gives the same sequence as the C suite.
/// </summary>
internal struct Lran2
{
    private const int Modulus = 714025;
    private const int Multiplier = 1366;
    private const int Increment = 150889;
    private const int ShuffleTableLength = 97;

    private int[] _shuffleTable;
    private int _x;
    private int _y;

    public Lran2(int seed)
    {
        _shuffleTable = new int[ShuffleTableLength];
        int x = (Increment - seed) % Modulus;
        if (x < 0)
        {
            x = -x;
        }

        for (int j = 0; j < ShuffleTableLength; j++)
        {
            x = (Multiplier * x + Increment) % Modulus;
            _shuffleTable[j] = x;
        }

        x = (Multiplier * x + Increment) % Modulus;
        _x = x;
        _y = x;
    }

    /// <summary>The same generator state in a shuffle table allocated by the calling thread: a thread that takes over a
    /// generator made elsewhere works on its own cache lines, not on lines beside another thread's state.</summary>
    public readonly Lran2 Clone()
    {
        Lran2 copy = this;
        copy._shuffleTable = (int[])_shuffleTable.Clone();
        return copy;
    }

    /// <summary>A value in [0, 714025).</summary>
    public int Next()
    {
        int j = _y % ShuffleTableLength;
        _y = _shuffleTable[j];
        _x = (Multiplier * _x + Increment) % Modulus;
        _shuffleTable[j] = _x;
        return _y;
    }
}

/// <summary>
/// glibc's <c>rand()</c> (the TYPE_3 additive feedback generator behind <c>srand</c>), so that glibc-thread and
/// mleak draw the sizes and slots the C programs draw.
/// </summary>
internal struct GlibcRand
{
    private const int StateWords = 34;
    private const int DiscardedOutputs = 310;

    private readonly uint[] _ring = new uint[StateWords];
    private int _index;

    public GlibcRand(uint seed)
    {
        var initial = new int[StateWords];
        initial[0] = (int)seed;
        for (int i = 1; i < 31; i++)
        {
            // Park-Miller minimal standard step, computed as glibc does without 32-bit overflow.
            long hi = initial[i - 1] / 127773;
            long lo = initial[i - 1] % 127773;
            long word = 16807 * lo - 2836 * hi;
            initial[i] = (int)(word < 0 ? word + int.MaxValue : word);
        }

        for (int i = 31; i < StateWords; i++)
        {
            initial[i] = initial[i - 31];
        }

        for (int i = 0; i < StateWords; i++)
        {
            _ring[i] = (uint)initial[i];
        }

        _index = 0;
        for (int i = 0; i < DiscardedOutputs; i++)
        {
            NextWord();
        }
    }

    /// <summary>glibc's RAND_MAX.</summary>
    public const int MaxValue = int.MaxValue;

    /// <summary>A value in [0, RAND_MAX].</summary>
    public int Next() => (int)(NextWord() >> 1);

    private uint NextWord()
    {
        // r[i] = r[i-31] + r[i-3], kept in a ring of the last 34 words.
        uint word = _ring[(_index + StateWords - 31) % StateWords] + _ring[(_index + StateWords - 3) % StateWords];
        _ring[_index] = word;
        _index = (_index + 1) % StateWords;
        return word;
    }
}

/// <summary>The splitmix64 finalizer that mstress uses both as its generator and to decide chances.</summary>
internal struct SplitMix
{
    private ulong _state;

    public SplitMix(ulong seed) => _state = seed;

    // Inlined, as the C programs' static functions are: mstress's workload calls it several times per allocation, and
    // the JIT judged it too large to inline and left it in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Pick()
    {
        ulong x = _state;
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        _state = x;
        return x;
    }

    /// <summary>mstress's <c>chance(perc)</c>: true with probability (perc + 1)%.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Chance(ulong percent) => Pick() % 100 <= percent;
}

/// <summary>alloc-test's xorshift-multiply generator (allocator_tester.h).</summary>
internal struct AllocTestRng
{
    private ulong _seed;

    public AllocTestRng(ulong seed) => _seed = seed;

    public uint Next32()
    {
        ulong result = _seed * 0xd989bcacc137dcd5UL;
        _seed ^= _seed >> 11;
        _seed ^= _seed << 31;
        _seed ^= _seed >> 18;
        return (uint)(result >> 32);
    }

    public ulong Next64()
    {
        ulong high = Next32();
        return (high << 32) + Next32();
    }

    /// <summary>
    /// <c>calcSizeWithStatsAdjustment(r, 10)</c>: a power-of-two bucket chosen by the trailing zeros of 7 random
    /// bits (half the sizes are 5..8 bytes), then a uniform size within (2^bucket, 2^(bucket+1)].
    /// </summary>
    public static nuint SizeFrom(ulong random)
    {
        uint bucketBits = (uint)(random & 127) + 1;
        random >>= 7;
        int exponent = BitOperations.TrailingZeroCount(bucketBits) + 2;
        return (nuint)((random & ((1UL << exponent) - 1)) + 1 + (1UL << exponent));
    }
}
