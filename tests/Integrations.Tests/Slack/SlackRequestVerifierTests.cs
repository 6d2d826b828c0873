using System.Text;
using System.Text.Json;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackRequestVerifierTests
{
    private static readonly JsonDocument Vectors = JsonDocument.Parse(SpecFiles.Read("slack", "derived", "signing-vectors.json"));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Vectors.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Verify_SigningVector_MatchesExpectedOutcome(string name)
    {
        var vector = Vectors.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vector.GetProperty("now").GetInt64()));
        var sut = CreateSut(Vectors.RootElement.GetProperty("signing_secret").GetString()!, time);
        var headers = vector.GetProperty("headers");

        var result = sut.Verify(
            Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!),
            headers.GetProperty("X-Slack-Request-Timestamp").GetString(),
            headers.GetProperty("X-Slack-Signature").GetString());

        // The uppercase digest is "implementation-defined": like Slack's SDKs we compare the exact
        // lowercase string and refuse it.
        var expectValid = vector.GetProperty("expect_valid").ValueKind == JsonValueKind.True;
        Assert.Equal(expectValid, result.IsValid);
        var expectedFailure = name switch
        {
            "stale_timestamp_signature_correct" => SlackVerificationFailure.StaleTimestamp,
            "tampered_body" or "tampered_timestamp" or "wrong_version_prefix" or "uppercase_hex_digest" => SlackVerificationFailure.BadSignature,
            _ => SlackVerificationFailure.None,
        };
        Assert.Equal(expectedFailure, result.Failure);
    }

    [Fact]
    public void ComputeSignature_DocumentedVector_IsSlacksSignature()
    {
        var vector = Vectors.RootElement.GetProperty("cases")[0];

        var signature = SlackRequestVerifier.ComputeSignature(
            Vectors.RootElement.GetProperty("signing_secret").GetString()!,
            vector.GetProperty("headers").GetProperty("X-Slack-Request-Timestamp").GetString()!,
            Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));

        Assert.Equal(vector.GetProperty("headers").GetProperty("X-Slack-Signature").GetString(), Encoding.ASCII.GetString(signature));
    }

    [Theory]
    [InlineData(null, "v0=abc", SlackVerificationFailure.MissingTimestamp)]
    [InlineData("", "v0=abc", SlackVerificationFailure.MissingTimestamp)]
    [InlineData("1531420618", null, SlackVerificationFailure.MissingSignature)]
    [InlineData("1531420618", "", SlackVerificationFailure.MissingSignature)]
    [InlineData("15314x0618", "v0=abc", SlackVerificationFailure.MalformedTimestamp)]
    [InlineData("-1531420618", "v0=abc", SlackVerificationFailure.MalformedTimestamp)]
    [InlineData("1531420618", "v0=abc", SlackVerificationFailure.BadSignature)]
    public void Verify_BadHeaders_RefusedWithReason(string? timestamp, string? signature, SlackVerificationFailure expected)
    {
        var sut = CreateSut("secret", new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1531420618)));

        var result = sut.Verify("a=b"u8, timestamp, signature);

        Assert.Equal(expected, result.Failure);
    }

    [Fact]
    public void Verify_TimestampFarInFuture_RefusedAsStale()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var sut = CreateSut("secret", time);
        var timestamp = "1700000400";
        var signature = Encoding.ASCII.GetString(SlackRequestVerifier.ComputeSignature("secret", timestamp, "a=b"u8));

        Assert.Equal(SlackVerificationFailure.StaleTimestamp, sut.Verify("a=b"u8, timestamp, signature).Failure);
        time.Advance(TimeSpan.FromSeconds(200));
        Assert.True(sut.Verify("a=b"u8, timestamp, signature).IsValid);
    }

    [Fact]
    public void Verify_NoSigningSecret_RefusedAsNotConfigured()
    {
        var sut = CreateSut(null, new FakeTimeProvider());

        Assert.Equal(SlackVerificationFailure.NotConfigured, sut.Verify("a=b"u8, "1", "v0=x").Failure);
    }

    private static SlackRequestVerifier CreateSut(string? secret, TimeProvider time) =>
        new(new StaticOptionsMonitor(new SlackOptions { SigningSecret = secret }), time);

    private sealed class StaticOptionsMonitor(SlackOptions value) : IOptionsMonitor<SlackOptions>
    {
        public SlackOptions CurrentValue => value;

        public SlackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SlackOptions, string?> listener) => null;
    }
}
