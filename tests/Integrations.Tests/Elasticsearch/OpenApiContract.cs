using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>
/// Checks a recorded request against an OpenAPI 3 document: the path matches a template, the method
/// exists there, every query parameter is declared (and required ones present, with values of the
/// declared type), and the body validates structurally against the requestBody schema ($ref resolved):
/// types, required properties, and property names where the schema lists them.
/// </summary>
/// <remarks>
/// Schema validation and the known gaps of the generated spec live in <see cref="OpenApiSchema"/>.
/// </remarks>
internal sealed class OpenApiContract
{
    private const string BulkActionSchema = "#/components/schemas/_global.bulk:OperationContainer";

    private readonly JsonNode _root;
    private readonly OpenApiSchema _schema;

    private OpenApiContract(JsonNode root) => (_root, _schema) = (root, new OpenApiSchema(root));

    public static OpenApiContract Elasticsearch { get; } = Load(SpecFiles.Path("elasticsearch", "elasticsearch-openapi-8.17-subset.json"));

    public static OpenApiContract Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!);

    /// <summary>The spec operation the request matched, e.g. <c>search-1</c>; null when none did.</summary>
    public string? OperationId(RecordedRequest request) => Match(request.Uri, out _)?[request.Method.Method.ToLowerInvariant()]?["operationId"]?.GetValue<string>();

    public IReadOnlyList<string> Check(RecordedRequest request)
    {
        var errors = new List<string>();
        var pathItem = Match(request.Uri, out var template);
        if (pathItem is null)
        {
            return [$"{request.Method} {request.Uri.AbsolutePath}: no path template in the spec matches"];
        }

        var operation = pathItem[request.Method.Method.ToLowerInvariant()];
        if (operation is null)
        {
            return [$"{request.Method} {template}: the spec has no such method for this path"];
        }

        var where = $"{request.Method} {template} ({operation["operationId"]})";
        CheckParameters(request.Uri, template!, operation, pathItem, where, errors);
        CheckBody(request, operation, where, errors);
        return errors;
    }

    private JsonNode? Match(Uri uri, out string? template)
    {
        var segments = Segments(uri.AbsolutePath);
        template = null;
        JsonNode? best = null;
        var bestLiterals = -1;
        foreach (var (candidate, item) in _root["paths"]!.AsObject())
        {
            var parts = Segments(candidate);
            if (parts.Length != segments.Length)
            {
                continue;
            }

            var literals = 0;
            var matches = true;
            for (var i = 0; i < parts.Length && matches; i++)
            {
                if (parts[i].StartsWith('{'))
                {
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = parts[i] == segments[i];
                    literals++;
                }
            }

            // "/_search" also fits "/{index}"; the template with more literal segments is the real one.
            if (matches && literals > bestLiterals)
            {
                (best, template, bestLiterals) = (item, candidate, literals);
            }
        }

        return best;
    }

    private static string[] Segments(string path) =>
        [.. path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString)];

    private void CheckParameters(Uri uri, string template, JsonNode operation, JsonNode pathItem, string where, List<string> errors)
    {
        var declared = (operation["parameters"]?.AsArray() ?? []).Concat(pathItem["parameters"]?.AsArray() ?? [])
            .Select(p => _schema.Resolve(p!, out _)).ToList();
        foreach (var name in Segments(template).Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            if (!declared.Any(p => p["in"]?.GetValue<string>() == "path" && p["name"]?.GetValue<string>() == name))
            {
                errors.Add($"{where}: path parameter '{name}' is not declared");
            }
        }

        var query = ParseQuery(uri.Query);
        foreach (var (name, value) in query)
        {
            var parameter = declared.FirstOrDefault(p => p["in"]?.GetValue<string>() == "query" && p["name"]?.GetValue<string>() == name);
            if (parameter is null)
            {
                errors.Add($"{where}: query parameter '{name}' is not declared for this operation");
            }
            else if (parameter["schema"] is { } schema && !QueryValueFits(value, schema))
            {
                errors.Add($"{where}: query parameter '{name}={value}' does not fit its schema {schema.ToJsonString()}");
            }
        }

        foreach (var required in declared.Where(p => p["in"]?.GetValue<string>() == "query" && p["required"]?.GetValue<bool>() == true))
        {
            if (!query.Any(q => q.Name == required["name"]!.GetValue<string>()))
            {
                errors.Add($"{where}: required query parameter '{required["name"]}' is missing");
            }
        }
    }

    private static List<(string Name, string Value)> ParseQuery(string query) =>
        [.. query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var parts = pair.Split('=', 2);
            return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        })];

    private bool QueryValueFits(string value, JsonNode schema)
    {
        schema = _schema.Resolve(schema, out _);
        if (schema["oneOf"] is JsonArray alternatives)
        {
            return alternatives.Any(s => QueryValueFits(value, s!));
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => v?.ToString() == value))
        {
            return false;
        }

        return schema["type"]?.GetValue<string>() switch
        {
            "boolean" => value is "true" or "false",
            "number" => double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _),
            "array" => value.Split(',').All(v => QueryValueFits(v, schema["items"]!)),
            _ => true,
        };
    }

    private void CheckBody(RecordedRequest request, JsonNode operation, string where, List<string> errors)
    {
        var requestBody = operation["requestBody"] is { } rb ? _schema.Resolve(rb, out _) : null;
        if (request.Body is not { Length: > 0 } body)
        {
            if (requestBody?["required"]?.GetValue<bool>() == true)
            {
                errors.Add($"{where}: the request body is required");
            }

            return;
        }

        if (requestBody is null)
        {
            errors.Add($"{where}: the spec declares no request body");
            return;
        }

        var content = requestBody["content"]!.AsObject();
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        var schema = content.First().Value!["schema"]!;
        var isArrayBody = _schema.Resolve(schema, out _)["type"]?.GetValue<string>() == "array";
        if (mediaType == "application/x-ndjson" && isArrayBody)
        {
            // The spec models NDJSON bodies (bulk) as an array of lines; Elasticsearch requires this media type for them.
            CheckNdjson(body, schema, where, errors);
            return;
        }

        if (mediaType is null || !content.ContainsKey(mediaType))
        {
            errors.Add($"{where}: content type '{mediaType}' is not one of {string.Join(", ", content.Select(c => c.Key))}");
        }

        using var document = JsonDocument.Parse(body);
        _schema.Validate(document.RootElement, schema, "body", errors, where);
    }

    private void CheckNdjson(string body, JsonNode schema, string where, List<string> errors)
    {
        if (!body.EndsWith('\n'))
        {
            errors.Add($"{where}: an NDJSON body must end with a newline");
        }

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var array = "[" + string.Join(",", lines) + "]";
        using var document = JsonDocument.Parse(array);
        _schema.Validate(document.RootElement, schema, "body", errors, where);

        // The items' catch-all "object" alternative would accept any action line, so pair lines explicitly.
        var expectAction = true;
        for (var i = 0; i < document.RootElement.GetArrayLength(); i++)
        {
            var line = document.RootElement[i];
            if (!expectAction)
            {
                expectAction = true;
                continue;
            }

            _schema.Validate(line, new JsonObject { ["$ref"] = BulkActionSchema }, $"line {i + 1}", errors, where);
            var action = line.EnumerateObject().FirstOrDefault().Name;
            expectAction = action is "delete";
        }

        if (!expectAction)
        {
            errors.Add($"{where}: the last bulk action has no document line");
        }
    }

}
