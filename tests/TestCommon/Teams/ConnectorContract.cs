using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOps.TestCommon.Schemas;

namespace ChatOps.TestCommon.Teams;

/// <summary>
/// What the Bot Framework publishes about a Connector call, read from <c>tests/specs/botframework/</c>: the path and
/// method must be an operation of the Connector's swagger (<c>botframework-channel.json</c>), its body must match
/// the operation's body schema there, every activity must match the activity schema (<c>botframework.schema.json</c>,
/// <c>#/definitions/Activity</c>), and every Adaptive Card attachment the Adaptive Card 1.5 schema.
/// </summary>
public sealed class ConnectorContract
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    private static readonly Lazy<ConnectorContract> Shared = new(() => new ConnectorContract());

    private readonly List<(string Method, Regex Path, string Template, string? BodySchema)> _operations = [];

    private ConnectorContract()
    {
        Swagger = new JsonSchema(SpecFiles.Read("botframework", "botframework-channel.json"));
        Activities = new JsonSchema(SpecFiles.Read("botframework", "botframework.schema.json"));
        Cards = new JsonSchema(SpecFiles.Read("botframework", "adaptive-cards", "adaptive-card.1.5.schema.json"));
        foreach (var path in Swagger.Document.GetProperty("paths").EnumerateObject())
        {
            // A path parameter is one segment; the more specific literal paths (…/activities/history) are tried first.
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^/]+?\}", "[^/]+") + "$", RegexOptions.CultureInvariant);
            foreach (var operation in path.Value.EnumerateObject())
            {
                string? body = null;
                if (operation.Value.TryGetProperty("parameters", out var parameters))
                {
                    body = parameters.EnumerateArray()
                        .Where(p => p.GetProperty("in").GetString() == "body")
                        .Select(p => p.GetProperty("schema").GetProperty("$ref").GetString())
                        .FirstOrDefault();
                }

                _operations.Add((operation.Name.ToUpperInvariant(), pattern, path.Name, body));
            }
        }

        _operations.Sort((a, b) => Literal(b.Template).CompareTo(Literal(a.Template)));
    }

    public static ConnectorContract Instance => Shared.Value;

    private static int Literal(string template) => Regex.Replace(template, @"\{[^}]+\}", "").Length;

    public JsonSchema Swagger { get; }

    public JsonSchema Activities { get; }

    public JsonSchema Cards { get; }

    /// <summary>The swagger's path template for <paramref name="method"/> on <paramref name="path"/>, or null when the Connector has no such operation.</summary>
    public string? OperationOf(string method, string path) =>
        _operations.FirstOrDefault(o => o.Method == method && o.Path.IsMatch(path)).Template;

    /// <summary>Every way the call breaks the published contract; empty when it keeps it.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path under the service URL, from <c>/v3/</c>, still escaped.</param>
    /// <param name="authorization">The Authorization header.</param>
    /// <param name="body">The request body.</param>
    public IReadOnlyList<string> Check(string method, string path, string? authorization, string body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var operation = _operations.FirstOrDefault(o => o.Method == method && o.Path.IsMatch(path));
        if (operation.Template is null)
        {
            return [$"{method} {path}: no such operation in the Connector's swagger"];
        }

        var violations = new List<string>();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            violations.Add($"{method} {operation.Template}: no bearer token (the swagger's bearer_auth)");
        }

        if (operation.BodySchema is null)
        {
            return violations;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            violations.Add($"{method} {operation.Template}: the body is not JSON ({exception.Message})");
            return violations;
        }

        using (document)
        {
            violations.AddRange(Swagger.Validate(document.RootElement, operation.BodySchema).Select(v => $"{method} {operation.Template} (swagger): {v}"));
            if (operation.BodySchema.EndsWith("/Activity", StringComparison.Ordinal))
            {
                violations.AddRange(CheckActivity(document.RootElement).Select(v => $"{method} {operation.Template}: {v}"));
            }
        }

        return violations;
    }

    /// <summary>The activity against the activity schema, and each Adaptive Card it carries against the card schema.</summary>
    public IReadOnlyList<string> CheckActivity(JsonElement activity)
    {
        var violations = Activities.Validate(activity, "#/definitions/Activity").Select(v => $"(activity schema) {v}").ToList();
        if (activity.ValueKind == JsonValueKind.Object && activity.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var attachment in attachments.EnumerateArray())
            {
                if (attachment.TryGetProperty("contentType", out var type) && type.GetString() == AdaptiveCardContentType)
                {
                    violations.AddRange(attachment.TryGetProperty("content", out var card)
                        ? CheckCard(card).Select(v => $"attachments[{i}]: {v}")
                        : [$"attachments[{i}]: an Adaptive Card attachment without content"]);
                }

                i++;
            }
        }

        return violations;
    }

    /// <summary>The card against the Adaptive Card 1.5 schema.</summary>
    public IReadOnlyList<string> CheckCard(JsonElement card) =>
        [.. Cards.Validate(card).Select(v => $"(adaptive card 1.5) {v}")];
}
