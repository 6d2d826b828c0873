using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Connector;

/// <summary>
/// The typed HttpClient behind <see cref="ITeamsConnector"/>. The token is added by
/// <see cref="TeamsAuthenticationHandler"/> and retries by <see cref="TeamsRetryPipeline"/>; this class shapes the
/// requests and reads the answers, turning the Connector's <c>ErrorResponse</c> into a <see cref="TeamsConnectorException"/>.
/// </summary>
internal sealed class TeamsConnectorClient(HttpClient http, TimeProvider time, ILogger<TeamsConnectorClient> logger) : ITeamsConnector
{
    public async Task<string> SendAsync(Uri serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var answer = await CallAsync(HttpMethod.Post, TeamsRequestOptions.Send, serviceUrl, conversationId, null, activity, cancellationToken);
        return ResourceId(answer, TeamsRequestOptions.Send);
    }

    public async Task<string> ReplyAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        var answer = await CallAsync(HttpMethod.Post, TeamsRequestOptions.Reply, serviceUrl, conversationId, activityId, activity, cancellationToken);
        return ResourceId(answer, TeamsRequestOptions.Reply);
    }

    public async Task UpdateAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        await CallAsync(HttpMethod.Put, TeamsRequestOptions.Update, serviceUrl, conversationId, activityId, activity, cancellationToken);
    }

    /// <summary>The address of a conversation's activities (or one of them) under <paramref name="serviceUrl"/>, which may carry a path (<c>/amer/</c>).</summary>
    internal static Uri ActivitiesUri(Uri serviceUrl, string conversationId, string? activityId)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        var root = serviceUrl.AbsoluteUri.TrimEnd('/');
        var path = $"{root}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        return new Uri(activityId is null ? path : $"{path}/{Uri.EscapeDataString(activityId)}");
    }

    private async Task<string> CallAsync(HttpMethod method, string operation, Uri serviceUrl, string conversationId, string? activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        using var request = new HttpRequestMessage(method, ActivitiesUri(serviceUrl, conversationId, activityId))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Options.Set(TeamsRequestOptions.Operation, operation);
        request.Options.Set(TeamsRequestOptions.Conversation, conversationId);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new TeamsConnectorException($"Teams {operation} in {conversationId} got no answer: {exception.Message}", permanent: false, innerException: exception);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            var (code, message) = TeamsErrorBody.Parse(body);
            Log.ConnectorError(logger, operation, conversationId, (int)response.StatusCode, code ?? "-", message ?? "");
            var retryAfter = TeamsRetryPipeline.RetryAfterOf(response, time);
            throw new TeamsConnectorException(
                $"Teams {operation} in {conversationId} failed: HTTP {(int)response.StatusCode}{(code is null ? "" : $" {code}")}{(message is null ? "" : $": {message}")}.",
                TeamsConnectorException.IsPermanentStatus(response.StatusCode),
                response.StatusCode,
                code,
                response.StatusCode is HttpStatusCode.TooManyRequests && retryAfter is null ? TimeSpan.FromSeconds(1) : retryAfter);
        }
    }

    /// <summary>The <c>ResourceResponse</c> id of a new activity.</summary>
    private static string ResourceId(string body, string operation)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        // The activity was accepted but we cannot name it: its edits would go nowhere. Not permanent, not retried
        // blindly either: the outbox treats it like a lost answer.
        throw new TeamsConnectorException($"Teams {operation} answered without the new activity's id.", permanent: false);
    }
}
