namespace ChatOps.Integrations.Slack;

/// <summary>The Socket Mode connection as the health check sees it.</summary>
internal sealed class SlackSocketModeState
{
    private readonly Lock _lock = new();
    private bool _connected;
    private DateTimeOffset? _since;
    private string? _lastError;
    private int _failures;

    public (bool Connected, DateTimeOffset? Since, string? LastError, int ConsecutiveFailures) Snapshot()
    {
        lock (_lock)
        {
            return (_connected, _since, _lastError, _failures);
        }
    }

    internal void MarkConnected(DateTimeOffset at)
    {
        lock (_lock)
        {
            _connected = true;
            _since = at;
            _lastError = null;
            _failures = 0;
        }
    }

    internal void MarkDisconnected(DateTimeOffset at, string reason, bool failure)
    {
        lock (_lock)
        {
            if (_connected || _since is null)
            {
                _since = at;
            }

            _connected = false;
            _lastError = reason;
            if (failure)
            {
                _failures++;
            }
        }
    }
}
