using System.Text.Json;
using ChatOps.Integrations.Teams.Authentication;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>
/// The Connector-to-bot token rules, first through every case of the vendored fixtures (their key document served by
/// the local peer, the clock at the fixtures' time), then with keys made here: rotation, floods of unknown key ids,
/// an unreachable metadata service.
/// </summary>
public sealed class BotFrameworkTokenValidatorTests : IAsyncLifetime
{
    private const string AppId = "6a1c9a4e-0c57-4b7e-9d0f-3a1f5b2c7d10";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private static readonly JsonElement Fixtures = JsonDocument.Parse(SpecFiles.Read("botframework", "derived", "jwt-validation-fixtures.json")).RootElement;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private BotFrameworkAuthPeer _peer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> FixtureCases() => [.. Fixtures.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    public async ValueTask InitializeAsync() => _peer = await BotFrameworkAuthPeer.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public async Task ValidateAsync_FixtureCase_GivesTheDocumentedStatus(string name)
    {
        var fixture = Fixtures.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        _peer.ServeKeys(Fixtures.GetProperty("jwks").GetRawText());
        using var kit = new BotFrameworkAuthKit(_peer, Fixtures.GetProperty("expected_app_id").GetString()!, DateTimeOffset.FromUnixTimeSeconds(Fixtures.GetProperty("now_unix").GetInt64()));
        var activity = fixture.GetProperty("activity");

        var failure = await CheckAsync(kit, fixture.GetProperty("authorization").GetString(), activity.GetProperty("serviceUrl").GetString(), activity.GetProperty("channelId").GetString());

        Assert.Equal(fixture.GetProperty("expect_valid").GetBoolean(), failure == BotFrameworkTokenFailure.None);
        Assert.Equal(fixture.GetProperty("expect_status").GetInt32(), StatusOf(failure));
    }

    [Theory]
    [InlineData("expired_beyond_clock_skew", BotFrameworkTokenFailure.Expired)]
    [InlineData("not_yet_valid_beyond_clock_skew", BotFrameworkTokenFailure.NotYetValid)]
    [InlineData("wrong_issuer", BotFrameworkTokenFailure.WrongIssuer)]
    [InlineData("wrong_audience", BotFrameworkTokenFailure.WrongAudience)]
    [InlineData("serviceurl_claim_mismatch", BotFrameworkTokenFailure.ServiceUrlMismatch)]
    [InlineData("serviceurl_claim_missing", BotFrameworkTokenFailure.ServiceUrlMissing)]
    [InlineData("unknown_kid_other_key", BotFrameworkTokenFailure.UnknownKey)]
    [InlineData("known_kid_signed_by_other_key", BotFrameworkTokenFailure.BadSignature)]
    [InlineData("payload_tampered_after_signing", BotFrameworkTokenFailure.BadSignature)]
    [InlineData("alg_none", BotFrameworkTokenFailure.DisallowedAlgorithm)]
    [InlineData("alg_hs256", BotFrameworkTokenFailure.DisallowedAlgorithm)]
    [InlineData("channel_not_endorsed", BotFrameworkTokenFailure.ChannelNotEndorsed)]
    [InlineData("wrong_scheme", BotFrameworkTokenFailure.NotBearer)]
    public async Task ValidateAsync_FixtureCase_NamesTheRuleItBreaks(string name, BotFrameworkTokenFailure expected)
    {
        var fixture = Fixtures.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        _peer.ServeKeys(Fixtures.GetProperty("jwks").GetRawText());
        using var kit = new BotFrameworkAuthKit(_peer, Fixtures.GetProperty("expected_app_id").GetString()!, DateTimeOffset.FromUnixTimeSeconds(Fixtures.GetProperty("now_unix").GetInt64()));
        var activity = fixture.GetProperty("activity");

        Assert.Equal(expected, await CheckAsync(kit, fixture.GetProperty("authorization").GetString(), activity.GetProperty("serviceUrl").GetString(), activity.GetProperty("channelId").GetString()));
    }

    [Fact]
    public async Task ValidateAsync_NoAuthorizationHeader_IsMissingTokenAndFetchesNothing()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);

