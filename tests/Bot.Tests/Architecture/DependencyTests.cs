using System.Reflection;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Storage;
using ChatOps.Radiator;
using NetArchTest.Rules;

namespace ChatOps.Bot.Tests.Architecture;

/// <summary>
/// Dependencies point one way: Bot → Radiator → Integrations and Bot → Integrations, and inside the Bot
/// no folder reaches, directly or round about, back into itself. A cycle makes two folders one feature
/// in two places; the test names it, with the types on each edge, so it can be cut where it arose.
/// </summary>
public sealed class DependencyTests
{
    private static readonly Assembly Bot = typeof(BotRunner).Assembly;
    private static readonly Assembly Radiator = typeof(RadiatorOptions).Assembly;
    private static readonly Assembly Integrations = typeof(StateDatabase).Assembly;

    // Reading the Bot's IL for every pair of folders takes a while; the tests share one reading.
    private static readonly Lazy<FolderGraph> BotGraph = new(() => FolderGraph.Of(Bot, "ChatOps.Bot"));

    [Fact]
    public void BotFolders_HaveNoCycles()
    {
        var graph = BotGraph.Value;

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0,
            "The Bot's folders depend on each other in a cycle:\n" + string.Join('\n', cycles.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void FolderGraph_ACycleBetweenFolders_IsFoundAndNamed()
    {
        // Workflows → Conversations → Workflows is a cycle; Hosting hangs off it and is in none.
        var graph = FolderGraph.FromEdges(("Workflows", "Conversations"), ("Conversations", "Workflows"), ("Workflows", "Hosting"));

        var cycles = graph.Cycles();

        Assert.Equal([["Conversations", "Workflows", "Conversations"]], cycles);
    }

    [Fact]
    public void FolderGraph_TheBot_HasItsFoldersAndItsRoot()
    {
        var graph = BotGraph.Value;

        Assert.Contains("Workflows", graph.Folders);
        Assert.Contains(FolderGraph.Root, graph.Folders);
        Assert.Contains("Workflows", graph.Edges["Commands"].Keys);
    }

    [Fact]
    public void Radiator_NeverReferencesBot()
    {
        Assert.DoesNotContain(Radiator.GetReferencedAssemblies(), a => a.Name == Bot.GetName().Name);
        var result = Types.InAssembly(Radiator).ShouldNot().HaveDependencyOn("ChatOps.Bot").GetResult();
        Assert.True(result.IsSuccessful, "Radiator types use the Bot: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Integrations_ReferencesNoneOfOurProjects()
    {
        string?[] ours = [Bot.GetName().Name, Radiator.GetName().Name];

        Assert.Empty(Integrations.GetReferencedAssemblies().Where(a => ours.Contains(a.Name)).Select(a => a.Name));
        var result = Types.InAssembly(Integrations).ShouldNot().HaveDependencyOnAny("ChatOps.Bot", "ChatOps.Radiator").GetResult();
        Assert.True(result.IsSuccessful, "Integrations types use our other projects: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static string Describe(FolderGraph graph, List<string> cycle) =>
        "  " + string.Join(" → ", cycle) + "\n" + string.Join('\n', cycle.Zip(cycle.Skip(1)).Select(edge =>
            $"    {edge.First} → {edge.Second}: {string.Join(", ", graph.Edges[edge.First][edge.Second].Take(5))}"));
}
