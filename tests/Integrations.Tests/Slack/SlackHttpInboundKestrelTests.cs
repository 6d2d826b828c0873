using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>
/// The endpoint wiring from the folder README, on loopback Kestrel, driven over real HTTP: proves the
/// raw body reaches the verifier intact and that refused requests reach nothing.
/// </summary>
public sealed class SlackHttpInboundKestrelTests : IAsyncLifetime
{
    private const string Secret = "kestrel-signing-secret";
    private readonly ConcurrentQueue<ChatRequest> _queued = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:SigningSecret"] = Secret });
        builder.Services.AddSlack(builder.Configuration);
        _app = builder.Build();
        _app.MapPost("/slack/commands", async (HttpRequest request, SlackHttpInbound slack, CancellationToken ct) =>
        {
            var read = await slack.ReadAsync(request, SlackEndpoint.Commands, ct);
            if (!read.Accepted)
            {
                return Results.StatusCode(read.StatusCode);
            }

            _queued.Enqueue(read.Inbound!.Request!);
            return Results.Text(SlackHttpInbound.InChannelAcknowledgement, "application/json");
        });
        _app.MapPost("/slack/events", async (HttpRequest request, SlackHttpInbound slack, CancellationToken ct) =>
        {
            var read = await slack.ReadAsync(request, SlackEndpoint.Events, ct);
            if (!read.Accepted)
            {
                return Results.StatusCode(read.StatusCode);
            }

            if (read.Inbound!.Kind == SlackInboundKind.UrlVerification)
            {
                return Results.Text(read.Inbound.Challenge);
            }

            if (read.Inbound.Request is { } chat)
            {
                _queued.Enqueue(chat);
            }

            return Results.Ok();
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Events_SignedUrlVerification_AnswersChallenge()
    {
        using var response = await _http.SendAsync(Signed("/slack/events", "{\"token\":\"t\",\"challenge\":\"c-123\",\"type\":\"url_verification\"}", "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("c-123", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Commands_SignedSlashCommand_QueuedAndAcknowledgedInChannel()
    {
        using var response = await _http.SendAsync(Signed("/slack/commands", "command=%2Fenv&text=sorry+prod+on&channel_id=C1&user_id=U1&trigger_id=t-1", "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("in_channel", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("env sorry prod on", Assert.Single(_queued).Text);
    }

    [Fact]
    public async Task Commands_ForgedSignature_401AndNothingQueued()
    {
        var request = Signed("/slack/commands", "command=%2Fenv&text=destroy+prod&channel_id=C1&user_id=U1&trigger_id=t-2", "application/x-www-form-urlencoded");
        request.Headers.Remove(SlackRequestVerifier.SignatureHeader);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, "v0=" + new string('0', 64));

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_queued);
    }

    private static HttpRequestMessage Signed(string path, string body, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, Encoding.ASCII.GetString(SlackRequestVerifier.ComputeSignature(Secret, timestamp, bytes)));
        return request;
    }
}
