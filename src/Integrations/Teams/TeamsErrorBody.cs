using System.Text.Json;

namespace ChatOps.Integrations.Teams;

/// <summary>
/// The error body the Connector (<c>ErrorResponse</c>) and Microsoft Graph share: <c>{"error": {"code": …, "message": …}}</c>.
/// </summary>
internal static class TeamsErrorBody
{
    /// <summary>The error's code and message, each null when the body does not carry it.</summary>
    public static (string? Code, string? Message) Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (
                    error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                    error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page): the status says enough.
        }

        return (null, null);
    }
}
