using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace ChatOps.Bot.Tests.Architecture;

/// <summary>
/// Which of an assembly's top-level folders use which, read from its IL by NetArchTest: a folder is the
/// namespace segment after the assembly's root (<c>ChatOps.Bot.Workflows.Drift</c> belongs to <c>Workflows</c>),
/// and types directly in the root namespace (<c>Program</c>'s neighbours, the composition root) are the
/// folder <see cref="Root"/>. Folders are found, not listed, so a folder added later is checked too.
/// </summary>
internal sealed partial class FolderGraph
{
    public const string Root = "(root)";

    private FolderGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> edges) => Edges = edges;

    /// <summary>From folder → to folder → the types in the first that use the second (the evidence).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Edges { get; }

    public IEnumerable<string> Folders => Edges.Keys;

    public static FolderGraph Of(Assembly assembly, string rootNamespace)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        // Read once: each rule below filters the same list.
        var all = Types.InAssembly(assembly);
        var types = all.GetTypes().Where(t => t.Namespace is not null).ToList();
        var folders = types.Select(t => FolderOf(t.Namespace!, rootNamespace)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var edges = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var from in folders)
        {
            var uses = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var to in folders.Where(f => f != from))
            {
                // The root namespace is a prefix of every folder's, so a dependency on it is named type by type.
                string[] targets = to == Root
                    ? [.. types.Where(t => t.Namespace == rootNamespace).Select(t => t.FullName!)]
                    : [$"{rootNamespace}.{to}"];
                var result = all
                    .That().ResideInNamespaceMatching(NamespacePattern(from, rootNamespace))
                    .ShouldNot().HaveDependencyOnAny(targets)
                    .GetResult();
                if (!result.IsSuccessful)
                {
                    uses[to] = [.. (result.FailingTypeNames ?? []).Order(StringComparer.Ordinal)];
                }
            }

            edges[from] = uses;
        }

        return new FolderGraph(edges);
    }

    /// <summary>A graph from edges given by hand, so the cycle search can be shown a shape whose cycles are known.</summary>
    public static FolderGraph FromEdges(params (string From, string To)[] edges)
    {
        var folders = edges.SelectMany(e => new[] { e.From, e.To }).Distinct(StringComparer.Ordinal);
        return new FolderGraph(folders.ToDictionary(
            f => f,
            f => (IReadOnlyDictionary<string, IReadOnlyList<string>>)edges.Where(e => e.From == f).ToDictionary(e => e.To, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal),
            StringComparer.Ordinal));
    }

    /// <summary>Every cycle among the folders, each as the folders in order with the first repeated at the end.</summary>
    public List<List<string>> Cycles()
    {
        var next = Edges.ToDictionary(e => e.Key, e => e.Value.Keys.ToList(), StringComparer.Ordinal);
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Each cycle is reported once, starting from its smallest folder name.
        foreach (var start in next.Keys.Order(StringComparer.Ordinal))
        {
            Walk(start, start, [start], next, cycles, seen);
        }

        return cycles;
    }

    private static void Walk(string start, string at, List<string> path, Dictionary<string, List<string>> next, List<List<string>> cycles, HashSet<string> seen)
    {
        foreach (var to in next[at])
        {
            if (to == start)
            {
                var cycle = new List<string>(path) { start };
                if (seen.Add(string.Join('>', cycle)))
                {
                    cycles.Add(cycle);
                }
            }
            else if (string.CompareOrdinal(to, start) > 0 && !path.Contains(to))
            {
                path.Add(to);
                Walk(start, to, path, next, cycles, seen);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static string? FolderOf(string ns, string rootNamespace) =>
        ns == rootNamespace ? Root
        : ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal) ? ns[(rootNamespace.Length + 1)..].Split('.')[0]
        : null;

    private static string NamespacePattern(string folder, string rootNamespace) =>
        folder == Root ? $"^{Regex.Escape(rootNamespace)}$" : $"^{Regex.Escape($"{rootNamespace}.{folder}")}(\\..+)?$";
}
