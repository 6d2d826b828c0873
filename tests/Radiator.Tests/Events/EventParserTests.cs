using System.Text;
using ChatOps.Radiator.Events;

namespace ChatOps.Radiator.Tests.Events;

public sealed class EventParserTests
{
    [Fact]
    public void Parse_JsonArrayWithBadElements_KeepsGoodOnesAndReportsLineAndReason()
    {
        var body = """
            [
              {"timestamp": "2026-11-22T09:00:00Z", "key": "logins"},
              {"timestamp": "yesterday", "key": "logins"},
              {"timestamp": "2026-11-22T09:00:01Z", "key": "votes", "value": 3, "tags": {"show": "final", "round": 2}, "message": "hi"},
              {"timestamp": "2026-11-22T09:00:02Z", "value": 1},
              42
            ]
            """;

        var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(["logins", "votes"], parsed.Events.Select(e => e.Key));
        Assert.Equal(1, parsed.Events[0].Value);
        Assert.Equal(3, parsed.Events[1].Value);
        Assert.Equal("2", parsed.Events[1].Tags!["round"]);
        Assert.Equal("hi", parsed.Events[1].Message);
        Assert.Equal([3, 5, 6], parsed.Errors.Select(e => e.Line));
        Assert.Contains("timestamp", parsed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("key", parsed.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("object", parsed.Errors[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Ndjson_ReportsEachBadLineByOneBasedNumberAndKeepsTheRest()
    {
        var body = "{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"logins\"}\r\n"
            + "{not json}\n"
            + "\n"
            + "{\"timestamp\":\"2026-11-22T09:00:00+01:00\",\"key\":\"latency\",\"value\":\"fast\"}\n"
            + "{\"timestamp\":\"2026-11-22T09:00:00+01:00\",\"key\":\"latency\",\"value\":120.5}";

        var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(2, parsed.Events.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero), parsed.Events[1].Timestamp);
        Assert.Equal(120.5, parsed.Events[1].Value);
        Assert.Equal([2, 4], parsed.Errors.Select(e => e.Line));
        Assert.StartsWith("not JSON", parsed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", parsed.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("value", parsed.Errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedArray_KeepsEventsBeforeTheBreakAndReportsItsLine()
    {
        var body = "[\n{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\"},\n{\"timestamp\": ";

        var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Single(parsed.Events);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("\uFEFF[\n{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\"},\n{\"key\":\"b\"}]", 3)]
    [InlineData("\uFEFF{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\"}\n{\"key\":\"b\"}", 2)]
    public void Parse_LeadingByteOrderMark_IsIgnored(string body, int badLine)
    {
        var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal("a", Assert.Single(parsed.Events).Key);
        Assert.Equal(badLine, Assert.Single(parsed.Errors).Line);
    }

    [Theory]
    [InlineData("{\"timestamp\":\"2026-11-22\",\"key\":\"a\"}", "timestamp")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"\"}", "key")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\",\"tags\":[1]}", "tags")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\",\"tags\":{\"x\":{}}}", "tag")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\",\"message\":5}", "message")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\",\"id\":7}", "id")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\",\"id\":\" \"}", "id")]
    [InlineData("[1]", "object")]
    public void Parse_InvalidEvent_IsRefusedWithReason(string line, string mentioned)
    {
        var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(line));

        Assert.Empty(parsed.Events);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains(mentioned, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EventWithId_KeepsTheId()
    {
        var parsed = EventParser.Parse("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"logins\",\"id\":\"batch-7/1\"}"u8);

        Assert.Equal("batch-7/1", Assert.Single(parsed.Events).Id);
    }

    [Theory]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"k\",\"value\":1e306}", "\"value\" 1e306 is out of range")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"k\",\"value\":-2e15}", "\"value\" -2e15 is out of range")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"k\",\"key\":\"j\"}", "\"key\" appears more than once")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"k\",\"tags\":{\"a\":\"1\",\"a\":\"2\"}}", "\"tags.a\" appears more than once")]
    [InlineData("{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"k\",\"message\":\"\\ud800\"}", "\"message\" holds a lone UTF-16 surrogate")]
    [InlineData("{\"timestamp\":\"9999-12-31T23:59:59Z\",\"key\":\"k\"}", "\"timestamp\" '9999-12-31T23:59:59Z' is too far in the future")]
    public void Parse_BadLineAmongGoodOnes_NamesLineAndFieldAndKeepsTheOthers(string bad, string expected)
    {
        var body = $"{{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\"}}\n{bad}\n{{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"b\"}}";

        foreach (var shape in (string[])[body, $"[{body.Replace("\n", ",\n", StringComparison.Ordinal)}]"])
        {
            var parsed = EventParser.Parse(Encoding.UTF8.GetBytes(shape), Latest);

            Assert.Equal(["a", "b"], parsed.Events.Select(e => e.Key));
            var error = Assert.Single(parsed.Errors);
            Assert.Equal(2, error.Line);
            Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_NamesTheFieldAndKeepsTheOthers()
    {
        byte[] body = [.. "{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"a\"}\n{\"timestamp\":\"2026-11-22T09:00:00Z\",\"key\":\"b\",\"message\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8];

        var parsed = EventParser.Parse(body, Latest);

        Assert.Equal("a", Assert.Single(parsed.Events).Key);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2, "\"message\" is not valid UTF-8"), (error.Line, error.Reason));
    }

    [Fact]
    public void Parse_TimestampWithinTheSkew_IsKept()
    {
        var parsed = EventParser.Parse("{\"timestamp\":\"2026-11-22T09:04:59Z\",\"key\":\"a\"}"u8, Latest);

        Assert.Single(parsed.Events);
        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void ValueHistogram_HugeValue_LandsInTheLastBucket()
    {
        // 1e306 / 1e-3 overflows to infinity; cast to int that used to wrap to a negative index.
        var histogram = new ValueHistogram();

        histogram.Add(1e306);
        histogram.Add(double.MaxValue);

        Assert.Equal(ValueHistogram.MaxBucket, ValueHistogram.BucketOf(1e306));
        Assert.Equal(2, histogram.Total);
    }

    private static readonly DateTimeOffset Latest = new(2026, 11, 22, 9, 5, 0, TimeSpan.Zero);
}
