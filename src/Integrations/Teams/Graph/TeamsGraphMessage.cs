using System.Text.Json;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>The parts of a Graph <c>chatMessage</c> a lookup reads: its id, when it was made, and its attachments.</summary>
internal sealed record TeamsGraphMessage(string Id, DateTimeOffset? CreatedAt, IReadOnlyList<TeamsGraphAttachment> Attachments);

/// <summary>A <c>chatMessageAttachment</c>: its content type and its content, a string (a card is JSON in a string).</summary>
internal sealed record TeamsGraphAttachment(string? ContentType, string? Content);

/// <summary>One page of a Graph collection: its <c>value</c> and, when there is more, <c>@odata.nextLink</c>.</summary>
internal sealed record TeamsGraphPage(IReadOnlyList<TeamsGraphMessage> Messages, Uri? NextLink)
{
    /// <summary>Reads a collection of <c>chatMessage</c> as Graph returns it; entries without an id are skipped.</summary>
    public static TeamsGraphPage Read(string body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("a Graph collection has a 'value' array");
        }

        var messages = new List<TeamsGraphMessage>();
        foreach (var item in value.EnumerateArray())
        {
            if (String(item, "id") is not { } id)
            {
                continue;
            }

            DateTimeOffset? created = String(item, "createdDateTime") is { } text
                && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : null;
            var attachments = item.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).Select(a => new TeamsGraphAttachment(String(a, "contentType"), String(a, "content"))).ToList()
                : [];
            messages.Add(new TeamsGraphMessage(id, created, attachments));
        }

        var next = String(root, "@odata.nextLink") is { } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri : null;
        return new TeamsGraphPage(messages, next);
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
