using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Teams.Inbound;

public enum TeamsInboundKind
{
    /// <summary>A command or message for the bot: see <see cref="TeamsInbound.Request"/>.</summary>
    Request,

    /// <summary>A card button press (<c>Action.Submit</c> as a message, or <c>Action.Execute</c> as an invoke): see <see cref="TeamsInbound.Action"/>.</summary>
    Action,

    /// <summary>The bot was added to (or removed from) a team, channel or chat: its reference is stored, nothing else happens.</summary>
    ConversationUpdate,

    /// <summary>A message or press from someone Teams gave no Entra ID object id for (the emulator, a guest): refused with a reason.</summary>
    Unidentified,

    /// <summary>An invoke this bot does not implement.</summary>
    UnknownInvoke,

    /// <summary>Well-formed but nothing for the bot to do (typing, reactions, an empty message): acknowledged.</summary>
    Ignored,

    /// <summary>Malformed or missing a required part: answered 400, nothing happens.</summary>
    Invalid,
}

/// <summary>
/// One verified activity, translated into our own types. <see cref="IsInvoke"/> says the Bot Framework waits for an
/// invoke response in the HTTP answer; <see cref="Destination"/> and <see cref="ThreadOf"/> are where a refusal goes.
/// </summary>
public sealed record TeamsInbound
{
    public required TeamsInboundKind Kind { get; init; }

    public ChatRequest? Request { get; init; }

    public ChatAction? Action { get; init; }

    public ChatDestination? Destination { get; init; }

    public string? ThreadOf { get; init; }

    public string? ActivityId { get; init; }

    public bool IsInvoke { get; init; }

    /// <summary>Why the activity was ignored, refused or invalid, for logs and the 400 body.</summary>
    public string? Reason { get; init; }

    internal static TeamsInbound Invalid(string reason) => new() { Kind = TeamsInboundKind.Invalid, Reason = reason };

    internal static TeamsInbound Ignored(string reason, string? activityId) => new() { Kind = TeamsInboundKind.Ignored, Reason = reason, ActivityId = activityId };
}
