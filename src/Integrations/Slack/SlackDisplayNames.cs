using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Mentions and direct messages carry only a user id, and people should read "rr asked…" rather
/// than "U0123…" in progress messages and the audit trail. The name comes from users.info (cached
/// by <see cref="SlackUserDirectory"/>) within <see cref="Budget"/>, so the acknowledgement still
/// beats Slack's 3 seconds; past it, or when the lookup fails, the id stands in. The principal key
/// (<c>slack:U…</c>) never depends on the name.
/// </summary>
public sealed class SlackDisplayNames(TimeProvider timeProvider, ILogger<SlackDisplayNames> logger, SlackUserDirectory? directory = null)
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public async Task<ChatRequest> WithDisplayNameAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (directory is null || request.User.DisplayName is not null)
        {
            return request;
        }

        using var budget = new CancellationTokenSource(Budget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        try
        {
            return request with { User = await directory.WithDisplayNameAsync(request.User, linked.Token) };
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.NameLookupSkipped(logger, request.User.Id, "took too long");
            return request;
        }
        catch (HttpRequestException e)
        {
            Log.NameLookupSkipped(logger, request.User.Id, e.Message);
            return request;
        }
    }
}
