using System.Diagnostics.CodeAnalysis;
using ChatOps.Bot.Cli;
using ChatOps.Integrations.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChatOps.Bot.Storage;

/// <summary><c>storage-copy</c>'s arguments, checked before anything is opened: the source file and the target's connection string.</summary>
/// <param name="SourceFile">The SQLite file, a full path.</param>
/// <param name="Target">The Npgsql connection string.</param>
/// <param name="TargetName">The target as messages name it: host, port and database, never the password.</param>
internal sealed record StorageCopyArguments(string SourceFile, string Target, string TargetName)
{
    private static readonly CliOption From = new("--from", "the SQLite file the bot ran on (Storage:ConnectionString's Data Source)");
    private static readonly CliOption To = new("--to", "a PostgreSQL connection string (Host=…;Database=…)");

    /// <summary>The options <c>storage-copy</c> takes.</summary>
    public static IReadOnlyList<CliOption> Options { get; } = [From, To];

    public static bool TryParse(CliArguments args, IConfiguration configuration, string contentRoot, out StorageCopyArguments parsed, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        parsed = new StorageCopyArguments("", "", "");
        if (args.Value(From) is not { } from)
        {
            problem = From.Required();
            return false;
        }

        if (!TrySourceFile(from, contentRoot, out var file, out problem) || !TryTarget(args.Value(To), configuration, out var target, out var targetName, out problem))
        {
            return false;
        }

        parsed = new StorageCopyArguments(file, target, targetName);
        return true;
    }

    private static bool TrySourceFile(string from, string contentRoot, out string file, out string problem)
    {
        file = "";
        problem = "";
        var isConnectionString = from.Contains('=', StringComparison.Ordinal);
        string? path;
        try
        {
            path = isConnectionString ? new SqliteConnectionStringBuilder(from).DataSource : from;
        }
        catch (ArgumentException invalid)
        {
            problem = $"--from is not a SQLite connection string: {invalid.Message}";
            return false;
        }

        if (string.IsNullOrWhiteSpace(path) || path == ":memory:")
        {
            problem = $"--from names no SQLite file: '{from}'.";
            return false;
        }

        // A connection string reads as the bot reads Storage:ConnectionString: relative to the content root.
        file = isConnectionString ? Path.GetFullPath(path, contentRoot) : Path.GetFullPath(path);
        if (!File.Exists(file))
        {
            problem = $"--from: there is no SQLite file at {file}.";
            return false;
        }

        return true;
    }

    private static bool TryTarget(string? to, IConfiguration configuration, out string target, out string targetName, out string problem)
    {
        target = targetName = problem = "";
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (to is null)
        {
            if (storage.Provider != StorageProvider.Postgres)
            {
                problem = $"--to is required: a PostgreSQL connection string (Host=…;Database=…), or set Storage:Provider=Postgres and Storage:ConnectionString; Storage:Provider is {storage.Provider}.";
                return false;
            }

            to = storage.ConnectionString;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(to);
        }
        catch (ArgumentException invalid)
        {
            problem = $"--to is not a PostgreSQL connection string: {invalid.Message}";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            problem = "--to must name Host and Database (Host=db.example.com;Database=chatops;Username=…).";
            return false;
        }

        target = to;
        targetName = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        return true;
    }
}
