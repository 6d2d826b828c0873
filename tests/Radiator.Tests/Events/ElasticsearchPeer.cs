using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Integrations.Tests.Elasticsearch;
using ChatOps.Radiator.Events;
using ChatOps.TestCommon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Tests.Events;

/// <summary>
/// A loopback Elasticsearch that holds documents in memory and answers <c>_search</c> by evaluating
/// the query (bool/term/range/match_all) and aggregations (date_histogram, max, sum, avg,
/// percentiles) over them, in the response shape of the vendor spec. Every request is checked
/// against the spec first. It computes; it never echoes expected numbers.
/// </summary>
internal sealed class ElasticsearchPeer : IAsyncDisposable
{
    private readonly List<(string Index, string Id, JsonObject Source)> _documents = [];
    private readonly Dictionary<string, List<(string Index, string Id, JsonObject Source)>> _pits = [];
    private readonly Lock _gate = new();
    private LoopbackPeer _loopback = null!;

    private ElasticsearchPeer()
    {
    }

    public Uri Url => _loopback.Root;

    public int Searches { get; private set; }

    public List<string> ContractErrors { get; } = [];

    /// <summary>When set, every request is answered with this status (a cluster that is down).</summary>
    public HttpStatusCode? FailWith { get; set; }

    public static async Task<ElasticsearchPeer> StartAsync()
    {
        var peer = new ElasticsearchPeer();
        peer._loopback = await LoopbackPeer.StartAsync(
            app =>
            {
                app.MapPost("/{index}/_search", (Delegate)peer.SearchAsync);
                app.MapPost("/_search", (Delegate)peer.SearchAsync);
                app.MapPut("/{index}/_doc/{id}", (Delegate)peer.IndexAsync);
                app.MapPost("/{index}/_doc/{id}", (Delegate)peer.IndexAsync);
                app.MapPost("/{index}/_pit", (Delegate)peer.OpenPit);
                app.MapDelete("/_pit", (Delegate)peer.ClosePitAsync);
                app.MapPost("/_bulk", (Delegate)peer.BulkAsync);
            },
            TestContext.Current.CancellationToken);
        return peer;
    }

    public void Add(IEnumerable<RadiatorEvent> events)
    {
        lock (_gate)
        {
            _documents.AddRange(events.Select(e => ("radiator-events", Guid.NewGuid().ToString("N"), new JsonObject
            {
                ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                ["key"] = e.Key,
                ["value"] = e.Value,
            })));
        }
    }

    public void AddDocument(string index, string id, JsonObject source)
    {
        lock (_gate)
        {
            _documents.RemoveAll(d => d.Index == index && d.Id == id);
            _documents.Add((index, id, source));
        }
    }

    public List<(string Index, string Id, JsonObject Source)> Documents(string index)
    {
        lock (_gate)
        {
            return [.. _documents.Where(d => d.Index == index)];
        }
    }

