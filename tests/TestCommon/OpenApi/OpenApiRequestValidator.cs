using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.TestCommon.Schemas;

namespace ChatOps.TestCommon.OpenApi;

/// <summary>One request as a peer received it, in the terms an OpenAPI document speaks of.</summary>
/// <param name="Path">The path below the API's base, e.g. <c>/channels/1/messages</c>.</param>
/// <param name="JsonBody">The JSON body, or for multipart the JSON part (<c>payload_json</c>); null when none.</param>
/// <param name="FileFields">For multipart, the names of the file parts (<c>files[0]</c>).</param>
public sealed record OpenApiRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Query, string? ContentType, string? JsonBody, IReadOnlyList<string> FileFields);

/// <summary>The operation a request matched: its template, id, path parameters and whether it requires a credential.</summary>
public sealed record OpenApiOperation(string Template, string Method, string OperationId, IReadOnlyDictionary<string, string> PathParameters, bool CredentialRequired, bool CredentialAccepted);

/// <summary>
/// Checks a request against an OpenAPI 3 document: a path template matches (the one with the most literal
/// segments wins, so <c>@original</c> is not taken for a message id), the method is declared there, path and query
/// parameters are declared and fit their schemas, a body is sent when it is required and only when one is declared,
/// its media type is declared, and the JSON validates against the operation's requestBody schema with
/// <see cref="JsonSchema"/>. For multipart the JSON part is held to the operation's <c>application/json</c>
/// schema (the vendors' <c>payload_json</c> convention) and each file part must be named <c>files[n]</c>.
/// </summary>
public sealed partial class OpenApiRequestValidator
{
    private readonly JsonNode _document;
    private readonly List<(string Template, string[] Segments, JsonObject Item)> _paths;

    public OpenApiRequestValidator(JsonNode document, bool rejectUndeclaredProperties = false)
    {
        _document = document ?? throw new ArgumentNullException(nameof(document));
        Schemas = new JsonSchema(document, rejectUndeclaredProperties);
        _paths = [.. (document["paths"] as JsonObject ?? []).Select(p => (p.Key, Segments(p.Key), (JsonObject)p.Value!))];
    }

    public JsonSchema Schemas { get; }

