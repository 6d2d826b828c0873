using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOps.TestCommon.Teams;

/// <summary>
/// The Microsoft side of an outgoing Teams message on loopback Kestrel: the identity platform's token endpoint
/// (client credentials, as a single-tenant bot asks) and the Bot Framework Connector at <see cref="ServiceUrl"/>.
/// Every Connector request is checked against <see cref="ConnectorContract"/> (swagger operation and body, activity
/// schema, Adaptive Card 1.5 schema) and must carry a token this peer issued and has not revoked; a violation is
/// recorded and answered 400 <c>BadArgument</c>. Accepted activities are kept per conversation, with every version
/// an update gave them. Faults can be queued: an HTTP error (429 with Retry-After, 5xx, 401) or an answer dropped
/// after the activity was accepted, as a lost connection looks to the client.
/// </summary>
public sealed class ConnectorPeer : IAsyncDisposable
{
    public const string AppId = "5b0c8f8e-1d3a-4a57-9d63-0f2a7b6c9e11";
    public const string AppPassword = "peer-app-password";
    public const string TenantId = "8a6f2c4e-3b1d-4e5f-a7c9-2d4b6f8e0a13";
    public const string BotId = "28:" + AppId;
    public const string Scope = "https://api.botframework.com/.default";

    /// <summary>Microsoft Graph's scope: the same token endpoint issues tokens for it, which only Graph (<c>GraphPeer</c>) takes.</summary>
    public const string GraphScope = "https://graph.microsoft.com/.default";

    private readonly Lock _lock = new();
    private readonly List<string> _violations = [];
    private readonly List<PeerRequest> _requests = [];
    private readonly List<PeerActivity> _activities = [];
    private readonly Queue<PeerFault> _faults = new();
    private readonly Dictionary<string, string> _validTokens = new(StringComparer.Ordinal);
    private int _graphTokenRequests;
    private int _tokenRequests;
    private long _nextActivity = 1_700_000_000_000;
    private LoopbackPeer _loopback = null!;

    private ConnectorPeer()
    {
    }

    public Uri Root => _loopback.Root;

    /// <summary>The Connector's base address; like Teams' own (<c>https://smba.trafficmanager.net/amer/</c>) it has a path.</summary>
    public Uri ServiceUrl => new(Root, "amer/");

    public Uri TokenEndpoint => new(Root, $"{TenantId}/oauth2/v2.0/token");

    /// <summary>The <c>expires_in</c> of the tokens issued from now on. <value>Default: one hour, as the identity platform gives.</value></summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Token requests for the Connector's scope (<see cref="Scope"/>).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests) - GraphTokenRequests;

    /// <summary>Token requests for Graph's scope (<see cref="GraphScope"/>).</summary>
    public int GraphTokenRequests => Volatile.Read(ref _graphTokenRequests);

    /// <summary>The scope <paramref name="token"/> was issued for, or null when this endpoint never issued it (or it was revoked).</summary>
    public string? ScopeOf(string token)
    {
        lock (_lock)
        {
            return _validTokens.GetValueOrDefault(token);
        }
    }

    public IReadOnlyList<string> ContractViolations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public IReadOnlyList<PeerRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<ConnectorPeer> StartAsync(CancellationToken cancellationToken)
    {
        var peer = new ConnectorPeer();
        peer._loopback = await LoopbackPeer.StartAsync(
            app =>
            {
                app.MapPost($"/{TenantId}/oauth2/v2.0/token", peer.HandleTokenAsync);
                app.Map("/amer/{**path}", peer.HandleConnectorAsync);
            },
            cancellationToken);
        return peer;
    }

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    /// <summary>The activities in <paramref name="conversationId"/>, in the order they were accepted (a dropped answer's included).</summary>
    public IReadOnlyList<PeerActivity> ActivitiesIn(string conversationId)
    {
        lock (_lock)
        {
            return [.. _activities.Where(a => a.ConversationId == conversationId)];
        }
    }

    /// <summary>Answers the next Connector request (of <paramref name="method"/>, when given) with <paramref name="status"/> and an ErrorResponse, without acting on it.</summary>
    public void FailNext(HttpStatusCode status, TimeSpan? retryAfter = null, string? method = null)
    {
        lock (_lock)
        {
            _faults.Enqueue(new PeerFault(method, status, retryAfter, DropAnswer: false));
        }
    }

    /// <summary>Accepts the next Connector request (of <paramref name="method"/>, when given) and then drops the connection instead of answering.</summary>
    public void DropNextAnswer(string? method = null)
    {
        lock (_lock)
        {
            _faults.Enqueue(new PeerFault(method, HttpStatusCode.OK, null, DropAnswer: true));
        }
    }

    /// <summary>Every token issued so far stops working, as when the app's secret is rotated: the Connector answers 401.</summary>
    public void RevokeIssuedTokens()
    {
        lock (_lock)
        {
            _validTokens.Clear();
        }
    }

    private async Task HandleTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var problems = new List<string>();
        if (form["grant_type"] != "client_credentials")
        {
            problems.Add($"token request: grant_type '{form["grant_type"]}' instead of client_credentials");
        }

