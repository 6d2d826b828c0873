using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>Keeps every message and every edit, so tests can read a message's history.</summary>
internal sealed class RecordingChatSender : IChatSender
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OutgoingMessage>> _versions = [];
    private int _next;

    public string Platform => "webchat";

    public List<(string Id, string? ThreadOf)> Posts { get; } = [];

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = $"m{++_next}";
            _versions[id] = [message];
            Posts.Add((id, threadOf));
            return Task.FromResult(id);
        }
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _versions[messageId].Add(message);
        }

        return Task.CompletedTask;
    }

    public IReadOnlyList<OutgoingMessage> Versions(string id)
    {
        lock (_gate)
        {
            return [.. _versions[id]];
        }
    }
}
