using ChatOps.Integrations.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>The three Slack request URLs the app manifest points at.</summary>
public enum SlackEndpoint
{
    /// <summary><c>POST /slack/commands</c>: slash commands.</summary>
    Commands,

    /// <summary><c>POST /slack/interactions</c>: button presses (block_actions).</summary>
    Interactions,

    /// <summary><c>POST /slack/events</c>: Events API (url_verification, app_mention, direct messages).</summary>
    Events,
}

/// <summary>The outcome of reading one HTTP request from Slack: a status to answer with, and the delivery when accepted.</summary>
public sealed record SlackHttpInboundResult(int StatusCode, SlackInbound? Inbound, SlackVerificationFailure Failure = SlackVerificationFailure.None)
{
    /// <summary>True when the request was verified and parsed; <see cref="Inbound"/> is then set.</summary>
    public bool Accepted => StatusCode == StatusCodes.Status200OK && Inbound is not null;
}

/// <summary>
/// Reads, verifies and translates one request for a minimal-API endpoint: the raw body is read
/// once (bounded), its signature checked, and only then parsed. A request that fails verification
/// is answered 401 and nothing else happens.
/// </summary>
public sealed class SlackHttpInbound(SlackRequestVerifier verifier, ILogger<SlackHttpInbound> logger)
{
    public const string RetryNumHeader = "X-Slack-Retry-Num";

    /// <summary>
    /// A slash-command acknowledgement (content type application/json) that shows the typed command
    /// in the channel, so everyone sees who asked for what; an empty 200 keeps it private to the user.
    /// </summary>
    public const string InChannelAcknowledgement = "{\"response_type\":\"in_channel\"}";

    /// <summary>Slack's payloads are a few kilobytes; anything far larger is not from Slack.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task<SlackHttpInboundResult> ReadAsync(HttpRequest request, SlackEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            return new(StatusCodes.Status413PayloadTooLarge, null);
        }

        var body = await BoundedBody.ReadAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return new(StatusCodes.Status413PayloadTooLarge, null);
        }

        // Answered before the signature is checked, as Slack's own Bolt frameworks do: the probe may come
        // with only the legacy token, it runs nothing, and what it learns (the URL answers) it knew.
        if (endpoint == SlackEndpoint.Commands && SlackInboundParser.IsSslCheck(body))
        {
            return new(StatusCodes.Status200OK, SlackInbound.Ignored("Slack's SSL certificate check"));
        }

        var verification = verifier.Verify(body, request.Headers[SlackRequestVerifier.TimestampHeader], request.Headers[SlackRequestVerifier.SignatureHeader]);
        if (!verification.IsValid)
        {
            Log.RequestRefused(logger, endpoint, verification.Failure);
            return new(StatusCodes.Status401Unauthorized, null, verification.Failure);
        }

        // Slack marks redeliveries of events it thinks we missed; the delivery id stays the same.
        var isRetry = request.Headers.ContainsKey(RetryNumHeader);
        var inbound = endpoint switch
        {
            SlackEndpoint.Commands => SlackInboundParser.ParseSlashCommandForm(body, isRetry),
            SlackEndpoint.Interactions => SlackInboundParser.ParseInteractionForm(body, isRetry),
            _ => SlackInboundParser.ParseEventJson(body, isRetry),
        };

        if (inbound.Kind == SlackInboundKind.Invalid)
        {
            Log.RequestInvalid(logger, endpoint, inbound.Reason);
            return new(StatusCodes.Status400BadRequest, inbound);
        }

        return new(StatusCodes.Status200OK, inbound);
    }
}
