using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOps.TestCommon.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOps.TestCommon.Graph;

/// <summary>
/// Microsoft Graph's Teams message listings on loopback Kestrel, serving what the <see cref="ConnectorPeer"/> it stands
/// beside has accepted: a channel's root messages (<c>/teams/{team-id}/channels/{channel-id}/messages</c>), a thread's
/// replies (<c>…/messages/{message-id}/replies</c>) and a chat's messages (<c>/chats/{chat-id}/messages</c>), newest
/// first, paged by <c>$top</c> with <c>@odata.nextLink</c>, each a <c>chatMessage</c> from the bot's application whose
/// card is an attachment with its JSON in <c>content</c>. Every request is checked against <see cref="GraphContract"/>
/// and must carry a token the ConnectorPeer issued for Graph's scope (its audience); a violation is recorded and
/// answered 400. A conversation can be made to refuse (403, as Graph does when the app's resource-specific consent was
/// not granted there).
/// </summary>
public sealed class GraphPeer : IAsyncDisposable
{
    public const string Version = "v1.0";

    private readonly Lock _lock = new();
    private readonly ConnectorPeer _connector;
    private readonly List<string> _violations = [];
    private readonly List<GraphRequest> _requests = [];
    private readonly Dictionary<string, string> _teamOfChannel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _chats = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refusing = new(StringComparer.Ordinal);
    private readonly Queue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _faults = new();
    private LoopbackPeer _loopback = null!;

    private GraphPeer(ConnectorPeer connector) => _connector = connector;

    public Uri Root => _loopback.Root;

    /// <summary>What <c>Teams:GraphBaseUrl</c> is set to: the peer's version root.</summary>
    public Uri BaseUrl => new(Root, Version);

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

    public IReadOnlyList<GraphRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<GraphPeer> StartAsync(ConnectorPeer connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var peer = new GraphPeer(connector);
        peer._loopback = await LoopbackPeer.StartAsync(app => app.Map($"/{Version}/{{**path}}", peer.HandleAsync), cancellationToken);
        return peer;
    }

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    /// <summary>Channel <paramref name="channelId"/> (a Teams conversation id) belongs to the team with Entra ID group id <paramref name="teamId"/>.</summary>
    public GraphPeer AddChannel(string teamId, string channelId)
    {
        lock (_lock)
        {
            _teamOfChannel[channelId] = teamId;
        }

        return this;
    }

    /// <summary>Conversation <paramref name="chatId"/> is a chat Graph knows by that id.</summary>
    public GraphPeer AddChat(string chatId)
    {
        lock (_lock)
        {
            _chats.Add(chatId);
        }

        return this;
    }

    /// <summary>Listing <paramref name="conversationId"/>'s messages answers 403 until <see cref="Grant"/>.</summary>
    public void Refuse(string conversationId)
    {
        lock (_lock)
        {
            _refusing.Add(conversationId);
        }
    }

    /// <summary>The app's consent in <paramref name="conversationId"/> is granted: listings answer again.</summary>
    public void Grant(string conversationId)
    {
        lock (_lock)
        {
            _refusing.Remove(conversationId);
        }
    }

