using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary>
/// Activities as the Bot Framework posts them to <c>/api/messages</c> (the activity schema's field names), each with a
/// bearer token the <see cref="BotFrameworkAuthPeer"/> signs for the <see cref="ConnectorPeer"/>'s service URL.
/// </summary>
internal sealed class TeamsDeliveries(BotFrameworkAuthPeer auth, ConnectorPeer connector)
{
    public const string KeyId = "bf-key-1";
    public const string Channel = "19:ops@thread.tacv2";
    public const string UserObjectId = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    public const string UserName = "Dana Ops";

    private int _ids = 1000;

    public string ServiceUrl => connector.ServiceUrl.AbsoluteUri;

    /// <summary>The settings that point the bot at both peers.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Teams:AppId"] = ConnectorPeer.AppId,
        ["Teams:AppPassword"] = ConnectorPeer.AppPassword,
        ["Teams:TenantId"] = ConnectorPeer.TenantId,
        ["Teams:OpenIdMetadataUrl"] = auth.MetadataUrl.AbsoluteUri,
        ["Teams:TokenEndpoint"] = connector.TokenEndpoint.AbsoluteUri,
    };

    public string NextId() => Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public JsonObject Message(string text, string? id = null, bool mention = true)
    {
        var activity = Base("message", id ?? NextId());
        activity["text"] = mention ? $"<at>ChatOps</at> {text}" : text;
        activity["entities"] = mention
            ? new JsonArray(new JsonObject { ["type"] = "mention", ["text"] = "<at>ChatOps</at>", ["mentioned"] = new JsonObject { ["id"] = ConnectorPeer.BotId, ["name"] = "ChatOps" } })
            : new JsonArray();
        return activity;
    }

    public JsonObject Press(string replyToId, string actionId)
    {
        var activity = Base("invoke", NextId());
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId;
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = actionId, ["data"] = new JsonObject { ["actionId"] = actionId } },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The bot added to <paramref name="conversationId"/>; in a team, Teams says the team's Entra ID group id (<paramref name="teamAadGroupId"/>).</summary>
    public JsonObject BotAdded(string conversationId, string? teamAadGroupId = null)
    {
        var activity = Base("conversationUpdate", NextId());
        activity["conversation"]!["id"] = conversationId;
        if (teamAadGroupId is not null)
        {
            activity["channelData"]!["team"] = new JsonObject { ["id"] = conversationId, ["aadGroupId"] = teamAadGroupId };
        }

        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = ConnectorPeer.BotId });
        return activity;
    }

    /// <summary>A token the Bot Framework would send with an activity for <see cref="ServiceUrl"/>; each part can be spoilt.</summary>
    public string Token(string? keyId = null, string? audience = null, string? serviceUrl = null, string issuer = BotFrameworkAuthPeer.Issuer, DateTimeOffset? expires = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        return auth.IssueToken(keyId ?? KeyId, audience ?? ConnectorPeer.AppId, serviceUrl ?? ServiceUrl, now.AddMinutes(-5), expires ?? now.AddMinutes(55), issuer);
    }

    public static HttpRequestMessage Request(JsonObject activity, string? token) => Request(activity.ToJsonString(), token);

    public static HttpRequestMessage Request(string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private JsonObject Base(string type, string id) => new()
    {
        ["type"] = type,
        ["id"] = id,
        ["channelId"] = "msteams",
        ["serviceUrl"] = ServiceUrl,
        ["timestamp"] = "2026-12-01T09:00:00.000Z",
        ["from"] = new JsonObject { ["id"] = "29:1dana", ["name"] = UserName, ["aadObjectId"] = UserObjectId },
        ["conversation"] = new JsonObject { ["id"] = Channel, ["conversationType"] = "channel", ["tenantId"] = ConnectorPeer.TenantId },
        ["recipient"] = new JsonObject { ["id"] = ConnectorPeer.BotId, ["name"] = "ChatOps" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = ConnectorPeer.TenantId } },
    };
}
