using System.Text;
using System.Text.Json;
using ChatOps.Integrations.Discord;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Discord;

public sealed class DiscordRequestVerifierTests
{
    public static TheoryData<string> Rfc8032Names => [.. DiscordVectors.Root.GetProperty("rfc8032_checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> ValidCases => [.. DiscordVectors.Cases.Where(DiscordVectors.ExpectValid).Select(c => c.GetProperty("name").GetString()!)];

    public static TheoryData<string> TamperedCases => [.. DiscordVectors.Cases.Where(c => !DiscordVectors.ExpectValid(c)).Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Rfc8032Names))]
    public void IsValidSignature_Rfc8032Vector_Verifies(string name)
    {
        var check = DiscordVectors.Root.GetProperty("rfc8032_checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var key = DiscordRequestVerifier.ParseKey(check.GetProperty("public_key").GetString());
        var signature = Convert.FromHexString(check.GetProperty("signature").GetString()!);
        var message = Convert.FromHexString(check.GetProperty("message_hex").GetString()!);

        Assert.NotNull(key);
        Assert.True(DiscordRequestVerifier.IsValidSignature(key, signature, message));
        // One flipped bit in the message must fail, or the check above proves nothing.
        Assert.False(DiscordRequestVerifier.IsValidSignature(key, signature, [.. message, 0x00]));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Verify_ValidInteractionVector_IsAccepted(string name)
    {
        var vector = DiscordVectors.Case(name);

        Assert.Equal(DiscordVerificationFailure.None, Verify(DiscordVectors.PublicKey, vector, DiscordVectors.SignedAt));
    }

    [Theory]
    [MemberData(nameof(TamperedCases))]
    public void Verify_TamperedInteractionVector_IsRefused(string name)
    {
        var expected = name switch
        {
            "signature_not_hex" or "signature_wrong_length" => DiscordVerificationFailure.MalformedSignature,
            "headers_missing" => DiscordVerificationFailure.MissingSignature,
            _ => DiscordVerificationFailure.BadSignature,
        };

        Assert.Equal(expected, Verify(DiscordVectors.PublicKey, DiscordVectors.Case(name), DiscordVectors.SignedAt));
    }

    [Fact]
    public void Verify_ValidVectorAgainstAnotherApplicationsKey_IsRefused()
    {
        var otherKey = DiscordVectors.Root.GetProperty("rfc8032_checks")[1].GetProperty("public_key").GetString()!;

        Assert.Equal(DiscordVerificationFailure.BadSignature, Verify(otherKey, DiscordVectors.Case("ping_valid"), DiscordVectors.SignedAt));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void Verify_TimestampMoreThanFiveMinutesFromNow_IsRefusedAsStale(int offsetSeconds)
    {
        var now = DiscordVectors.SignedAt.AddSeconds(offsetSeconds);

        Assert.Equal(DiscordVerificationFailure.StaleTimestamp, Verify(DiscordVectors.PublicKey, DiscordVectors.Case("ping_valid"), now));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void Verify_TimestampWithinFiveMinutes_IsAccepted(int offsetSeconds)
    {
        var now = DiscordVectors.SignedAt.AddSeconds(offsetSeconds);

        Assert.Equal(DiscordVerificationFailure.None, Verify(DiscordVectors.PublicKey, DiscordVectors.Case("ping_valid"), now));
    }

    [Theory]
    [InlineData(null, "1700000000", DiscordVerificationFailure.MissingSignature)]
    [InlineData("", "1700000000", DiscordVerificationFailure.MissingSignature)]
    [InlineData("valid", null, DiscordVerificationFailure.MissingTimestamp)]
    [InlineData("valid", "17e8", DiscordVerificationFailure.MalformedTimestamp)]
    [InlineData("valid", "-1700000000", DiscordVerificationFailure.MalformedTimestamp)]
    public void Verify_MissingOrGarbledHeader_IsRefused(string? signature, string? timestamp, DiscordVerificationFailure expected)
    {
        var vector = DiscordVectors.Case("ping_valid");
        var sut = CreateSut(DiscordVectors.PublicKey, DiscordVectors.SignedAt);

        var result = sut.Verify(DiscordVectors.Body(vector), timestamp, signature == "valid" ? DiscordVectors.Header(vector, DiscordRequestVerifier.SignatureHeader) : signature);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Verify_WithoutPublicKey_IsRefusedAsNotConfigured()
    {
        var vector = DiscordVectors.Case("ping_valid");

        Assert.Equal(DiscordVerificationFailure.NotConfigured, Verify(null, vector, DiscordVectors.SignedAt));
    }

    [Fact]
    public void Verify_UppercaseHexSignature_IsAccepted()
    {
        // Hex is case-blind; the bytes are what is signed, not their spelling.
        var vector = DiscordVectors.Case("ping_valid");
        var sut = CreateSut(DiscordVectors.PublicKey, DiscordVectors.SignedAt);

        var result = sut.Verify(DiscordVectors.Body(vector), DiscordVectors.Header(vector, DiscordRequestVerifier.TimestampHeader),
            DiscordVectors.Header(vector, DiscordRequestVerifier.SignatureHeader)!.ToUpperInvariant());

        Assert.Equal(DiscordVerificationFailure.None, result);
    }

    [Fact]
    public void Verify_Utf8Vector_BodyIsTheRawBytes()
    {
        var vector = DiscordVectors.Case("utf8_body_valid");

        Assert.Equal(vector.GetProperty("body").GetString(), Encoding.UTF8.GetString(DiscordVectors.Body(vector)));
    }

    private static DiscordVerificationFailure Verify(string? publicKey, JsonElement vector, DateTimeOffset now) =>
        CreateSut(publicKey, now).Verify(
            DiscordVectors.Body(vector),
            DiscordVectors.Header(vector, DiscordRequestVerifier.TimestampHeader),
            DiscordVectors.Header(vector, DiscordRequestVerifier.SignatureHeader));

    private static DiscordRequestVerifier CreateSut(string? publicKey, DateTimeOffset now) =>
        new(Options.Create(new DiscordOptions { PublicKey = publicKey, ApplicationId = "1100000000000000001" }), new FakeTimeProvider(now));
}
