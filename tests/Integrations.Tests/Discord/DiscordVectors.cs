using System.Text;
using System.Text.Json;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Discord;

/// <summary>The Ed25519 vectors in <c>tests/specs/discord/derived/interaction-signature-vectors.json</c>.</summary>
internal static class DiscordVectors
{
    public static readonly JsonElement Root = JsonDocument.Parse(SpecFiles.Read("discord", "derived", "interaction-signature-vectors.json")).RootElement;

    /// <summary>The time every case was signed at.</summary>
    public static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static string PublicKey => Root.GetProperty("application_public_key").GetString()!;

    public static IEnumerable<JsonElement> Cases => Root.GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);

    public static bool ExpectValid(JsonElement vector) => vector.GetProperty("expect_valid").GetBoolean();

    /// <summary>The raw bytes Discord sent: the hex form when the case gives one (non-ASCII bodies), else the string's UTF-8.</summary>
    public static byte[] Body(JsonElement vector) =>
        vector.TryGetProperty("body_utf8_hex", out var hex) ? Convert.FromHexString(hex.GetString()!) : Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString() ?? "");

    public static string? Header(JsonElement vector, string name) =>
        vector.GetProperty("headers").TryGetProperty(name, out var value) ? value.GetString() : null;
}
