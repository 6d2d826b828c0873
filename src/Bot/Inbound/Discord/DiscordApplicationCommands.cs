using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOps.Bot.Commands;

namespace ChatOps.Bot.Inbound.Discord;

/// <summary>
/// Discord's application commands, built from the one <see cref="CommandCatalog"/> so Discord never offers a command
/// the bot does not know: a group of verbs (<c>/env</c>, <c>/alert</c>) becomes a command with one subcommand per
/// verb and one for <c>help</c>; a group that is a verb itself (<c>/pulse</c>) a command of its own. Each argument is a
/// typed option: the environment a string with autocomplete (the configured environments are answered as typed),
/// choices as Discord choices, the rest strings; required options come first, as Discord demands.
/// Names and descriptions are held to Discord's limits (application-commands, "Application Command Naming").
/// </summary>
internal static partial class DiscordApplicationCommands
{
    public const int MaxNameLength = 32;
    public const int MaxDescriptionLength = 100;
    public const int MaxOptions = 25;
    public const int MaxChoices = 25;

    /// <summary>Discord's option types (application-commands, "Application Command Option Type").</summary>
    private const int SubCommand = 1;
    private const int StringOption = 3;
    private const int ChatInput = 1;

    public static JsonArray Build(CommandCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var commands = new JsonArray();
        foreach (var group in catalog.Groups)
        {
            var verbs = catalog.VerbsOf(group).ToList();
            var command = new JsonObject
            {
                ["name"] = Name(group.Name, $"command group '{group.Name}'"),
                ["type"] = ChatInput,
                ["description"] = Description(group.Summary),
            };
            if (group.IsVerb)
            {
                command["options"] = Options(verbs.SelectMany(v => v.Arguments), $"/{group.Name}");
            }
            else
            {
                var subcommands = verbs.Select(v => Subcommand(v.Name, v.Summary, v.Arguments, $"/{group.Name} {v.Name}"))
                    .Append(Subcommand(CommandCatalog.Help.Name, $"How the {group.Name} commands work, or one of them.", [HelpTopic], $"/{group.Name} help"))
                    .ToList();
                if (subcommands.Count > MaxOptions)
                {
                    throw new InvalidOperationException($"/{group.Name} has {subcommands.Count} subcommands with help; Discord allows {MaxOptions}.");
                }

                command["options"] = new JsonArray([.. subcommands]);
            }

            commands.Add(command);
        }

        return commands;
    }

    /// <summary>The verb a help subcommand explains, as free text like <c>/env help up</c>.</summary>
    private static readonly ArgumentDefinition HelpTopic = new("topic", ArgumentKind.Text, "a verb, for how it works");

    private static JsonObject Subcommand(string name, string summary, IEnumerable<ArgumentDefinition> arguments, string where) => new()
    {
        ["type"] = SubCommand,
        ["name"] = Name(name, where),
        ["description"] = Description(summary),
        ["options"] = Options(arguments, where),
    };

    private static JsonArray Options(IEnumerable<ArgumentDefinition> arguments, string where)
    {
        // Discord refuses a required option after an optional one; the order among each kind is the catalog's.
        var ordered = arguments.DistinctBy(a => a.Name).OrderBy(a => a.Required ? 0 : 1).ToList();
        if (ordered.Count > MaxOptions)
        {
            throw new InvalidOperationException($"{where} has {ordered.Count} arguments; Discord allows {MaxOptions} options.");
        }

        return new JsonArray([.. ordered.Select(a => (JsonNode)Option(a, where))]);
    }

    private static JsonObject Option(ArgumentDefinition argument, string where)
    {
        var option = new JsonObject
        {
            ["type"] = StringOption,
            ["name"] = Name(argument.Name, $"{where} argument '{argument.Name}'"),
            ["description"] = Description(Capitalize(argument.Help)),
            ["required"] = argument.Required,
        };
        switch (argument.Kind)
        {
            case ArgumentKind.Environment:
                option["autocomplete"] = true;
                break;
            case ArgumentKind.Choice when argument.AllowedValues.Count is > 0 and <= MaxChoices:
                option["choices"] = new JsonArray([.. argument.AllowedValues.Select(v => (JsonNode)new JsonObject { ["name"] = v, ["value"] = v })]);
                break;
            case ArgumentKind.Version:
                option["max_length"] = 100;
                break;
        }

        return option;
    }

    /// <summary>The name as Discord takes it, or a refusal naming what the catalog must change: it is never altered silently.</summary>
    internal static string Name(string name, string what)
    {
        return NamePattern().IsMatch(name) && string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal)
            ? name
            : throw new InvalidOperationException($"The {what} cannot be a Discord command name: names are 1-{MaxNameLength} lower-case letters, digits, '-', '_' or \"'\", without spaces.");
    }

    /// <summary>Discord's 1-100 characters: a longer summary is cut at a word with an ellipsis.</summary>
    internal static string Description(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return "-";
        }

        var runes = trimmed.EnumerateRunes().ToList();
        if (runes.Count <= MaxDescriptionLength)
        {
            return trimmed;
        }

        var cut = string.Concat(runes.Take(MaxDescriptionLength - 1).Select(r => r.ToString()));
        var space = cut.LastIndexOf(' ');
        return (space > MaxDescriptionLength / 2 ? cut[..space] : cut).TrimEnd(' ', ',', ';', ':', '.') + "…";
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>application-commands, "Application Command Naming": <c>^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$</c>.</summary>
    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$")]
    private static partial Regex NamePattern();
}
