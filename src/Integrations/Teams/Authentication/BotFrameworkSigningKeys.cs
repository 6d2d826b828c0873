using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatOps.Integrations.Teams.Authentication;

/// <summary>One signing key of the Bot Framework, with the channels it is endorsed for (<c>msteams</c>, <c>webchat</c>…).</summary>
internal sealed record BotFrameworkSigningKey(string KeyId, SecurityKey Key, IReadOnlySet<string> Endorsements);

/// <summary>What looking up a key id found.</summary>
internal enum SigningKeyLookup
{
    Found,

    /// <summary>The published keys (fetched now, or recently enough) have no key with that id.</summary>
    Unknown,

    /// <summary>The keys have never been fetched and fetching them failed: nothing can be verified yet.</summary>
    Unavailable,
}

/// <summary>
/// The Bot Framework's token signing keys, read from the <c>jwks_uri</c> of the OpenID metadata at
/// <see cref="TeamsOptions.OpenIdMetadataUrl"/> and kept in memory. They are fetched again when they are a day old
/// (the documentation asks for at least once every 24 hours) and when a token names a key id they lack, since new
/// keys may be published at any time; but never sooner than <see cref="RefreshFloor"/> after the last fetch, so a
/// flood of tokens with made-up key ids costs the metadata service one request, not one each. One fetch runs at a
/// time; requests arriving meanwhile wait for it and use its result.
/// </summary>
internal sealed class BotFrameworkSigningKeys(
    IHttpClientFactory httpClients,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<BotFrameworkSigningKeys> logger) : IDisposable
{
    public const string HttpClientName = "BotFrameworkOpenId";

    /// <summary>How old the keys may grow before the next token makes them fetched again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The least time between two fetches prompted by an unknown key id.</summary>
    public static readonly TimeSpan RefreshFloor = TimeSpan.FromMinutes(5);

    /// <summary>The least time between two tries while no keys have ever been fetched (the metadata was unreachable at start).</summary>
    public static readonly TimeSpan RetryFloor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile KeySet? _keys;
    private DateTimeOffset? _lastAttempt;

    /// <summary>How many times the keys were fetched (successfully or not); for logs and tests.</summary>
    public int Fetches { get; private set; }

    /// <summary>The key named <paramref name="keyId"/>, fetching the published keys when needed and allowed.</summary>
    public async Task<(SigningKeyLookup Lookup, BotFrameworkSigningKey? Key)> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (Fresh(_keys) is { } fresh && fresh.Keys.TryGetValue(keyId, out var cached))
        {
            return (SigningKeyLookup.Found, cached);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var keys = _keys;
            var known = keys is not null && keys.Keys.ContainsKey(keyId);
            if ((!known || Fresh(keys) is null) && MayFetch(keys))
            {
                keys = await FetchAsync(cancellationToken) ?? keys;
            }

            if (keys is null)
            {
                return (SigningKeyLookup.Unavailable, null);
            }

            return keys.Keys.TryGetValue(keyId, out var key) ? (SigningKeyLookup.Found, key) : (SigningKeyLookup.Unknown, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private KeySet? Fresh(KeySet? keys) => keys is not null && time.GetUtcNow() - keys.FetchedAt < MaxAge ? keys : null;

    private bool MayFetch(KeySet? keys) =>
        _lastAttempt is not { } last || time.GetUtcNow() - last >= (keys is null ? RetryFloor : RefreshFloor);

    /// <summary>The published keys, or null (logged) when the metadata or the key document cannot be read; the old keys then stay.</summary>
    private async Task<KeySet?> FetchAsync(CancellationToken cancellationToken)
    {
        _lastAttempt = time.GetUtcNow();
        Fetches++;
        var metadataUrl = options.Value.OpenIdMetadataUrl;
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            var metadata = OpenIdConnectConfiguration.Create(await http.GetStringAsync(metadataUrl, cancellationToken));
            if (!Uri.TryCreate(metadataUrl, metadata.JwksUri, out var jwksUri) || !TeamsOptionsValidator.IsAcceptableAddress(jwksUri))
            {
                Log.SigningKeysUnreadable(logger, metadataUrl, $"its jwks_uri '{metadata.JwksUri}' is not an https address");
                return null;
            }

            var keys = Parse(await http.GetStringAsync(jwksUri, cancellationToken));
            var set = new KeySet(keys, time.GetUtcNow());
            _keys = set;
            Log.SigningKeysFetched(logger, keys.Count, jwksUri);
            return set;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or ArgumentException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.SigningKeysUnreadable(logger, metadataUrl, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The RSA signing keys of a JWK set, by key id, each with its <c>endorsements</c>: a Bot Framework addition to
    /// the JWK format that <see cref="JsonWebKey"/> does not model, so it is read from the document itself.
    /// </summary>
    internal static Dictionary<string, BotFrameworkSigningKey> Parse(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("the key document has no 'keys' array");
        }

        var found = new Dictionary<string, BotFrameworkSigningKey>(StringComparer.Ordinal);
        foreach (var element in keys.EnumerateArray())
        {
            var key = JsonWebKey.Create(element.GetRawText());
            if (key.Kty != JsonWebAlgorithmsKeyTypes.RSA || string.IsNullOrEmpty(key.Kid) || key.Use is { Length: > 0 } and not "sig")
            {
                continue;
            }

            var endorsements = element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            found[key.Kid] = new BotFrameworkSigningKey(key.Kid, key, endorsements);
        }

        return found;
    }

    private sealed record KeySet(IReadOnlyDictionary<string, BotFrameworkSigningKey> Keys, DateTimeOffset FetchedAt);
}
