using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOps.TestCommon.Slack;

/// <summary>
/// Checks a Web API request against Slack's published OpenAPI 2.0 spec
/// (tests/specs/slack/web-api/slack_web_openapi_v2.json): the method exists as a path, the HTTP
/// method is declared, every argument sent is a declared parameter, required ones are present,
/// the body's media type is one the method consumes, and the token travels as a Bearer header.
/// Methods newer than the spec (2020) are checked against the arguments documented on
/// docs.slack.dev/reference/methods/&lt;method&gt;, written out in <see cref="Documented"/>.
/// </summary>
public sealed class SlackWebApiContract
{
    private static readonly Lazy<SlackWebApiContract> Shared = new(() => new SlackWebApiContract(SpecFiles.Read("slack", "web-api", "slack_web_openapi_v2.json")));

    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);

    private SlackWebApiContract(string specJson)
    {
        using var spec = JsonDocument.Parse(specJson);
        foreach (var path in spec.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var verb in path.Value.EnumerateObject())
            {
                var parameters = new Dictionary<string, bool>(StringComparer.Ordinal);
                var tokenRequired = false;
                if (verb.Value.TryGetProperty("parameters", out var ps))
                {
                    foreach (var p in ps.EnumerateArray())
                    {
                        var name = p.GetProperty("name").GetString()!;
                        var required = p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
                        if (name == "token")
                        {
                            tokenRequired = required;
                            continue;
                        }

                        parameters[name] = required;
                    }
                }

                var consumes = verb.Value.TryGetProperty("consumes", out var c)
                    ? c.EnumerateArray().Select(x => x.GetString()!).ToArray()
                    : ["application/x-www-form-urlencoded"];
                _operations[path.Name.TrimStart('/')] = new Operation(verb.Name.ToUpperInvariant(), parameters, consumes, tokenRequired, FromSpec: true);
            }
        }

        foreach (var (method, operation) in Documented)
        {
            _operations.TryAdd(method, operation);
        }
    }

    public static SlackWebApiContract Instance => Shared.Value;

    /// <summary>
    /// Arguments documented by Slack for methods the 2020 spec does not list (read on docs.slack.dev,
    /// November 2026): files.getUploadURLExternal (filename, length required; alt_txt, snippet_type),
    /// files.completeUploadExternal (files required; channel_id, channels, thread_ts, initial_comment, blocks),
    /// apps.connections.open (no arguments; the app-level token in the Authorization header only).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, Operation> Documented = new Dictionary<string, Operation>
    {
        ["files.getUploadURLExternal"] = new("POST", new() { ["filename"] = true, ["length"] = true, ["alt_txt"] = false, ["snippet_type"] = false }, ["application/x-www-form-urlencoded", "application/json"], true, false),
        ["files.completeUploadExternal"] = new("POST", new() { ["files"] = true, ["channel_id"] = false, ["channels"] = false, ["thread_ts"] = false, ["initial_comment"] = false, ["blocks"] = false }, ["application/x-www-form-urlencoded", "application/json"], true, false),
        ["apps.connections.open"] = new("POST", [], ["application/x-www-form-urlencoded", "application/json"], true, false),
    };

    public bool IsInSpec(string method) => _operations.TryGetValue(method, out var op) && op.FromSpec;

    /// <summary>Every way the request breaks the contract; empty when it keeps it.</summary>
    public IReadOnlyList<string> Check(RecordedRequest request)
    {
        var violations = new List<string>();
        var path = request.Uri.AbsolutePath;
        var slash = path.LastIndexOf('/');
        var method = path[(slash + 1)..];
        if (!_operations.TryGetValue(method, out var operation))
        {
            violations.Add($"'{method}' is not a Web API method");
            return violations;
        }

        if (request.Method.Method != operation.HttpMethod)
        {
            violations.Add($"{method} is declared as {operation.HttpMethod}, sent as {request.Method.Method}");
        }

        var arguments = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(request.Uri.Query))
        {
            arguments[key] = value.ToString();
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.IsNullOrEmpty(request.Body))
        {
            if (mediaType is null || !operation.Consumes.Contains(mediaType))
            {
                violations.Add($"{method} does not accept '{request.ContentType}'");
            }

            if (mediaType == "application/json")
            {
                // Slack warns "missing_charset" when a JSON body does not name its charset.
                if (request.ContentType?.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase) != true)
                {
                    violations.Add($"{method} JSON body without charset=utf-8");
                }

                using var json = JsonDocument.Parse(request.Body);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    violations.Add($"{method} JSON body is not an object");
                }
                else
                {
                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        arguments[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                    }
                }
            }
            else if (mediaType == "application/x-www-form-urlencoded")
            {
                foreach (var (key, value) in QueryHelpers.ParseQuery(request.Body))
                {
                    arguments[key] = value.ToString();
                }
            }
        }

        if (arguments.ContainsKey("token"))
        {
            violations.Add($"{method} sends the token as an argument instead of a Bearer header");
        }

        foreach (var name in arguments.Keys.Where(k => k != "token" && !operation.Parameters.ContainsKey(k)))
        {
            violations.Add($"{method} has no argument '{name}'");
        }

        foreach (var (name, _) in operation.Parameters.Where(p => p.Value))
        {
            if (!arguments.TryGetValue(name, out var value) || string.IsNullOrEmpty(value))
            {
                violations.Add($"{method} is missing required argument '{name}'");
            }
        }

        if (operation.TokenRequired)
        {
            var expectedPrefix = method == "apps.connections.open" ? "Bearer xapp-" : "Bearer xox";
            if (!request.Headers.TryGetValue("Authorization", out var auth) || !auth.StartsWith(expectedPrefix, StringComparison.Ordinal))
            {
                violations.Add($"{method} has no '{expectedPrefix}…' Authorization header");
            }
        }

        return violations;
    }

    internal sealed record Operation(string HttpMethod, Dictionary<string, bool> Parameters, string[] Consumes, bool TokenRequired, bool FromSpec);
}
