using ChatOps.Bot.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests;

/// <summary>The catalog the host builds from the commands <see cref="CommandsServiceCollectionExtensions.AddCommands"/> registers, without building the commands.</summary>
internal static class TestCatalog
{
    public static CommandCatalog Instance { get; } = new ServiceCollection().AddCommands().BuildServiceProvider().GetRequiredService<CommandCatalog>();
}
