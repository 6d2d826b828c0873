namespace ChatOps.Bot.Audit;

/// <summary>
/// Walks records oldest first and finds the first that breaks the chain: a gap, a record that does
/// not follow its predecessor, a hash its content and the key do not give, or a record that differs
/// from a published head. Pure: the caller reads the records and says what was published.
/// </summary>
internal sealed class AuditChain(AuditKey key, IReadOnlyList<PublishedHead> published)
{
    private readonly ILookup<long, PublishedHead> _publishedAt = published.ToLookup(p => p.Head.Count);
    private string _expectedPrev = AuditRecord.GenesisHash;

    public long Count { get; private set; }

    public long? FirstSeq { get; private set; }

    public string? LastHash => Count == 0 ? null : _expectedPrev;

    /// <summary>Takes the next record; returns why it breaks the chain, or null.</summary>
    public string? Next(AuditRecord record)
    {
        var expectedSeq = Count + 1;
        if (record.Seq != expectedSeq)
        {
            return $"record {expectedSeq} is missing";
        }

        if (record.PrevHash != _expectedPrev)
        {
            return $"record {record.Seq} does not follow record {record.Seq - 1}: the previous hash differs";
        }

        if (record.ExpectedHash(key) != record.Hash)
        {
            return record.PlainHash() == record.Hash
                ? $"record {record.Seq} is chained with a plain SHA-256 instead of the audit key: written before the trail was keyed " +
                  "(start the bot once to key it) or recomputed by someone without the key"
                : $"record {record.Seq} was changed after it was written: its keyed hash does not match its content";
        }

        foreach (var head in _publishedAt[record.Seq])
        {
            if (head.Head.Hash != record.Hash)
            {
                return $"record {record.Seq} is not the record of the published head {head}: the trail was rewritten";
            }
        }

        FirstSeq ??= record.Seq;
        Count = record.Seq;
        _expectedPrev = record.Hash;
        return null;
    }

    /// <summary>After the last record: whether a published head (or the database's own head) counts more records than are left.</summary>
    public string? End(AuditHead? storedHead)
    {
        if (published.Where(p => p.Head.Count > Count).MaxBy(p => p.Head.Count) is { } beyond)
        {
            return $"the trail ends at record {Count} but the head {beyond} counts {beyond.Head.Count}: records were removed";
        }

        var headCount = storedHead?.Count ?? 0;
        return headCount != Count || (Count > 0 && storedHead!.Hash != _expectedPrev)
            ? $"the trail ends at record {Count} but {headCount} were written: records were removed from the end"
            : null;
    }

    /// <summary>True when every record is a valid chain under the plain SHA-256 of trails written before keys existed.</summary>
    public static bool IsPlainChain(IReadOnlyList<AuditRecord> records)
    {
        var prev = AuditRecord.GenesisHash;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Seq != i + 1 || record.PrevHash != prev || record.PlainHash() != record.Hash)
            {
                return false;
            }

            prev = record.Hash;
        }

        return true;
    }
}
