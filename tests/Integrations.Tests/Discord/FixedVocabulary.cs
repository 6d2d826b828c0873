using ChatOps.Integrations.Discord.Interactions;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>A command catalog's answers, fixed: <c>message</c> is named only; the environment option offers dev, test, prod.</summary>
internal sealed class FixedVocabulary : IDiscordCommandVocabulary
{
    public static readonly string[] Environments = ["dev", "test", "prod", "staging"];

    public bool IsNamedOnly(IReadOnlyList<string> command, string option) => option == "message";

    public IReadOnlyList<string> Suggest(IReadOnlyList<string> command, string option, string typed) =>
        option == "env" ? [.. Environments.Where(e => e.Contains(typed, StringComparison.OrdinalIgnoreCase))] : [];
}
