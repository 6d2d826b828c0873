using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Inbound.Discord;
using ChatOps.Integrations.Discord;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using ChatOps.TestCommon.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// <c>discord-register</c> against the local Discord peer: the catalog's commands, validated against Discord's
/// OpenAPI document and its naming rules, registered idempotently; clear refusals for missing settings and bad input.
/// </summary>
public sealed class DiscordRegisterVerbTests
{
    private const string Guild = "1600000000000000001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunTwice_SameCommandsAsOnce_AndTheOutputListsThem()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);

        var first = await RunAsync(peer, []);
        var once = peer.Commands();
        var second = await RunAsync(peer, []);

        Assert.Equal(0, first.Code);
        Assert.Equal("", first.Error);
        Assert.Equal(0, second.Code);
        Assert.True(JsonNode.DeepEquals(once, peer.Commands()), "the second run changed the commands Discord holds");
        Assert.Equal(2, peer.CommandOverwrites);
        Assert.Equal(first.Output, second.Output);
        Assert.Empty(peer.SpecViolations);
        Assert.Contains("Registered 3 commands globally", first.Output, StringComparison.Ordinal);
        var catalog = Catalog();
        foreach (var verb in catalog.Verbs)
        {
            Assert.Contains($"  {(verb.Group.IsVerb ? "/" + verb.Group.Name : $"/{verb.Group.Name} {verb.Name}")}", first.Output, StringComparison.Ordinal);
        }

