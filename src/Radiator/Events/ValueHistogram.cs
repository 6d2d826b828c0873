using System.Buffers.Binary;

namespace ChatOps.Radiator.Events;

/// <summary>
/// Counts of values in fixed, logarithmic buckets (each 4% wider than the last), so a percentile
/// over any window can be read from per-minute roll-ups within about 2% of the exact answer, and
/// merging two minutes is adding counts. Values at or below zero share one bucket, read as the
/// window's minimum.
/// </summary>
internal sealed class ValueHistogram
{
    internal const double Growth = 1.04;
    internal const double Smallest = 1e-3;
    internal const int MaxBucket = 720;
    private static readonly double LogGrowth = Math.Log(Growth);

    // Dense once used: merging and reading are plain array walks, which keeps a pulse's cost flat however
    // many distinct values a minute held. Allocated on first use, so KPIs that need no percentile pay nothing.
    private long[]? _counts;

    public long Total { get; private set; }

    public void Add(double value, long count = 1)
    {
        Increment(BucketOf(value), count);
    }

    public void Merge(ValueHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts is null)
        {
            return;
        }

        _counts ??= new long[MaxBucket + 1];
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            _counts[bucket] += other._counts[bucket];
        }

        Total += other.Total;
    }

    /// <summary>The nearest-rank percentile, clamped to the observed range.</summary>
    public double? Percentile(double percent, double min, double max)
    {
        if (Total == 0 || _counts is null)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Total));
        long seen = 0;
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank)
            {
                return Math.Clamp(Representative(bucket, min), min, max);
            }
        }

        return max;
    }

    public byte[] Encode()
    {
        // Sparse on disk: (bucket, count) pairs for the buckets in use.
        if (_counts is null)
        {
            return [];
        }

        var bytes = new byte[_counts.Count(c => c != 0) * 10];
        var offset = 0;
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            if (_counts[bucket] != 0)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)bucket);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset + 2), _counts[bucket]);
                offset += 10;
            }
        }

        return bytes;
    }

    public static ValueHistogram Decode(ReadOnlySpan<byte> bytes)
    {
        var histogram = new ValueHistogram();
        histogram.MergeEncoded(bytes);
        return histogram;
    }

    /// <summary>Adds an encoded histogram's counts without materializing it.</summary>
    public void MergeEncoded(ReadOnlySpan<byte> bytes)
    {
        for (var offset = 0; offset + 10 <= bytes.Length; offset += 10)
        {
            var bucket = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            if (bucket <= MaxBucket)
            {
                Increment(bucket, BinaryPrimitives.ReadInt64LittleEndian(bytes[(offset + 2)..]));
            }
        }
    }

    internal static int BucketOf(double value)
    {
        if (value <= 0)
        {
            return 0;
        }

        if (value <= Smallest)
        {
            return 1;
        }

        // Clamped before the cast: a huge value makes the quotient infinite, and casting that to int
        // wraps to a negative index.
        var bucket = 1 + (Math.Log(value / Smallest) / LogGrowth);
        return bucket >= MaxBucket ? MaxBucket : (int)bucket;
    }

    // The geometric middle of the bucket: at most half a bucket (2%) from any value in it.
    private static double Representative(int bucket, double min) =>
        bucket == 0 ? min : Smallest * Math.Pow(Growth, bucket - 0.5);

    private void Increment(int bucket, long count)
    {
        _counts ??= new long[MaxBucket + 1];
        _counts[bucket] += count;
        Total += count;
    }
}
