using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// The ceiling: Kestrel on loopback with the Bot's route and body shape, answering 202 and a small
/// JSON id without doing anything else. Same client, same JSON, no command, no storage.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        long sequence = 0;
        app.MapPost("/api/chat/messages", (PostedMessage body) =>
        {
            var id = $"m{Interlocked.Increment(ref sequence).ToString(CultureInfo.InvariantCulture)}";
            return Results.Accepted($"/api/chat/channels/{body.Channel}/messages", new AcceptedMessage(id));
        });
        await app.StartAsync(cancellationToken);
        // After start, Urls holds the port Kestrel actually bound.
        var address = app.Urls.First();
        return new BareEndpoint(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record PostedMessage(string? Channel, string? User, string? Text);

public sealed record AcceptedMessage(string Id);