        Assert.Contains($"/{EnvGroup(catalog).Name} help [topic:]", first.Output, StringComparison.Ordinal);
        Assert.Empty(peer.Commands(Guild));
    }

    [Fact]
    public async Task RunWithGuild_RegistersInThatGuildOnly()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);

        var result = await RunAsync(peer, ["--guild", Guild]);

        Assert.Equal(0, result.Code);
        Assert.Contains($"in guild {Guild}", result.Output, StringComparison.Ordinal);
        Assert.Equal(3, peer.Commands(Guild).Count);
        Assert.Empty(peer.Commands());
        Assert.Equal("bulk_set_guild_application_commands", Assert.Single(peer.Requests).OperationId);
    }

    [Fact]
    public void Build_EveryVerbASubcommandWithTypedOptions_WithinDiscordsSchemaAndLimits()
    {
        var catalog = Catalog();

        var commands = DiscordApplicationCommands.Build(catalog);

        var schema = DiscordSpec.Validator.RequestSchema("PUT", "/applications/{application_id}/commands");
        Assert.Empty(DiscordSpec.Validator.Schemas.Validate(JsonSerializer.SerializeToElement(commands), schema));
        Assert.Equal(catalog.Groups.Select(g => g.Name), commands.Select(c => c!["name"]!.GetValue<string>()));
        var group = EnvGroup(catalog);
        var env = commands.Single(c => c!["name"]!.GetValue<string>() == group.Name)!;
        var subcommands = env["options"]!.AsArray();
        Assert.Equal(catalog.VerbsOf(group).Select(v => v.Name).Append(CommandCatalog.Help.Name), subcommands.Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(subcommands, s => Assert.Equal(1, s!["type"]!.GetValue<int>()));
        foreach (var verb in catalog.VerbsOf(group).Where(v => v.Arguments.Any(a => a.Kind == ArgumentKind.Environment)))
        {
            var option = subcommands.Single(s => s!["name"]!.GetValue<string>() == verb.Name)!["options"]!.AsArray()
                .Single(o => o!["name"]!.GetValue<string>() == CommandInvocation.EnvironmentArgument)!;
            Assert.Equal(3, option["type"]!.GetValue<int>());
            Assert.True(option["autocomplete"]!.GetValue<bool>());
            Assert.True(option["required"]!.GetValue<bool>());
        }

        var choice = catalog.Verbs.SelectMany(v => v.Arguments).First(a => a.Kind == ArgumentKind.Choice);
        var choiceOption = Descendants(commands).Single(o => o["name"]?.GetValue<string>() == choice.Name && o["choices"] is not null);
        Assert.Equal(choice.AllowedValues, choiceOption["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        Assert.All(Descendants(commands), o => Assert.InRange(o["description"]!.GetValue<string>().Length, 1, DiscordApplicationCommands.MaxDescriptionLength));
        Assert.All(Descendants(commands), o => Assert.Matches("^[-_'a-z0-9]{1,32}$", o["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("Discord:BotToken is not set", "Discord:BotToken", "")]
    [InlineData("Discord:ApplicationId is not set", "Discord:ApplicationId", "")]
    [InlineData("Discord:ApiBaseUrl must be an absolute http(s) address ending with '/'", "Discord:ApiBaseUrl", "/api/v10/")]
    [InlineData("Discord:ApplicationId must be the application's id", "Discord:ApplicationId", "my-app")]
    public async Task MissingOrBadSettings_ExitsWith2NamingTheSetting_AndAsksDiscordNothing(string expected, string key, string value)
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);

        var result = await RunAsync(peer, [], new Dictionary<string, string?> { [key] = value });

        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Output);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(peer.Requests);
    }

    [Theory]
    [InlineData("--guild needs the guild's id", "--guild", "my-server")]
    [InlineData("--guild needs the guild's id", "--guild")]
    [InlineData("--guild needs the guild's id", "--guild=")]
    [InlineData("Unknown argument '--gild'", "--gild", Guild)]
    public async Task BadArguments_ExitsWith2AndAsksDiscordNothing(string expected, params string[] args)
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);

        var result = await RunAsync(peer, args);

        Assert.Equal(2, result.Code);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: discord-register [--guild ID]", result.Error, StringComparison.Ordinal);
        Assert.Empty(peer.Requests);
    }

    [Fact]
    public async Task DiscordRefuses_ExitsWith1ShowingDiscordsError()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);

        var result = await RunAsync(peer, [], new Dictionary<string, string?> { ["Discord:BotToken"] = "revoked-token" });

        Assert.Equal(1, result.Code);
        Assert.Contains("Discord refused the commands: HTTP 401, code 0: 401: Unauthorized", result.Error, StringComparison.Ordinal);
        Assert.Empty(peer.Commands());
    }

    [Fact]
    public async Task BotBinary_DiscordRegister_RegistersAgainstThePeerTwiceAlike()
    {
        await using var peer = await DiscordRestPeer.StartAsync(cancellationToken: Ct);
        using var root = new BotRoot("chatops-discord-register-");
        var settings = new Dictionary<string, string>
        {
            ["Discord__ApplicationId"] = DiscordRestPeer.ApplicationId,
            ["Discord__BotToken"] = DiscordRestPeer.BotToken,
            ["Discord__ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        };

        var first = await BotProcess.RunCommandAsync(root.Path, settings, "discord-register", "--guild", Guild);
        var once = peer.Commands(Guild);
        var second = await BotProcess.RunCommandAsync(root.Path, settings, "discord-register", "--guild", Guild);

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Contains($"Registered 3 commands in guild {Guild}", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(once, peer.Commands(Guild)));
        Assert.Empty(peer.SpecViolations);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(DiscordRestPeer peer, string[] args, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = DiscordRestPeer.ApplicationId,
            ["Discord:BotToken"] = DiscordRestPeer.BotToken,
            ["Discord:ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCommands()
            .AddDiscord()
            .BuildServiceProvider();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new DiscordCommandsVerb().RunAsync(services, args, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    private static CommandCatalog Catalog()
    {
        using var services = new ServiceCollection().AddCommands().BuildServiceProvider();
        return services.GetRequiredService<CommandCatalog>();
    }

    private static CommandGroup EnvGroup(CommandCatalog catalog) => catalog.Conversational!;

    /// <summary>Every command, subcommand and option: each has a name and a description.</summary>
    private static List<JsonObject> Descendants(JsonArray nodes) =>
        [.. nodes.OfType<JsonObject>().SelectMany(n => new[] { n }.Concat(Descendants(n["options"] as JsonArray ?? [])))];
}
