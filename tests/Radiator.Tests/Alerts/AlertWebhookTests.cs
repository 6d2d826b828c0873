using System.Text.Json;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertWebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 5, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_OurFormat_ReadsEveryField()
    {
        var (signals, rejected, error) = AlertWebhook.Parse(Json("""
            {"fingerprint":"f1","status":"firing","title":"Disk full","severity":"Critical","labels":{"environment":"prod"},
             "startsAt":"2026-11-22T08:55:00Z","description":"/var 98%"}
            """));

        Assert.Null(error);
        Assert.Empty(rejected);
        var s = Assert.Single(signals);
        Assert.Equal(("f1", true, "Disk full", "critical", "prod", "/var 98%"), (s.Fingerprint, s.Firing, s.Title, s.Severity, s.Labels["environment"], s.Description));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 55, 0, TimeSpan.Zero), s.StartsAt);
    }

    [Fact]
    public void Parse_AlertmanagerWebhook_UsesLabelsAnnotationsAndFingerprint()
    {
        // The shape Alertmanager (and Grafana's Alertmanager-compatible contact point) posts, version 4.
        var (signals, rejected, error) = AlertWebhook.Parse(Json("""
            {"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","truncatedAlerts":0,"status":"firing","receiver":"chatops",
             "groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency"},"commonAnnotations":{},"externalURL":"http://am:9093",
             "alerts":[
               {"status":"firing","labels":{"alertname":"HighLatency","severity":"critical","environment":"prod"},
                "annotations":{"summary":"p95 latency above 2s","description":"checkout is slow"},
                "startsAt":"2026-11-22T08:50:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph","fingerprint":"c0ffee"},
               {"status":"resolved","labels":{"alertname":"DiskFull"},"annotations":{},"startsAt":"2026-11-22T08:00:00Z","endsAt":"2026-11-22T08:40:00Z"}
             ]}
            """));

        Assert.Null(error);
        Assert.Equal(2, signals.Count);
        Assert.Equal(("c0ffee", true, "p95 latency above 2s", "critical", "alertmanager"), (signals[0].Fingerprint, signals[0].Firing, signals[0].Title, signals[0].Severity, signals[0].Source));
        Assert.Equal("checkout is slow", signals[0].Description);
        Assert.False(signals[1].Firing);
        Assert.Equal("DiskFull", signals[1].Title);
        Assert.Equal(16, signals[1].Fingerprint.Length); // derived from the label set
    }

    [Fact]
    public void Parse_AlertmanagerWithoutFingerprint_SameLabelsGiveTheSameFingerprint()
    {
        const string body = """{"alerts":[{"status":"firing","labels":{"b":"2","alertname":"X"}}]}""";
        const string reordered = """{"alerts":[{"status":"resolved","labels":{"alertname":"X","b":"2"}}]}""";

        Assert.Equal(AlertWebhook.Parse(Json(body)).Signals[0].Fingerprint, AlertWebhook.Parse(Json(reordered)).Signals[0].Fingerprint);
    }

    [Theory]
    [InlineData("42", "body")]
    [InlineData("[]", "body")]
    [InlineData("""{"alerts":{}}""", "alerts: expected an array")]
    [InlineData("""{"alerts":[],"alerts":[]}""", "`alerts` appears more than once")]
    [InlineData("""{"receiver":"\ud800","alerts":[]}""", "`receiver` holds a lone UTF-16 surrogate")]
    public void Parse_BadBody_RefusesItWhole(string body, string expected)
    {
        var (signals, rejected, error) = AlertWebhook.Parse(Json(body));

        Assert.Empty(signals);
        Assert.Empty(rejected);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"x","severity":"apocalyptic"}""", "severity: must be one of")]
    [InlineData("""{"fingerprint":7,"status":"firing","title":"x"}""", "fingerprint: expected a string")]
    [InlineData("""{"fingerprint":" ","status":"firing","title":"x"}""", "fingerprint: must not be empty")]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"x","title":"y"}""", "`title` appears more than once")]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"\ud800"}""", "`title` holds a lone UTF-16 surrogate")]
    [InlineData("""{"fingerprint":"a","status":"firing","title":"x","startsAt":"9999-12-31T00:00:00Z"}""", "startsAt: \"9999-12-31T00:00:00Z\" is too far in the future")]
    [InlineData("""{"alerts":[{"status":"firing","labels":{"a":"b"},"startsAt":"soon"}]}""", "alerts[0].startsAt")]
    [InlineData("""{"alerts":[{"status":"pending","labels":{"a":"b"}}]}""", "alerts[0].status")]
    [InlineData("""{"alerts":[{"status":"firing","labels":{}}]}""", "alerts[0].labels: empty, and the alert has no `fingerprint` or `annotations.summary`")]
    public void Parse_BadAlert_NamesTheField(string body, string expected)
    {
        var (signals, rejected, error) = AlertWebhook.Parse(Json(body), Now);

        Assert.Null(error);
        Assert.Empty(signals);
        Assert.Contains(expected, Assert.Single(rejected).Reason);
    }

    [Fact]
    public void Parse_OneBadAlertAmongGoodOnes_KeepsTheGoodOnes()
    {
        var (signals, rejected, _) = AlertWebhook.Parse(Json("""
            [{"fingerprint":"a","status":"firing","title":"x"},{"fingerprint":"b","status":"firing"},{"fingerprint":"c","status":"resolved","title":"z"}]
            """));

        Assert.Equal(["a", "c"], signals.Select(s => s.Fingerprint));
        var refused = Assert.Single(rejected);
        Assert.Equal((1, "[1].title: required."), (refused.Index, refused.Reason));
    }

    [Fact]
    public void Parse_AlertmanagerWithEmptyLabels_IsIdentifiedByFingerprintOrSummary()
    {
        // Grafana's contact-point test and some resolved notifications carry `labels: {}`.
        var (signals, rejected, _) = AlertWebhook.Parse(Json("""
            {"alerts":[
              {"status":"resolved","labels":{},"fingerprint":"57c6d9296de2ad39"},
              {"status":"firing","labels":{},"annotations":{"summary":"Notification test"}},
              {"status":"firing","labels":{},"annotations":{"summary":"Notification test"}}
            ]}
            """));

        Assert.Empty(rejected);
        Assert.Equal("57c6d9296de2ad39", signals[0].Fingerprint);
        Assert.Equal("Notification test", signals[1].Title);
        Assert.Equal(signals[1].Fingerprint, signals[2].Fingerprint);
    }

    [Fact]
    public void Parse_StartsAtWithinTheClockSkew_IsKept()
    {
        var (signals, rejected, _) = AlertWebhook.Parse(Json("""{"fingerprint":"a","status":"firing","title":"x","startsAt":"2026-11-22T09:04:00Z"}"""), Now);

        Assert.Empty(rejected);
        Assert.Single(signals);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
