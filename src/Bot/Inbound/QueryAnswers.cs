using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;

namespace ChatOps.Bot.Inbound;

/// <summary>
/// The inbox's answers to commands that only read (<see cref="Commands.VerbDefinition.OnlyReads"/>) and to help, given as they are
/// received: the <see cref="ChatDispatcher"/>'s answer, once the host is ready and when it comes within <see cref="Within"/>.
/// Anything else, a slow answer and a failed one take the queue, where the command runs again as any other would. The
/// request waits no longer than that even for a provider that does not stop when asked: a platform that gets no
/// acknowledgement in time (Slack gives a slash command 3 s) sends the command again.
/// </summary>
internal sealed class QueryAnswers(ChatDispatcher dispatcher, ReadinessGate readiness, TimeProvider time, ILogger<QueryAnswers> logger) : IQueryAnswers
{
    /// <summary>
    /// How long the request waits for its answer before it is kept without one: a provider that asks another machine
    /// for an environment's state is answered from the queue instead, so the sender hears "accepted" promptly.
    /// </summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    public async Task<OutgoingMessage?> AnswerAsync(ChatDestination destination, ChatUser user, string text, CancellationToken cancellationToken)
    {
        // Until start-up has closed what a stopped process left, a person's earlier message may still be open.
        if (!readiness.IsReady)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(Within, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var answering = dispatcher.AnswerQueryAsync(destination, user, text, linked.Token);
        try
        {
            // The same deadline asks the provider to stop and ends the wait, whether or not it stops.
            return await answering.WaitAsync(linked.Token);
        }
#pragma warning disable CA1031 // Whatever went wrong here goes wrong again in the queue, where it is handled and logged as any command's.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.QueryDeferred(logger, text, e);
            // Left to finish on its own: whatever it ends with is not wanted, and must not go unobserved.
            _ = answering.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return null;
        }
    }
}
