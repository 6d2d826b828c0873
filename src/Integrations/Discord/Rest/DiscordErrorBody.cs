using System.Text.Json;

namespace ChatOps.Integrations.Discord.Rest;

/// <summary>
/// Reads Discord's JSON error body (opcodes-and-status-codes topic, "Example JSON Error Response"):
/// <c>{"code": 50035, "message": "Invalid Form Body", "errors": {"embeds": {"0": {"description": {"_errors": [...]}}}}}</c>.
/// The nested <c>errors</c> object is flattened into one line per field, so a log or a chat reply says which field
/// was refused and why without anyone reading JSON.
/// </summary>
internal static class DiscordErrorBody
{
    public static (int? Code, string Message, IReadOnlyList<string> FieldErrors) Parse(string? body, string fallbackMessage)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, fallbackMessage, []);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, fallbackMessage, []);
            }

            int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var value) ? value : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } text ? text : fallbackMessage;
            var fields = new List<string>();
            if (root.TryGetProperty("errors", out var errors))
            {
                Flatten(errors, "", fields);
            }

            return (code, message, fields);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status line is all there is to say.
            return (null, fallbackMessage, []);
        }
    }

    /// <summary>Walks the error tree: object keys are field names, numeric keys array indexes, <c>_errors</c> the leaves.</summary>
    internal static void Flatten(JsonElement node, string path, List<string> into)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in node.EnumerateObject())
        {
            if (property.Name == "_errors" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in property.Value.EnumerateArray())
                {
                    var message = Text(error, "message") ?? "invalid";
                    var code = Text(error, "code");
                    into.Add($"{(path.Length == 0 ? "(body)" : path)}: {message}{(code is null ? "" : $" ({code})")}");
                }

                continue;
            }

            var child = property.Name.All(char.IsAsciiDigit) ? $"{path}[{property.Name}]" : path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            Flatten(property.Value, child, into);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
