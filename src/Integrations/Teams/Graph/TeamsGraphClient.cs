using ChatOps.Integrations.Teams.Connector;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// The typed HttpClient behind <see cref="ITeamsGraphMessages"/>, at <c>Teams:GraphBaseUrl</c>. The token is added by
/// <see cref="TeamsAuthenticationHandler"/>; this class shapes the requests as the Graph reference documents them
/// (<c>$top</c> at most 50; <c>$orderby=createdDateTime desc</c> only for a chat, the one listing that takes it) and
/// turns Graph's error into a <see cref="TeamsGraphException"/>. No retries of its own: a lookup that cannot be
/// answered now is retried by the outbox, which posts nothing meanwhile.
/// </summary>
internal sealed class TeamsGraphClient(HttpClient http, IOptionsMonitor<TeamsOptions> options, TimeProvider time, ILogger<TeamsGraphClient> logger) : ITeamsGraphMessages
{
    /// <summary>The largest page every listing accepts.</summary>
    public const int PageSize = 50;

    public Task<TeamsGraphPage> ListAsync(TeamsGraphAddress address, string conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var query = address.Listing == TeamsGraphListing.ChatMessages
            ? $"?$top={PageSize}&$orderby=createdDateTime%20desc"
            : $"?$top={PageSize}";
        return GetAsync(new Uri($"{Root}/{address.Path}{query}"), conversation, cancellationToken);
    }

    public async Task<TeamsGraphPage?> NextAsync(Uri nextLink, string conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nextLink);
        // The token goes only where Graph is configured to be.
        if (!nextLink.AbsoluteUri.StartsWith(Root + "/", StringComparison.OrdinalIgnoreCase))
        {
            Log.ForeignNextLink(logger, nextLink.AbsoluteUri);
            return null;
        }

        return await GetAsync(nextLink, conversation, cancellationToken);
    }

    private string Root => options.CurrentValue.GraphBaseUrl.AbsoluteUri.TrimEnd('/');

    private async Task<TeamsGraphPage> GetAsync(Uri uri, string conversation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new TeamsGraphException($"Microsoft Graph gave no answer listing the messages of {conversation}: {exception.Message}", permanent: false, innerException: exception);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return TeamsGraphPage.Read(body);
                }
                catch (JsonException exception)
                {
                    throw new TeamsGraphException($"Microsoft Graph answered the listing of {conversation} with something that is not a message collection.", permanent: false, innerException: exception);
                }
            }

            var (code, message) = TeamsErrorBody.Parse(body);
            Log.GraphError(logger, "list messages", conversation, (int)response.StatusCode, code ?? "-", message ?? "");
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? Max(date - time.GetUtcNow(), TimeSpan.Zero) : null)
                : null;
            var hint = response.StatusCode == HttpStatusCode.Forbidden
                ? " The app has no permission to read it: grant the resource-specific consent (ChannelMessage.Read.Group, ChatMessage.Read.Chat) by installing the current app package there (docs/teams.md)."
                : "";
            throw new TeamsGraphException(
                $"Microsoft Graph refused to list the messages of {conversation}: HTTP {(int)response.StatusCode}{(code is null ? "" : $" {code}")}{(message is null ? "" : $": {message}")}.{hint}",
                TeamsGraphException.IsPermanentStatus(response.StatusCode),
                response.StatusCode,
                code,
                response.StatusCode == HttpStatusCode.TooManyRequests ? retryAfter ?? TimeSpan.FromSeconds(1) : retryAfter);
        }
    }

    private static TimeSpan? Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
