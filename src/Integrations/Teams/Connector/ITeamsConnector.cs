using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>The Connector operations the bot uses, at a conversation's own <c>serviceUrl</c>.</summary>
internal interface ITeamsConnector
{
    /// <summary><c>POST /v3/conversations/{id}/activities</c>: a new activity; returns its id.</summary>
    Task<string> SendAsync(Uri serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken);

    /// <summary><c>POST /v3/conversations/{id}/activities/{activityId}</c>: a reply in the thread of <paramref name="activityId"/>; returns its id.</summary>
    Task<string> ReplyAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken);

    /// <summary><c>PUT /v3/conversations/{id}/activities/{activityId}</c>: replaces the activity's content.</summary>
    Task UpdateAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken);
}
