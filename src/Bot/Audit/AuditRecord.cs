using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatOps.Bot.Audit;

/// <summary>An entry to append: who did what to which environment (and run), with details.</summary>
internal sealed record AuditEntry(string ActorId, string ActorName, string Action, string? Environment, long? RunId, string Detail);

/// <summary>A stored audit record and its place in the chain.</summary>
internal sealed record AuditRecord(
    long Seq,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string Action,
    string? Environment,
    long? RunId,
    string Detail,
    string PrevHash,
    string Hash)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// HMAC-SHA256, under the audit key, over the previous hash and every field in a fixed JSON form.
    /// Without the key nobody can compute it, so an edited, inserted or re-chained record shows.
    /// </summary>
    public static string ComputeHash(AuditKey key, long seq, DateTimeOffset at, AuditEntry entry, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Canonical(seq, at, entry, prevHash));
    }

    /// <summary>
    /// The plain SHA-256 of trails written before the chain was keyed. Only read, to re-key such a
    /// trail once (<see cref="AuditTrail.EnsureKeyedAsync"/>) and to say why a record does not verify.
    /// </summary>
    public static string ComputePlainHash(long seq, DateTimeOffset at, AuditEntry entry, string prevHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(seq, at, entry, prevHash))));

    public AuditEntry Entry => new(ActorId, ActorName, Action, Environment, RunId, Detail);

    public string ExpectedHash(AuditKey key) => ComputeHash(key, Seq, At, Entry, PrevHash);

    public string PlainHash() => ComputePlainHash(Seq, At, Entry, PrevHash);

    private static string Canonical(long seq, DateTimeOffset at, AuditEntry entry, string prevHash) => JsonSerializer.Serialize(new object?[]
    {
        seq, at.ToUnixTimeMilliseconds(), entry.ActorId, entry.ActorName, entry.Action, entry.Environment, entry.RunId, entry.Detail, prevHash,
    });
}
