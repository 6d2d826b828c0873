using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>
/// The platform's side of the outbox: keeps every message and every edit, so tests can read a
/// message's history. <see cref="HoldEdits"/> makes edits wait, as a slow or rate-limited platform would.
/// </summary>
internal sealed class RecordingChatSender : IChatSender
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<OutgoingMessage>> _versions = [];
    private readonly List<(string Id, string? ThreadOf)> _posts = [];
    private TaskCompletionSource _edits = Opened();
    private int _next;

    public string Platform => "webchat";

    public IReadOnlyList<(string Id, string? ThreadOf)> Posts
    {
        get
        {
            lock (_gate)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>Edits in progress, including one waiting behind <see cref="HoldEdits"/>.</summary>
    public int EditsStarted { get; private set; }

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = $"m{++_next}";
            _versions[id] = [message];
            _posts.Add((id, threadOf));
            return Task.FromResult(id);
        }
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Task held;
        lock (_gate)
        {
            EditsStarted++;
            held = _edits.Task;
        }

        await held.WaitAsync(cancellationToken);
        lock (_gate)
        {
            _versions[messageId].Add(message);
        }
    }

    /// <summary>Edits wait from now on until <see cref="Open"/>.</summary>
    public void HoldEdits()
    {
        lock (_gate)
        {
            _edits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Open()
    {
        lock (_gate)
        {
            _edits.TrySetResult();
        }
    }

    public IReadOnlyList<OutgoingMessage> Versions(string id)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(id, out var versions) ? [.. versions] : [];
        }
    }

    private static TaskCompletionSource Opened()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        opened.SetResult();
        return opened;
    }
}
