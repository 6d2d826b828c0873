using System.Reflection;
using ChatOps.Bot.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests;

/// <summary>
/// The catalog the host builds, without the services its commands need: the definitions of exactly the commands
/// <see cref="CommandsServiceCollectionExtensions.AddCommands"/> registers, in its order.
/// </summary>
internal static class TestCatalog
{
    public static CommandCatalog Instance { get; } = new(Definitions());

    private static IEnumerable<VerbDefinition> Definitions() =>
        new ServiceCollection().AddCommands()
            .Where(d => d.ServiceType == typeof(IChatCommand))
            .Select(d => (VerbDefinition)d.ImplementationType!.GetField("Definition", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!);
}
