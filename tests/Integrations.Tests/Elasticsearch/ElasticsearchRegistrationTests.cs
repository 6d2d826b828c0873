using System.Text;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>AddElasticsearch wires options, validation at start, and the auth handler into the typed client.</summary>
public sealed class ElasticsearchRegistrationTests
{
    private readonly RecordingHttpMessageHandler _http = new(AnswerWithExamples);

    [Fact]
    public async Task AddElasticsearch_ApiKey_SendsApiKeyHeader()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200", ["Elasticsearch:ApiKey"] = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAy" });

        await provider.GetRequiredService<IElasticsearchClient>().InfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAy", _http.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task AddElasticsearch_ApiKeyAsIdAndKey_SendsEncodedForm()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200", ["Elasticsearch:ApiKey"] = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw" });

        await provider.GetRequiredService<IElasticsearchClient>().InfoAsync(TestContext.Current.CancellationToken);

        var expected = "ApiKey " + Convert.ToBase64String(Encoding.UTF8.GetBytes("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw"));
        Assert.Equal(expected, _http.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task AddElasticsearch_UserAndPassword_SendsBasicHeader()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200/", ["Elasticsearch:Username"] = "elastic", ["Elasticsearch:Password"] = "pä:ss" });

        await provider.GetRequiredService<IElasticsearchClient>().ClusterHealthAsync(cancellationToken: TestContext.Current.CancellationToken);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:pä:ss"));
        Assert.Equal(expected, _http.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task AddElasticsearch_NoCredentials_SendsNoAuthorization()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200/" });

        await provider.GetRequiredService<IElasticsearchClient>().InfoAsync(TestContext.Current.CancellationToken);

        Assert.False(_http.Requests.Single().Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task AddElasticsearch_UrlWithPathPrefix_KeepsPrefix()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "https://proxy.test/es" });

        await provider.GetRequiredService<IElasticsearchClient>().CountAsync(new CountRequest(["logs"]), TestContext.Current.CancellationToken);

        Assert.Equal("/es/logs/_count", _http.Requests.Single().Uri.AbsolutePath);
    }

    [Fact]
    public void AddElasticsearch_UsernameWithoutPassword_FailsAtStart()
    {
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200", ["Elasticsearch:Username"] = "elastic" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Username and Elasticsearch:Password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddElasticsearch_NoSection_ValidAndNotConfigured()
    {
        using var provider = CreateSut([]);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.False(provider.GetRequiredService<IOptions<ElasticsearchOptions>>().Value.IsConfigured);
    }

    [Fact]
    public async Task AddElasticsearch_503ThenOk_RetriedByTheClientsResiliencePipeline()
    {
        var answers = new Queue<HttpResponseMessage>([RecordingHttpMessageHandler.Json("{}", System.Net.HttpStatusCode.ServiceUnavailable)]);
        var http = new RecordingHttpMessageHandler(request => answers.TryDequeue(out var first) ? first : AnswerWithExamples(request));
        using var provider = CreateSut(new() { ["Elasticsearch:Url"] = "http://es.test:9200/", ["Elasticsearch:RetryBaseDelay"] = "00:00:00" }, http);

        await provider.GetRequiredService<IElasticsearchClient>().InfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, http.Requests.Count);
        Assert.All(http.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
    }

    private ServiceProvider CreateSut(Dictionary<string, string?> settings, RecordingHttpMessageHandler? http = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddElasticsearch();
        services.AddHttpClient<IElasticsearchClient, ElasticsearchClient>().ConfigurePrimaryHttpMessageHandler(() => http ?? _http);
        return services.BuildServiceProvider();
    }
}
