using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOps.TestCommon.Discord;

/// <summary>
/// The application commands the peer holds, globally and per guild, replaced by each bulk overwrite as Discord does:
/// a command whose name and type were there before keeps its id, and its version changes only when it changed.
/// Before storing, the rules the application-commands documentation states beyond the OpenAPI schema are applied
/// (names matching <c>^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$</c> in lower case, descriptions of 1-100
/// characters, required options before optional ones, unique names, no choices with autocomplete, at most 25
/// options and choices), and a breach is answered as Discord's 50035 Invalid Form Body with the field's path.
/// </summary>
internal sealed partial class DiscordPeerCommands(string applicationId)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<JsonObject>> _scopes = new(StringComparer.Ordinal);
    private long _nextId = 1300000000000000000;

    public int Overwrites { get; private set; }

    public JsonArray Get(string? guildId)
    {
        lock (_lock)
        {
            return new JsonArray([.. _scopes.GetValueOrDefault(guildId ?? "", []).Select(c => (JsonNode)c.DeepClone())]);
        }
    }

    /// <summary>Replaces the scope's commands, or returns Discord's <c>errors</c> tree when one breaks a rule.</summary>
    public (JsonArray? Stored, JsonObject? Errors) Overwrite(string? guildId, JsonArray commands)
    {
        var errors = new JsonObject();
        Validate(commands, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        lock (_lock)
        {
            Overwrites++;
            var previous = _scopes.GetValueOrDefault(guildId ?? "", []);
            var stored = new List<JsonObject>();
            foreach (var command in commands.OfType<JsonObject>())
            {
                var type = command["type"]?.GetValue<int>() ?? 1;
                var name = command["name"]!.GetValue<string>();
                var old = previous.FirstOrDefault(c => c["name"]!.GetValue<string>() == name && c["type"]!.GetValue<int>() == type);
                var definition = Normalize(command, type);
                var unchanged = old is not null && JsonNode.DeepEquals(Definition(old), definition);
                var id = old?["id"]!.GetValue<string>() ?? NextId();
                var version = unchanged ? old!["version"]!.GetValue<string>() : NextId();
                definition["id"] = id;
                definition["application_id"] = applicationId;
                definition["version"] = version;
                if (guildId is not null)
                {
                    definition["guild_id"] = guildId;
                }

                stored.Add(definition);
            }

            _scopes[guildId ?? ""] = stored;
            return (new JsonArray([.. stored.Select(c => (JsonNode)c.DeepClone())]), null);
        }
    }

    private string NextId() => (++_nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>What a command is, without what Discord adds to it, so an overwrite with the same definition is seen as unchanged.</summary>
    private static JsonObject Definition(JsonObject stored)
    {
        var copy = (JsonObject)stored.DeepClone();
        foreach (var added in new[] { "id", "application_id", "version", "guild_id" })
        {
            copy.Remove(added);
        }

        return copy;
    }

    private static JsonObject Normalize(JsonObject command, int type)
    {
        var copy = (JsonObject)command.DeepClone();
        copy["type"] = type;
        copy["description"] ??= "";
        copy["options"] ??= new JsonArray();
        copy["default_member_permissions"] ??= null;
        copy["nsfw"] ??= false;
        return copy;
    }

    private static void Validate(JsonArray commands, JsonObject errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i] is not JsonObject command)
            {
                continue;
            }

            var at = i.ToString(CultureInfo.InvariantCulture);
            var type = command["type"]?.GetValue<int>() ?? 1;
            var name = command["name"]?.GetValue<string>() ?? "";
            if (!seen.Add($"{type}:{name}"))
            {
                Add(errors, [at, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", $"Application command names must be unique: {name}");
            }

            if (type != 1)
            {
                continue;
            }

            CheckName(name, errors, [at, "name"]);
            CheckDescription(command["description"]?.GetValue<string>(), errors, [at, "description"]);
            CheckOptions(command["options"] as JsonArray, errors, [at, "options"], depth: 0);
        }
    }

    private static void CheckOptions(JsonArray? options, JsonObject errors, string[] at, int depth)
    {
        if (options is null)
        {
            return;
        }

        if (options.Count > 25)
        {
            Add(errors, at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var optionalSeen = false;
        for (var i = 0; i < options.Count; i++)
        {
            if (options[i] is not JsonObject option)
            {
                continue;
            }

            string[] here = [.. at, i.ToString(CultureInfo.InvariantCulture)];
            var type = option["type"]?.GetValue<int>() ?? 0;
            var name = option["name"]?.GetValue<string>() ?? "";
            CheckName(name, errors, [.. here, "name"]);
            CheckDescription(option["description"]?.GetValue<string>(), errors, [.. here, "description"]);
            if (!names.Add(name))
            {
                Add(errors, [.. here, "name"], "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique");
            }

            var isSubcommand = type is 1 or 2;
            if (isSubcommand)
            {
                // A subcommand holds options, a group holds subcommands, and neither nests deeper.
                if ((type == 2 && depth > 0) || (type == 1 && depth > 1))
                {
                    Add(errors, [.. here, "type"], "APPLICATION_COMMAND_OPTION_INVALID_NESTING", "Sub-command groups and sub-commands cannot be nested this deep");
                }

                CheckOptions(option["options"] as JsonArray, errors, [.. here, "options"], depth + 1);
                continue;
            }

            var required = option["required"]?.GetValue<bool>() == true;
            if (required && optionalSeen)
            {
                Add(errors, [.. here, "required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options");
            }

            optionalSeen |= !required;
            var choices = option["choices"] as JsonArray;
            if (choices is { Count: > 25 })
            {
                Add(errors, [.. here, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
            }

            if (choices is { Count: > 0 } && option["autocomplete"]?.GetValue<bool>() == true)
            {
                Add(errors, [.. here, "autocomplete"], "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES", "Autocomplete cannot be set with choices");
            }
        }
    }

    private static void CheckName(string name, JsonObject errors, string[] at)
    {
        if (!NamePattern().IsMatch(name) || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            Add(errors, at, "APPLICATION_COMMAND_INVALID_NAME", $"Command name is invalid: '{name}'");
        }
    }

    private static void CheckDescription(string? description, JsonObject errors, string[] at)
    {
        var length = description?.EnumerateRunes().Count() ?? 0;
        if (length is < 1 or > 100)
        {
            Add(errors, at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
        }
    }

    /// <summary>Adds one error at a path of Discord's nested <c>errors</c> tree.</summary>
    internal static void Add(JsonObject errors, string[] path, string code, string message)
    {
        var node = errors;
        foreach (var part in path)
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        if (node["_errors"] is not JsonArray list)
        {
            list = [];
            node["_errors"] = list;
        }

        list.Add(new JsonObject { ["code"] = code, ["message"] = message });
    }

    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$")]
    private static partial Regex NamePattern();
}
