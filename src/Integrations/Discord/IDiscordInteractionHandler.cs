using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Discord;

/// <summary>
/// What the bot does with one verified interaction, however it arrived. The interactions endpoint answers Discord
/// with the returned response as its HTTP body; the Gateway posts it to the interaction's callback. Both ways in
/// share this one handling, so a command, a button press or an autocomplete behaves the same on either.
/// </summary>
public interface IDiscordInteractionHandler
{
    /// <summary>
    /// The interaction response (<c>{"type":5}</c>, <c>{"type":6}</c>, <c>{"type":8,"data":{…}}</c>…) for
    /// <paramref name="interaction"/>, an interaction object as Discord sends it. Returns only once whatever the
    /// interaction asks for is kept durably, so answering Discord after it loses nothing. Throws
    /// <see cref="Interactions.DiscordInteractionException"/>, having kept nothing, for an interaction the bot cannot use.
    /// </summary>
    Task<JsonObject> HandleAsync(JsonElement interaction, CancellationToken cancellationToken);
}
