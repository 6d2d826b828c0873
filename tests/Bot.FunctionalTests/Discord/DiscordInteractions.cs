using System.Text;
using System.Text.Json;
using ChatOps.TestCommon;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// Requests to <c>/discord/interactions</c> as Discord sends them, taken from the vendored vectors
/// (<c>tests/specs/discord/derived</c>), or signed here with the vectors' test-only secret key.
/// </summary>
internal static class DiscordInteractions
{
    public const string Path = "/discord/interactions";
    public const string ApplicationId = "1100000000000000001";

    public static readonly JsonElement Vectors = JsonDocument.Parse(SpecFiles.Read("discord", "derived", "interaction-signature-vectors.json")).RootElement;

    /// <summary>The time every vector was signed at.</summary>
    public static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static string PublicKey => Vectors.GetProperty("application_public_key").GetString()!;

    public static Dictionary<string, string?> Settings => new()
    {
        ["Discord:PublicKey"] = PublicKey,
        ["Discord:ApplicationId"] = ApplicationId,
        // Nothing here may reach discord.com: answers to kept interactions go to a closed local port and fail there.
        ["Discord:ApiBaseUrl"] = "http://127.0.0.1:9/api/v10/",
    };

    /// <summary>The vector's request, byte for byte, with its headers.</summary>
    public static HttpRequestMessage FromVector(string name)
    {
        var vector = Vectors.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var body = vector.TryGetProperty("body_utf8_hex", out var hex) ? Convert.FromHexString(hex.GetString()!) : Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString() ?? "");
        var request = Create(body);
        foreach (var header in vector.GetProperty("headers").EnumerateObject())
        {
            request.Headers.Add(header.Name, header.Value.GetString());
        }

        return request;
    }

    /// <summary>A request with <paramref name="body"/>, signed at <paramref name="timestamp"/> with the vectors' application key.</summary>
    public static HttpRequestMessage Signed(string body, DateTimeOffset timestamp)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var stamp = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(Convert.FromHexString(Vectors.GetProperty("application_secret_key_TEST_ONLY").GetString()!)));
        byte[] message = [.. Encoding.UTF8.GetBytes(stamp), .. bytes];
        signer.BlockUpdate(message, 0, message.Length);
        var request = Create(bytes);
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexStringLower(signer.GenerateSignature()));
        request.Headers.Add("X-Signature-Timestamp", stamp);
        return request;
    }

    private static HttpRequestMessage Create(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
    }
}
