using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>The interaction responses the bot gives (interactions-receiving-and-responding.mdx, "Interaction Callback Type").</summary>
internal static class DiscordResponses
{
    /// <summary>Message flag: only the person who used the interaction sees it.</summary>
    public const int Ephemeral = 64;

    public const int MaxChoices = 25;

    /// <summary>What someone whose command could not be kept is told, for them alone.</summary>
    public const string BusyText = "I'm busy with too many requests right now, so I did not take that one. Please try again in a minute.";

    /// <summary>PONG.</summary>
    public static JsonObject Pong() => new() { ["type"] = 1 };

    /// <summary>DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…"; the answer fills the original response later.</summary>
    public static JsonObject Deferred() => new() { ["type"] = 5 };

    /// <summary>DEFERRED_UPDATE_MESSAGE: the press is taken; the message is edited later, if at all.</summary>
    public static JsonObject DeferredUpdate() => new() { ["type"] = 6 };

    /// <summary>CHANNEL_MESSAGE_WITH_SOURCE, ephemeral: an answer now, for the asker alone, that nothing else refers to.</summary>
    public static JsonObject EphemeralMessage(string content) => new()
    {
        ["type"] = 4,
        ["data"] = new JsonObject { ["content"] = content, ["flags"] = Ephemeral },
    };

    /// <summary>APPLICATION_COMMAND_AUTOCOMPLETE_RESULT with at most <see cref="MaxChoices"/> choices.</summary>
    public static JsonObject Choices(IEnumerable<string> values)
    {
        var choices = new JsonArray();
        foreach (var value in values.Take(MaxChoices))
        {
            choices.Add(new JsonObject { ["name"] = value, ["value"] = value });
        }

        return new JsonObject { ["type"] = 8, ["data"] = new JsonObject { ["choices"] = choices } };
    }
}
