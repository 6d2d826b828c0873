using ChatOps.Integrations.Teams.Graph;
using ChatOps.TestCommon.Graph;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The Graph client over HTTP to the Graph peer: its token's audience, and where it agrees to send it.</summary>
public sealed class TeamsGraphClientTests : IAsyncLifetime
{
    private const string TeamId = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b";
    private const string Channel = "19:alerts@thread.tacv2";

    private ConnectorPeer _peer = null!;
    private GraphPeer _graph = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _peer = await ConnectorPeer.StartAsync(Ct);
        _graph = await GraphPeer.StartAsync(_peer, Ct);
        _graph.AddChannel(TeamId, Channel);
    }

    public async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        await _peer.DisposeAsync();
    }

    [Fact]
    public async Task ListAsync_AsksWithAGraphTokenNotTheConnectors()
    {
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory(), graph: _graph);
        var sut = services.GetRequiredService<ITeamsGraphMessages>();

        var page = await sut.ListAsync(new TeamsGraphAddress(TeamsGraphListing.ChannelMessages, $"teams/{TeamId}/channels/{Uri.EscapeDataString(Channel)}/messages"), Channel, Ct);

        Assert.Empty(page.Messages);
        Assert.Equal(200, Assert.Single(_graph.Requests).Status);
        Assert.Equal((1, 0), (_peer.GraphTokenRequests, _peer.TokenRequests));
        Assert.Empty(_graph.ContractViolations);
    }

    [Fact]
    public async Task NextAsync_LinkOutsideGraphBaseUrl_SendsNothingAndEndsTheListing()
    {
        await using var services = TeamsTestServices.Create(_peer, new TeamsConversationsInMemory(), graph: _graph);
        var sut = services.GetRequiredService<ITeamsGraphMessages>();

        // Same host, another path: the token would leave Graph's root.
        var page = await sut.NextAsync(new Uri(_graph.Root, "other/messages?$skiptoken=1"), Channel, Ct);

        Assert.Null(page);
        Assert.Empty(_graph.Requests);
        Assert.Equal(0, _peer.GraphTokenRequests);
    }
}
