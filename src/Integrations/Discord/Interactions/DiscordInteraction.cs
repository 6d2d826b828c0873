using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>What an interaction is, as far as the bot cares.</summary>
internal enum DiscordInteractionKind
{
    Ping,
    Command,
    Press,
    Autocomplete,
}

/// <summary>One option of an application command as typed: its name and its value as text.</summary>
internal sealed record DiscordOption(string Name, string Value);

/// <summary>
/// A verified interaction, read: who made it where, and for a command its name path (<c>env</c>, <c>up</c>) and
/// options, for a press the button's id and the message it is on, for autocomplete the option being typed.
/// </summary>
internal sealed record DiscordInteraction
{
    public const string Platform = "discord";

    public required DiscordInteractionKind Kind { get; init; }

    public required string Id { get; init; }

    public string Token { get; init; } = "";

    public string ChannelId { get; init; } = "";

    public ChatUser User { get; init; } = new(Platform, "");

    /// <summary>The command's name, then its subcommand group and subcommand when it has them.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyList<DiscordOption> Options { get; init; } = [];

    /// <summary>For autocomplete: the option being typed and what has been typed so far.</summary>
    public DiscordOption? Focused { get; init; }

    /// <summary>For a press: the message the button is on, and the button's <c>custom_id</c>.</summary>
    public string? MessageId { get; init; }

    public string? CustomId { get; init; }

    public ChatDestination Destination => new(Platform, ChannelId);
}
