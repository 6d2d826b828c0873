using ChatOps.Integrations.Elasticsearch;

namespace ChatOps.Integrations.Tests.Elasticsearch;

public sealed class ElasticsearchOptionsValidatorTests
{
    private const string Fingerprint = "9B:9D:50:CF:EC:47:5C:9F:85:1E:0A:AB:D1:92:4F:2B:1B:BD:7C:75:7F:7E:E1:29:C4:25:42:4A:22:A3:FB:92";

    [Fact]
    public void Validate_Empty_Succeeds()
    {
        Assert.True(CreateSut().Validate(null, new ElasticsearchOptions()).Succeeded);
    }

    [Theory]
    [InlineData(Fingerprint)]
    [InlineData("9b9d50cfec475c9f851e0aabd1924f2b1bbd7c757f7ee129c425424a22a3fb92")]
    public void Validate_HttpsWithFingerprint_Succeeds(string fingerprint)
    {
        var options = new ElasticsearchOptions { Url = new Uri("https://es.test:9200"), ApiKey = "key", CertificateFingerprint = fingerprint };

        Assert.True(CreateSut().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("elastic", null, null, null, "http://es.test", "Username and Elasticsearch:Password")]
    [InlineData(null, "secret", null, null, "http://es.test", "Username and Elasticsearch:Password")]
    [InlineData("elastic", "secret", "key", null, "http://es.test", "either Elasticsearch:ApiKey")]
    [InlineData(null, null, null, "AB:CD", "https://es.test", "64 hex digits")]
    [InlineData(null, null, null, "zz9d50cfec475c9f851e0aabd1924f2b1bbd7c757f7ee129c425424a22a3fb92", "https://es.test", "64 hex digits")]
    [InlineData(null, null, null, Fingerprint, "http://es.test", "needs an https")]
    [InlineData(null, null, null, null, "ftp://es.test", "absolute http or https")]
    public void Validate_BadCombination_Fails(string? user, string? password, string? apiKey, string? fingerprint, string url, string expected)
    {
        var options = new ElasticsearchOptions { Url = new Uri(url), Username = user, Password = password, ApiKey = apiKey, CertificateFingerprint = fingerprint };

        var result = CreateSut().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAll()
    {
        var options = new ElasticsearchOptions { Url = new Uri("http://es.test"), Username = "elastic", CertificateFingerprint = "nope", CaCertificatePath = "/nonexistent/ca.pem" };

        var result = CreateSut().Validate(null, options);

        Assert.Equal(4, result.Failures!.Count());
    }

    [Fact]
    public void DataValidator_NegativeRetries_Fails()
    {
        var result = new ElasticsearchOptionsDataValidator().Validate(null, new ElasticsearchOptions { MaxRetries = -1 });

        Assert.True(result.Failed);
    }

    [Fact]
    public void DataValidator_ZeroRequestTimeout_Fails()
    {
        var result = new ElasticsearchOptionsDataValidator().Validate(null, new ElasticsearchOptions { RequestTimeout = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(nameof(ElasticsearchOptions.RequestTimeout), StringComparison.Ordinal));
    }

    private static ElasticsearchOptionsValidator CreateSut() => new();
}
