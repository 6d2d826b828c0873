using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Builds clients over recorded or scripted HTTP, and reads the vendor's documented examples.</summary>
internal static class ElasticsearchTestKit
{
    public static readonly Uri BaseUrl = new("http://es.test:9200/");

    private static readonly Lazy<JsonObject> Examples = new(() =>
        JsonNode.Parse(SpecFiles.Read("elasticsearch", "examples", "examples.json"))!["examples"]!.AsObject());

    public static ElasticsearchClient CreateSut(HttpMessageHandler handler, Action<ElasticsearchOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new ElasticsearchOptions { Url = BaseUrl, RetryBaseDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        var time = timeProvider ?? new FakeTimeProvider();
        var logger = CreateLogger();
        // The pipeline AddElasticsearch puts in front of the typed client, over the test's handler.
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        ElasticsearchResilience.Configure(pipeline, options, time, logger);
        var http = new HttpClient(new ResilienceHandler(pipeline.Build()) { InnerHandler = handler }) { Timeout = Timeout.InfiniteTimeSpan };
        return new ElasticsearchClient(http, Options.Create(options), time, logger);
    }

    public static ILogger<ElasticsearchClient> CreateLogger() =>
        LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider())).CreateLogger<ElasticsearchClient>();

    /// <summary>Every example in the vendor's index, by repository path.</summary>
    public static IEnumerable<string> ExampleKeys => Examples.Value.Select(e => e.Key);

    /// <summary>An example body by file name, e.g. <c>SearchResponseExample1</c>, as JSON text.</summary>
    public static string Example(string name)
    {
        var entry = Examples.Value.Single(e => e.Key.EndsWith($"/{name}.yaml", StringComparison.Ordinal)).Value!;
        return entry["value"] switch
        {
            JsonValue text when text.TryGetValue<string>(out var s) => s,
            { } structured => structured.ToJsonString(),
            null => throw new InvalidOperationException($"Example {name} has no value."),
        };
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) => RecordingHttpMessageHandler.Json(json, status);

    public static string ErrorBody(string type, string reason, string? index, int status) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["root_cause"] = new JsonArray(new JsonObject { ["type"] = type, ["reason"] = reason, ["index"] = index }),
                ["type"] = type,
                ["reason"] = reason,
                ["index"] = index,
            },
            ["status"] = status,
        }.ToJsonString();

    /// <summary>Answers each request with the vendor's documented example for its operation.</summary>
    public static HttpResponseMessage AnswerWithExamples(RecordedRequest request)
    {
        var path = request.Uri.AbsolutePath;
        var method = request.Method.Method;
        var example = path switch
        {
            _ when path.EndsWith("/_search", StringComparison.Ordinal) => "SearchResponseExample1",
            _ when path.EndsWith("/_count", StringComparison.Ordinal) => "CountResponseExample1",
            "/_pit" => "ClosePointInTimeResponseExample1",
            _ when path.EndsWith("/_pit", StringComparison.Ordinal) => "OpenPointInTimeResponseExample1",
            _ when path.EndsWith("/_bulk", StringComparison.Ordinal) => "BulkResponseExample1",
            _ when path.Contains("/_create/", StringComparison.Ordinal) => "CreateResponseExample1",
            _ when path.Contains("/_doc", StringComparison.Ordinal) && method == "GET" => "GetResponseExample1",
            _ when path.Contains("/_doc", StringComparison.Ordinal) => "IndexResponseExample2",
            _ when path.StartsWith("/_cluster/health", StringComparison.Ordinal) => "ClusterHealthResponseExample1",
            "/" => "RootNodeInfoResponseExample1",
            _ => null,
        };
        return example is null ? Json(ErrorBody("no_handler_found", $"no handler for {method} {path}", null, 400), HttpStatusCode.BadRequest) : Json(Example(example));
    }
}
