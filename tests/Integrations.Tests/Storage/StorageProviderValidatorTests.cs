using ChatOps.Integrations.Storage;

namespace ChatOps.Integrations.Tests.Storage;

/// <summary><c>Storage:Provider=Postgres</c> at start: a connection string Npgsql reads, with Host and Database, and no SQLite size cap.</summary>
public sealed class StorageProviderValidatorTests
{
    [Fact]
    public void Validate_PostgresWithHostAndDatabase_Succeeds()
    {
        var result = CreateSut().Validate(null, Postgres("Host=db.internal;Port=5433;Database=chatops;Username=bot;Password=secret"));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_PostgresWithNeitherHostNorDatabaseAndASizeCap_ListsEveryProblemNamingTheSetting()
    {
        var options = Postgres("Username=bot");
        options.MaxSizeBytes = 1_000_000;

        var result = CreateSut().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Storage:MaxSizeBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Storage:ConnectionString names no Host", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Storage:ConnectionString names no Database", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PostgresWithUnknownKeyword_NamesTheSettingNotThePassword()
    {
        var result = CreateSut().Validate(null, Postgres("Host=db;Database=chatops;Password=hunter2;Flavour=mint"));

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Storage:ConnectionString is not a PostgreSQL connection string", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SqliteWithSizeCap_IsNotThisValidatorsConcern()
    {
        var result = CreateSut().Validate(null, new StorageOptions { ConnectionString = "Data Source=state.db", MaxSizeBytes = 1_000_000 });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void DataSource_Postgres_NamesServerAndDatabaseButNoPassword()
    {
        var dialect = new PostgresDialect("Host=db.internal;Port=5433;Database=chatops;Username=bot;Password=hunter2");

        Assert.Equal("PostgreSQL db.internal:5433/chatops", dialect.DataSource);
    }

    private static StorageOptions Postgres(string connectionString) => new() { Provider = StorageProvider.Postgres, ConnectionString = connectionString };

    private static StorageProviderValidator CreateSut() => new();
}
