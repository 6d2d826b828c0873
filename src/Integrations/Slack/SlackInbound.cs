using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Slack;

public enum SlackInboundKind
{
    /// <summary>A command or message for the bot: see <see cref="SlackInbound.Request"/>.</summary>
    Request,

    /// <summary>A button press: see <see cref="SlackInbound.Action"/>.</summary>
    Action,

    /// <summary>The Events API handshake: answer with <see cref="SlackInbound.Challenge"/>.</summary>
    UrlVerification,

    /// <summary>Well-formed but not for us (our own messages, other event types): acknowledge and do nothing.</summary>
    Ignored,

    /// <summary>Malformed or missing required fields: answer 400 and do nothing.</summary>
    Invalid,
}

/// <summary>
/// One verified delivery from Slack, translated into our own types. Vendor payloads stop here.
/// <see cref="IsRetry"/> is set when Slack says this is a redelivery (X-Slack-Retry-Num or a Socket
/// Mode retry_attempt); the <see cref="ChatRequest.DeliveryId"/> is the same as the first delivery's,
/// so a handler that records delivery ids runs the command once.
/// </summary>
public sealed record SlackInbound
{
    public required SlackInboundKind Kind { get; init; }

    public ChatRequest? Request { get; init; }

    public ChatAction? Action { get; init; }

    public string? Challenge { get; init; }

    /// <summary>Why the delivery was ignored or refused, for logs and the 400 body.</summary>
    public string? Reason { get; init; }

    public bool IsRetry { get; init; }

    internal static SlackInbound Ignored(string reason, bool isRetry = false) => new() { Kind = SlackInboundKind.Ignored, Reason = reason, IsRetry = isRetry };

    internal static SlackInbound Invalid(string reason) => new() { Kind = SlackInboundKind.Invalid, Reason = reason };
}
