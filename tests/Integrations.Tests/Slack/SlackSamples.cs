using System.Text.Json.Nodes;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Slack;

/// <summary>The vendor sample payloads under tests/specs/slack/samples. Their ids are blank, so tests fill in their own.</summary>
internal static class SlackSamples
{
    public static string Root => SpecFiles.Path("slack", "samples");

    public static IEnumerable<string> All(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p))
            .Order(StringComparer.Ordinal);

    public static JsonObject Load(string relativePath) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relativePath)))!.AsObject();
}
