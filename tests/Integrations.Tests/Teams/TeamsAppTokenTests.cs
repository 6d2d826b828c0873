using ChatOps.Integrations.Teams.Connector;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The app token: fetched by client credentials from the peer's token endpoint, kept, renewed before it expires.</summary>
public sealed class TeamsAppTokenTests : IAsyncLifetime
{
    private ConnectorPeer _peer = null!;

    public async ValueTask InitializeAsync() => _peer = await ConnectorPeer.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _peer.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_TwiceWithinLifetime_AsksTheEndpointOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory(), time);
        var sut = services.GetRequiredService<TeamsAppToken>();

        var first = await sut.GetAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(50));
        var second = await sut.GetAsync(Ct);

        Assert.Equal(first, second);
        Assert.Equal(1, _peer.TokenRequests);
        Assert.Empty(_peer.ContractViolations);
    }

    [Fact]
    public async Task GetAsync_WithinTheMarginBeforeExpiry_FetchesANewOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory(), time);
        var sut = services.GetRequiredService<TeamsAppToken>();

        var first = await sut.GetAsync(Ct);
        // One hour's token, renewed five minutes before it ends.
        time.Advance(TimeSpan.FromMinutes(55) + TimeSpan.FromSeconds(1));
        var second = await sut.GetAsync(Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(2, _peer.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_ManyCallersAtOnce_OneRefresh()
    {
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory());
        var sut = services.GetRequiredService<TeamsAppToken>();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => sut.GetAsync(Ct), Ct)));

        Assert.Single(tokens.Distinct(StringComparer.Ordinal));
        Assert.Equal(1, _peer.TokenRequests);
    }

    [Fact]
    public async Task Invalidate_TheKeptToken_NextCallFetchesAnotherAndAStaleInvalidateKeepsIt()
    {
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory());
        var sut = services.GetRequiredService<TeamsAppToken>();
        var first = await sut.GetAsync(Ct);

        sut.Invalidate(first);
        var second = await sut.GetAsync(Ct);
        sut.Invalidate(first);
        var third = await sut.GetAsync(Ct);

        Assert.NotEqual(first, second);
        Assert.Equal(second, third);
        Assert.Equal(2, _peer.TokenRequests);
    }

    [Fact]
    public async Task GetAsync_WrongSecret_PermanentFailureNamingTheEndpointsError()
    {
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory(), settings: new Dictionary<string, string?> { ["Teams:AppPassword"] = "wrong" });
        var sut = services.GetRequiredService<TeamsAppToken>();

        var failure = await Assert.ThrowsAsync<TeamsConnectorException>(() => sut.GetAsync(Ct));

        Assert.True(failure.IsPermanent);
        Assert.Contains("invalid_client", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointOf_NoTokenEndpoint_TheTenantsV2Endpoint()
    {
        await Task.CompletedTask;
        var endpoint = TeamsAppToken.EndpointOf(new ChatOps.Integrations.Teams.TeamsOptions { AppId = ConnectorPeer.AppId, TenantId = ConnectorPeer.TenantId });

        Assert.Equal($"https://login.microsoftonline.com/{ConnectorPeer.TenantId}/oauth2/v2.0/token", endpoint.ToString());
    }
}
