using System.Reflection;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>The exact JSON of the DSL where meaning hides in details: window bounds, intervals, sort order, documents.</summary>
public sealed class QueryDslTests
{
    [Fact]
    public async Task TimeRange_WritesHalfOpenUtcWindow()
    {
        var from = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1));

        var body = await SearchBodyAsync(SearchRequest.For("logs") with { Query = Query.TimeRange("@timestamp", from, from.AddMinutes(5)) });

        var range = body["query"]!["range"]!["@timestamp"]!;
        Assert.Equal("2026-11-22T09:00:00.000Z", range["gte"]!.GetValue<string>());
        Assert.Equal("2026-11-22T09:05:00.000Z", range["lt"]!.GetValue<string>());
        Assert.Null(range["lte"]);
    }

    [Theory]
    [InlineData(5 * 60, "5m")]
    [InlineData(90, "90s")]
    [InlineData(3600, "1h")]
    [InlineData(86400, "1d")]
    public async Task DateHistogram_IntervalInElasticsearchUnits(int seconds, string expected)
    {
        var request = SearchRequest.For("logs") with { Aggregations = new Dictionary<string, Aggregation> { ["h"] = Aggregation.DateHistogram("@timestamp", TimeSpan.FromSeconds(seconds)) } };

        var body = await SearchBodyAsync(request);

        Assert.Equal(expected, body["aggregations"]!["h"]!["date_histogram"]!["fixed_interval"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sort_AscendingAsNameDescendingAsObject()
    {
        var body = await SearchBodyAsync(new SearchRequest { Sort = [new SortField("@timestamp"), new SortField("severity", SortOrder.Descending)] });

        Assert.Equal("""["@timestamp",{"severity":{"order":"desc"}}]""", body["sort"]!.ToJsonString());
    }

    [Fact]
    public void DocumentBody_MultiLineJson_CompactedToOneLine()
    {
        var document = DocumentBody.FromJson("{\n  \"message\": \"line one\\nline two\"\n}");

        Assert.Equal("""{"message":"line one\nline two"}""", document.ToString());
        Assert.Throws<ArgumentException>(() => DocumentBody.FromJson("[1,2]"));
    }

    [Fact]
    public void SortCursor_RoundTripsAndTakes()
    {
        var cursor = SortCursor.Parse("[1732262400000, \"a-1\", 4294967298]");

        Assert.Equal("[1732262400000,\"a-1\"]", cursor.Take(2).ToString());
        Assert.Equal(3, SortCursor.Parse(cursor.ToString()).Count);
        Assert.Throws<FormatException>(() => SortCursor.Parse("{}"));
    }

    [Fact]
    public void IElasticsearchClient_EveryAsyncMethod_TakesCancellationTokenLast()
    {
        var methods = typeof(IElasticsearchClient).GetMethods().Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.Equal(typeof(CancellationToken), m.GetParameters()[^1].ParameterType));
        Assert.All(typeof(ElasticsearchTailExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static),
            m => Assert.Equal(typeof(CancellationToken), m.GetParameters()[^1].ParameterType));
    }

    private static async Task<JsonNode> SearchBodyAsync(SearchRequest request)
    {
        var http = new RecordingHttpMessageHandler(AnswerWithExamples);
        await CreateSut(http).SearchAsync(request, TestContext.Current.CancellationToken);
        Assert.Empty(OpenApiContract.Elasticsearch.Check(http.Requests[0]));
        return JsonNode.Parse(http.Requests[0].Body!)!;
    }
}