        var (failure, _) = await kit.Validator.ValidateAsync(null, Ct);

        Assert.Equal(BotFrameworkTokenFailure.MissingToken, failure);
        Assert.Equal(0, _peer.MetadataRequests);
    }

    [Fact]
    public async Task ValidateAsync_TokenFromAPeerKey_IsValidAndCarriesItsServiceUrl()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);

        var (failure, token) = await kit.Validator.ValidateAsync(Bearer("k1"), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, failure);
        Assert.Equal(ServiceUrl, token!.ServiceUrl);
        Assert.Equal(BotFrameworkTokenFailure.None, BotFrameworkTokenValidator.CheckActivity(token, ServiceUrl, "msteams"));
    }

    [Fact]
    public async Task ValidateAsync_KeysCached_SecondTokenFetchesNothing()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);

        await kit.Validator.ValidateAsync(Bearer("k1"), Ct);
        var (failure, _) = await kit.Validator.ValidateAsync(Bearer("k1"), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, failure);
        Assert.Equal(1, _peer.MetadataRequests);
        Assert.Equal(1, _peer.KeyRequests);
    }

    [Fact]
    public async Task ValidateAsync_KeyRotatedInTheKeyDocument_NewKeyIdTriggersOneRefreshAndIsAccepted()
    {
        _peer.AddKey("old");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        Assert.Equal(BotFrameworkTokenFailure.None, (await kit.Validator.ValidateAsync(Bearer("old"), Ct)).Failure);

        _peer.RotateTo("new");
        kit.Clock.Advance(TimeSpan.FromMinutes(10));
        var first = await kit.Validator.ValidateAsync(Bearer("new"), Ct);
        var second = await kit.Validator.ValidateAsync(Bearer("new"), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, first.Failure);
        Assert.Equal(BotFrameworkTokenFailure.None, second.Failure);
        Assert.Equal(2, _peer.KeyRequests);
        Assert.Equal(2, kit.Keys.Fetches);
    }

    [Fact]
    public async Task ValidateAsync_FloodOfUnknownKeyIds_FetchesTheKeysAgainAtMostOncePerFloor()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        await kit.Validator.ValidateAsync(Bearer("k1"), Ct);
        kit.Clock.Advance(BotFrameworkSigningKeys.RefreshFloor);
        _peer.AddKey("unpublished", publish: false);

        var failures = new List<BotFrameworkTokenFailure>();
        for (var i = 0; i < 20; i++)
        {
            failures.Add((await kit.Validator.ValidateAsync(Bearer("unpublished"), Ct)).Failure);
        }

        Assert.All(failures, f => Assert.Equal(BotFrameworkTokenFailure.UnknownKey, f));
        Assert.Equal(2, _peer.KeyRequests);

        kit.Clock.Advance(BotFrameworkSigningKeys.RefreshFloor);
        await kit.Validator.ValidateAsync(Bearer("unpublished"), Ct);
        Assert.Equal(3, _peer.KeyRequests);
    }

    [Fact]
    public async Task ValidateAsync_UnknownKeyIdSoonAfterAFetch_IsRefusedWithoutFetching()
    {
        _peer.AddKey("k1");
        _peer.AddKey("unpublished", publish: false);
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        await kit.Validator.ValidateAsync(Bearer("k1"), Ct);

        var (failure, _) = await kit.Validator.ValidateAsync(Bearer("unpublished"), Ct);

        Assert.Equal(BotFrameworkTokenFailure.UnknownKey, failure);
        Assert.Equal(1, _peer.KeyRequests);
    }

    [Fact]
    public async Task ValidateAsync_KeysADayOld_AreFetchedAgain()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        await kit.Validator.ValidateAsync(Bearer("k1"), Ct);

        kit.Clock.Advance(BotFrameworkSigningKeys.MaxAge);
        var (failure, _) = await kit.Validator.ValidateAsync(Bearer("k1", kit.Clock.GetUtcNow()), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, failure);
        Assert.Equal(2, _peer.KeyRequests);
    }

    [Fact]
    public async Task ValidateAsync_MetadataDownBeforeAnyFetch_IsKeysUnavailableAndRetriedOnlyAfterTheRetryFloor()
    {
        _peer.AddKey("k1");
        _peer.FailWith = 503;
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);

        var first = await kit.Validator.ValidateAsync(Bearer("k1"), Ct);
        var second = await kit.Validator.ValidateAsync(Bearer("k1"), Ct);
        Assert.Equal(BotFrameworkTokenFailure.KeysUnavailable, first.Failure);
        Assert.Equal(BotFrameworkTokenFailure.KeysUnavailable, second.Failure);
        Assert.Equal(1, _peer.MetadataRequests);

        _peer.FailWith = null;
        kit.Clock.Advance(BotFrameworkSigningKeys.RetryFloor);
        Assert.Equal(BotFrameworkTokenFailure.None, (await kit.Validator.ValidateAsync(Bearer("k1", kit.Clock.GetUtcNow()), Ct)).Failure);
    }

    [Fact]
    public async Task ValidateAsync_MetadataDownWhenKeysAreOld_KeepsUsingTheKeysItHas()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        await kit.Validator.ValidateAsync(Bearer("k1"), Ct);
        _peer.FailWith = 500;
        kit.Clock.Advance(BotFrameworkSigningKeys.MaxAge);

        var (failure, _) = await kit.Validator.ValidateAsync(Bearer("k1", kit.Clock.GetUtcNow()), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, failure);
        Assert.Equal(2, _peer.MetadataRequests);
    }

    [Theory]
    [InlineData(-4, BotFrameworkTokenFailure.None)]
    [InlineData(-6, BotFrameworkTokenFailure.Expired)]
    public async Task ValidateAsync_ExpiryAroundTheFiveMinuteSkew_FollowsTheInjectedClock(int expiredMinutesAgo, BotFrameworkTokenFailure expected)
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        var token = _peer.IssueToken("k1", AppId, ServiceUrl, Now.AddHours(-1), Now.AddMinutes(expiredMinutesAgo));

        Assert.Equal(expected, (await kit.Validator.ValidateAsync("Bearer " + token, Ct)).Failure);
    }

    [Fact]
    public async Task ValidateAsync_TokenForAnotherBot_IsWrongAudience()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        var token = _peer.IssueToken("k1", Guid.NewGuid().ToString(), ServiceUrl, Now.AddMinutes(-1), Now.AddMinutes(30));

        Assert.Equal(BotFrameworkTokenFailure.WrongAudience, (await kit.Validator.ValidateAsync("Bearer " + token, Ct)).Failure);
    }

    [Fact]
    public async Task CheckActivity_ServiceUrlInOtherCase_IsTheSameServiceUrl()
    {
        _peer.AddKey("k1");
        using var kit = new BotFrameworkAuthKit(_peer, AppId, Now);
        var (_, token) = await kit.Validator.ValidateAsync(Bearer("k1"), Ct);

        Assert.Equal(BotFrameworkTokenFailure.None, BotFrameworkTokenValidator.CheckActivity(token!, ServiceUrl.ToUpperInvariant(), "msteams"));
        Assert.Equal(BotFrameworkTokenFailure.ServiceUrlMismatch, BotFrameworkTokenValidator.CheckActivity(token!, "https://smba.trafficmanager.net/amer/", "msteams"));
    }

    private string Bearer(string keyId, DateTimeOffset? now = null) =>
        "Bearer " + _peer.IssueToken(keyId, AppId, ServiceUrl, (now ?? Now).AddMinutes(-5), (now ?? Now).AddMinutes(55));

    private static async Task<BotFrameworkTokenFailure> CheckAsync(BotFrameworkAuthKit kit, string? authorization, string? serviceUrl, string? channelId)
    {
        var (failure, token) = await kit.Validator.ValidateAsync(authorization, Ct);
        return failure != BotFrameworkTokenFailure.None ? failure : BotFrameworkTokenValidator.CheckActivity(token!, serviceUrl, channelId);
    }

    private static int StatusOf(BotFrameworkTokenFailure failure) => failure switch
    {
        BotFrameworkTokenFailure.None => 200,
        BotFrameworkTokenFailure.ChannelNotEndorsed => 403,
        _ => 401,
    };
}
