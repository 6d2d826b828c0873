namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>The Gateway connection as the health check sees it.</summary>
internal sealed class DiscordGatewayState
{
    private readonly Lock _lock = new();
    private GatewayStatus _status = new(false, null, null, 0, null);

    public GatewayStatus Snapshot()
    {
        lock (_lock)
        {
            return _status;
        }
    }

    /// <summary>READY or RESUMED arrived: the session receives events.</summary>
    internal void MarkConnected(DateTimeOffset at)
    {
        lock (_lock)
        {
            _status = new(true, at, null, 0, null);
        }
    }

    /// <summary>The connection ended; <paramref name="failure"/> when it ended before it ever received events.</summary>
    internal void MarkDisconnected(DateTimeOffset at, string reason, bool failure)
    {
        lock (_lock)
        {
            _status = _status with
            {
                Connected = false,
                Since = _status.Connected || _status.Since is null ? at : _status.Since,
                LastError = reason,
                ConsecutiveFailures = _status.ConsecutiveFailures + (failure ? 1 : 0),
            };
        }
    }

    /// <summary>Discord refused the bot for good (a close code that must not be retried); nothing reconnects until a restart.</summary>
    internal void MarkStopped(DateTimeOffset at, string advice)
    {
        lock (_lock)
        {
            _status = _status with { Connected = false, Since = at, LastError = advice, StoppedBecause = advice };
        }
    }
}

/// <summary>One reading of the Gateway's state; <see cref="StoppedBecause"/> is set once it has given up.</summary>
internal sealed record GatewayStatus(bool Connected, DateTimeOffset? Since, string? LastError, int ConsecutiveFailures, string? StoppedBecause);
