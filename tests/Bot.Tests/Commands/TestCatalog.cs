using ChatOps.Bot.Commands;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests;

/// <summary>The catalog the host builds from the commands <see cref="CommandsServiceCollectionExtensions.AddCommands"/> registers, without building the commands.</summary>
internal static class TestCatalog
{
    private static readonly ServiceProvider Registered = new ServiceCollection().AddCommands().BuildServiceProvider();

    public static CommandCatalog Instance { get; } = Registered.GetRequiredService<CommandCatalog>();

    /// <summary>The verbs the environments' policy speaks of, as the registered commands declare them.</summary>
    public static VerbPolicies Policies { get; } = new(Registered.GetServices<VerbPolicy>());

    /// <summary>The kinds of run, as the registered commands declare them.</summary>
    public static RunKinds Kinds { get; } = new(Registered.GetServices<RunKind>());
}
