using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// A run's one chat message (its confirmation, then its approval, then its progress) and the output
/// lines in its thread, all through the outbox under keys derived from the run's id. Nothing here
/// needs the platform's message id, so a crash between enqueueing and sending loses nothing.
/// </summary>
internal sealed class RunMessages(IChatOutbox outbox)
{
    /// <summary>The outbox key of run <paramref name="runId"/>'s message.</summary>
    public static string Key(long runId) => string.Create(CultureInfo.InvariantCulture, $"run:{runId}");

    /// <summary>The outbox key of the <paramref name="chunk"/>th batch of output lines in the run's thread.</summary>
    public static string OutputKey(long runId, int chunk) => string.Create(CultureInfo.InvariantCulture, $"run:{runId}:out:{chunk}");

    /// <summary>
    /// Shows <paramref name="message"/> as the run's message: posts it the first time, edits it afterwards.
    /// Never merged into a digest: it carries buttons and is edited in place.
    /// </summary>
    public Task ShowAsync(long runId, ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken) =>
        ShowAsync(runId, destination, message, answerSlot: null, cancellationToken);

    /// <summary>
    /// As <see cref="ShowAsync(long, ChatDestination, OutgoingMessage, CancellationToken)"/>; the first time, the message
    /// fills <paramref name="answerSlot"/> when the request that started the run came with one
    /// (<see cref="ChatRequest.AnswerSlot"/>: a Discord interaction's deferred response), instead of posting anew.
    /// </summary>
    public async Task ShowAsync(long runId, ChatDestination destination, OutgoingMessage message, string? answerSlot, CancellationToken cancellationToken)
    {
        var key = Key(runId);
        var slotKey = answerSlot is null || await outbox.ContainsAsync(key, cancellationToken)
            ? null
            : await outbox.AdoptThreadParentAsync(destination, answerSlot, cancellationToken);
        if (!await outbox.EnqueuePostAsync(key, destination, message, slotKey, cancellationToken: cancellationToken))
        {
            await outbox.EnqueueUpdateAsync(key, destination, message, cancellationToken);
        }
    }

    /// <summary>Posts output lines in the run's thread; the reply waits until the run's message is out.</summary>
    public Task PostOutputAsync(long runId, int chunk, ChatDestination destination, IReadOnlyList<string> lines, CancellationToken cancellationToken) =>
        outbox.EnqueuePostAsync(OutputKey(runId, chunk), destination, OutgoingMessage.Plain(string.Join('\n', lines)), Key(runId), cancellationToken: cancellationToken);

    /// <summary>The platform's id of the run's message, or null while it is not out (yet).</summary>
    public Task<string?> GetMessageIdAsync(long runId, CancellationToken cancellationToken) => outbox.GetMessageIdAsync(Key(runId), cancellationToken);
}
