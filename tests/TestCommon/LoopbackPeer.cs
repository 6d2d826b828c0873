using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.TestCommon;

/// <summary>
/// The Kestrel every vendor peer runs on: a slim app listening on 127.0.0.1 at a port the system picks (so peers
/// never collide, with each other or with a parallel run), without logging (a peer's refusals are recorded by the
/// peer and asserted by the test, not printed). A peer maps its own routes; this starts the app, says where it
/// listens and stops it.
/// </summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackPeer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The app's base address, <c>http://127.0.0.1:{port}/</c>, with the trailing slash relative URIs need.</summary>
    public Uri Root { get; }

    /// <summary>Builds the app, lets <paramref name="map"/> add the peer's middleware and routes, and starts listening.</summary>
    public static async Task<LoopbackPeer> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LoopbackPeer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops listening (requests in flight finish) and releases the app.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
