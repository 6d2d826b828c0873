using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Adds <c>Authorization: Bearer</c> with the bot token, or the app-level token for
/// apps.connections.open. Only requests under <see cref="SlackOptions.ApiBaseUrl"/> get a token,
/// so pre-signed upload URLs never see it.
/// </summary>
internal sealed class SlackAuthenticationHandler(IOptionsMonitor<SlackOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (request.RequestUri is { } uri && current.ApiBaseUrl.IsBaseOf(uri) && request.Headers.Authorization is null)
        {
            var kind = request.Options.TryGetValue(SlackRequestOptions.Token, out var k) ? k : SlackTokenKind.Bot;
            var token = kind == SlackTokenKind.App ? current.AppToken : current.BotToken;
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
