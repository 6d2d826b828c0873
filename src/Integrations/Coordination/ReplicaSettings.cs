using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// The settings every replica must share (one bot, one behaviour), as one short digest per section, recorded beside
/// the replica's heartbeat so that a replica can tell which sections another started with differently. Digests, not
/// values: the store never holds a setting. Keys are compared without case, as configuration reads them.
/// </summary>
public static class ReplicaSettings
{
    /// <summary>The sections compared; credentials and what differs per replica by design (its name, URLs, data folders) are not.</summary>
    public static readonly IReadOnlyList<string> Sections =
        ["ChatDelivery", "Identity", "Environments", "Workflows", "Radiator", "Replicas:HeartbeatInterval", "Replicas:DeadAfter", "Replicas:ClockTolerance"];

    /// <summary><c>Section=digest;…</c> for <paramref name="configuration"/>.</summary>
    public static string Encode(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.Join(';', Sections.Select(section => $"{section}={Digest(configuration.GetSection(section))}"));
    }

    /// <summary>The sections whose digests differ between two encodings; none when either is unknown (an older replica).</summary>
    public static IReadOnlyList<string> Differing(string? mine, string? theirs)
    {
        if (mine is null || theirs is null)
        {
            return [];
        }

        var other = Decode(theirs);
        return [.. Decode(mine).Where(d => other.TryGetValue(d.Key, out var digest) && digest != d.Value).Select(d => d.Key)];
    }

    private static Dictionary<string, string> Decode(string encoded) =>
        encoded.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    private static string Digest(IConfigurationSection section)
    {
        var lines = section.AsEnumerable()
            .Where(entry => entry.Value is not null)
            .Select(entry => $"{entry.Key.ToUpperInvariant()}={entry.Value}")
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..12];
    }
}
