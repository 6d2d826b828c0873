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

    /// <summary>
    /// Edges known to close a cycle, each with the reason it is still there. Keep this list short: every
    /// entry is a cycle the architecture tolerates for now, and the test fails once an entry is no longer
    /// needed, so it cannot outlive its cause.
    /// </summary>
    private static readonly (string From, string To, string Why)[] KnownEdges =
    [
        // RunWording.Gerund reads how a verb is spoken of ("bringing test up") from the command catalog, and
        // commands hand runs to the engine. It goes when each command's definition reaches the engine with the
        // run (the verb's wording travelling with the run request) instead of being looked up by verb string.
        ("Workflows", "Commands", "run wording reads each verb's gerund from Commands/CommandCatalog"),
    ];

    [Fact]
    public void BotFolders_HaveNoCycles()
    {
        var graph = BotGraph.Value;

        var cycles = graph.Cycles([.. KnownEdges.Select(k => (k.From, k.To))]);

        Assert.True(cycles.Count == 0,
            "The Bot's folders depend on each other in a cycle:\n" + string.Join('\n', cycles.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void BotFolders_KnownEdgesAreStillThere()
    {
        var graph = BotGraph.Value;

        var gone = KnownEdges.Where(k => !graph.Edges.TryGetValue(k.From, out var uses) || !uses.ContainsKey(k.To)).ToList();

        Assert.True(gone.Count == 0, "These tolerated edges no longer exist; remove them from KnownEdges: " +
                                     string.Join("; ", gone.Select(k => $"{k.From} → {k.To} ({k.Why})")));
    }

    [Fact]
    public void FolderGraph_ACycleBetweenFolders_IsFoundAndNamed()
    {
        // Without its tolerated edge ignored, the Bot has a cycle: the check must find and name it.
        var graph = BotGraph.Value;

        var cycles = graph.Cycles([]);

        Assert.Contains(cycles, c => c.SequenceEqual(["Commands", "Workflows", "Commands"]));
        Assert.Contains("Workflows", graph.Folders);
        Assert.Contains(FolderGraph.Root, graph.Folders);
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
