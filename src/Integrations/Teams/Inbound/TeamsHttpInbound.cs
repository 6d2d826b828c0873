using System.Text.Json;
using ChatOps.Integrations.Http;
using ChatOps.Integrations.Teams.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Teams.Inbound;

/// <summary>
/// The outcome of reading one request to the messaging endpoint: 200 with the translated activity; 401 (or 403 for
/// a channel the signing key is not endorsed for, 503 while the signing keys cannot be fetched) with the
/// <see cref="Failure"/>; 400 with a <see cref="Reason"/>; 413 for a body too large.
/// </summary>
public sealed record TeamsHttpInboundResult(int StatusCode, TeamsInbound? Inbound = null, BotFrameworkTokenFailure Failure = BotFrameworkTokenFailure.None, string? Reason = null)
{
    public bool Accepted => StatusCode == StatusCodes.Status200OK && Inbound is not null;
}

/// <summary>
/// Reads, verifies and translates one activity the Bot Framework posts to <c>/api/messages</c>: the body is read once
/// (bounded), the bearer token checked (<see cref="BotFrameworkTokenValidator"/>), then the body parsed and the token
/// held to it (its <c>serviceurl</c> claim, its key's endorsement of the channel). Only a verified activity refreshes
/// its conversation's reference (<see cref="ITeamsConversations"/>); anything that fails verification changes nothing.
/// </summary>
public sealed class TeamsHttpInbound
{
    /// <summary>Activities are a few kilobytes (a card submission a little more); anything far larger is not from the Bot Framework.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly BotFrameworkTokenValidator _validator;
    private readonly ITeamsConversations _conversations;
    private readonly ILogger<TeamsHttpInbound> _logger;

    internal TeamsHttpInbound(BotFrameworkTokenValidator validator, ITeamsConversations conversations, ILogger<TeamsHttpInbound> logger)
    {
        _validator = validator;
        _conversations = conversations;
        _logger = logger;
    }

    public async Task<TeamsHttpInboundResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.ContentLength > MaxBodyBytes ? null : await BoundedBody.ReadAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return new(StatusCodes.Status413PayloadTooLarge, Reason: $"the body is larger than {MaxBodyBytes} bytes");
        }

        var (failure, token) = await _validator.ValidateAsync(request.Headers.Authorization.ToString(), cancellationToken);
        if (failure != BotFrameworkTokenFailure.None)
        {
            return Refused(failure);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Invalid($"the body is not JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            failure = BotFrameworkTokenValidator.CheckActivity(token!, StringAt(root, "serviceUrl"), StringAt(root, "channelId"));
            if (failure != BotFrameworkTokenFailure.None)
            {
                return Refused(failure);
            }

            var activity = TeamsActivityReader.Read(root, out var reason);
            if (activity is null)
            {
                return Invalid(reason!);
            }

            if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) || !TeamsOptionsValidator.IsAcceptableAddress(serviceUrl))
            {
                return Invalid($"the serviceUrl '{activity.ServiceUrl}' is not an https address");
            }

            var translated = TeamsActivityTranslator.Translate(activity);
            if (translated.Kind == TeamsInboundKind.Invalid)
            {
                return Invalid(translated.Reason!);
            }

            // Every verified activity refreshes where its conversation lives: the Connector may move a conversation.
            await _conversations.RememberAsync(
                new TeamsConversationReference(
                    activity.Channel, serviceUrl, activity.TenantId, activity.BotId, activity.BotName, activity.ConversationType, activity.TeamAadGroupId),
                cancellationToken);
            Log.ActivityRead(_logger, activity.Type, activity.Id, translated.Kind);
            return new(StatusCodes.Status200OK, translated);
        }
    }

    private TeamsHttpInboundResult Refused(BotFrameworkTokenFailure failure)
    {
        Log.RequestRefused(_logger, failure);
        var status = failure switch
        {
            BotFrameworkTokenFailure.ChannelNotEndorsed => StatusCodes.Status403Forbidden,
            BotFrameworkTokenFailure.KeysUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status401Unauthorized,
        };
        return new(status, Failure: failure);
    }

    private TeamsHttpInboundResult Invalid(string reason)
    {
        Log.RequestInvalid(_logger, reason);
        return new(StatusCodes.Status400BadRequest, Reason: reason);
    }

    private static string? StringAt(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
