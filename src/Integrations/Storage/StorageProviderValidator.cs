using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOps.Integrations.Storage;

/// <summary>
/// What the chosen engine needs of the other settings, every problem named at start: PostgreSQL needs a connection
/// string Npgsql reads, with a Host and a Database, and has no size cap of ours (the server's disk is the server's).
/// </summary>
internal sealed class StorageProviderValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != StorageProvider.Postgres)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (options.MaxSizeBytes is not null)
        {
            errors.Add("Storage:MaxSizeBytes caps a SQLite file and has no meaning with Storage:Provider=Postgres; remove it (the database server's disk is watched on the server).");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.AddRange(ConnectionStringProblems(options.ConnectionString));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> ConnectionStringProblems(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The message names the keyword, never the value (which may hold the password).
            return [$"Storage:ConnectionString is not a PostgreSQL connection string for Storage:Provider=Postgres: {e.Message.TrimEnd('.')}."];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            problems.Add("Storage:ConnectionString names no Host (the PostgreSQL server) for Storage:Provider=Postgres, e.g. Host=db.internal;Database=chatops;Username=chatops.");
        }

        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            problems.Add("Storage:ConnectionString names no Database for Storage:Provider=Postgres, e.g. Host=db.internal;Database=chatops;Username=chatops.");
        }

        return problems;
    }
}