    /// <summary>Answers the next listing with <paramref name="status"/> (a 429 or 5xx, as Graph does when busy), acting on nothing.</summary>
    public void FailNext(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        lock (_lock)
        {
            _faults.Enqueue((status, retryAfter));
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = "/" + string.Join('/', (context.Request.RouteValues["path"] as string ?? "").Split('/').Select(Uri.UnescapeDataString));
        var query = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        var authorization = context.Request.Headers.Authorization.ToString();
        var violations = GraphContract.Instance.Check(context.Request.Method, path, query, authorization.Length == 0 ? null : authorization, context.Request.ContentLength ?? 0).ToList();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "";
        var scope = _connector.ScopeOf(token);
        if (scope is not null && scope != ConnectorPeer.GraphScope)
        {
            violations.Add($"{context.Request.Method} {path}: a token issued for {scope}, not for Graph ({ConnectorPeer.GraphScope})");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var conversation = segments switch
        {
            ["teams", _, "channels", var channel, ..] => channel,
            ["chats", var chat, ..] => chat,
            _ => null,
        };
        bool refusing;
        (HttpStatusCode Status, TimeSpan? RetryAfter)? fault = null;
        lock (_lock)
        {
            refusing = conversation is not null && _refusing.Contains(conversation);
            if (violations.Count == 0 && scope is not null && !refusing && _faults.TryDequeue(out var next))
            {
                fault = next;
            }

            var status = violations.Count > 0 ? 400 : scope is null ? 401 : refusing ? 403 : fault is { } f ? (int)f.Status : 200;
            _requests.Add(new GraphRequest(context.Request.Method, path, context.Request.QueryString.Value ?? "", status));
            _violations.AddRange(violations);
        }

        if (violations.Count > 0)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "BadRequest", string.Join("; ", violations));
            return;
        }

        if (scope is null)
        {
            await ErrorAsync(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "Access token validation failure.");
            return;
        }

        if (refusing)
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "Forbidden", "Missing role permissions on the request. API requires one of 'ChannelMessage.Read.All, ChannelMessage.Read.Group'.");
            return;
        }

        if (fault is { } injected)
        {
            if (injected.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, injected.Status, injected.Status == HttpStatusCode.TooManyRequests ? "TooManyRequests" : "ServiceNotAvailable", $"Injected {(int)injected.Status}.");
            return;
        }

        var (messages, error) = Listing(segments);
        if (error is not null)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, "NotFound", error);
            return;
        }

        var top = int.TryParse(context.Request.Query["$top"], CultureInfo.InvariantCulture, out var t) ? t : 20;
        var skip = int.TryParse(context.Request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = messages.Skip(skip).Take(top).ToList();
        var answer = new JsonObject { ["@odata.context"] = $"{BaseUrl}/$metadata#{string.Join('/', segments)}", ["value"] = new JsonArray([.. page]) };
        if (skip + top < messages.Count)
        {
            var next = new Uri($"{BaseUrl}{path}?$top={top}&$skiptoken={skip + top}");
            answer["@odata.nextLink"] = next.AbsoluteUri;
        }

        await context.Response.WriteAsJsonAsync(answer, context.RequestAborted);
    }

    private (List<JsonObject> Messages, string? Error) Listing(string[] segments)
    {
        switch (segments)
        {
            case ["teams", var team, "channels", var channel, "messages", ..]:
                lock (_lock)
                {
                    if (_teamOfChannel.GetValueOrDefault(channel) != team)
                    {
                        return ([], $"No channel {channel} in team {team}.");
                    }
                }

                var activities = _connector.ActivitiesIn(channel);
                var selected = segments is [.., var root, "replies"]
                    ? activities.Where(a => a.ReplyToId == root)
                    : activities.Where(a => a.ReplyToId is null);
                return ([.. selected.OrderByDescending(a => a.Received).Select(a => Message(a, team, null))], null);
            case ["chats", var chat, "messages"]:
                lock (_lock)
                {
                    if (!_chats.Contains(chat))
                    {
                        return ([], $"No chat {chat}.");
                    }
                }

                return ([.. _connector.ActivitiesIn(chat).OrderByDescending(a => a.Received).Select(a => Message(a, null, chat))], null);
            default:
                return ([], "No such listing.");
        }
    }

    /// <summary>A chatMessage as Graph shows one the bot posted: from its application, its card an attachment whose content is the card's JSON as a string.</summary>
    private static JsonObject Message(PeerActivity activity, string? team, string? chat)
    {
        var created = activity.Received.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var attachments = new JsonArray();
        var body = new System.Text.StringBuilder();
        var index = 0;
        foreach (var attachment in activity.Current["attachments"]?.AsArray() ?? [])
        {
            var id = $"{activity.Id}-{index++}";
            var shown = new JsonObject();
            foreach (var property in GraphContract.Instance.AttachmentProperties)
            {
                shown[property] = property switch
                {
                    "id" => id,
                    "contentType" => attachment?["contentType"]?.GetValue<string>(),
                    "content" => attachment?["content"]?.ToJsonString(),
                    _ => null,
                };
            }

            attachments.Add(shown);
            body.Append(CultureInfo.InvariantCulture, $"<attachment id=\"{id}\"></attachment>");
        }

        return new JsonObject
        {
            ["id"] = activity.Id,
            ["replyToId"] = activity.ReplyToId,
            ["etag"] = activity.Id,
            ["messageType"] = "message",
            ["createdDateTime"] = created,
            ["lastModifiedDateTime"] = created,
            ["chatId"] = chat,
            ["channelIdentity"] = team is null ? null : new JsonObject { ["teamId"] = team, ["channelId"] = activity.ConversationId },
            ["from"] = new JsonObject
            {
                ["application"] = new JsonObject { ["id"] = ConnectorPeer.AppId, ["displayName"] = "ChatOps", ["applicationIdentityType"] = "bot" },
                ["device"] = null,
                ["user"] = null,
            },
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = body.Length > 0 ? body.ToString() : activity.Current["text"]?.GetValue<string>() ?? "" },
            ["attachments"] = attachments,
            ["mentions"] = new JsonArray(),
            ["reactions"] = new JsonArray(),
        };
    }

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, context.RequestAborted);
    }
}

/// <summary>A Graph request as the peer answered it.</summary>
public sealed record GraphRequest(string Method, string Path, string Query, int Status);
