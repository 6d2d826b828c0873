using System.Text.Json;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// Our record of an environment's load balancer: the front port, each server with its address and
/// weight, and the sorry page. A generated config is rebuilt from it whenever haproxy (re)starts, so
/// runtime changes survive a restart. It is written only after HAProxy accepted a change.
/// </summary>
internal sealed record HaProxyEnvironmentState
{
    public int? Port { get; init; }

    public bool Sorry { get; init; }

    public string? SorryMessage { get; init; }

    public IReadOnlyList<HaProxyServerRecord> Servers { get; init; } = [];
}

/// <summary>A server as recorded: its name (the node's), <c>host:port</c> and weight.</summary>
internal sealed record HaProxyServerRecord(string Name, string Address, int Weight);

/// <summary>Reads and atomically replaces <c>state.json</c> in an environment's folder.</summary>
internal static class HaProxyStateStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<HaProxyEnvironmentState> ReadAsync(HaProxyPaths paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!File.Exists(paths.State))
        {
            return new HaProxyEnvironmentState();
        }

        await using var stream = File.OpenRead(paths.State);
        return await JsonSerializer.DeserializeAsync<HaProxyEnvironmentState>(stream, Json, cancellationToken) ?? new HaProxyEnvironmentState();
    }

    /// <summary>Writes to a temporary file and renames it over the old one, so a crash never leaves half a record.</summary>
    public static async Task WriteAsync(HaProxyPaths paths, HaProxyEnvironmentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(paths.Directory);
        var temporary = paths.State + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, state, Json, cancellationToken);
        }

        File.Move(temporary, paths.State, overwrite: true);
    }
}
