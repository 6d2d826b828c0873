using System.Text.Json.Nodes;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>KPI metrics over a window: one size-0 search within the spec, read back by kind.</summary>
public sealed class ElasticsearchMetricsTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private const string Response = """
        {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":12400,"relation":"eq"},"max_score":null,"hits":[]},
         "aggregations":{"latest":{"value":1795338297000,"value_as_string":"2026-11-22T09:04:57.000Z"},
                         "value":{"value":182.5,"values":{"95.0":182.5}}}}
        """;

    [Theory]
    [InlineData(nameof(MetricKind.Count), 12400.0)]
    [InlineData(nameof(MetricKind.Average), 182.5)]
    [InlineData(nameof(MetricKind.Sum), 182.5)]
    [InlineData(nameof(MetricKind.Minimum), 182.5)]
    [InlineData(nameof(MetricKind.Maximum), 182.5)]
    [InlineData(nameof(MetricKind.Percentile), 182.5)]
    [InlineData(nameof(MetricKind.Distinct), 182.0)]
    public async Task MeasureAsync_EachKind_OneSpecValidSearch(string kindName, double expected)
    {
        // By name: the kind is internal and a test method's parameters must be public.
        var kind = Enum.Parse<MetricKind>(kindName);
        var http = new RecordingHttpMessageHandler(_ => Json(Response));
        var query = new MetricQuery(["logs-app-*"], "@timestamp", From, From.AddMinutes(5), kind) { Field = "event.duration", Filter = Query.QueryString("event.action:login") };

        var metric = await CreateSut(http).MeasureAsync(query, TestContext.Current.CancellationToken);

        Assert.Equal(expected, metric.Value);
        Assert.Equal(12400, metric.DocCount);
        Assert.Equal(From.AddSeconds(297), metric.Latest);
        Assert.False(metric.IsPartial);
        var request = Assert.Single(http.Requests);
        Assert.Empty(OpenApiContract.Elasticsearch.Check(request));
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal(0, body["size"]!.GetValue<int>());
        Assert.Equal(kind == MetricKind.Count ? 1 : 2, body["aggregations"]!.AsObject().Count);
    }

    [Fact]
    public async Task MeasureAsync_EmptyWindow_NullValueAndNoLatest()
    {
        var http = new RecordingHttpMessageHandler(_ => Json("""
            {"took":1,"timed_out":false,"hits":{"total":{"value":0,"relation":"eq"},"hits":[]},
             "aggregations":{"latest":{"value":null},"value":{"value":null}}}
            """));

        var metric = await CreateSut(http).MeasureAsync(new MetricQuery(["logs"], "@timestamp", From, From.AddMinutes(5), MetricKind.Average) { Field = "event.duration" }, TestContext.Current.CancellationToken);

        Assert.Equal(new MetricValue(null, 0, null, false), metric);
    }

    [Fact]
    public async Task MeasureAsync_BadQuery_RefusedBeforeSending()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(Response));
        var sut = CreateSut(http);

        await Assert.ThrowsAsync<ArgumentException>(() => sut.MeasureAsync(new MetricQuery(["logs"], "@timestamp", From, From, MetricKind.Count), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.MeasureAsync(new MetricQuery(["logs"], "@timestamp", From, From.AddMinutes(1), MetricKind.Sum), TestContext.Current.CancellationToken));
        Assert.Empty(http.Requests);
    }
}
