using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace ChatOps.Integrations.Storage;

/// <summary>PostgreSQL's <c>LISTEN</c>: one connection that hears the channels other replicas notify on commit.</summary>
internal sealed partial class PostgresDialect
{
    /// <summary>How the listening connection is named in <c>pg_stat_activity</c>, so an operator can tell it from the pool's.</summary>
    public const string ListenerApplicationName = "chatops-listener";

    /// <summary>
    /// How long the connection may stay quiet before a query checks it is still there: a server that vanished without
    /// closing the socket would otherwise leave the listener waiting for good.
    /// </summary>
    internal static readonly TimeSpan ListenerProbeAfter = TimeSpan.FromSeconds(30);

    public async Task ListenAsync(DbConnection connection, IReadOnlyCollection<string> channels, Action listening, Action<string> heard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(heard);
        var npgsql = (NpgsqlConnection)connection;
        npgsql.Notification += (_, e) => heard(e.Channel);
        await ExecuteAsync(npgsql, $"SELECT set_config('application_name', '{ListenerApplicationName}', false)", cancellationToken);
        foreach (var channel in channels)
        {
            // LISTEN takes an identifier, not a parameter: only our own channel names, checked.
            if (!ChannelName().IsMatch(channel))
            {
                throw new ArgumentException($"'{channel}' is not a channel name (lower-case letters, digits and '_').", nameof(channels));
            }

            await ExecuteAsync(npgsql, $"LISTEN {channel}", cancellationToken);
        }

        listening();
        while (true)
        {
            if (!await npgsql.WaitAsync(ListenerProbeAfter, cancellationToken))
            {
                await ExecuteAsync(npgsql, "SELECT 1", cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex ChannelName();
}