    public static OpenApiRequestValidator Load(string path, bool rejectUndeclaredProperties = false) =>
        new(JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is not JSON"), rejectUndeclaredProperties);

    /// <summary>The schema of an operation's JSON request body, for checking a document built outside a request.</summary>
    public JsonNode RequestSchema(string method, string template) =>
        _paths.First(p => p.Template == template).Item[method.ToLowerInvariant()]?["requestBody"]?["content"]?["application/json"]?["schema"]
            ?? throw new InvalidOperationException($"{method} {template} has no JSON request body in the document");

    /// <summary>The operation <paramref name="method"/> <paramref name="path"/> names, or null with the reason.</summary>
    public OpenApiOperation? Match(string method, string path, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var segments = Segments(path);
        (string Template, string[] Segments, JsonObject Item)? best = null;
        var bestLiterals = -1;
        foreach (var candidate in _paths.Where(p => p.Segments.Length == segments.Length))
        {
            var literals = 0;
            var matches = true;
            for (var i = 0; i < segments.Length && matches; i++)
            {
                if (candidate.Segments[i].StartsWith('{'))
                {
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = candidate.Segments[i] == segments[i];
                    literals++;
                }
            }

            if (matches && literals > bestLiterals)
            {
                (best, bestLiterals) = (candidate, literals);
            }
        }

        if (best is not { } found)
        {
            problem = $"{method} {path}: no path of the document matches";
            return null;
        }

        if (found.Item[method.ToLowerInvariant()] is not JsonObject operation)
        {
            problem = $"{method} {found.Template}: the document declares no {method} for this path";
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Length; i++)
        {
            if (found.Segments[i].StartsWith('{'))
            {
                parameters[found.Segments[i].Trim('{', '}')] = segments[i];
            }
        }

        var security = operation["security"] as JsonArray ?? _document["security"] as JsonArray;
        var required = security is { Count: > 0 } && security.All(s => s is JsonObject o && o.Count > 0);
        var accepted = security is { Count: > 0 } && security.Any(s => s is JsonObject o && o.Count > 0);
        problem = null;
        return new OpenApiOperation(found.Template, method.ToUpperInvariant(), operation["operationId"]?.GetValue<string>() ?? found.Template, parameters, required, accepted);
    }

    /// <summary>Every way the request breaks the document; empty when it keeps it.</summary>
    public IReadOnlyList<string> Check(OpenApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var match = Match(request.Method, request.Path, out var problem);
        if (match is null)
        {
            return [problem!];
        }

        var errors = new List<string>();
        var where = $"{match.Method} {match.Template} ({match.OperationId})";
        var pathItem = _paths.First(p => p.Template == match.Template).Item;
        var operation = (JsonObject)pathItem[request.Method.ToLowerInvariant()]!;
        var declared = (pathItem["parameters"] as JsonArray ?? []).Concat(operation["parameters"] as JsonArray ?? [])
            .Select(p => Resolve(p!)).ToList();
        foreach (var (name, value) in match.PathParameters)
        {
            var parameter = declared.FirstOrDefault(p => p["in"]?.GetValue<string>() == "path" && p["name"]?.GetValue<string>() == name);
            if (parameter is null)
            {
                errors.Add($"{where}: path parameter '{name}' is not declared");
            }
            else if (parameter["schema"] is { } schema)
            {
                errors.AddRange(Schemas.Validate(StringElement(Uri.UnescapeDataString(value)), schema, $"{where} path {name}"));
            }
        }

        CheckQuery(request, declared, where, errors);
        CheckBody(request, operation, where, errors);
        return errors;
    }

    private void CheckQuery(OpenApiRequest request, List<JsonNode> declared, string where, List<string> errors)
    {
        foreach (var (name, value) in request.Query)
        {
            var parameter = declared.FirstOrDefault(p => p["in"]?.GetValue<string>() == "query" && p["name"]?.GetValue<string>() == name);
            if (parameter is null)
            {
                errors.Add($"{where}: query parameter '{name}' is not declared");
                continue;
            }

            if (parameter["schema"] is { } schema)
            {
                // A query string carries text; booleans and numbers are read from it as their JSON form.
                var resolved = Resolve(schema);
                var type = resolved["type"]?.ToJsonString() ?? "";
                var element = type.Contains("string", StringComparison.Ordinal) || !IsJsonScalar(value) ? StringElement(value) : JsonDocument.Parse(value).RootElement.Clone();
                errors.AddRange(Schemas.Validate(element, schema, $"{where} query {name}"));
            }
        }

        foreach (var required in declared.Where(p => p["in"]?.GetValue<string>() == "query" && p["required"]?.GetValue<bool>() == true))
        {
            if (!request.Query.Any(q => q.Key == required["name"]!.GetValue<string>()))
            {
                errors.Add($"{where}: required query parameter '{required["name"]}' is missing");
            }
        }
    }

    private void CheckBody(OpenApiRequest request, JsonObject operation, string where, List<string> errors)
    {
        var requestBody = operation["requestBody"] is { } rb ? Resolve(rb) : null;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (request.JsonBody is null && request.FileFields.Count == 0)
        {
            if (requestBody?["required"]?.GetValue<bool>() == true)
            {
                errors.Add($"{where}: the request body is required");
            }

            return;
        }

        if (requestBody?["content"] is not JsonObject content)
        {
            errors.Add($"{where}: the document declares no request body");
            return;
        }

        if (mediaType is null || !content.ContainsKey(mediaType))
        {
            errors.Add($"{where}: content type '{request.ContentType}' is not one of {string.Join(", ", content.Select(c => c.Key))}");
            return;
        }

        if (mediaType == "application/json" && request.ContentType!.Contains("charset", StringComparison.OrdinalIgnoreCase)
            && !request.ContentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{where}: a JSON body must be UTF-8, sent as '{request.ContentType}'");
        }

        foreach (var field in request.FileFields.Where(f => !FileField().IsMatch(f)))
        {
            errors.Add($"{where}: file part '{field}' is not named files[n]");
        }

        if (request.JsonBody is null)
        {
            return;
        }

        var schema = content["application/json"]?["schema"] ?? content[mediaType]!["schema"];
        if (schema is null)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.JsonBody);
        }
        catch (JsonException e)
        {
            errors.Add($"{where}: the body is not JSON ({e.Message})");
            return;
        }

        using (document)
        {
            errors.AddRange(Schemas.Validate(document.RootElement, schema, "$").Select(e => $"{where}: {e}"));
        }
    }

    /// <summary>Follows an OpenAPI object's <c>$ref</c> (a shared parameter, request body or schema) within the document.</summary>
    private JsonNode Resolve(JsonNode node)
    {
        for (var hops = 0; node is JsonObject o && o["$ref"] is JsonValue reference; hops++)
        {
            if (hops > 64)
            {
                throw new InvalidOperationException($"$ref cycle at {reference}");
            }

            node = JsonNode.Parse(Schemas.Resolve(reference.GetValue<string>()).GetRawText())!;
        }

        return node;
    }

    private static bool IsJsonScalar(string value) =>
        value is "true" or "false" or "null" || double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static JsonElement StringElement(string value) => JsonSerializer.SerializeToElement(value);

    private static string[] Segments(string path) => path.Trim('/').Split('/');

    [GeneratedRegex(@"^files\[[0-9]\]$")]
    private static partial Regex FileField();
}
