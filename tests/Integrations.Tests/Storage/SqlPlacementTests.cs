using System.Text.RegularExpressions;
using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary>
/// SQL is written only in the class that owns its table (a name ending in <c>Store</c>, or a part of it such as <c>OutboxStore.Enqueue.cs</c>), in a feature's
/// migrations (<c>*Schema.cs</c>) and in the engine's dialect (<c>*Dialect.cs</c>): see <c>src/Integrations/Storage/README.md</c>.
/// </summary>
public sealed partial class SqlPlacementTests
{
    [Fact]
    public void Sources_SqlStatements_OnlyInStoresMigrationsAndDialects()
    {
        var offenders = RepositoryRoot.SourceFiles("src")
            .Where(f => !AllowedFile().IsMatch(Path.GetFileName(f)))
            .Where(f => SqlStatement().IsMatch(File.ReadAllText(RepositoryRoot.Combine(f))))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, $"SQL outside a store, a schema or a dialect: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void SqlStatement_StatementInAStringOrRawString_IsFound()
    {
        Assert.Matches(SqlStatement(), "c.ScalarAsync(\"SELECT 1 FROM runs\")");
        Assert.Matches(SqlStatement(), "\"\"\"\n    INSERT INTO runs (id) VALUES (1)\n    \"\"\"");
        Assert.DoesNotMatch(SqlStatement(), "// Select the newest run, then update its status.");
    }

    [GeneratedRegex(@"(Store|Schema|Dialect)(\.\w+)?\.cs$")]
    private static partial Regex AllowedFile();

    // A statement's first words, upper case as we write SQL, opening a string or a raw string's line.
    [GeneratedRegex(@"(?m)(""|^\s*)(SELECT\b|INSERT INTO\b|UPDATE \w+ SET\b|DELETE FROM\b|CREATE (UNIQUE )?(TABLE|INDEX)\b|ALTER TABLE\b|DROP (TABLE|INDEX)\b|PRAGMA\b|BEGIN IMMEDIATE\b)")]
    private static partial Regex SqlStatement();
}
