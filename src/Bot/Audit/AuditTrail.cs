using ChatOps.Bot.Identity;
using ChatOps.Integrations.Storage;

namespace ChatOps.Bot.Audit;

/// <summary>
/// The append-only audit trail, chained with HMAC-SHA256 under a key kept outside the database
/// (<see cref="AuditKey"/>). Each record's hash covers the previous one's, so editing, inserting or
/// deleting any record breaks the chain from there on, and without the key nobody can recompute it.
/// Removing records from the end is caught by comparing with the heads published outside the
/// database (<see cref="AuditHeadLog"/>, the audit channel). <c>VerifyAsync</c> names what it checked.
/// </summary>
internal sealed class AuditTrail(StateDatabase database, AuditKey key, AuditHeadLog heads, TimeProvider time, ILogger<AuditTrail> logger) : IDisposable
{
    public const string SystemActor = "system";

    private readonly SemaphoreSlim _keying = new(1, 1);
    private volatile bool _keyed;

    public string KeySource => key.Source;

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureKeyedAsync(cancellationToken);
        return await AppendKeyedAsync(entry with { ActorId = PrincipalId.Of(entry.ActorId) }, cancellationToken);
    }

    /// <summary>Records oldest first, optionally for one environment, after <paramref name="afterSeq"/>.</summary>
    public Task<List<AuditRecord>> ListAsync(string? environment, long afterSeq, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(c => AuditStore.ListAsync(c, environment, afterSeq, limit, cancellationToken), cancellationToken);

    /// <summary>Verifies against the heads in the head file only.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(null, cancellationToken);

    /// <summary>
    /// Walks the whole chain under the key and compares it with every head published to the head file,
    /// and with <paramref name="claimed"/> (heads an auditor copied from the audit channel).
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(IReadOnlyList<PublishedHead>? claimed, CancellationToken cancellationToken)
    {
        IReadOnlyList<PublishedHead> published = [.. await heads.ReadAsync(cancellationToken), .. claimed ?? []];
        var chain = new AuditChain(key, published);
        var (brokenAt, reason) = await database.ReadAsync(async c =>
        {
            string? broken = null;
            await AuditStore.ForEachAsync(c, record => (broken = chain.Next(record)) is null, cancellationToken);
            if (broken is not null)
            {
                return (chain.Count + 1, broken);
            }

            var end = chain.End(await AuditStore.HeadAsync(c, null, cancellationToken));
            return end is null ? ((long?)null, (string?)null) : (chain.Count + 1, end);
        }, cancellationToken);

        return new AuditVerification
        {
            Valid = reason is null,
            Records = chain.Count,
            FirstSeq = chain.FirstSeq,
            LastSeq = chain.Count == 0 ? null : chain.Count,
            Head = chain.LastHash is { } hash ? new AuditHead(chain.Count, hash) : null,
            KeySource = key.Source,
            HeadsCompared = published.Count,
            ComparedWith = published.MaxBy(p => p.Head.Count)?.ToString(),
            BrokenAt = brokenAt,
            Reason = reason,
        };
    }

    /// <summary>
    /// Keys a trail written before the chain was keyed, once: when no head has ever been published
    /// (so the trail was never keyed) and every record verifies as the old plain SHA-256 chain, each
    /// record is re-chained under the key, and an <c>audit-keyed</c> record says so, with the old head.
    /// A trail that does not verify either way is left as it is, for verification to report.
    /// </summary>
    public async Task EnsureKeyedAsync(CancellationToken cancellationToken)
    {
        if (_keyed)
        {
            return;
        }

        await _keying.WaitAsync(cancellationToken);
        try
        {
            if (_keyed)
            {
                return;
            }

            var rekeyed = (await heads.ReadAsync(cancellationToken)).Count > 0 ? null : await RekeyPlainChainAsync(cancellationToken);
            _keyed = true;
            if (rekeyed is { } old)
            {
                Log.Rekeyed(logger, old.Count, old.ToString(), key.Source);
                await AppendKeyedAsync(new AuditEntry(SystemActor, "chatops", "audit-keyed", null, null,
                    $"{old.Count} records chained with plain SHA-256 (head {old}) verified and re-chained with the key from {key.Source}"), cancellationToken);
            }
        }
        finally
        {
            _keying.Release();
        }
    }

    private Task<AuditHead?> RekeyPlainChainAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var records = await AuditStore.AllAsync(c, t, cancellationToken);
            var stored = await AuditStore.HeadAsync(c, t, cancellationToken);
            if (records.Count == 0 || records[0].ExpectedHash(key) == records[0].Hash || !AuditChain.IsPlainChain(records)
                || stored is null || stored.Count != records.Count || stored.Hash != records[^1].Hash)
            {
                return null;
            }

            var prev = AuditRecord.GenesisHash;
            foreach (var record in records)
            {
                var hash = AuditRecord.ComputeHash(key, record.Seq, record.At, record.Entry, prev);
                await AuditStore.RechainAsync(c, t, record.Seq, prev, hash, cancellationToken);
                prev = hash;
            }

            await AuditStore.SetHeadHashAsync(c, t, prev, cancellationToken);
            return new AuditHead(records.Count, records[^1].Hash);
        }, cancellationToken);

    private Task<AuditRecord> AppendKeyedAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var head = await AuditStore.HeadAsync(c, t, cancellationToken);
            var seq = (head?.Count ?? 0) + 1;
            var prev = head?.Hash ?? AuditRecord.GenesisHash;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            var hash = AuditRecord.ComputeHash(key, seq, at, entry, prev);
            var record = new AuditRecord(seq, at, entry.ActorId, entry.ActorName, entry.Action, entry.Environment, entry.RunId, entry.Detail, prev, hash);
            await AuditStore.AppendAsync(c, t, record, cancellationToken);
            return record;
        }, cancellationToken);

    public void Dispose() => _keying.Dispose();
}
