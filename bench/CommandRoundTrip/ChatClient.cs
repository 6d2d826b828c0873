using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>Posts to the web chat API the way its page does; the same code drives the Bot and the bare endpoint.</summary>
public sealed class ChatClient(HttpClient http, Uri address)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Posts a message; returns its id and when the 202 arrived.</summary>
    public async Task<(string Id, long AcceptedAt)> PostAsync(string channel, string user, string text, CancellationToken cancellationToken)
    {
        // Serialised up front so the body goes with a Content-Length, as a browser sends it.
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new PostedMessage(channel, user, text), JsonDefaults.Web));
        body.Headers.ContentType = Json;
        using var response = await http.PostAsync(new Uri(address, "/api/chat/messages"), body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new HttpRequestException($"POST /api/chat/messages said {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var accepted = await JsonSerializer.DeserializeAsync<AcceptedMessage>(await response.Content.ReadAsStreamAsync(cancellationToken), JsonDefaults.Web, cancellationToken);
        return (accepted!.Id, Stopwatch.GetTimestamp());
    }

    public async Task PressAsync(string channel, string user, string messageId, string actionId, CancellationToken cancellationToken)
    {
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { channel, user, messageId, actionId }, JsonDefaults.Web));
        body.Headers.ContentType = Json;
        using var response = await http.PostAsync(new Uri(address, "/api/chat/actions"), body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new HttpRequestException($"POST /api/chat/actions said {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}

internal static class JsonDefaults
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
