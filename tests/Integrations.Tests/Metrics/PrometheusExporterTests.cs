using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Metrics;

public sealed partial class PrometheusExporterTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task ScrapeAsync_Counter_ExposedWithTotalSuffixAndSummed()
    {
        using var sut = new PrometheusExporter(Factory, []);
        var counter = Factory.Create("ChatOps.Test").CreateCounter<long>("chatops_test_requests", description: "Requests sent.");
        counter.Add(2, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "b"));

        var text = await sut.ScrapeAsync(Ct);

        Assert.Equal(
            """
            # HELP chatops_test_requests_total Requests sent.
            # TYPE chatops_test_requests_total counter
            chatops_test_requests_total{kind="a"} 5
            chatops_test_requests_total{kind="b"} 1

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task ScrapeAsync_CounterNamedWithTotal_SuffixNotDoubled()
    {
        using var sut = new PrometheusExporter(Factory, []);
        Factory.Create("ChatOps.Test").CreateCounter<int>("chatops_test_failures_total").Add(1);

        var text = await sut.ScrapeAsync(Ct);

        Assert.Equal("# TYPE chatops_test_failures_total counter\nchatops_test_failures_total 1\n", text);
    }

    [Fact]
    public async Task ScrapeAsync_AwkwardLabelValueAndHelp_Escaped()
    {
        using var sut = new PrometheusExporter(Factory, []);
        var gauge = Factory.Create("ChatOps.Test").CreateGauge<double>("chatops_test_depth", description: "Depth \\ per line\nsecond");
        gauge.Record(1.5, new KeyValuePair<string, object?>("destination", "a\"b\\c\nd"));

        var text = await sut.ScrapeAsync(Ct);

        Assert.Equal(
            "# HELP chatops_test_depth Depth \\\\ per line\\nsecond\n"
            + "# TYPE chatops_test_depth gauge\n"
            + "chatops_test_depth{destination=\"a\\\"b\\\\c\\nd\"} 1.5\n",
            text);
        AssertValidExposition(text);
    }

    [Fact]
    public async Task ScrapeAsync_DottedNamesAndLabels_Sanitized()
    {
        using var sut = new PrometheusExporter(Factory, []);
        Factory.Create("ChatOps.Test").CreateUpDownCounter<int>("chatops.test.in-flight").Add(2, new KeyValuePair<string, object?>("9dest.name", "x"));

        var text = await sut.ScrapeAsync(Ct);

        Assert.Contains("# TYPE chatops_test_in_flight gauge\nchatops_test_in_flight{_9dest_name=\"x\"} 2\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.0, "-2")]
    [InlineData(1e21, "1E+21")]
    public void Value_SpecialAndPlainNumbers_SpelledAsTheFormatRequires(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.Value(value));

    [Fact]
    public async Task ScrapeAsync_ForeignMeters_NotExported()
    {
        using var sut = new PrometheusExporter(Factory, []);
        Factory.Create("Other.Library").CreateCounter<int>("other_requests").Add(1);
        using var unscoped = new Meter("ChatOps.Unscoped");
        unscoped.CreateCounter<int>("chatops_unscoped").Add(1);
        await using var otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherHost.GetRequiredService<IMeterFactory>().Create("ChatOps.Test").CreateCounter<int>("chatops_other_host").Add(1);

        Assert.Equal("", await sut.ScrapeAsync(Ct));
    }

    [Fact]
    public async Task ScrapeAsync_ObservableGauge_RefreshedThenReportedAfreshEachScrape()
    {
        var source = new CountingRefresher();
        using var sut = new PrometheusExporter(Factory, [source]);
        Factory.Create("ChatOps.Test").CreateObservableGauge("chatops_test_queue", () =>
            source.Refreshed == 1 ? [new Measurement<long>(3, new KeyValuePair<string, object?>("lane", "a"))] : Array.Empty<Measurement<long>>());

        var first = await sut.ScrapeAsync(Ct);
        var second = await sut.ScrapeAsync(Ct);

        Assert.Equal("# TYPE chatops_test_queue gauge\nchatops_test_queue{lane=\"a\"} 3\n", first);
        Assert.Equal("# TYPE chatops_test_queue gauge\n", second);
        Assert.Equal(2, source.Refreshed);
    }

    [Fact]
    public async Task ScrapeAsync_ObservableCounter_ReportsItsTotalNotASum()
    {
        using var sut = new PrometheusExporter(Factory, []);
        Factory.Create("ChatOps.Test").CreateObservableCounter("chatops_test_reads", () => 7L);

        await sut.ScrapeAsync(Ct);
        var text = await sut.ScrapeAsync(Ct);

        Assert.Equal("# TYPE chatops_test_reads_total counter\nchatops_test_reads_total 7\n", text);
    }

    [Fact]
    public async Task ScrapeAsync_MixedInstruments_FollowTheExpositionFormat()
    {
        using var sut = new PrometheusExporter(Factory, []);
        var meter = Factory.Create("ChatOps.Test");
        meter.CreateCounter<long>("chatops_test_sent", description: "Sent.").Add(4, new KeyValuePair<string, object?>("platform", "slack"), new KeyValuePair<string, object?>("channel", "C\"1"));
        meter.CreateObservableGauge("chatops_test_age_seconds", () => 0.25, "s", "Age.");
        meter.CreateGauge<int>("chatops_test_up").Record(1);

        var text = await sut.ScrapeAsync(Ct);

        AssertValidExposition(text);
        // Labels in name order, whatever order the tags came in.
        Assert.Contains("chatops_test_sent_total{channel=\"C\\\"1\",platform=\"slack\"} 4\n", text, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>
    /// The rules of the text format (version 0.0.4) that a scraper enforces: every line is a HELP, a TYPE or a
    /// sample; HELP and TYPE come at most once per name and before its samples; a counter's samples end in
    /// <c>_total</c>; the text ends with a line feed.
    /// </summary>
    internal static void AssertValidExposition(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var sampled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text[..^1].Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } help)
            {
                Assert.True(helped.Add(help.Groups[1].Value), $"HELP given twice: {line}");
                Assert.DoesNotContain(help.Groups[1].Value, sampled);
            }
            else if (TypeLine().Match(line) is { Success: true } type)
            {
                Assert.True(typed.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"TYPE given twice: {line}");
                Assert.DoesNotContain(type.Groups[1].Value, sampled);
            }
            else
            {
                var sample = SampleLine().Match(line);
                Assert.True(sample.Success, $"not a valid sample line: {line}");
                var name = sample.Groups[1].Value;
                Assert.True(typed.TryGetValue(name, out var kind), $"sample before its TYPE: {line}");
                Assert.True(kind != "counter" || name.EndsWith("_total", StringComparison.Ordinal), $"counter without _total: {line}");
                sampled.Add(name);
            }
        }
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\\\|\\n)*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*")*\})? (?:NaN|[+-]Inf|-?\d+(?:\.\d+)?(?:E[+-]?\d+)?)$""")]
    private static partial Regex SampleLine();

    private sealed class CountingRefresher : IMetricsRefresher
    {
        public int Refreshed { get; private set; }

        public Task RefreshAsync(CancellationToken cancellationToken)
        {
            Refreshed++;
            return Task.CompletedTask;
        }
    }
}
