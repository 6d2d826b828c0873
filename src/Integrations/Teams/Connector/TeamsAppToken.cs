using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// The bot's own token for one resource: client credentials (<c>Teams:AppId</c>, <c>Teams:AppPassword</c>, scope
/// <see cref="Scope"/> for the Connector, <see cref="GraphScope"/> for Microsoft Graph) from <c>Teams:TokenEndpoint</c>,
/// or the tenant's endpoint of a single-tenant registration. One instance per scope.
/// Kept until <see cref="RefreshMargin"/> before it expires; callers that find it stale at the same time wait for one
/// refresh instead of each asking for a token. A token the Connector refused (401) is dropped once by
/// <see cref="Invalidate"/>, so the next call fetches a new one.
/// </summary>
internal sealed class TeamsAppToken(HttpClient http, IOptionsMonitor<TeamsOptions> options, TimeProvider time, ILogger<TeamsAppToken> logger, string scope) : IDisposable
{
    /// <summary>The Connector's scope.</summary>
    public const string Scope = "https://api.botframework.com/.default";

    /// <summary>Microsoft Graph's scope: the application permissions granted to the app (its resource-specific consents).</summary>
    public const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>The scope this token is for.</summary>
    public string ForScope => scope;

    /// <summary>The named client the token endpoint is called with: no app token of its own, no Connector retries.</summary>
    public const string HttpClientName = "teams-token";

    /// <summary>How long before its expiry a token is renewed, so none expires on its way to the Connector.</summary>
    internal static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _current;

    /// <summary>A token valid for a while yet, fetched when the kept one is missing or about to expire.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } fresh && fresh.RenewAt > time.GetUtcNow())
        {
            return fresh.Value;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed it while this one waited.
            if (Volatile.Read(ref _current) is { } refreshed && refreshed.RenewAt > time.GetUtcNow())
            {
                return refreshed.Value;
            }

            var token = await FetchAsync(cancellationToken);
            Volatile.Write(ref _current, token);
            return token.Value;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>Drops <paramref name="token"/> when it is still the kept one (a later refresh is kept).</summary>
    public void Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && string.Equals(current.Value, token, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _current, null, current);
            Log.TokenDropped(logger, scope);
        }
    }

    /// <summary>Where the token comes from: <c>Teams:TokenEndpoint</c>, else the tenant's v2.0 token endpoint.</summary>
    public static Uri EndpointOf(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TokenEndpoint ?? new Uri($"https://login.microsoftonline.com/{Uri.EscapeDataString(options.TenantId ?? "")}/oauth2/v2.0/token");
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!current.Enabled || string.IsNullOrEmpty(current.AppPassword))
        {
            throw new TeamsConnectorException("Teams is not configured: set Teams:AppId, Teams:TenantId and the Teams__AppPassword environment variable.", permanent: true);
        }

        var endpoint = EndpointOf(current);
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", current.AppId!),
            new("client_secret", current.AppPassword),
            new("scope", scope),
        ]);
        using var response = await http.PostAsync(endpoint, form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // AAD answers an OAuth error (invalid_client, unauthorized_client): a wrong secret or app id stays wrong.
            var (error, description) = OAuthError(body);
            Log.TokenRefused(logger, endpoint, (int)response.StatusCode, error);
            var permanent = (int)response.StatusCode is >= 400 and < 500 and not 408 and not 429;
            throw new TeamsConnectorException(
                $"The token endpoint {endpoint} refused the app's credentials: HTTP {(int)response.StatusCode} {error}{(description is null ? "" : $" ({description})")}.",
                permanent,
                response.StatusCode,
                error,
                response.Headers.RetryAfter?.Delta);
        }

        var token = JsonSerializer.Deserialize<TokenAnswer>(body);
        if (string.IsNullOrEmpty(token?.AccessToken) || token.ExpiresIn <= 0)
        {
            throw new TeamsConnectorException($"The token endpoint {endpoint} answered without access_token or expires_in.", permanent: false);
        }

        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(token.ExpiresIn);
        // A short-lived token is renewed at half its life rather than never kept.
        var renewAt = now + (lifetime > RefreshMargin * 2 ? lifetime - RefreshMargin : lifetime / 2);
        Log.TokenFetched(logger, scope, endpoint, renewAt);
        return new CachedToken(token.AccessToken, renewAt);
    }

    private static (string Error, string? Description) OAuthError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return (
                root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown_error",
                root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
        }
        catch (JsonException)
        {
            return ("unknown_error", null);
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);

    private sealed record TokenAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string? AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] long ExpiresIn);
}
