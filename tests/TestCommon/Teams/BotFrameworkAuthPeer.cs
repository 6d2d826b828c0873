using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOps.TestCommon.Teams;

/// <summary>
/// The Bot Framework's side of Connector-to-bot authentication, on loopback Kestrel: the OpenID metadata document
/// (as the authentication article shows it, with <c>jwks_uri</c> pointing back here) and the key document, each
/// request counted. Its keys are RSA keys made in the test (<see cref="AddKey"/>, <see cref="RotateTo"/>), or a
/// key document given as is (<see cref="ServeKeys"/>, for the vendored fixtures). <see cref="IssueToken"/> signs the
/// tokens the Bot Framework would send, with the claims a test chooses.
/// </summary>
public sealed class BotFrameworkAuthPeer : IAsyncDisposable
{
    public const string MetadataPath = "/v1/.well-known/openidconfiguration";
    public const string KeysPath = "/v1/.well-known/keys";
    public const string Issuer = "https://api.botframework.com";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _published = [];
    private string? _servedKeys;
    private int _metadataRequests;
    private int _keyRequests;
    private LoopbackPeer _loopback = null!;

    private BotFrameworkAuthPeer()
    {
    }

    public Uri Root => _loopback.Root;

    /// <summary>What <c>Teams:OpenIdMetadataUrl</c> is set to.</summary>
    public Uri MetadataUrl => new(Root, MetadataPath.TrimStart('/'));

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>When set, both documents answer with this status and no body (an outage).</summary>
    public int? FailWith { get; set; }

    public static async Task<BotFrameworkAuthPeer> StartAsync(CancellationToken cancellationToken)
    {
        var peer = new BotFrameworkAuthPeer();
        peer._loopback = await LoopbackPeer.StartAsync(
            app =>
            {
                app.MapGet(MetadataPath, peer.Metadata);
                app.MapGet(KeysPath, peer.KeyDocument);
            },
            cancellationToken);
        return peer;
    }

    /// <summary>Makes an RSA key <paramref name="keyId"/> and, when <paramref name="publish"/>, lists it in the key document.</summary>
    public void AddKey(string keyId, bool publish = true)
    {
        lock (_lock)
        {
            _keys[keyId] = RSA.Create(2048);
            if (publish)
            {
                _published.Add(keyId);
            }

            _servedKeys = null;
        }
    }

    /// <summary>Publishes only <paramref name="keyId"/> from now on (made if new), as a key rotation does.</summary>
    public void RotateTo(string keyId)
    {
        lock (_lock)
        {
            if (!_keys.ContainsKey(keyId))
            {
                _keys[keyId] = RSA.Create(2048);
            }

            _published.Clear();
            _published.Add(keyId);
            _servedKeys = null;
        }
    }

    /// <summary>Serves <paramref name="jwks"/> as the key document, as given (the fixtures' keys, whose private halves nobody has).</summary>
    public void ServeKeys(string jwks)
    {
        lock (_lock)
        {
            _servedKeys = jwks;
        }
    }

    /// <summary>
    /// A token as the Bot Framework signs it: RS256 with key <paramref name="keyId"/>, issuer
    /// <c>https://api.botframework.com</c> unless <paramref name="issuer"/> says otherwise, and the given
    /// audience, service URL (omitted when null) and lifetime.
    /// </summary>
    public string IssueToken(string keyId, string audience, string? serviceUrl, DateTimeOffset notBefore, DateTimeOffset expires, string issuer = Issuer)
    {
        RSA rsa;
        lock (_lock)
        {
            rsa = _keys[keyId];
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            IssuedAt = notBefore.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _loopback.DisposeAsync();
        lock (_lock)
        {
            foreach (var rsa in _keys.Values)
            {
                rsa.Dispose();
            }
        }
    }

    private IResult Metadata()
    {
        Interlocked.Increment(ref _metadataRequests);
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        // The shape of the example in the authentication article, pointing at this peer's key document.
        var document = new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = new Uri(Root, KeysPath.TrimStart('/')).AbsoluteUri,
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        };
        return Results.Text(document.ToJsonString(), "application/json");
    }

    private IResult KeyDocument()
    {
        Interlocked.Increment(ref _keyRequests);
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        lock (_lock)
        {
            return Results.Text(_servedKeys ?? Published(), "application/json");
        }
    }

    private string Published()
    {
        var keys = new JsonArray();
        foreach (var keyId in _published)
        {
            var parameters = _keys[keyId].ExportParameters(includePrivateParameters: false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = keyId,
                ["x5t"] = keyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
                ["endorsements"] = new JsonArray("msteams"),
            });
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }
}
