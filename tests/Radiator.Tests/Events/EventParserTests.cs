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
}
