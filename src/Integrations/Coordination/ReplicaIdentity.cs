using System.Net;
using System.Security.Cryptography;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Who this process is among the replicas, and how long a silent replica counts as alive. Work a replica holds
/// (runs, inbox deliveries, schedules) is recorded under <see cref="Name"/>.
/// </summary>
public sealed class ReplicaIdentity
{
    public ReplicaIdentity(string name, TimeSpan deadAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        DeadAfter = deadAfter;
    }

    public string Name { get; }

    public string Host { get; } = SafeHostName();

    public int ProcessId { get; } = Environment.ProcessId;

    /// <summary>A replica whose last heartbeat is older than this is dead.</summary>
    public TimeSpan DeadAfter { get; }

    /// <summary>How far apart the replicas' clocks may be (<see cref="ReplicaOptions.ClockTolerance"/>).</summary>
    public TimeSpan ClockTolerance { get; init; } = ReplicaOptions.DefaultClockTolerance;

    /// <summary>The digests of the settings every replica must share (<see cref="ReplicaSettings"/>); null when not known.</summary>
    public string? Settings { get; init; }

    /// <summary>Heartbeats at or before this instant (Unix ms) are a dead replica's.</summary>
    public long DeadBefore(DateTimeOffset now) => (now - DeadAfter).ToUnixTimeMilliseconds();

    /// <summary>Host, process id and a random suffix: unique without configuration, and readable in logs.</summary>
    public static string DefaultName()
    {
        var host = new string([.. SafeHostName().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-')]);
        var name = $"{host}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
        return char.IsAsciiLetterOrDigit(name[0]) ? name[^Math.Min(name.Length, 100)..] : "r" + name[^Math.Min(name.Length, 99)..];
    }

    public override string ToString() => Name;

    private static string SafeHostName()
    {
        try
        {
            var host = Dns.GetHostName();
            return string.IsNullOrWhiteSpace(host) ? "host" : host;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "host";
        }
    }
}
