using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatOps.Bot.Audit;

/// <summary>An entry to append: who did what to which environment (and run), with details.</summary>
public sealed record AuditEntry(string ActorId, string ActorName, string Action, string? Environment, long? RunId, string Detail);

/// <summary>A stored audit record and its place in the hash chain.</summary>
public sealed record AuditRecord(
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

    /// <summary>SHA-256 over the previous hash and every field, in a fixed JSON form.</summary>
    public static string ComputeHash(long seq, DateTimeOffset at, AuditEntry entry, string prevHash)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            seq, at.ToUnixTimeMilliseconds(), entry.ActorId, entry.ActorName, entry.Action, entry.Environment, entry.RunId, entry.Detail, prevHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public string ExpectedHash() =>
        ComputeHash(Seq, At, new AuditEntry(ActorId, ActorName, Action, Environment, RunId, Detail), PrevHash);
}

/// <summary>The result of walking the chain: valid, or the first broken record and why.</summary>
public sealed record AuditVerification(bool Valid, long Records, long? BrokenAt, string? Reason);
