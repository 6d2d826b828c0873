using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Inbound.Teams;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Schemas;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Teams;

/// <summary><c>teams-manifest</c>: a package whose manifest keeps the published 1.29 schema, icons of the sizes Teams asks, and clear refusals.</summary>
public sealed class TeamsManifestVerbTests : IDisposable
{
    private const string AppId = "5b0c8f8e-1d3a-4a57-9d63-0f2a7b6c9e11";

    private static readonly Lazy<JsonSchema> ManifestSchema = new(() => new JsonSchema(SpecFiles.Read("botframework", "teams-manifest", "MicrosoftTeams.v1.29.schema.json")));

    private readonly string _folder = Directory.CreateTempSubdirectory("chatops-teams-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Run_AppIdAndUrl_PackageWithAValidManifestAndBothIcons()
    {
        var zip = Path.Combine(_folder, "app.zip");

        var (code, output, error) = await RunAsync("--app-id", AppId, "--url", "https://bot.example.com/chatops", "--out", zip);

        Assert.True(code == 0, error);
        Assert.Contains(zip, output, StringComparison.Ordinal);
        var (manifest, color, outline) = Read(zip);
        using (var json = JsonDocument.Parse(manifest.ToJsonString()))
        {
            Assert.Empty(ManifestSchema.Value.Validate(json.RootElement));
        }

        Assert.Equal(("1.29", AppId), (manifest["manifestVersion"]!.GetValue<string>(), manifest["id"]!.GetValue<string>()));
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(AppId, bot["botId"]!.GetValue<string>());
        Assert.Equal(["team", "groupChat", "personal"], bot["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["bot.example.com"], manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("https://bot.example.com/chatops", manifest["developer"]!["websiteUrl"]!.GetValue<string>());
        // Resource-specific consent for the Graph lookup, as application permissions of the app itself.
        Assert.Equal(AppId, manifest["webApplicationInfo"]!["id"]!.GetValue<string>());
        var rsc = manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray();
        Assert.Equal(
            [("ChannelMessage.Read.Group", "Application"), ("ChatMessage.Read.Chat", "Application")],
            rsc.Select(p => (p!["name"]!.GetValue<string>(), p["type"]!.GetValue<string>())));
        // The channel listings the lookup calls name that permission as their resource-specific one.
        Assert.Contains("|Application| ChannelMessage.Read.Group*,", SpecFiles.Read("graph", "api", "channel-list-messages.md"), StringComparison.Ordinal);
        Assert.Contains("|Application| ChannelMessage.Read.Group*,", SpecFiles.Read("graph", "api", "chatmessage-list-replies.md"), StringComparison.Ordinal);
        Assert.Equal((192, 192), PngSize(color));
        Assert.Equal((32, 32), PngSize(outline));
    }

    [Fact]
    public async Task Run_CommandList_FromTheCatalogWithinTeamsLimits()
    {
        var zip = Path.Combine(_folder, "app.zip");
        using var services = new ServiceCollection().AddCommands().BuildServiceProvider();
        var catalog = services.GetRequiredService<CommandCatalog>();

        Assert.Equal(0, (await RunAsync("--app-id", AppId, "--out", zip)).Code);

        var commands = Read(zip).Manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()).ToList();
        Assert.InRange(commands.Count, 2, TeamsAppPackage.MaxCommands);
        Assert.Equal(CommandCatalog.Help.Key, commands[0]);
        // Every group of the catalog can be reached from the menu: by its verbs, or by its own entry.
        Assert.All(catalog.Groups, g => Assert.Contains(commands, c => c == g.Name || c.StartsWith(g.Name + " ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--app-id is required")]
    [InlineData("--app-id needs the Microsoft App ID", "--app-id")]
    [InlineData("is not a GUID", "--app-id", "chatops")]
    [InlineData("--url needs the bot's public https address", "--app-id", AppId, "--url")]
    [InlineData("not a public https base URL", "--app-id", AppId, "--url", "http://bot.example.com")]
    [InlineData("not a public https base URL", "--app-id", AppId, "--url", "https://bot.example.com/?x=1")]
    [InlineData("--out needs a file name", "--app-id", AppId, "--out")]
    [InlineData("not a file in an existing folder", "--app-id", AppId, "--out", "/nonexistent-folder/app.zip")]
    [InlineData("Unknown argument '--appid'", "--appid", AppId)]
    public async Task Run_BadArguments_ExplainsWritesNothingAndExitsWith2(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, .. args.Contains("--out") ? Array.Empty<string>() : ["--out", Path.Combine(_folder, "bad.zip")]]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task BotBinary_TeamsManifestVerb_WritesThePackageOrExitsWith2()
    {
        using var root = new BotRoot("chatops-teams-manifest-");
        var zip = Path.Combine(_folder, "bin.zip");
        var good = await BotProcess.RunCommandAsync(root.Path, "teams-manifest", "--app-id", AppId, "--out", zip);
        var bad = await BotProcess.RunCommandAsync(root.Path, "teams-manifest", "--app-id", "nope");

        Assert.True(good.ExitCode == 0, good.StandardError);
        Assert.Equal(AppId, Read(zip).Manifest["id"]!.GetValue<string>());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not a GUID", bad.StandardError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        await using var services = new ServiceCollection().AddCommands().BuildServiceProvider();
        var code = await new TeamsManifestVerb().RunAsync(services, args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static (JsonObject Manifest, byte[] Color, byte[] Outline) Read(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var manifest = JsonNode.Parse(Bytes(archive, "manifest.json"))!.AsObject();
        var icons = manifest["icons"]!;
        return (manifest, Bytes(archive, icons["color"]!.GetValue<string>()), Bytes(archive, icons["outline"]!.GetValue<string>()));
    }

    private static byte[] Bytes(ZipArchive archive, string name)
    {
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The size a PNG declares, after checking it is one a reader can decode: signature, chunk CRCs, IDAT inflating to every scanline.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var offset = 8;
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(offset + 4, 4 + length)), crc);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                Assert.Equal((8, 6), (data[8], data[9]));
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(height * ((width * 4) + 1), inflated.Length);
        return (width, height);
    }
}
