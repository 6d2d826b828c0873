using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>Interaction objects shaped as Discord sends them (interactions-receiving-and-responding.mdx).</summary>
internal static class DiscordSamples
{
    public const string Channel = "1400000000000000001";
    public const string Guild = "1600000000000000001";
    public const string UserId = "1300000000000000007";
    public const string Message = "1700000000000000001";

    public static JsonObject User(string id = UserId, string? globalName = "Ada Lovelace", string username = "ada") => new()
    {
        ["id"] = id,
        ["username"] = username,
        ["global_name"] = globalName,
        ["discriminator"] = "0",
    };

    /// <summary><c>/{name} {sub} option:value…</c> in a server channel (the person is <c>member.user</c>).</summary>
    public static JsonObject Command(string id, string name, string? sub, params (string Name, JsonNode Value)[] options)
    {
        var typed = new JsonArray([.. options.Select(o => (JsonNode)Option(o.Name, o.Value))]);
        JsonObject data = sub is null
            ? new() { ["id"] = "1500000000000000001", ["name"] = name, ["type"] = 1, ["options"] = typed }
            : new() { ["id"] = "1500000000000000001", ["name"] = name, ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = sub, ["type"] = 1, ["options"] = typed }) };
        return Interaction(id, 2, data);
    }

    public static JsonObject Press(string id, string customId, string message = Message) =>
        With(Interaction(id, 3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }), "message", new JsonObject { ["id"] = message, ["channel_id"] = Channel });

    public static JsonObject Autocomplete(string id, string name, string sub, string option, string typed)
    {
        var data = new JsonObject
        {
            ["id"] = "1500000000000000001",
            ["name"] = name,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = sub,
                ["type"] = 1,
                ["options"] = new JsonArray(new JsonObject { ["name"] = option, ["type"] = 3, ["value"] = typed, ["focused"] = true }),
            }),
        };
        return Interaction(id, 4, data);
    }

    /// <summary>The same interaction from a direct message: <c>user</c> at the top, no member, no guild.</summary>
    public static JsonObject InDirectMessage(JsonObject interaction)
    {
        var user = interaction["member"]!["user"]!.DeepClone();
        interaction.Remove("member");
        interaction.Remove("guild_id");
        interaction["user"] = user;
        return interaction;
    }

    public static JsonObject Without(JsonObject interaction, string property)
    {
        interaction.Remove(property);
        return interaction;
    }

    public static JsonObject With(JsonObject interaction, string property, JsonNode? value)
    {
        interaction[property] = value;
        return interaction;
    }

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    private static JsonObject Option(string name, JsonNode value) => new()
    {
        ["name"] = name,
        ["type"] = value.GetValueKind() switch
        {
            JsonValueKind.Number => 4,
            JsonValueKind.True or JsonValueKind.False => 5,
            _ => 3,
        },
        ["value"] = value,
    };

    private static JsonObject Interaction(string id, int type, JsonObject data) => new()
    {
        ["id"] = id,
        ["application_id"] = "1100000000000000001",
        ["type"] = type,
        ["token"] = $"token-{id}",
        ["version"] = 1,
        ["guild_id"] = Guild,
        ["channel_id"] = Channel,
        ["member"] = new JsonObject { ["user"] = User(), ["roles"] = new JsonArray() },
        ["data"] = data,
    };
}
