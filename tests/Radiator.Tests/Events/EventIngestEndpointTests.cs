using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Events;

public sealed class EventIngestEndpointTests
{
    [Fact]
    public async Task PostEvents_NdjsonWithBadLines_Is400NamingThemAndKeepsGoodLines()
    {
        await using var host = await RadiatorHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = host.Time.GetUtcNow();
        var body = $"{{\"timestamp\":\"{now.AddMinutes(-2):O}\",\"key\":\"logins\"}}\n"
            + "{\"timestamp\":\"soon\",\"key\":\"logins\"}\n"
            + $"{{\"timestamp\":\"{now.AddMinutes(-1):O}\",\"key\":\"logins\",\"value\":2}}\n";

        using var response = await host.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal(2, json.RootElement.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(json.RootElement.GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, rejected.GetProperty("line").GetInt32());
        Assert.Contains("timestamp", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var source = (IEventSource)host.Services.GetService(typeof(IEventSource))!;
        var window = TimeWindow.Ending(now, TimeSpan.FromMinutes(5), 1)[0];
        var sum = await source.MeasureAsync(new KpiQuery("logins", KpiAggregation.Sum), window, ct);
        Assert.Equal(3, sum.Value);
    }

    [Fact]
    public async Task PostEvents_JsonArrayAllBad_Is400WithEveryReason()
    {
        await using var host = await RadiatorHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        using var response = await host.Http.PostAsync("/api/events", new StringContent("[\n{\"key\":\"a\"},\n{\"timestamp\":\"2026-11-22T08:00:00Z\"}\n]", Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<IngestResult>(ct);
        Assert.Equal(0, result!.Accepted);
        Assert.Equal([2, 3], result.Rejected.Select(r => r.Line));
    }

    [Fact]
    public async Task PostEvents_BodyOverLimit_Is413AndStoresNothing()
    {
        await using var host = await RadiatorHost.StartAsync(new() { ["Radiator:MaxIngestBytes"] = "100" });
        var ct = TestContext.Current.CancellationToken;
        var line = $"{{\"timestamp\":\"{host.Time.GetUtcNow():O}\",\"key\":\"logins\"}}\n";

        using var response = await host.Http.PostAsync("/api/events", new StringContent(string.Concat(Enumerable.Repeat(line, 10)), Encoding.UTF8, "application/x-ndjson"), ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var store = (EmbeddedEventStore)host.Services.GetService(typeof(EmbeddedEventStore))!;
        Assert.Equal(0, await store.CountEventsAsync(ct));
    }

    [Fact]
    public async Task PostEvents_EmptyBody_Is400()
    {
        await using var host = await RadiatorHost.StartAsync();

        using var response = await host.Http.PostAsync("/api/events", new StringContent("\n\n", Encoding.UTF8, "application/x-ndjson"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetPulse_AfterIngest_DescribesKpiAndServesSparklinePng()
    {
        await using var host = await RadiatorHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = host.Time.GetUtcNow();
        var lines = Enumerable.Range(1, 30).Select(i => $"{{\"timestamp\":\"{now.AddSeconds(-i * 10):O}\",\"key\":\"logins\"}}");
        (await host.Http.PostAsync("/api/events", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), ct)).EnsureSuccessStatusCode();

        using var json = JsonDocument.Parse(await host.Http.GetStringAsync("/api/pulse/logins", ct));
        var png = await host.Http.GetByteArrayAsync("/api/pulse/logins/sparkline.png", ct);
        using var missing = await host.Http.GetAsync("/api/pulse/nope", ct);

        Assert.StartsWith("30 logins in the last 5 minutes", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0x89, png[0]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class EventIngestToElasticsearchTests
{
    [Fact]
    public async Task PostEvents_ElasticsearchConfigured_BulkWritesWhatThePulseThenReads()
    {
        await using var peer = await ElasticsearchPeer.StartAsync();
        await using var host = await RadiatorHost.StartAsync(new() { ["Elasticsearch:Url"] = peer.Url.ToString(), ["Elasticsearch:MaxRetries"] = "0" });
        var ct = TestContext.Current.CancellationToken;
        var now = host.Time.GetUtcNow();
        var lines = Enumerable.Range(1, 12).Select(i => $"{{\"timestamp\":\"{now.AddSeconds(-i * 24):O}\",\"key\":\"logins\",\"tags\":{{\"platform\":\"ios\"}}}}");

        using var response = await host.Http.PostAsync("/api/events", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), ct);
        using var json = JsonDocument.Parse(await host.Http.GetStringAsync("/api/pulse/logins", ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(12, peer.Documents("radiator-events").Count);
        Assert.StartsWith("12 logins in the last 5 minutes", json.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(peer.ContractErrors);
    }

    [Fact]
    public async Task PostEvents_OlderThanRetention_RefusedByItsLine()
    {
        await using var host = await RadiatorHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = host.Time.GetUtcNow();
        var body = $"{{\"timestamp\":\"{now.AddDays(-90):O}\",\"key\":\"logins\"}}\n{{\"timestamp\":\"{now.AddMinutes(-1):O}\",\"key\":\"logins\"}}";

        using var response = await host.Http.PostAsync("/api/events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"), ct);

        var result = await response.Content.ReadFromJsonAsync<IngestResult>(ct);
        Assert.Equal(1, result!.Accepted);
        var refused = Assert.Single(result.Rejected);
        Assert.Equal(1, refused.Line);
        Assert.Contains("retention", refused.Reason, StringComparison.Ordinal);
    }
}

public sealed class EventIngestFaultTests
{
    [Fact]
    public async Task PostEvents_ElasticsearchDown_Is503AndPulseReadIs503()
    {
        await using var peer = await ElasticsearchPeer.StartAsync();
        peer.FailWith = HttpStatusCode.ServiceUnavailable;
        await using var host = await RadiatorHost.StartAsync(new() { ["Elasticsearch:Url"] = peer.Url.ToString(), ["Elasticsearch:MaxRetries"] = "0" });
        var ct = TestContext.Current.CancellationToken;
        var line = $"{{\"timestamp\":\"{host.Time.GetUtcNow():O}\",\"key\":\"logins\"}}";

        using var ingest = await host.Http.PostAsync("/api/events", new StringContent(line, Encoding.UTF8, "application/x-ndjson"), ct);
        using var pulse = await host.Http.GetAsync("/api/pulse/logins", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pulse.StatusCode);
    }
}
