using System.Text.Json;
using ChatOps.Integrations.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord;

/// <summary>Discord's interaction types (<c>type</c> of an interaction); only the ones this adapter names.</summary>
public enum DiscordInteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>
/// The outcome of reading one interaction request: 200 with its <see cref="Type"/> when it was verified and
/// parsed; 401 with the <see cref="Failure"/>; 400 with a <see cref="Reason"/>; 413 for a body too large.
/// </summary>
public sealed record DiscordInboundResult(int StatusCode, DiscordInteractionType? Type = null, DiscordVerificationFailure Failure = DiscordVerificationFailure.None, string? Reason = null)
{
    public bool Accepted => StatusCode == StatusCodes.Status200OK && Type is not null;

    /// <summary>The verified body, when <see cref="Accepted"/>: the interaction object as Discord sent it.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>
/// Reads, verifies and parses one request to the interactions endpoint: the raw body is read once
/// (bounded), its signature checked, and only then parsed. A request that fails verification is
/// answered 401 and nothing else happens.
/// </summary>
public sealed class DiscordHttpInbound(DiscordRequestVerifier verifier, ILogger<DiscordHttpInbound> logger)
{
    /// <summary>Interactions are a few kilobytes; anything far larger is not from Discord.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task<DiscordInboundResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.ContentLength > MaxBodyBytes ? null : await BoundedBody.ReadAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return new(StatusCodes.Status413PayloadTooLarge, Reason: $"the body is larger than {MaxBodyBytes} bytes");
        }

        var failure = verifier.Verify(body, request.Headers[DiscordRequestVerifier.TimestampHeader], request.Headers[DiscordRequestVerifier.SignatureHeader]);
        if (failure != DiscordVerificationFailure.None)
        {
            Log.RequestRefused(logger, failure);
            return new(StatusCodes.Status401Unauthorized, Failure: failure);
        }

        var type = ParseType(body, out var reason);
        if (type is null)
        {
            Log.RequestInvalid(logger, reason);
            return new(StatusCodes.Status400BadRequest, Reason: reason);
        }

        return new(StatusCodes.Status200OK, type) { Body = body };
    }

    /// <summary>The interaction's <c>type</c>: a positive integer at the top of a JSON object.</summary>
    internal static DiscordInteractionType? ParseType(byte[] body, out string? reason)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.Number && type.TryGetInt32(out var value) && value > 0)
            {
                reason = null;
                return (DiscordInteractionType)value;
            }

            reason = "the interaction has no numeric type";
            return null;
        }
        catch (JsonException)
        {
            reason = "the body is not JSON";
            return null;
        }
    }
}
