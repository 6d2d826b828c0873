using System.Text.Json.Nodes;

namespace ChatOps.TestCommon.Discord;

/// <summary>One connection a client opened to the <see cref="DiscordGatewayPeer"/>, and what it sent on it.</summary>
public sealed class PeerGatewayConnection(int number, Uri url, string query)
{
    private readonly Lock _lock = new();
    private readonly List<(int Op, JsonNode? Data)> _received = [];
    private int? _clientCloseCode;
    private bool _ended;
    private string? _resumedSession;
    private long? _resumedSequence;

    /// <summary>1 for the first connection.</summary>
    public int Number { get; } = number;

    /// <summary>Which of the peer's two URLs it connected to: <see cref="DiscordGatewayPeer.GatewayUrl"/> or the resume URL.</summary>
    public Uri Url { get; } = url;

    public string Query { get; } = query;

    /// <summary>Every payload the client sent, as op and <c>d</c>.</summary>
    public IReadOnlyList<(int Op, JsonNode? Data)> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The <c>d</c> of each heartbeat (op 1): the sequence numbers it carried.</summary>
    public IReadOnlyList<long?> Heartbeats => [.. Received.Where(r => r.Op == 1).Select(r => r.Data is JsonValue v && v.TryGetValue<long>(out var s) ? s : (long?)null)];

    /// <summary>The Identify's <c>d</c>, if the client identified.</summary>
    public JsonObject? Identify => Received.FirstOrDefault(r => r.Op == 2).Data as JsonObject;

    /// <summary>The Resume's <c>d</c>, if the client resumed.</summary>
    public JsonObject? Resume => Received.FirstOrDefault(r => r.Op == 6).Data as JsonObject;

    public (string? SessionId, long? Sequence) Resumed
    {
        get
        {
            lock (_lock)
            {
                return (_resumedSession, _resumedSequence);
            }
        }
    }

    /// <summary>Whether the connection is over, and the close code the WebSocket ended with (null when it was dropped).</summary>
    public (bool Ended, int? CloseCode) Ending
    {
        get
        {
            lock (_lock)
            {
                return (_ended, _clientCloseCode);
            }
        }
    }

    internal void Record(int op, JsonNode? data)
    {
        lock (_lock)
        {
            _received.Add((op, data));
        }
    }

    internal void ResumedSession(string? sessionId, long? sequence)
    {
        lock (_lock)
        {
            (_resumedSession, _resumedSequence) = (sessionId, sequence);
        }
    }

    internal void End(int? closeCode)
    {
        lock (_lock)
        {
            (_ended, _clientCloseCode) = (true, closeCode);
        }
    }
}