        var scope = form["scope"].ToString();
        if (scope != Scope && scope != GraphScope)
        {
            problems.Add($"token request: scope '{scope}' instead of {Scope} or {GraphScope}");
        }
        else if (scope == GraphScope)
        {
            Interlocked.Increment(ref _graphTokenRequests);
        }

        if (problems.Count > 0)
        {
            Record(problems);
            await OAuthErrorAsync(context, HttpStatusCode.BadRequest, "invalid_request", string.Join("; ", problems));
            return;
        }

        if (form["client_id"] != AppId || form["client_secret"] != AppPassword)
        {
            await OAuthErrorAsync(context, HttpStatusCode.Unauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            return;
        }

        var token = $"peer-token-{Guid.NewGuid():N}";
        lock (_lock)
        {
            _validTokens.Add(token, scope);
        }

        await context.Response.WriteAsJsonAsync(
            new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = (long)TokenLifetime.TotalSeconds,
                ["ext_expires_in"] = (long)TokenLifetime.TotalSeconds,
                ["access_token"] = token,
            },
            context.RequestAborted);
    }

    private async Task HandleConnectorAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = "/" + (context.Request.RouteValues["path"] as string ?? "");
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var authorization = context.Request.Headers.Authorization.ToString();
        var violations = ConnectorContract.Instance.Check(method, path, authorization.Length == 0 ? null : authorization, body);
        PeerFault? fault;
        bool authorized;
        lock (_lock)
        {
            // The token's audience must be the Connector: a Graph token is refused as Azure refuses it.
            authorized = authorization.StartsWith("Bearer ", StringComparison.Ordinal)
                && _validTokens.GetValueOrDefault(authorization["Bearer ".Length..]) == Scope;
            fault = _faults.TryPeek(out var next) && (next.Method is null || next.Method == method) ? _faults.Dequeue() : null;
            _requests.Add(new PeerRequest(method, path, fault is { DropAnswer: false } ? (int)fault.Status : authorized ? 200 : 401));
        }

        if (!authorized)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["message"] = "Authorization has been denied for this request." }, context.RequestAborted);
            return;
        }

        if (fault is { DropAnswer: false })
        {
            if (fault.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, fault.Status, fault.Status == HttpStatusCode.TooManyRequests ? "Throttled" : "ServiceError", $"Injected {(int)fault.Status}.");
            return;
        }

        if (violations.Count > 0)
        {
            Record(violations);
            await ErrorAsync(context, HttpStatusCode.BadRequest, "BadArgument", string.Join("; ", violations));
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var conversation = Uri.UnescapeDataString(segments[2]);
        var activity = JsonNode.Parse(body)!.AsObject();
        string id;
        lock (_lock)
        {
            if (method == HttpMethods.Put)
            {
                id = Uri.UnescapeDataString(segments[4]);
                var existing = _activities.FindIndex(a => a.ConversationId == conversation && a.Id == id);
                if (existing < 0)
                {
                    id = "";
                }
                else
                {
                    _activities[existing] = _activities[existing] with { Versions = [.. _activities[existing].Versions, activity] };
                }
            }
            else
            {
                id = (++_nextActivity).ToString(CultureInfo.InvariantCulture);
                var replyTo = segments.Length > 4 ? Uri.UnescapeDataString(segments[4]) : null;
                _activities.Add(new PeerActivity(conversation, id, replyTo, [activity]) { Received = TimeProvider.System.GetUtcNow() });
            }
        }

        if (id.Length == 0)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "ActivityNotFound", "The activity to update does not exist.");
            return;
        }

        if (fault is { DropAnswer: true })
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = method == HttpMethods.Put ? StatusCodes.Status200OK : StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["id"] = id }, context.RequestAborted);
    }

    private void Record(IEnumerable<string> violations)
    {
        lock (_lock)
        {
            _violations.AddRange(violations);
        }
    }

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, context.RequestAborted);
    }

    private static async Task OAuthErrorAsync(HttpContext context, HttpStatusCode status, string error, string description)
    {
        context.Response.StatusCode = (int)status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error, ["error_description"] = description }, context.RequestAborted);
    }

    private sealed record PeerFault(string? Method, HttpStatusCode Status, TimeSpan? RetryAfter, bool DropAnswer);
}

/// <summary>A Connector request as the peer answered it (200 stands for any success).</summary>
public sealed record PeerRequest(string Method, string Path, int Status);

/// <summary>An activity the peer accepted, with each version an update gave it (the first is the post).</summary>
public sealed record PeerActivity(string ConversationId, string Id, string? ReplyToId, IReadOnlyList<JsonObject> Versions)
{
    /// <summary>When the peer accepted the post (Graph's <c>createdDateTime</c>).</summary>
    public DateTimeOffset Received { get; init; }

    public JsonObject Current => Versions[^1];

    /// <summary>The Adaptive Card of the current version, when it carries one.</summary>
    public JsonObject? Card => Current["attachments"]?.AsArray().Select(a => a?["content"]).OfType<JsonObject>().FirstOrDefault();
}
