using System.Globalization;
using System.Text.Json;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// Reads an interaction object as Discord sends it (over the endpoint or the Gateway) into a
/// <see cref="DiscordInteraction"/>, or throws <see cref="DiscordInteractionException"/> saying what is missing.
/// Pure: no I/O, no clock.
/// </summary>
internal static class DiscordInteractionParser
{
    // Application command option types (interactions-application-commands.mdx).
    private const int SubCommand = 1;
    private const int SubCommandGroup = 2;
    private const int User = 6;
    private const int Channel = 7;
    private const int Role = 8;
    private const int Mentionable = 9;
    private const int Attachment = 11;

    private const int ButtonComponent = 2;

    public static DiscordInteraction Parse(JsonElement interaction)
    {
        if (interaction.ValueKind != JsonValueKind.Object)
        {
            throw new DiscordInteractionException("the interaction is not a JSON object");
        }

        var type = interaction.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var n) ? n : 0;
        var id = Snowflake(interaction, "id", "the interaction");
        if (type == (int)DiscordInteractionType.Ping)
        {
            return new DiscordInteraction { Kind = DiscordInteractionKind.Ping, Id = id };
        }

        var kind = type switch
        {
            (int)DiscordInteractionType.ApplicationCommand => DiscordInteractionKind.Command,
            (int)DiscordInteractionType.MessageComponent => DiscordInteractionKind.Press,
            (int)DiscordInteractionType.ApplicationCommandAutocomplete => DiscordInteractionKind.Autocomplete,
            _ => throw new DiscordInteractionException($"interaction type {type} is not one this bot handles (application command, button, autocomplete)"),
        };

        var token = Required(interaction, "token", "the interaction");
        var channel = Text(interaction, "channel_id") ?? (interaction.TryGetProperty("channel", out var c) ? Text(c, "id") : null)
                      ?? throw new DiscordInteractionException("the interaction has no channel_id");
        if (!IsSnowflake(channel))
        {
            throw new DiscordInteractionException($"the interaction's channel_id '{channel}' is not a snowflake");
        }

        var user = ReadUser(interaction);
        if (!interaction.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new DiscordInteractionException("the interaction has no data");
        }

        var read = new DiscordInteraction { Kind = kind, Id = id, Token = token, ChannelId = channel, User = user };
        return kind == DiscordInteractionKind.Press ? ReadPress(read, interaction, data) : ReadCommand(read, data);
    }

    /// <summary>In a server the person is <c>member.user</c>; in a direct message, <c>user</c>.</summary>
    private static ChatUser ReadUser(JsonElement interaction)
    {
        var user = interaction.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object && member.TryGetProperty("user", out var mu)
            ? mu
            : interaction.TryGetProperty("user", out var u) ? u : default;
        if (user.ValueKind != JsonValueKind.Object)
        {
            throw new DiscordInteractionException("the interaction has neither member.user nor user");
        }

        var userId = Snowflake(user, "id", "the interaction's user");
        // global_name is the display name people chose; username is the account's unique handle.
        var name = Text(user, "global_name") ?? Text(user, "username");
        return new ChatUser(DiscordInteraction.Platform, userId, name);
    }

    private static DiscordInteraction ReadPress(DiscordInteraction read, JsonElement interaction, JsonElement data)
    {
        var componentType = data.TryGetProperty("component_type", out var ct) && ct.ValueKind == JsonValueKind.Number && ct.TryGetInt32(out var v) ? v : 0;
        if (componentType != ButtonComponent)
        {
            throw new DiscordInteractionException($"component type {componentType} is not a button; the bot only sends buttons");
        }

        var customId = Required(data, "custom_id", "the button");
        var message = interaction.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
            ? m
            : throw new DiscordInteractionException("the button press has no message");
        return read with { CustomId = customId, MessageId = Snowflake(message, "id", "the button press's message") };
    }

    private static DiscordInteraction ReadCommand(DiscordInteraction read, JsonElement data)
    {
        var path = new List<string> { Required(data, "name", "the command").ToLowerInvariant() };
        var options = new List<DiscordOption>();
        DiscordOption? focused = null;
        var level = data;
        while (level.TryGetProperty("options", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            JsonElement? nested = null;
            foreach (var option in list.EnumerateArray())
            {
                var name = Required(option, "name", "a command option");
                var type = option.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var ot) ? ot : 0;
                if (type is SubCommand or SubCommandGroup)
                {
                    path.Add(name.ToLowerInvariant());
                    nested = option;
                    continue;
                }

                if (type is User or Channel or Role or Mentionable or Attachment)
                {
                    throw new DiscordInteractionException($"option '{name}' is of type {type}, which no command of this bot has");
                }

                var value = option.TryGetProperty("value", out var raw) ? ValueText(raw) : null;
                if (value is null)
                {
                    throw new DiscordInteractionException($"option '{name}' has no value");
                }

                var typed = new DiscordOption(name.ToLowerInvariant(), value);
                if (option.TryGetProperty("focused", out var f) && f.ValueKind == JsonValueKind.True)
                {
                    focused = typed;
                }

                options.Add(typed);
            }

            if (nested is not { } next)
            {
                break;
            }

            level = next;
        }

        if (read.Kind == DiscordInteractionKind.Autocomplete && focused is null)
        {
            throw new DiscordInteractionException("the autocomplete interaction has no focused option");
        }

        return read with { Command = path, Options = options, Focused = focused };
    }

    private static string? ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static string Required(JsonElement element, string name, string what) =>
        Text(element, name) ?? throw new DiscordInteractionException($"{what} has no {name}");

    private static string Snowflake(JsonElement element, string name, string what)
    {
        var value = Required(element, name, what);
        return IsSnowflake(value) ? value : throw new DiscordInteractionException($"{what}'s {name} '{value}' is not a snowflake");
    }

    private static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Snowflakes are unsigned 64-bit integers written in decimal.</summary>
    public static bool IsSnowflake(string? value) =>
        value is { Length: > 0 and <= 20 } && value.All(char.IsAsciiDigit) && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
