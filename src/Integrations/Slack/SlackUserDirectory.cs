using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Adds display names to Slack users that arrive without one (events carry only the user id), from
/// users.info, remembered for an hour. The principal key (<c>slack:U123</c>) never depends on it.
/// </summary>
public sealed class SlackUserDirectory(ISlackWebApi api, TimeProvider timeProvider, ILogger<SlackUserDirectory> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string Name, DateTimeOffset Until)> _names = new(StringComparer.Ordinal);

    public async Task<ChatUser> WithDisplayNameAsync(ChatUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.DisplayName is not null || user.Platform != SlackInboundParser.Platform)
        {
            return user;
        }

        var now = timeProvider.GetUtcNow();
        if (_names.TryGetValue(user.Id, out var cached) && cached.Until > now)
        {
            return user with { DisplayName = cached.Name };
        }

        try
        {
            var found = await api.GetUserAsync(user.Id, cancellationToken);
            _names[user.Id] = (found.BestName, now + Lifetime);
            return user with { DisplayName = found.BestName };
        }
        catch (SlackApiException e)
        {
            // A name is cosmetic: a command must not fail because users.info is limited or down.
            Log.UserLookupFailed(logger, user.Id, e.Error);
            return user;
        }
    }
}
