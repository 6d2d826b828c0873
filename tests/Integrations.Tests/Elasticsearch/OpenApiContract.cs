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
/// An object schema that lists <c>properties</c> is closed; one that lists none (<c>{"type":"object"}</c>)
/// is open, which is how the vendor spec marks field-keyed containers such as <c>terms</c>.
/// Known gaps of the generated spec are listed in <see cref="KnownGaps"/>, each with its reason.
/// </remarks>
internal sealed class OpenApiContract
{
    private const string BulkActionSchema = "#/components/schemas/_global.bulk:OperationContainer";

    /// <summary>
    /// Schemas the generator could not express fully. <c>_types:SortOptions</c> lost the TypeScript
    /// spec's <c>[field: Field]: FieldSort</c> variant, so <c>{"@timestamp": {"order": "desc"}}</c>, the
    /// documented way to sort a field descending, is accepted here when it has exactly that shape.
    /// </summary>
    private static readonly Dictionary<string, Func<JsonElement, bool>> KnownGaps = new()
    {
        ["#/components/schemas/_types:SortOptions"] = value =>
            value.EnumerateObject().ToList() is [{ Value.ValueKind: JsonValueKind.Object } only]
            && only.Value.EnumerateObject().All(p => p.Name is "order" or "missing" or "mode" or "unmapped_type" or "format" or "numeric_type")
            && (!only.Value.TryGetProperty("order", out var order) || order.GetString() is "asc" or "desc"),
    };

    private readonly JsonNode _root;

    private OpenApiContract(JsonNode root) => _root = root;

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
            .Select(p => Resolve(p!, out _)).ToList();
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
        schema = Resolve(schema, out _);
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
        var requestBody = operation["requestBody"] is { } rb ? Resolve(rb, out _) : null;
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
        var isArrayBody = Resolve(schema, out _)["type"]?.GetValue<string>() == "array";
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
        Validate(document.RootElement, schema, "body", errors, where);
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
        Validate(document.RootElement, schema, "body", errors, where);

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

            Validate(line, new JsonObject { ["$ref"] = BulkActionSchema }, $"line {i + 1}", errors, where);
            var action = line.EnumerateObject().FirstOrDefault().Name;
            expectAction = action is "delete";
        }

        if (!expectAction)
        {
            errors.Add($"{where}: the last bulk action has no document line");
        }
    }

    private void Validate(JsonElement value, JsonNode schemaNode, string at, List<string> errors, string where)
    {
        var schema = Resolve(schemaNode, out var refName);
        if (refName is not null && value.ValueKind == JsonValueKind.Object && KnownGaps.TryGetValue(refName, out var gap) && gap(value))
        {
            return;
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choice)
        {
            var attempts = choice.Select(alternative =>
            {
                var found = new List<string>();
                Validate(value, alternative!, at, found, where);
                return found;
            }).ToList();
            if (!attempts.Any(a => a.Count == 0))
            {
                errors.AddRange(attempts.MinBy(a => a.Count)!);
            }

            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && schema["type"] is not null)
            {
                errors.Add($"{where}: {at} is null but not nullable");
            }

            return;
        }

        if (schema["allOf"] is JsonArray allOf && value.ValueKind != JsonValueKind.Object)
        {
            foreach (var member in allOf)
            {
                Validate(value, member!, at, errors, where);
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var fits = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "number" or "integer" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
        if (!fits)
        {
            errors.Add($"{where}: {at} is {value.ValueKind}, the schema wants {type}");
            return;
        }

        if (schema["enum"] is JsonArray values && value.ValueKind == JsonValueKind.String && !values.Any(v => v?.GetValue<string>() == value.GetString()))
        {
            errors.Add($"{where}: {at} = '{value.GetString()}' is not one of {values.ToJsonString()}");
        }

        if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(item, items, $"{at}[{i++}]", errors, where);
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            ValidateObject(value, schema, at, errors, where);
        }
    }

    private void ValidateObject(JsonElement value, JsonNode schema, string at, List<string> errors, string where)
    {
        var shape = new ObjectShape();
        Collect(schema, shape, value, at, errors, where);
        foreach (var required in shape.Required.Where(r => !value.TryGetProperty(r, out _)))
        {
            errors.Add($"{where}: {at} lacks required property '{required}'");
        }

        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            count++;
            if (shape.Properties.TryGetValue(property.Name, out var propertySchema))
            {
                Validate(property.Value, propertySchema, $"{at}.{property.Name}", errors, where);
            }
            else if (shape.Additional is { } additional)
            {
                Validate(property.Value, additional, $"{at}.{property.Name}", errors, where);
            }
            else if (!shape.Open)
            {
                errors.Add($"{where}: {at} has property '{property.Name}', which the schema does not list");
            }
        }

        foreach (var (names, min, max) in shape.Counts)
        {
            var counted = names is null ? count : value.EnumerateObject().Count(p => names.Contains(p.Name));
            if (counted < (min ?? 0) || counted > (max ?? int.MaxValue))
            {
                errors.Add($"{where}: {at} has {counted} of the properties counted; the schema allows {min}..{max}");
            }
        }
    }

    private void Collect(JsonNode schemaNode, ObjectShape shape, JsonElement value, string at, List<string> errors, string where, bool nested = false)
    {
        var schema = Resolve(schemaNode, out _);
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var member in allOf)
            {
                Collect(member!, shape, value, at, errors, where, nested: true);
            }
        }

        if (schema["oneOf"] is not null || schema["anyOf"] is not null)
        {
            // A choice inside allOf constrains the value on its own; it says nothing about the other members' names.
            Validate(value, schema, at, errors, where);
            shape.Open = true;
            return;
        }

        var properties = schema["properties"]?.AsObject();
        foreach (var (name, propertySchema) in properties ?? [])
        {
            shape.Properties[name] = propertySchema!;
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            shape.Required.Add(required!.GetValue<string>());
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            shape.Additional = additional;
        }
        else if (schema["additionalProperties"] is JsonValue allowed && allowed.GetValue<bool>())
        {
            shape.Open = true;
        }
        else if (schema["additionalProperties"] is null && properties is null && schema["allOf"] is null)
        {
            shape.Open = true;
        }

        if (schema["minProperties"] is not null || schema["maxProperties"] is not null)
        {
            // Inside allOf the generator uses min/max 1 to mean "exactly one of the variants I list"
            // (AggregationContainer: one aggregation type beside "aggregations" and "meta"), so a member
            // with properties counts only those.
            shape.Counts.Add((nested && properties is not null ? [.. properties.Select(p => p.Key)] : null,
                schema["minProperties"]?.GetValue<int>(), schema["maxProperties"]?.GetValue<int>()));
        }
    }

    private JsonNode Resolve(JsonNode node, out string? refName)
    {
        refName = null;
        var seen = 0;
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            refName = reference;
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(_root, (current, part) => current[part.Replace("~1", "/").Replace("~0", "~")] ?? throw new InvalidOperationException($"Unresolvable $ref {reference}"));
            if (++seen > 50)
            {
                throw new InvalidOperationException($"$ref cycle at {reference}");
            }
        }

        return node;
    }

    private sealed class ObjectShape
    {
        public Dictionary<string, JsonNode> Properties { get; } = [];

        public HashSet<string> Required { get; } = [];

        public JsonNode? Additional { get; set; }

        public bool Open { get; set; }

        public List<(HashSet<string>? Names, int? Min, int? Max)> Counts { get; } = [];
    }
}
