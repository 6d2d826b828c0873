using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Aggregation results in the shapes Elasticsearch sends, including its empty-window and keyed variants.</summary>
public sealed class AggregationResultsTests
{
    private const string KpiResponse = """
        {"took":12,"timed_out":false,"_shards":{"total":3,"successful":2,"skipped":0,"failed":1},
         "hits":{"total":{"value":10000,"relation":"gte"},"max_score":null,"hits":[]},
         "aggregations":{
           "per_minute":{"buckets":[
             {"key_as_string":"2026-11-22T09:00:00.000Z","key":1795338000000,"doc_count":120,"latency":{"value":35.5}},
             {"key_as_string":"2026-11-22T09:01:00.000Z","key":1795338060000,"doc_count":0,"latency":{"value":null}}]},
           "keyed_minutes":{"buckets":{"2026-11-22T09:00:00.000Z":{"key":1795338000000,"doc_count":7}}},
           "by_status":{"doc_count_error_upper_bound":0,"sum_other_doc_count":7,"buckets":[
             {"key":200,"doc_count":100,"bytes":{"value":12345.0}},{"key":503,"doc_count":3,"bytes":{"value":0.0}}]},
           "by_flag":{"buckets":[{"key":1,"key_as_string":"true","doc_count":4}]},
           "avg_latency":{"value":42.25,"value_as_string":"42.25ms"},
           "empty_avg":{"value":null},
           "bytes":{"value":1.5E7},
           "p95":{"values":{"50.0":20.0,"95.0":182.5,"99.9":null,"95.0_as_string":"182.5"}},
           "p_unkeyed":{"values":[{"key":95.0,"value":180.0},{"key":99.0,"value":null}]},
           "users":{"value":4211},
           "requests":{"value":"12"}
         }}
        """;

    [Fact]
    public async Task SearchAsync_KpiAggregations_ParsedByKind()
    {
        var aggregations = await SearchAsync();

        Assert.Equal(42.25, aggregations.Value("avg_latency"));
        Assert.Null(aggregations.Value("empty_avg"));
        Assert.Equal(15_000_000d, aggregations.Value("bytes"));
        Assert.Equal(4211, aggregations.Count("users"));
        Assert.Equal(12, aggregations.Count("requests"));
    }

    [Fact]
    public async Task Percentiles_KeyedByDecimalText_ReadByNumber()
    {
        var aggregations = await SearchAsync();

        var p = aggregations.Percentiles("p95");

        Assert.Equal([50.0, 95.0, 99.9], p.Values.Keys);
        Assert.Equal(182.5, p[95]);
        Assert.Null(p[99.9]);
        Assert.Null(p[75]);
        Assert.Equal(180.0, aggregations.Percentiles("p_unkeyed")[95]);
    }

    [Fact]
    public async Task DateHistogram_BucketsWithSubAggregations_Parsed()
    {
        var aggregations = await SearchAsync();

        var buckets = aggregations.DateHistogram("per_minute");

        Assert.Equal(2, buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), buckets[0].Key);
        Assert.Equal((120L, 35.5), (buckets[0].DocCount, buckets[0].Aggregations.Value("latency")));
        Assert.Equal(0, buckets[1].DocCount);
        Assert.Null(buckets[1].Aggregations.Value("latency"));
        Assert.Equal(7, Assert.Single(aggregations.DateHistogram("keyed_minutes")).DocCount);
    }

    [Fact]
    public async Task Terms_NumericAndBooleanKeys_AsText()
    {
        var aggregations = await SearchAsync();

        var statuses = aggregations.Terms("by_status");

        Assert.Equal(["200", "503"], statuses.Buckets.Select(b => b.Key));
        Assert.Equal(7, statuses.SumOtherDocCount);
        Assert.Equal(12345.0, statuses.Buckets[0].Aggregations.Value("bytes"));
        Assert.Equal("true", Assert.Single(aggregations.Terms("by_flag").Buckets).Key);
    }

    [Fact]
    public async Task SearchAsync_ShardFailed_MarkedPartial()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(KpiResponse));

        var response = await CreateSut(http).SearchAsync(SearchRequest.For("logs") with { Size = 0 }, TestContext.Current.CancellationToken);

        Assert.True(response.IsPartial);
        Assert.Equal(new TotalHits(10000, "gte"), response.Hits!.Total);
    }

    [Fact]
    public async Task Value_UnknownName_ThrowsNamingIt()
    {
        var aggregations = await SearchAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => aggregations.Value("p99"));

        Assert.Contains("'p99'", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<AggregationResults> SearchAsync()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(KpiResponse));
        var response = await CreateSut(http).SearchAsync(SearchRequest.For("logs") with { Size = 0 }, TestContext.Current.CancellationToken);
        return response.Aggregations;
    }
}
