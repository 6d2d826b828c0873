using System.Text.RegularExpressions;
using ChatOps.Bot.Commands;
using ChatOps.TestCommon;

namespace ChatOps.Bot.Tests.Architecture;

/// <summary>
/// A verb's words (its name and aliases) are written once, in its command's definition
/// (<c>src/Bot/Commands/**/*Command.cs</c>); everything else reads them from the catalog, the policy's
/// <c>VerbPolicies</c> or Workflows' <c>RunKinds</c>. The words scanned for are the registered commands' own,
/// so a command added later is held to it too.
/// </summary>
public sealed partial class VerbPlacementTests
{
    /// <summary>Quoted words that are not verbs where they stand, each with the reason.</summary>
    private static readonly Dictionary<(string File, string Word), string> Allowed = new()
    {
        [("src/Bot/Workflows/DecisionFormatter.cs", "cancel")] = "the Cancel button of a confirmation, an answer to it rather than the cancel verb",
        [("src/Bot/Conversations/DecisionAnswers.cs", "cancel")] = "the answer a confirmation's Cancel button records, not the cancel verb",
        [("src/Bot/Workflows/RunArguments.cs", "state")] = "the key a sorry run's on/off switch is stored under in the runs table",
        [("src/Bot/Workflows/RunArguments.cs", "weights")] = "the key a balance run's weights are stored under in the runs table",
        [("src/Bot/Workflows/WorkflowSchema.cs", "runs")] = "the runs table's name in a migration",
        [("src/Bot/Workflows/InterruptedSteps.cs", "start")] = "the first word of a compute provider's step name (\"Start web1\"), read after a crash",
        [("src/Bot/Workflows/InterruptedSteps.cs", "stop")] = "the first word of a compute provider's step name (\"Stop web1\"), read after a crash",
        [("src/Bot/Workflows/InterruptedSteps.cs", "deploy")] = "the first word of a compute provider's step name (\"Deploy 7 to web1\"), read after a crash",
    };

    [Fact]
    public void Sources_VerbWords_OnlyInTheirCommandsDefinitions()
    {
        var words = VerbWords();
        var found = RepositoryRoot.SourceFiles("src", "Bot")
            .Where(f => !IsCommandDefinition(f))
            .SelectMany(f => QuotedWords(File.ReadAllText(RepositoryRoot.Combine(f))).Where(words.Contains).Distinct(StringComparer.Ordinal).Select(w => (File: f, Word: w)))
            .ToList();

        var offenders = found.Where(o => !Allowed.ContainsKey(o)).Select(o => $"{o.File}: \"{o.Word}\"").Order(StringComparer.Ordinal).ToList();

        Assert.True(offenders.Count == 0, $"Verb words outside their commands' definitions (read them from the definition instead):\n{string.Join('\n', offenders)}");
    }

    [Fact]
    public void Allowed_EveryEntry_IsStillNeeded()
    {

        var stale = Allowed.Keys.Where(k => !File.Exists(RepositoryRoot.Combine(k.File)) || !QuotedWords(File.ReadAllText(RepositoryRoot.Combine(k.File))).Contains(k.Word)).ToList();

        Assert.True(stale.Count == 0, $"Allowed entries that no longer match anything: {string.Join(", ", stale)}");
    }

    [Fact]
    public void QuotedWords_LiteralsInCodeAndCollections_AreFoundAndProseIsNot()
    {
        Assert.Equal(["halt", "destroy", "up"], QuotedWords("string[] confirm = [\"halt\", \"destroy\"]; var name = $\"up\";"));
        Assert.Equal(["halt the nodes"], QuotedWords("/// <summary>Says (\"halt\").</summary>\nvar text = \"halt the nodes\"; var id = \"halt-1\";"));
    }

    [Theory]
    [InlineData("src/Bot/Commands/Env/UpCommand.cs", true)]
    [InlineData("src/Bot/Commands/PulseNowCommand.cs", true)]
    [InlineData("src/Bot/Commands/CommandParser.cs", false)]
    [InlineData("src/Bot/Workflows/RunKind.cs", false)]
    public void IsCommandDefinition_OnlyCommandsUnderCommands(string file, bool expected) => Assert.Equal(expected, IsCommandDefinition(file));

    private static HashSet<string> VerbWords() =>
        [.. TestCatalog.Instance.Verbs.SelectMany(v => new[] { v.Name }.Concat(v.Aliases)).Where(w => w != CommandCatalog.Help.Name)];

    private static bool IsCommandDefinition(string file) => CommandFile().IsMatch(file);

    /// <summary>Whole quoted words in code; comment lines are prose and say verbs freely.</summary>
    private static List<string> QuotedWords(string source) =>
        [.. source.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => QuotedWord().Matches(l).Select(m => m.Groups[1].Value))];

    [GeneratedRegex(@"^src/Bot/Commands/(.+/)?\w+Command\.cs$")]
    private static partial Regex CommandFile();

    // A whole string literal (plain or interpolated) holding nothing but lower-case words: "up", "bring up".
    [GeneratedRegex(@"(?<![\w""])\$?""([a-z]+(?: [a-z]+)*)""")]
    private static partial Regex QuotedWord();
}
