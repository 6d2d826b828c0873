using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Tailing an alert index with a point in time and search_after, from a persisted cursor.</summary>
public sealed class ElasticsearchTailTests
{
    private static readonly TailRequest Alerts = new([".alerts-default"], "event.ingested", "kibana.alert.uuid") { PageSize = 2, After = SortCursor.Parse("[1000,\"a0\"]") };

    [Fact]
    public async Task TailAsync_ThreePages_PagesWithSearchAfterAndClosesLatestPit()
    {
        var http = new RecordingHttpMessageHandler(Pages(2, 2, 1));
        var sut = CreateSut(http);

        var pages = await ToListAsync(sut.TailAsync(Alerts, TestContext.Current.CancellationToken));

        Assert.Equal([2, 2, 1], pages.Select(p => p.Hits.Count));
        Assert.Equal("[1005,\"a5\"]", pages[^1].Cursor.ToString());
        var searches = http.Requests.Where(r => r.Uri.AbsolutePath == "/_search").ToList();
        Assert.Equal("[1000,\"a0\"]", SearchAfter(searches[0]));
        Assert.Equal("[1002,\"a2\"]", SearchAfter(searches[1])); // the implicit _shard_doc value is dropped
        Assert.Equal("pit-2", JsonNode.Parse(searches[1].Body!)!["pit"]!["id"]!.GetValue<string>());
        var close = http.Requests[^1];
        Assert.Equal((HttpMethod.Delete, "{\"id\":\"pit-4\"}"), (close.Method, close.Body));
        Assert.All(http.Requests, r => Assert.Empty(OpenApiContract.Elasticsearch.Check(r)));
    }

    [Fact]
    public async Task TailAsync_NothingNew_ClosesPitAfterOneSearch()
    {
        var http = new RecordingHttpMessageHandler(Pages(0));
        var sut = CreateSut(http);

        var pages = await ToListAsync(sut.TailAsync(Alerts, TestContext.Current.CancellationToken));

        Assert.Empty(pages);
        Assert.Equal(["/.alerts-default/_pit", "/_search", "/_pit"], http.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task TailAsync_ConsumerStopsEarly_StillClosesPit()
    {
        var http = new RecordingHttpMessageHandler(Pages(2, 2, 1));
        var sut = CreateSut(http);

        await foreach (var _ in sut.TailAsync(Alerts, TestContext.Current.CancellationToken))
        {
            break;
        }

        Assert.Equal(HttpMethod.Delete, http.Requests[^1].Method);
    }

    [Fact]
    public async Task TailAsync_SearchFails_ThrowsOriginalErrorAndClosesPit()
    {
        var http = new RecordingHttpMessageHandler(r => r.Uri.AbsolutePath switch
        {
            "/_search" => Json(ErrorBody("search_context_missing_exception", "No search context found for id [91]", null, 404), HttpStatusCode.NotFound),
            "/_pit" => Json(ErrorBody("illegal_state_exception", "already closed", null, 500), HttpStatusCode.InternalServerError),
            _ => Json("""{"id":"pit-1"}"""),
        });
        var sut = CreateSut(http, o => o.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => ToListAsync(sut.TailAsync(Alerts, TestContext.Current.CancellationToken)));

        Assert.Equal("search_context_missing_exception", ex.ErrorType);
        Assert.Equal("/_pit", http.Requests[^1].Uri.AbsolutePath);
    }

    /// <summary>A peer that opens "pit-1" and answers searches with pages of the given sizes, renewing the PIT id each time.</summary>
    private static Func<RecordedRequest, HttpResponseMessage> Pages(params int[] sizes)
    {
        var search = 0;
        var next = 1;
        return request =>
        {
            if (request.Uri.AbsolutePath == "/_pit")
            {
                return Json("""{"succeeded":true,"num_freed":1}""");
            }

            if (request.Uri.AbsolutePath.EndsWith("/_pit", StringComparison.Ordinal))
            {
                return Json("""{"id":"pit-1","_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}""");
            }

            var size = sizes[Math.Min(search++, sizes.Length - 1)];
            var hits = new JsonArray();
            for (var i = 0; i < size; i++, next++)
            {
                hits.Add(new JsonObject
                {
                    ["_index"] = ".alerts-default",
                    ["_id"] = $"a{next}",
                    ["_score"] = null,
                    ["_source"] = new JsonObject { ["kibana.alert.uuid"] = $"a{next}" },
                    ["sort"] = new JsonArray(1000 + next, $"a{next}", 4294967298L + next),
                });
            }

            return Json(new JsonObject
            {
                ["pit_id"] = $"pit-{search + 1}",
                ["took"] = 1,
                ["timed_out"] = false,
                ["hits"] = new JsonObject { ["max_score"] = null, ["hits"] = hits },
            }.ToJsonString());
        };
    }

    private static string? SearchAfter(RecordedRequest request) => JsonNode.Parse(request.Body!)!["search_after"]?.ToJsonString();

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