    private async Task<IResult> IndexAsync(HttpContext context, string index, string id)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        Check(context, body);
        AddDocument(index, id, JsonNode.Parse(body)!.AsObject());
        return Results.Json(new JsonObject
        {
            ["_index"] = index, ["_id"] = id, ["_version"] = 1, ["_seq_no"] = 0, ["_primary_term"] = 1, ["result"] = "created",
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 },
        }, statusCode: 201);
    }

    /// <summary>Index actions only; a document whose value is not a number is refused, as a numeric mapping would.</summary>
    private async Task<IResult> BulkAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        Check(context, body);
        if (FailWith is { } status)
        {
            return Down(status);
        }

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!["index"]!;
            var index = action["_index"]!.GetValue<string>();
            var id = action["_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N");
            var document = JsonNode.Parse(lines[i + 1])!.AsObject();
            var item = new JsonObject { ["_index"] = index, ["_id"] = id };
            if (document["value"] is { } value && value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
            {
                errors = true;
                item["status"] = 400;
                item["error"] = new JsonObject { ["type"] = "document_parsing_exception", ["reason"] = "failed to parse field [value] of type [double]" };
            }
            else
            {
                AddDocument(index, id, document);
                item["status"] = 201;
                item["result"] = "created";
            }

            items.Add(new JsonObject { ["index"] = item });
        }

        return Results.Text(new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items }.ToJsonString(), "application/json");
    }

    private IResult OpenPit(HttpContext context, string index)
    {
        Check(context, null);
        lock (_gate)
        {
            var id = $"pit-{_pits.Count + 1}";
            _pits[id] = [.. _documents.Where(d => InIndex(index, d.Index))];
            return Results.Json(new JsonObject { ["id"] = id });
        }
    }

    private async Task<IResult> ClosePitAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        Check(context, body);
        lock (_gate)
        {
            var freed = _pits.Remove(JsonNode.Parse(body)!["id"]!.GetValue<string>());
            return Results.Json(new JsonObject { ["succeeded"] = true, ["num_freed"] = freed ? 1 : 0 });
        }
    }

    private void Check(HttpContext context, string? body)
    {
        var method = new HttpMethod(context.Request.Method);
        var request = new RecordedRequest(method, new Uri(Url, context.Request.Path + context.Request.QueryString), new Dictionary<string, string>(), context.Request.ContentType, body);
        lock (_gate)
        {
            ContractErrors.AddRange(OpenApiContract.Elasticsearch.Check(request));
        }
    }

    private static bool InIndex(string pattern, string index) =>
        pattern.Split(',').Any(p => p.EndsWith('*') ? index.StartsWith(p[..^1], StringComparison.Ordinal) : p == index);

    public ElasticsearchClient CreateClient(TimeProvider time) =>
        new(new HttpClient(), Options.Create(new ElasticsearchOptions { Url = Url, MaxRetries = 0, RequestTimeout = TimeSpan.FromSeconds(10) }), time,
            LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider())).CreateLogger<ElasticsearchClient>());

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    private async Task<IResult> SearchAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        Check(context, body);
        var search = JsonNode.Parse(body)!.AsObject();
        var index = context.Request.RouteValues["index"] as string;
        List<(string Index, string Id, JsonObject Source)> documents;
        lock (_gate)
        {
            Searches++;
            documents = search["pit"]?["id"]?.GetValue<string>() is { } pit ? _pits[pit] : [.. _documents.Where(d => index is null || InIndex(index, d.Index))];
        }

        if (FailWith is { } status)
        {
            return Down(status);
        }

        var matching = documents.Where(d => search["query"] is not { } q || Matches(q.AsObject(), d.Source)).ToList();
        var response = new JsonObject
        {
            ["took"] = 1,
            ["timed_out"] = false,
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            ["hits"] = new JsonObject { ["hits"] = Hits(search, matching) },
        };
        if (search["pit"] is not null)
        {
            response["pit_id"] = search["pit"]!["id"]!.GetValue<string>();
        }

        if ((search["aggregations"] ?? search["aggs"]) is JsonObject aggregations)
        {
            response["aggregations"] = Aggregate(aggregations, [.. matching.Select(d => d.Source)]);
        }

        return Results.Text(response.ToJsonString(), "application/json");
    }

    /// <summary>Sorted hits after <c>search_after</c>: timestamps sort as epoch milliseconds, keywords as strings.</summary>
    private static JsonArray Hits(JsonObject search, List<(string Index, string Id, JsonObject Source)> matching)
    {
        var size = search["size"]?.GetValue<int>() ?? 10;
        if (size == 0)
        {
            return [];
        }

        var fields = (search["sort"] as JsonArray ?? []).Select(f => f!.GetValueKind() == System.Text.Json.JsonValueKind.String ? f.GetValue<string>() : f.AsObject().First().Key).ToList();
        JsonNode?[] SortValues((string Index, string Id, JsonObject Source) d) =>
            [.. fields.Select(f => d.Source[f] is JsonValue v && v.TryGetValue<string>(out var text) && f.Contains("timestamp", StringComparison.Ordinal)
                ? JsonValue.Create(Time(v)) : d.Source[f]?.DeepClone())];
        int Compare(JsonNode?[] a, JsonNode?[] b)
        {
            for (var i = 0; i < a.Length; i++)
            {
                var c = a[i]?.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? a[i]!.GetValue<double>().CompareTo(b[i]!.GetValue<double>())
                    : string.CompareOrdinal(a[i]?.GetValue<string>(), b[i]?.GetValue<string>());
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }

        var ordered = matching.Select(d => (Doc: d, Sort: SortValues(d))).ToList();
        ordered.Sort((x, y) => Compare(x.Sort, y.Sort));
        if (search["search_after"] is JsonArray after)
        {
            var cursor = after.Take(fields.Count).ToArray();
            ordered = [.. ordered.Where(x => Compare(x.Sort, cursor) > 0)];
        }

        var hits = new JsonArray();
        foreach (var (doc, sort) in ordered.Take(size))
        {
            hits.Add(new JsonObject
            {
                ["_index"] = doc.Index,
                ["_id"] = doc.Id,
                ["_score"] = null,
                ["_source"] = doc.Source.DeepClone(),
                ["sort"] = new JsonArray([.. sort.Select(v => v?.DeepClone()), JsonValue.Create(0)]),
            });
        }

        return hits;
    }

    private static IResult Down(HttpStatusCode status) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = "unavailable", ["reason"] = "down for the test" }, ["status"] = (int)status }, statusCode: (int)status);

    private static bool Matches(JsonObject query, JsonObject document)
    {
        var (kind, body) = query.Single();
        switch (kind)
        {
            case "match_all":
                return true;
            case "term":
                {
                    var (field, spec) = body!.AsObject().Single();
                    var expected = spec is JsonObject o ? o["value"] : spec;
                    return document[field]?.ToJsonString() == expected?.ToJsonString();
                }

            case "range":
                {
                    var (field, spec) = body!.AsObject().Single();
                    var value = Time(document[field]!);
                    return (spec!["gte"] is not { } gte || value >= Time(gte)) && (spec["lt"] is not { } lt || value < Time(lt))
                        && (spec["gt"] is not { } gt || value > Time(gt)) && (spec["lte"] is not { } lte || value <= Time(lte));
                }

            case "bool":
                {
                    var b = body!.AsObject();
                    bool All(string clause) => b[clause] is not JsonArray list || list.All(q => Matches(q!.AsObject(), document));
                    var should = b["should"] as JsonArray ?? [];
                    var minimum = b["minimum_should_match"]?.GetValue<int>() ?? (should.Count > 0 && b["filter"] is null && b["must"] is null ? 1 : 0);
                    return All("filter") && All("must") && (b["must_not"] is not JsonArray not || !not.Any(q => Matches(q!.AsObject(), document)))
                        && should.Count(q => Matches(q!.AsObject(), document)) >= minimum;
                }

            default:
                throw new NotSupportedException($"The peer does not evaluate '{kind}' queries.");
        }
    }

    private static JsonObject Aggregate(JsonObject aggregations, List<JsonObject> documents)
    {
        var result = new JsonObject();
        foreach (var (name, spec) in aggregations)
        {
            var definition = spec!.AsObject();
            var (kind, body) = definition.First(p => p.Key is not ("aggregations" or "aggs"));
            var field = body!["field"]!.GetValue<string>();
            var values = documents.Where(d => d[field] is not null).Select(d => kind == "date_histogram" || field == "timestamp" ? Time(d[field]!) : d[field]!.GetValue<double>()).ToList();
            result[name] = kind switch
            {
                "date_histogram" => Histogram(body.AsObject(), definition["aggregations"] as JsonObject ?? definition["aggs"] as JsonObject, documents),
                "max" => Metric(values.Count == 0 ? null : values.Max()),
                "min" => Metric(values.Count == 0 ? null : values.Min()),
                "sum" => Metric(values.Sum()),
                "avg" => Metric(values.Count == 0 ? null : values.Average()),
                "percentiles" => Percentiles(body.AsObject(), values),
                _ => throw new NotSupportedException($"The peer does not compute '{kind}' aggregations."),
            };
        }

        return result;
    }

    private static JsonObject Histogram(JsonObject body, JsonObject? subAggregations, List<JsonObject> documents)
    {
        var field = body["field"]!.GetValue<string>();
        var interval = (long)ParseInterval(body["fixed_interval"]!.GetValue<string>()).TotalMilliseconds;
        var offset = body["offset"] is { } o ? (long)ParseInterval(o.GetValue<string>()).TotalMilliseconds : 0;
        var buckets = new JsonArray();
        // Fixed intervals are aligned to the epoch, shifted by the offset; only buckets with documents (min_doc_count 1 by default).
        foreach (var group in documents.GroupBy(d => ((long)Math.Floor((Time(d[field]!) - offset) / interval) * interval) + offset).OrderBy(g => g.Key))
        {
            var bucket = new JsonObject
            {
                ["key"] = group.Key,
                ["key_as_string"] = DateTimeOffset.FromUnixTimeMilliseconds(group.Key).ToString("O", CultureInfo.InvariantCulture),
                ["doc_count"] = group.Count(),
            };
            if (subAggregations is not null)
            {
                foreach (var (name, value) in Aggregate(subAggregations, [.. group]))
                {
                    bucket[name] = value!.DeepClone();
                }
            }

            buckets.Add(bucket);
        }

        return new JsonObject { ["buckets"] = buckets };
    }

    private static JsonObject Metric(double? value) => new() { ["value"] = value };

    private static JsonObject Percentiles(JsonObject body, List<double> values)
    {
        var sorted = values.Order().ToList();
        var result = new JsonObject();
        foreach (var percent in body["percents"]!.AsArray().Select(p => p!.GetValue<double>()))
        {
            // Linear interpolation between closest ranks, as t-digest approaches on small sets.
            double? value = null;
            if (sorted.Count > 0)
            {
                var rank = percent / 100 * (sorted.Count - 1);
                var low = (int)Math.Floor(rank);
                var high = Math.Min(low + 1, sorted.Count - 1);
                value = sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
            }

            result[percent.ToString("0.0", CultureInfo.InvariantCulture)] = value;
        }

        return new JsonObject { ["values"] = result };
    }

    private static double Time(JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? node.GetValue<double>()
            : DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static TimeSpan ParseInterval(string text) => text[^1] switch
    {
        'd' => TimeSpan.FromDays(int.Parse(text[..^1], CultureInfo.InvariantCulture)),
        'h' => TimeSpan.FromHours(int.Parse(text[..^1], CultureInfo.InvariantCulture)),
        'm' when !text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMinutes(int.Parse(text[..^1], CultureInfo.InvariantCulture)),
        's' when !text.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromSeconds(int.Parse(text[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromMilliseconds(int.Parse(text[..^2], CultureInfo.InvariantCulture)),
    };
}
