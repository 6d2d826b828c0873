using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;

namespace ChatOps.Bot.Tests.Inbound;

/// <summary>
/// Stands in for the dispatcher: records what it was handed, in order, and holds any message whose
/// text was <see cref="Hold"/>-ed until it is released. A text of <c>boom</c> throws.
/// </summary>
internal sealed class RecordingInboxHandler : IInboxHandler
{
    private readonly Lock _gate = new();
    private readonly List<string> _started = [];
    private readonly List<string> _finished = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();

    public IReadOnlyList<string> Started
    {
        get
        {
            lock (_gate)
            {
                return [.. _started];
            }
        }
    }

    public IReadOnlyList<string> Finished
    {
        get
        {
            lock (_gate)
            {
                return [.. _finished];
            }
        }
    }

    public void Hold(string text) => _held[text] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string text) => _held[text].TrySetResult();

    public Task HandleAsync(ChatRequest request, CancellationToken cancellationToken) => RunAsync(request.Text, cancellationToken);

    public Task HandleAsync(ChatAction action, CancellationToken cancellationToken) => RunAsync(action.ActionId, cancellationToken);

    private async Task RunAsync(string text, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _started.Add(text);
        }

        if (_held.TryGetValue(text, out var held))
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        if (text == "boom")
        {
            throw new InvalidOperationException("the handler failed");
        }

        lock (_gate)
        {
            _finished.Add(text);
        }
    }
}
