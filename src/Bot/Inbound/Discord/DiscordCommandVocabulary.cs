using ChatOps.Bot.Commands;
using ChatOps.Bot.Environments;
using ChatOps.Integrations.Discord.Interactions;

namespace ChatOps.Bot.Inbound.Discord;

/// <summary>
/// Answers what the Discord adapter asks of the command catalog while it translates an interaction: which options
/// the parser reads only as <c>name=value</c>, and what to offer while one is typed (the configured environments
/// for an environment, the allowed values for a choice).
/// </summary>
internal sealed class DiscordCommandVocabulary(CommandCatalog catalog, EnvironmentCatalog environments) : IDiscordCommandVocabulary
{
    public bool IsNamedOnly(IReadOnlyList<string> command, string option) =>
        Argument(command, option) is { Positional: false, Kind: not ArgumentKind.Weights };

    public IReadOnlyList<string> Suggest(IReadOnlyList<string> command, string option, string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var argument = Argument(command, option);
        IEnumerable<string> candidates = argument switch
        {
            { Kind: ArgumentKind.Environment } => environments.Names,
            { Kind: ArgumentKind.Choice } => argument.AllowedValues,
            // An option the catalog does not name, called as the environment is everywhere: the environments still help.
            null when option is CommandInvocation.EnvironmentArgument or "environment" => environments.Names,
            _ => [],
        };

        var wanted = typed.Trim();
        return [.. candidates
            .Where(c => c.Contains(wanted, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.StartsWith(wanted, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(c => c, StringComparer.OrdinalIgnoreCase)];
    }

    private ArgumentDefinition? Argument(IReadOnlyList<string> command, string option)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(option);
        if (command.Count == 0 || catalog.FindGroup(command[0]) is not { } group)
        {
            return null;
        }

        var verb = group.IsVerb ? catalog.VerbsOf(group).FirstOrDefault() : command.Count > 1 ? catalog.FindVerb(group, command[^1]) : null;
        return verb?.Arguments.FirstOrDefault(a => a.Name.Equals(option, StringComparison.OrdinalIgnoreCase))
               ?? (option.Equals("environment", StringComparison.OrdinalIgnoreCase)
                   ? verb?.Arguments.FirstOrDefault(a => a.Kind == ArgumentKind.Environment)
                   : null);
    }
}
