namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// What the client remembers of its Gateway session across connections: the session id and resume URL from
/// READY, the last sequence number received (sent with every heartbeat and on Resume) and the bot's own user id.
/// The receive loop writes it; the heartbeat and the dispatcher read it from other threads.
/// </summary>
internal sealed class GatewaySession
{
    private readonly Lock _lock = new();
    private string? _sessionId;
    private Uri? _resumeUrl;
    private long? _sequence;
    private string? _botUserId;

    /// <summary>Whether there is a session to resume.</summary>
    public bool CanResume
    {
        get
        {
            lock (_lock)
            {
                return _sessionId is not null && _resumeUrl is not null;
            }
        }
    }

    public string? SessionId
    {
        get
        {
            lock (_lock)
            {
                return _sessionId;
            }
        }
    }

    public Uri? ResumeUrl
    {
        get
        {
            lock (_lock)
            {
                return _resumeUrl;
            }
        }
    }

    /// <summary>The last non-null <c>s</c> received, or null before the first dispatch.</summary>
    public long? Sequence
    {
        get
        {
            lock (_lock)
            {
                return _sequence;
            }
        }
    }

    /// <summary>The bot's own user id, from READY; messages mentioning it are commands, and its own are ignored.</summary>
    public string? BotUserId
    {
        get
        {
            lock (_lock)
            {
                return _botUserId;
            }
        }
    }

    /// <summary>A new session from READY.</summary>
    public void Start(string sessionId, Uri resumeUrl, string? botUserId)
    {
        lock (_lock)
        {
            _sessionId = sessionId;
            _resumeUrl = resumeUrl;
            // The bot's id does not change with a session; keep the one known if READY left it out.
            _botUserId = botUserId ?? _botUserId;
        }
    }

    /// <summary>Keeps the sequence number of a dispatch; only ever moves forward on one session.</summary>
    public void Saw(long sequence)
    {
        lock (_lock)
        {
            _sequence = sequence;
        }
    }

    /// <summary>The session cannot be resumed: the next connection identifies afresh and its sequence starts again.</summary>
    public void End()
    {
        lock (_lock)
        {
            _sessionId = null;
            _resumeUrl = null;
            _sequence = null;
        }
    }
}
