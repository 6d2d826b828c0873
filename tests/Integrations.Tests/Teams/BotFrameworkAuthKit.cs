using ChatOps.Integrations.Teams;
using ChatOps.Integrations.Teams.Authentication;
using ChatOps.TestCommon.Teams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The real key cache and validator, fetching over HTTP from a <see cref="BotFrameworkAuthPeer"/>, on a fake clock.</summary>
internal sealed class BotFrameworkAuthKit : IDisposable
{
    private readonly ServiceProvider _http;

    public BotFrameworkAuthKit(BotFrameworkAuthPeer peer, string appId, DateTimeOffset now)
    {
        Peer = peer;
        Clock = new FakeTimeProvider(now);
        _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TeamsOptions { AppId = appId, AppPassword = "secret", TenantId = Guid.NewGuid().ToString(), OpenIdMetadataUrl = peer.MetadataUrl });
        Keys = new BotFrameworkSigningKeys(_http.GetRequiredService<IHttpClientFactory>(), options, Clock, NullLogger<BotFrameworkSigningKeys>.Instance);
        Validator = new BotFrameworkTokenValidator(Keys, options, Clock, NullLogger<BotFrameworkTokenValidator>.Instance);
    }

    public BotFrameworkAuthPeer Peer { get; }

    public FakeTimeProvider Clock { get; }

    public BotFrameworkSigningKeys Keys { get; }

    public BotFrameworkTokenValidator Validator { get; }

    public void Dispose()
    {
        Keys.Dispose();
        _http.Dispose();
    }
}
